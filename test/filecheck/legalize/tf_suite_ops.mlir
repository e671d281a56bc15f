// RUN: tflc-opt %s -p "legalize-tf{allow-unsupported=true}" --split-input-file | filecheck %s

// CHECK-LABEL: func.func @integer_math
func.func @integer_math(%x: tensor<4xi32>, %y: tensor<3x2xf32>, %dy: tensor<3x2xf32>, %u: tensor<5xui32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<3x2xf32>, tensor<5xui32>) {
  // CHECK: %[[ZERO:.*]] = "tfl.pseudo_const"() <{value = dense<0> : tensor<i32>}>
  // CHECK: "tfl.maximum"(%x, %[[ZERO]]) : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %0 = "tf.Relu"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  // CHECK: %[[ONE:.*]] = "tfl.pseudo_const"() <{value = dense<1> : tensor<i32>}>
  // CHECK: tfl.div(%[[ONE]], %x) <{fused_activation_function = "NONE"}>
  %1 = "tf.Reciprocal"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  // CHECK: %[[FONE:.*]] = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<f32>}>
  // CHECK: %[[SUB:.*]] = tfl.sub(%[[FONE]], %y) <{fused_activation_function = "NONE"}>
  // CHECK: %[[MUL:.*]] = tfl.mul %y, %[[SUB]]
  // CHECK: tfl.mul %dy, %[[MUL]]
  %2 = "tf.SigmoidGrad"(%y, %dy) : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  // CHECK: tfl.mul %u, %u {fused_activation_function = "NONE"} : tensor<5xui32>
  %3 = "tf.Mul"(%u, %u) : (tensor<5xui32>, tensor<5xui32>) -> tensor<5xui32>
  func.return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<3x2xf32>, tensor<5xui32>
}

// -----

// CHECK-LABEL: func.func @search
func.func @search(%x: tensor<6xf32>, %y: tensor<3x2xf32>, %z: tensor<2x7xf32>) -> (tensor<?xf32>, tensor<6xi64>, tensor<3x2xi32>, tensor<2x3xf32>, tensor<2x3xi32>) {
  // CHECK: "tfl.unique"(%x) : (tensor<6xf32>) -> (tensor<?xf32>, tensor<6xi64>)
  %0:2 = "tf.Unique"(%x) : (tensor<6xf32>) -> (tensor<?xf32>, tensor<6xi64>)
  // CHECK: "tfl.bucketize"(%y) <{boundaries = [0.000000e+00 : f32, 5.000000e-01 : f32]}> : (tensor<3x2xf32>) -> tensor<3x2xi32>
  %1 = "tf.Bucketize"(%y) {boundaries = [0.0 : f32, 0.5 : f32]} : (tensor<3x2xf32>) -> tensor<3x2xi32>
  // CHECK: %[[K:.*]] = "tfl.pseudo_const"() <{value = dense<3> : tensor<i32>}>
  // CHECK: "tfl.topk_v2"(%z, %[[K]]) : (tensor<2x7xf32>, tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
  %2:2 = "tf.ApproxTopK"(%z) {aggregate_to_topk = true, is_max_k = true, k = 3 : i64, recall_target = 0.9 : f32, reduction_dimension = -1 : i64, reduction_input_size_override = -1 : i64} : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
  func.return %0#0, %0#1, %1, %2#0, %2#1 : tensor<?xf32>, tensor<6xi64>, tensor<3x2xi32>, tensor<2x3xf32>, tensor<2x3xi32>
}

// -----

// The smallest k, or another dimension, is not a top-k: left for Flex.
// CHECK-LABEL: func.func @approx_min_k
func.func @approx_min_k(%z: tensor<2x7xf32>) -> tensor<2x3xf32> {
  // CHECK: "tf.ApproxTopK"
  %0:2 = "tf.ApproxTopK"(%z) {is_max_k = false, k = 3 : i64, reduction_dimension = 1 : i64} : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
  func.return %0#0 : tensor<2x3xf32>
}

// -----

// Without padding, TFLite's padded outputs are sliced to the valid count.
// CHECK-LABEL: func.func @nms
func.func @nms(%b: tensor<6x4xf32>, %s: tensor<6xf32>, %m: tensor<i32>, %iou: tensor<f32>, %t: tensor<f32>) -> (tensor<?xi32>, tensor<i32>, tensor<4xi32>) {
  // CHECK: %[[SEL:.*]], %[[VALID:.*]] = "tfl.non_max_suppression_v4"(%b, %s, %m, %iou, %t) : (tensor<6x4xf32>, tensor<6xf32>, tensor<i32>, tensor<f32>, tensor<f32>) -> (tensor<?xi32>, tensor<i32>)
  // CHECK: %[[COUNT:.*]] = "tfl.reshape"(%[[VALID]], %{{.*}}) : (tensor<i32>, tensor<1xi32>) -> tensor<1xi32>
  // CHECK: "tfl.slice"(%[[SEL]], %{{.*}}, %[[COUNT]]) : (tensor<?xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<?xi32>
  %0:2 = "tf.NonMaxSuppressionV4"(%b, %s, %m, %iou, %t) {pad_to_max_output_size = false} : (tensor<6x4xf32>, tensor<6xf32>, tensor<i32>, tensor<f32>, tensor<f32>) -> (tensor<?xi32>, tensor<i32>)
  // CHECK: "tfl.non_max_suppression_v4"(%b, %s, %{{.*}}, %iou, %t) : (tensor<6x4xf32>, tensor<6xf32>, tensor<i32>, tensor<f32>, tensor<f32>) -> (tensor<4xi32>, tensor<i32>)
  // CHECK-NOT: tfl.slice
  %four = "tf.Const"() {value = dense<4> : tensor<i32>} : () -> tensor<i32>
  %1:2 = "tf.NonMaxSuppressionV4"(%b, %s, %four, %iou, %t) {pad_to_max_output_size = true} : (tensor<6x4xf32>, tensor<6xf32>, tensor<i32>, tensor<f32>, tensor<f32>) -> (tensor<4xi32>, tensor<i32>)
  func.return %0#0, %0#1, %1#0 : tensor<?xi32>, tensor<i32>, tensor<4xi32>
}

// -----

// Masks with runtime begin/end go to the kernel; NCHW pools run between transposes.
// CHECK-LABEL: func.func @masks_and_layouts
func.func @masks_and_layouts(%x: tensor<2x3x6xf32>, %b: tensor<2xi32>, %e: tensor<2xi32>, %s: tensor<2xi32>, %img: tensor<1x3x7x5xf32>) -> (tensor<2x3x4xf32>, tensor<1x3x3x4xf32>) {
  // CHECK: "tfl.strided_slice"(%x, %b, %e, %s) <{{.*}}ellipsis_mask = 1 : i32
  %0 = "tf.StridedSlice"(%x, %b, %e, %s) {begin_mask = 0 : i64, ellipsis_mask = 1 : i64, end_mask = 0 : i64, new_axis_mask = 0 : i64, shrink_axis_mask = 0 : i64} : (tensor<2x3x6xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3x4xf32>
  // CHECK: %[[NHWC:.*]] = "tfl.transpose"(%img, %{{.*}}) : (tensor<1x3x7x5xf32>, tensor<4xi32>) -> tensor<1x7x5x3xf32>
  // CHECK: %[[POOL:.*]] = "tfl.max_pool_2d"(%[[NHWC]]) <{filter_height = 3 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 1 : i32}> : (tensor<1x7x5x3xf32>) -> tensor<1x3x4x3xf32>
  // CHECK: "tfl.transpose"(%[[POOL]], %{{.*}}) : (tensor<1x3x4x3xf32>, tensor<4xi32>) -> tensor<1x3x3x4xf32>
  %1 = "tf.MaxPool"(%img) {data_format = "NCHW", ksize = [1, 1, 3, 2], padding = "VALID", strides = [1, 1, 2, 1]} : (tensor<1x3x7x5xf32>) -> tensor<1x3x3x4xf32>
  func.return %0, %1 : tensor<2x3x4xf32>, tensor<1x3x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @conv3d_transpose
func.func @conv3d_transpose(%x: tensor<1x3x3x4x2xf32>, %w: tensor<2x2x3x3x2xf32>, %sizes: tensor<5xi64>) -> tensor<?x?x?x?x?xf32> {
  // CHECK: %[[NONE:.*]] = "tfl.no_value"() <{value}> : () -> none
  // CHECK: %[[SIZES:.*]] = "tfl.cast"(%sizes) : (tensor<5xi64>) -> tensor<5xi32>
  // CHECK: "tfl.conv_3d_transpose"(%[[SIZES]], %w, %x, %[[NONE]]) <{{.*}}padding = "SAME"{{.*}}stride_d = 2 : i32
  %0 = "tf.Conv3DBackpropInputV2"(%sizes, %w, %x) {data_format = "NDHWC", dilations = [1, 1, 1, 1, 1], padding = "SAME", strides = [1, 2, 2, 2, 1]} : (tensor<5xi64>, tensor<2x2x3x3x2xf32>, tensor<1x3x3x4x2xf32>) -> tensor<?x?x?x?x?xf32>
  func.return %0 : tensor<?x?x?x?x?xf32>
}
