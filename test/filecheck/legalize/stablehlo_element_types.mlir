// RUN: not tflc-opt %s -p legalize-stablehlo 2>&1 | filecheck %s
// StableHLO element types tflc does not lower (i4, the f8 types) are refused up front,
// naming the op and its location, before any lowering reads them.

// CHECK: tflc-opt: error: {{.*}}stablehlo_element_types.mlir:8:3: 'stablehlo.convert' computes on f8E4M3FN, an element type tflc does not lower to TFLite; fix: convert to f32, f16 or a 8- to 64-bit integer first
func.func @f(%a: tensor<3xf32>) -> tensor<3xf32> {
  %0 = stablehlo.add %a, %a : tensor<3xf32>
  %1 = "stablehlo.convert"(%0) : (tensor<3xf32>) -> tensor<3xf8E4M3FN>
  %2 = "stablehlo.convert"(%1) : (tensor<3xf8E4M3FN>) -> tensor<3xf32>
  func.return %2 : tensor<3xf32>
}
