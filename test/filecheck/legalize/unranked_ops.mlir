// RUN: tflc-opt %s -p legalize-tf --split-input-file | filecheck %s

// Ops whose kernels need no rank lower on unranked tensors (int64 index operands cast).
// CHECK-LABEL: func.func @reshape_rank_topk
func.func @reshape_rank_topk(%x: tensor<*xf32>, %shape: tensor<*xi64>) -> (tensor<*xf32>, tensor<i32>, tensor<*xf32>, tensor<*xi32>) {
  // CHECK: %[[SHAPE:.*]] = "tfl.cast"(%shape) : (tensor<*xi64>) -> tensor<*xi32>
  // CHECK: "tfl.reshape"(%x, %[[SHAPE]]) : (tensor<*xf32>, tensor<*xi32>) -> tensor<*xf32>
  %0 = "tf.Reshape"(%x, %shape) : (tensor<*xf32>, tensor<*xi64>) -> tensor<*xf32>
  // CHECK: "tfl.rank"(%x) : (tensor<*xf32>) -> tensor<i32>
  %1 = "tf.Rank"(%x) : (tensor<*xf32>) -> tensor<i32>
  %k = "tf.Const"() {value = dense<2> : tensor<i32>} : () -> tensor<i32>
  // CHECK: "tfl.topk_v2"(%x, %{{.*}}) : (tensor<*xf32>, tensor<i32>) -> (tensor<*xf32>, tensor<*xi32>)
  %2:2 = "tf.TopKV2"(%x, %k) : (tensor<*xf32>, tensor<i32>) -> (tensor<*xf32>, tensor<*xi32>)
  func.return %0, %1, %2#0, %2#1 : tensor<*xf32>, tensor<i32>, tensor<*xf32>, tensor<*xi32>
}

// -----

// CHECK-LABEL: func.func @slice_mul_one_hot
func.func @slice_mul_one_hot(%x: tensor<*xf32>, %b: tensor<1xi32>, %y: tensor<?x3xf32>, %i: tensor<3xi32>, %d: tensor<i32>, %on: tensor<f32>, %off: tensor<f32>) -> (tensor<*xf32>, tensor<?x3xf32>, tensor<*xf32>) {
  // CHECK: "tfl.strided_slice"(%x, %b, %b, %b) <{{.*}}end_mask = 1 : i32{{.*}}> : (tensor<*xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<*xf32>
  %0 = "tf.StridedSlice"(%x, %b, %b, %b) {begin_mask = 0 : i64, ellipsis_mask = 0 : i64, end_mask = 1 : i64, new_axis_mask = 0 : i64, shrink_axis_mask = 0 : i64} : (tensor<*xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<*xf32>
  // CHECK: tfl.mul(%x, %y) <{fused_activation_function = "NONE"}> : (tensor<*xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  %1 = "tf.Mul"(%x, %y) : (tensor<*xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  // CHECK: "tfl.one_hot"(%i, %d, %on, %off) <{axis = -1 : i32}> : (tensor<3xi32>, tensor<i32>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  %2 = "tf.OneHot"(%i, %d, %on, %off) {axis = -1 : i64} : (tensor<3xi32>, tensor<i32>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  func.return %0, %1, %2 : tensor<*xf32>, tensor<?x3xf32>, tensor<*xf32>
}
