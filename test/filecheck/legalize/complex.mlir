// Real FFTs and complex parts: tf.RFFT2D -> tfl.rfft2d, tf.RFFT through a 2-D FFT of one
// row, ComplexAbs/Real/Imag one to one; what TFLite's kernels do not take is left.
// RUN: tflc-opt %s -p "legalize-tf{allow-unsupported=true}" --split-input-file | filecheck %s
// RUN: not tflc-opt %s -p legalize-tf --split-input-file 2>&1 | filecheck %s --check-prefix=REPORT

// CHECK-LABEL: func.func @rfft2d
func.func @rfft2d(%x: tensor<10x20x10x30xf32>, %n: tensor<2xi32>) -> tensor<10x20x10x30xcomplex<f32>> {
  // CHECK: "tfl.rfft2d"(%{{.*}}, %{{.*}}) : (tensor<10x20x10x30xf32>, tensor<2xi32>) -> tensor<10x20x10x30xcomplex<f32>>
  %0 = "tf.RFFT2D"(%x, %n) {Tcomplex = complex<f32>, Treal = f32} : (tensor<10x20x10x30xf32>, tensor<2xi32>) -> tensor<10x20x10x30xcomplex<f32>>
  func.return %0 : tensor<10x20x10x30xcomplex<f32>>
}

// -----

// The spectrogram of a batch of frames: |rfft2d(x)| with constant lengths.
// CHECK-LABEL: func.func @magnitude
func.func @magnitude(%x: tensor<?x8x16xf32>) -> tensor<?x8x9xf32> {
  // CHECK: %[[N:.*]] = "tfl.pseudo_const"() <{value = dense<[8, 16]> : tensor<2xi32>}>
  // CHECK: %[[S:.*]] = "tfl.rfft2d"(%{{.*}}, %[[N]]) : (tensor<?x8x16xf32>, tensor<2xi32>) -> tensor<?x8x9xcomplex<f32>>
  // CHECK: "tfl.complex_abs"(%[[S]]) : (tensor<?x8x9xcomplex<f32>>) -> tensor<?x8x9xf32>
  %n = "tf.Const"() {value = dense<[8, 16]> : tensor<2xi32>} : () -> tensor<2xi32>
  %0 = "tf.RFFT2D"(%x, %n) : (tensor<?x8x16xf32>, tensor<2xi32>) -> tensor<?x8x9xcomplex<f32>>
  %1 = "tf.ComplexAbs"(%0) : (tensor<?x8x9xcomplex<f32>>) -> tensor<?x8x9xf32>
  func.return %1 : tensor<?x8x9xf32>
}

// -----

// 1-D: a unit row before the last dim, lengths [1, n], the row dropped (reshapes: static).
// CHECK-LABEL: func.func @rfft
func.func @rfft(%x: tensor<10x20x30xf32>) -> tensor<10x20x17xcomplex<f32>> {
  // CHECK: %[[ROWS:.*]] = "tfl.reshape"(%{{.*}}, %{{.*}}) : (tensor<10x20x30xf32>, tensor<4xi32>) -> tensor<10x20x1x30xf32>
  // CHECK: %[[N:.*]] = "tfl.pseudo_const"() <{value = dense<[1, 32]> : tensor<2xi32>}>
  // CHECK: %[[S:.*]] = "tfl.rfft2d"(%[[ROWS]], %[[N]]) : (tensor<10x20x1x30xf32>, tensor<2xi32>) -> tensor<10x20x1x17xcomplex<f32>>
  // CHECK: "tfl.reshape"(%[[S]], %{{.*}}) : (tensor<10x20x1x17xcomplex<f32>>, tensor<3xi32>) -> tensor<10x20x17xcomplex<f32>>
  // CHECK-NOT: tf.
  %n = "tf.Const"() {value = dense<32> : tensor<1xi32>} : () -> tensor<1xi32>
  %0 = "tf.RFFT"(%x, %n) : (tensor<10x20x30xf32>, tensor<1xi32>) -> tensor<10x20x17xcomplex<f32>>
  func.return %0 : tensor<10x20x17xcomplex<f32>>
}

// -----

// Dynamic dims: expand_dims and squeeze; a computed length is concatenated after a 1.
// CHECK-LABEL: func.func @rfft_dynamic
func.func @rfft_dynamic(%x: tensor<?x16xf32>, %n: tensor<1xi32>) -> tensor<?x?xcomplex<f32>> {
  // CHECK: %[[ROWS:.*]] = "tfl.expand_dims"(%{{.*}}, %{{.*}}) : (tensor<?x16xf32>, tensor<i32>) -> tensor<?x1x16xf32>
  // CHECK: %[[N:.*]] = "tfl.concatenation"(%{{.*}}, %{{.*}}) <{axis = 0 : i32, fused_activation_function = "NONE"}> : (tensor<1xi32>, tensor<1xi32>) -> tensor<2xi32>
  // CHECK: %[[S:.*]] = "tfl.rfft2d"(%[[ROWS]], %[[N]]) : (tensor<?x1x16xf32>, tensor<2xi32>) -> tensor<?x1x?xcomplex<f32>>
  // CHECK: "tfl.squeeze"(%[[S]]) <{squeeze_dims = [-2]}> : (tensor<?x1x?xcomplex<f32>>) -> tensor<?x?xcomplex<f32>>
  %0 = "tf.RFFT"(%x, %n) : (tensor<?x16xf32>, tensor<1xi32>) -> tensor<?x?xcomplex<f32>>
  func.return %0 : tensor<?x?xcomplex<f32>>
}

// -----

// CHECK-LABEL: func.func @parts
func.func @parts(%z: tensor<2x3xcomplex<f32>>, %w: tensor<4xcomplex<f64>>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xf64>, tensor<4xf64>) {
  // CHECK: "tfl.real"(%{{.*}}) : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  // CHECK: "tfl.imag"(%{{.*}}) : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  // CHECK: "tfl.real"(%{{.*}}) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  // CHECK: "tfl.complex_abs"(%{{.*}}) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  %0 = "tf.Real"(%z) {T = complex<f32>, Tout = f32} : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  %1 = "tf.Imag"(%z) {T = complex<f32>, Tout = f32} : (tensor<2x3xcomplex<f32>>) -> tensor<2x3xf32>
  %2 = "tf.Real"(%w) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  %3 = "tf.ComplexAbs"(%w) : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  func.return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xf64>, tensor<4xf64>
}

// -----

// TFLite's RFFT2D takes float32 signals and power-of-two lengths only: the report says so.
// REPORT: tflc-opt: error: 3 op(s) have no TFLite builtin lowering:
// REPORT-NEXT: tf.RFFT x1 (first at {{.*}}complex.mlir:[[# @LINE + 14]]:3)
// REPORT-NEXT: tf.RFFT2D x2 (first at {{.*}}complex.mlir:[[# @LINE + 9]]:3)
// REPORT-NEXT: fix: enable Select TF ops {{.*}}; TFLite's RFFT2D kernel takes float32 signals, tf.RFFT2D at {{.*}}complex.mlir:[[# @LINE + 8]]:3 has f64 (cast it); TFLite's RFFT2D kernel takes power-of-two FFT lengths, tf.RFFT2D at {{.*}}complex.mlir:[[# @LINE + 10]]:3 has [4, 12] (fft_length [4, 16] zero-pads the signal to the next ones); TFLite's RFFT2D kernel takes power-of-two FFT lengths, tf.RFFT at {{.*}}:[[# @LINE + 12]]:3 has [12] (fft_length [16] zero-pads the signal to the next ones)
// CHECK-LABEL: func.func @left_for_flex
func.func @left_for_flex(%x: tensor<10x20x10x30xf64>, %y: tensor<4x12xf32>, %n: tensor<2xi32>) -> (tensor<10x20x10x30xcomplex<f64>>, tensor<4x7xcomplex<f32>>, tensor<4x7xcomplex<f32>>) {
  // CHECK-NOT: tfl.rfft2d
  // CHECK: "tf.RFFT2D"
  // CHECK: "tf.RFFT2D"
  // CHECK: "tf.RFFT"
  // CHECK-NOT: tfl.rfft2d
  %0 = "tf.RFFT2D"(%x, %n) : (tensor<10x20x10x30xf64>, tensor<2xi32>) -> tensor<10x20x10x30xcomplex<f64>>
  %lengths = "tf.Const"() {value = dense<[4, 12]> : tensor<2xi32>} : () -> tensor<2xi32>
  %1 = "tf.RFFT2D"(%y, %lengths) : (tensor<4x12xf32>, tensor<2xi32>) -> tensor<4x7xcomplex<f32>>
  %length = "tf.Const"() {value = dense<12> : tensor<1xi32>} : () -> tensor<1xi32>
  %2 = "tf.RFFT"(%y, %length) : (tensor<4x12xf32>, tensor<1xi32>) -> tensor<4x7xcomplex<f32>>
  func.return %0, %1, %2 : tensor<10x20x10x30xcomplex<f64>>, tensor<4x7xcomplex<f32>>, tensor<4x7xcomplex<f32>>
}
