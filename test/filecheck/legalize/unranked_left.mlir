// A strided slice with an ellipsis needs the rank: left alone, and reported as unranked.
// RUN: not tflc-opt %s -p legalize-tf 2>&1 | filecheck %s

// CHECK: tflc-opt: error: 1 op(s) have unranked tensors and were left alone:
// CHECK-NEXT: tf.StridedSlice x1 (first at {{.*}}unranked_left.mlir:[[# @LINE + 2]]:3)
func.func @ellipsis(%x: tensor<*xf32>, %b: tensor<1xi32>) -> tensor<*xf32> {
  %0 = "tf.StridedSlice"(%x, %b, %b, %b) {begin_mask = 0 : i64, ellipsis_mask = 1 : i64, end_mask = 0 : i64, new_axis_mask = 0 : i64, shrink_axis_mask = 0 : i64} : (tensor<*xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}
