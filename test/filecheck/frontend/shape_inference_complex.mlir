// Frozen GraphDefs carry no shapes: real FFTs and complex parts get TF's.
// RUN: tflc-opt %s -p tf-shape-inference | filecheck %s

// CHECK-LABEL: func.func @spectrum
func.func @spectrum(%x: tensor<3x6x10xf32>, %n: tensor<2xi32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xcomplex<f32>>) {
  %lengths = "tf.Const"() {value = dense<[8, 16]> : tensor<2xi32>} : () -> tensor<2xi32>
  // Cropped or zero-padded to the lengths; the last dim keeps n / 2 + 1 frequencies.
  // CHECK: "tf.RFFT2D"{{.*}} -> tensor<3x8x9xcomplex<f32>>
  %0 = "tf.RFFT2D"(%x, %lengths) : (tensor<3x6x10xf32>, tensor<2xi32>) -> tensor<*xcomplex<f32>>
  // CHECK: "tf.ComplexAbs"{{.*}} -> tensor<3x8x9xf32>
  %1 = "tf.ComplexAbs"(%0) : (tensor<*xcomplex<f32>>) -> tensor<*xf32>
  %length = "tf.Const"() {value = dense<7> : tensor<1xi32>} : () -> tensor<1xi32>
  // CHECK: "tf.RFFT"{{.*}} -> tensor<3x6x4xcomplex<f32>>
  %2 = "tf.RFFT"(%x, %length) : (tensor<3x6x10xf32>, tensor<1xi32>) -> tensor<*xcomplex<f32>>
  // CHECK: "tf.Real"{{.*}} -> tensor<3x6x4xf32>
  %3 = "tf.Real"(%2) : (tensor<*xcomplex<f32>>) -> tensor<*xf32>
  // CHECK: "tf.Imag"{{.*}} -> tensor<3x6x4xf32>
  %4 = "tf.Imag"(%2) : (tensor<*xcomplex<f32>>) -> tensor<*xf32>
  // A computed length leaves the innermost dims dynamic.
  // CHECK: "tf.RFFT2D"{{.*}} -> tensor<3x?x?xcomplex<f32>>
  %5 = "tf.RFFT2D"(%x, %n) : (tensor<3x6x10xf32>, tensor<2xi32>) -> tensor<*xcomplex<f32>>
  func.return %1, %3, %4, %5 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xcomplex<f32>>
}
