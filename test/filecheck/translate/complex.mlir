// Complex tensors (complex64 and complex128 inputs, outputs and constants) and the
// complex builtins go through a .tflite and back unchanged.
// RUN: tflc-translate --mlir-to-tflite %s -o %t.tflite
// RUN: tflc-translate --tflite-to-mlir %t.tflite -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: tflc-translate --mlir-to-tflite %t.mlir -o %t2.tflite
// RUN: cmp %t.tflite %t2.tflite

// CHECK: func.func @main(%[[X:.*]]: tensor<3x8x16xf32> {{.*}}, %[[Z:.*]]: tensor<2x3xcomplex<f32>> {{.*}}, %[[W:.*]]: tensor<4xcomplex<f64>> {{.*}}) -> (tensor<3x8x9xcomplex<f32>> {{.*}}, tensor<2x3xcomplex<f32>> {{.*}}, tensor<2x3xf32> {{.*}}, tensor<2x3xf32> {{.*}}, tensor<4xf64> {{.*}}, tensor<4xf64> {{.*}})
func.func @main(%x: tensor<3x8x16xf32>, %z: tensor<2x3xcomplex<f32>>, %w: tensor<4xcomplex<f64>>) -> (tensor<3x8x9xcomplex<f32>>, tensor<2x3xcomplex<f32>>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xf64>, tensor<4xf64>) {
  // CHECK-NEXT: %[[N:.*]] = "tfl.pseudo_const"() <{value = dense<[8, 16]> : tensor<2xi32>}>
  // CHECK-NEXT: "tfl.rfft2d"(%[[X]], %[[N]]) : (tensor<3x8x16xf32>, tensor<2xi32>) -> tensor<3x8x9xcomplex<f32>>
  %n = "tfl.pseudo_const"() <{value = dense<[8, 16]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = "tfl.rfft2d"(%x, %n) : (tensor<3x8x16xf32>, tensor<2xi32>) -> tensor<3x8x9xcomplex<f32>>
  // CHECK-NEXT: %[[C:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}(1.000000e+00,2.000000e+00), (0.000000e+00,-1.000000e+00), (5.000000e-01,0.000000e+00)], [(1.000000e+00,1.000000e+00), (2.000000e+00,0.000000e+00), (0.000000e+00,3.000000e+00)]]> : tensor<2x3xcomplex<f32>>}>
  // CHECK-NEXT: %[[P:.*]] = tfl.mul %[[Z]], %[[C]] {fused_activation_function = "NONE"} : tensor<2x3xcomplex<f32>>
  %c = "tfl.pseudo_const"() <{value = dense<[[(1.0, 2.0), (0.0, -1.0), (0.5, 0.0)], [(1.0, 1.0), (2.0, 0.0), (0.0, 3.0)]]> : tensor<2x3xcomplex<f32>>}> : () -> tensor<2x3xcomplex<f32>>
  %1 = tfl.mul %z, %c {fused_activation_function = "NONE"} : tensor<2x3xcomplex<f32>>
  // A splat is written in full and read back as a splat.
  // CHECK-NEXT: %[[S:.*]] = "tfl.pseudo_const"() <{value = dense<(1.500000e+00,-2.000000e+00)> : tensor<2x3xcomplex<f32>>}>
  // CHECK-NEXT: %[[Q:.*]] = tfl.mul %[[P]], %[[S]] {fused_activation_function = "NONE"} : tensor<2x3xcomplex<f32>>
  %s = "tfl.pseudo_const"() <{value = dense<(1.5, -2.0)> : tensor<2x3xcomplex<f32>>}> : () -> tensor<2x3xcomplex<f32>>
  %2 = tfl.mul %1, %s {fused_activation_function = "NONE"} : tensor<2x3xcomplex<f32>>
  // CHECK-NEXT: "tfl.real"(%[[Q]]) : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.imag"(%[[Q]]) : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.complex_abs"(%[[W]]) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  // CHECK-NEXT: "tfl.imag"(%[[W]]) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  %3 = "tfl.real"(%2) : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  %4 = "tfl.imag"(%2) : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  %5 = "tfl.complex_abs"(%w) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  %6 = "tfl.imag"(%w) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  func.return %0, %2, %3, %4, %5, %6 : tensor<3x8x9xcomplex<f32>>, tensor<2x3xcomplex<f32>>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xf64>, tensor<4xf64>
}
