// RUN: tflc-opt %s | filecheck %s
// RUN: tflc-opt %s | tflc-opt | filecheck %s

// Large splats (as TF's tests write big filters) parse packed once and print as splats;
// bf16 and complex splats keep their values through a round trip.

// CHECK: dense<1.500000e+00> : tensor<4096x1024xbf16>
// CHECK: dense<[4, 1024, 4096]> : tensor<3xi32>
// CHECK: dense<true> : tensor<5000xi1>
// CHECK: dense<(1.000000e+00,2.000000e+00)> : tensor<8000xcomplex<f32>>
// CHECK: dense<2.000000e+00> : tensor<2xf32>
func.func @f() -> (tensor<4096x1024xbf16>, tensor<3xi32>, tensor<5000xi1>, tensor<8000xcomplex<f32>>, tensor<2xf32>) {
  %0 = "tfl.pseudo_const"() {value = dense<1.5> : tensor<4096x1024xbf16>} : () -> tensor<4096x1024xbf16>
  %1 = "tfl.pseudo_const"() {value = dense<[4, 1024, 4096]> : tensor<3xi32>} : () -> tensor<3xi32>
  %2 = "tfl.pseudo_const"() {value = dense<true> : tensor<5000xi1>} : () -> tensor<5000xi1>
  %3 = "tfl.pseudo_const"() {value = dense<(1.0, 2.0)> : tensor<8000xcomplex<f32>>} : () -> tensor<8000xcomplex<f32>>
  %4 = "tfl.pseudo_const"() {value = dense<2.0> : tensor<2xf32>} : () -> tensor<2xf32>
  func.return %0, %1, %2, %3, %4 : tensor<4096x1024xbf16>, tensor<3xi32>, tensor<5000xi1>, tensor<8000xcomplex<f32>>, tensor<2xf32>
}
