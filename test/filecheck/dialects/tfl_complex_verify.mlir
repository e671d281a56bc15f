// The complex ops check what TFLite's kernels take: complex64 -> f32 and complex128 -> f64
// parts of one shape; rfft2d of a float32 signal of rank >= 2 with two int32 lengths.
// RUN: tflc-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @part_type(%z: tensor<2xcomplex<f32>>) -> tensor<2xf64> {
  %0 = "tfl.real"(%z) : (tensor<2xcomplex<f32>>) -> tensor<2xf64>
  func.return %0 : tensor<2xf64>
}
// CHECK: tfl_complex_verify.mlir:[[# @LINE - 3]]:3: 'tfl.real' op the parts of complex64 numbers are f32, not f64

// -----

func.func @part_shape(%z: tensor<2xcomplex<f64>>) -> tensor<3xf64> {
  %0 = "tfl.complex_abs"(%z) : (tensor<2xcomplex<f64>>) -> tensor<3xf64>
  func.return %0 : tensor<3xf64>
}
// CHECK: tfl_complex_verify.mlir:[[# @LINE - 3]]:3: 'tfl.complex_abs' op result shape [3] differs from the operand's

// -----

func.func @part_of_real(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tfl.imag"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK: tfl_complex_verify.mlir:[[# @LINE - 3]]:3: 'tfl.imag' op operand 'input' at position 0: expected a tensor of complex128, complex64, got tensor<2xf32> (element kind f32)

// -----

func.func @rfft2d_f64(%x: tensor<4x8xf64>, %n: tensor<2xi32>) -> tensor<4x5xcomplex<f32>> {
  %0 = "tfl.rfft2d"(%x, %n) : (tensor<4x8xf64>, tensor<2xi32>) -> tensor<4x5xcomplex<f32>>
  func.return %0 : tensor<4x5xcomplex<f32>>
}
// CHECK: tfl_complex_verify.mlir:[[# @LINE - 3]]:3: 'tfl.rfft2d' op operand 'input' at position 0: expected a tensor of f32, got tensor<4x8xf64> (element kind f64)

// -----

func.func @rfft2d_lengths(%x: tensor<4x8xf32>, %n: tensor<3xi32>) -> tensor<4x5xcomplex<f32>> {
  %0 = "tfl.rfft2d"(%x, %n) : (tensor<4x8xf32>, tensor<3xi32>) -> tensor<4x5xcomplex<f32>>
  func.return %0 : tensor<4x5xcomplex<f32>>
}
// CHECK: tfl_complex_verify.mlir:[[# @LINE - 3]]:3: 'tfl.rfft2d' op fft_length must hold 2 lengths, got tensor<3xi32>

// -----

func.func @rfft2d_rank(%x: tensor<2x4x8xf32>, %n: tensor<2xi32>) -> tensor<4x5xcomplex<f32>> {
  %0 = "tfl.rfft2d"(%x, %n) : (tensor<2x4x8xf32>, tensor<2xi32>) -> tensor<4x5xcomplex<f32>>
  func.return %0 : tensor<4x5xcomplex<f32>>
}
// CHECK: tfl_complex_verify.mlir:[[# @LINE - 3]]:3: 'tfl.rfft2d' op result rank 2 differs from the input's
