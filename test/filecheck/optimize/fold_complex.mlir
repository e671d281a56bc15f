// The complex ops fold on constants: parts and magnitudes elementwise, rfft2d as numpy's
// rfft2 (cropped or zero-padded to the lengths).
// RUN: tflc-opt %s -p tfl-fold-constants | filecheck %s

// CHECK-LABEL: func.func @parts
func.func @parts() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf64>) {
  // CHECK-DAG: dense<[3.000000e+00, -1.000000e+00]> : tensor<2xf32>
  // CHECK-DAG: dense<[4.000000e+00, 0.000000e+00]> : tensor<2xf32>
  // CHECK-DAG: dense<[5.000000e+00, 1.000000e+00]> : tensor<2xf64>
  // CHECK-NOT: tfl.real
  // CHECK-NOT: tfl.imag
  // CHECK-NOT: tfl.complex_abs
  %z = "tfl.pseudo_const"() <{value = dense<[(3.0, 4.0), (-1.0, 0.0)]> : tensor<2xcomplex<f32>>}> : () -> tensor<2xcomplex<f32>>
  %w = "tfl.pseudo_const"() <{value = dense<[(3.0, -4.0), (0.0, 1.0)]> : tensor<2xcomplex<f64>>}> : () -> tensor<2xcomplex<f64>>
  %0 = "tfl.real"(%z) : (tensor<2xcomplex<f32>>) -> tensor<2xf32>
  %1 = "tfl.imag"(%z) : (tensor<2xcomplex<f32>>) -> tensor<2xf32>
  %2 = "tfl.complex_abs"(%w) : (tensor<2xcomplex<f64>>) -> tensor<2xf64>
  func.return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf64>
}

// CHECK-LABEL: func.func @spectrum
func.func @spectrum() -> tensor<1x3xcomplex<f32>> {
  // [1, 2, 3] zero-padded to 4 samples: bins 6, -2 - 2i and 2.
  // CHECK: dense<{{\[\[}}(6.000000e+00,0.000000e+00), (-2.000000e+00,-2.000000e+00), (2.000000e+00,0.000000e+00)]]> : tensor<1x3xcomplex<f32>>
  // CHECK-NOT: tfl.rfft2d
  %x = "tfl.pseudo_const"() <{value = dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>}> : () -> tensor<1x3xf32>
  %n = "tfl.pseudo_const"() <{value = dense<[1, 4]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = "tfl.rfft2d"(%x, %n) : (tensor<1x3xf32>, tensor<2xi32>) -> tensor<1x3xcomplex<f32>>
  func.return %0 : tensor<1x3xcomplex<f32>>
}

// An RFFT2D of 2^31 x 2^31 points is not folded (the constant would be exabytes).
// CHECK-LABEL: func.func @huge_lengths
// CHECK: tfl.rfft2d
func.func @huge_lengths() -> tensor<1x3xcomplex<f32>> {
  %x = "tfl.pseudo_const"() <{value = dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>}> : () -> tensor<1x3xf32>
  %n = "tfl.pseudo_const"() <{value = dense<[2147483647, 2147483647]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = "tfl.rfft2d"(%x, %n) : (tensor<1x3xf32>, tensor<2xi32>) -> tensor<1x3xcomplex<f32>>
  func.return %0 : tensor<1x3xcomplex<f32>>
}
