// RUN: not tflc-opt %s -p legalize-stablehlo 2>&1 | filecheck %s
// A scatter that sets values at indices not known to be unique has no TFLite lowering. The
// pattern declines before building anything (for ui32 indices it would build a cast), so
// the rewrite ends and the scatter is reported.

// CHECK: tflc-opt: error: 2 op(s) have no TFLite builtin lowering:
// CHECK-NEXT: stablehlo.return x1
// CHECK-NEXT: stablehlo.scatter x1 (first at {{.*}}stablehlo_scatter_declined.mlir:10:3)
func.func @set_at_unknown_indices(%t: tensor<5x4xf32>, %idx: tensor<3x1xui32>, %upd: tensor<3x4xf32>) -> tensor<5x4xf32> {
  %0 = "stablehlo.scatter"(%t, %idx, %upd) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    "stablehlo.return"(%b) : (tensor<f32>) -> ()
  }) : (tensor<5x4xf32>, tensor<3x1xui32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  func.return %0 : tensor<5x4xf32>
}
