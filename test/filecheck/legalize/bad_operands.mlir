// RUN: tflc-opt %s --split-input-file --verify-diagnostics -p legalize-tf | filecheck %s
// Operands TFLite cannot take as given: int32 values (k of a top-k, segment counts) that do not fit int32 are
// refused, naming the op, instead of wrapping around.

// CHECK: bad_operands.mlir:[[# @LINE + 2]]:3: 'tf.ApproxTopK' needs int32 values here (TFLite's type for shapes, axes and sizes), got 9223372036854775807
func.func @approx_top_k(%z: tensor<2x7xf32>) -> tensor<2x3xf32> {
  %0:2 = "tf.ApproxTopK"(%z) {aggregate_to_topk = true, is_max_k = true, k = 9223372036854775807 : i64, recall_target = 0.9 : f32, reduction_dimension = -1 : i64, reduction_input_size_override = -1 : i64} : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
  func.return %0#0 : tensor<2x3xf32>
}

// -----

// CHECK: bad_operands.mlir:[[# @LINE + 3]]:3: 'tf.SegmentSum' needs int32 values here (TFLite's type for shapes, axes and sizes), got 2147483648
func.func @segment_count(%x: tensor<3xf32>) -> tensor<?xf32> {
  %ids = "tf.Const"() {value = dense<[0, 1, 2147483647]> : tensor<3xi64>} : () -> tensor<3xi64>
  %0 = "tf.SegmentSum"(%x, %ids) : (tensor<3xf32>, tensor<3xi64>) -> tensor<?xf32>
  func.return %0 : tensor<?xf32>
}

// -----

// A strided slice with a stride of 0 is refused as TensorFlow refuses it.
// CHECK: bad_operands.mlir:[[# @LINE + 5]]:3: 'tf.StridedSlice' has a stride of 0 (strides [0, 0, 0]); TensorFlow refuses it too
func.func @stride_zero(%x: tensor<2x3x4xf32>) -> tensor<2x3x1x2xf32> {
  %b = "tf.Const"() {value = dense<[0, 0, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
  %e = "tf.Const"() {value = dense<[0, 0, 3]> : tensor<3xi32>} : () -> tensor<3xi32>
  %s = "tf.Const"() {value = dense<[0, 0, 0]> : tensor<3xi32>} : () -> tensor<3xi32>
  %0 = "tf.StridedSlice"(%x, %b, %e, %s) {begin_mask = 0 : i64, ellipsis_mask = 1 : i64, end_mask = 0 : i64, new_axis_mask = 0 : i64, shrink_axis_mask = 0 : i64} : (tensor<2x3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<2x3x1x2xf32>
  func.return %0 : tensor<2x3x1x2xf32>
}
