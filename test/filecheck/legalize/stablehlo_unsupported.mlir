// RUN: not tflc-opt %s -p legalize-stablehlo 2>&1 | filecheck %s
// stablehlo ops without a TFLite lowering are reported once, grouped, with their location.

// CHECK: tflc-opt: error: 2 op(s) have no TFLite builtin lowering:
// CHECK-NEXT: stablehlo.reduce_precision x1 (first at {{.*}}stablehlo_unsupported.mlir:11:{{[0-9]+}})
// CHECK-NEXT: stablehlo.shift_left x1 (first at {{.*}}stablehlo_unsupported.mlir:12:{{[0-9]+}})
// CHECK-NEXT: fix: express the computation with ops tflc lowers
func.func @f(%a: tensor<3xf32>, %b: tensor<3xf32>, %n: tensor<3xi32>) -> (tensor<3xf32>, tensor<3xi32>) {
  %0 = stablehlo.add %a, %b : tensor<3xf32>
  %1 = "stablehlo.cbrt"(%0) : (tensor<3xf32>) -> tensor<3xf32>
  %2 = "stablehlo.reduce_precision"(%1) <{exponent_bits = 5 : i32, mantissa_bits = 10 : i32}> : (tensor<3xf32>) -> tensor<3xf32>
  %3 = "stablehlo.shift_left"(%n, %n) : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  func.return %2, %3 : tensor<3xf32>, tensor<3xi32>
}
