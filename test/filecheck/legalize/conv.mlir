// RUN: tflc-opt %s -p legalize-tf{allow-unsupported=true} --split-input-file | filecheck %s

// CHECK-LABEL: func.func @conv2d
// CHECK: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<2x3x3x3xf32>}>
// CHECK-NEXT: %[[B:.*]] = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<2xf32>}>
// CHECK-NEXT: "tfl.conv_2d"(%{{.*}}, %[[W]], %[[B]]) <{dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32}> : (tensor<1x8x8x3xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
func.func @conv2d(%x: tensor<1x8x8x3xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tf.Const"() {value = dense<1.0> : tensor<3x3x3x2xf32>} : () -> tensor<3x3x3x2xf32>
  %0 = "tf.Conv2D"(%x, %w) {T = f32, data_format = "NHWC", dilations = [1, 1, 1, 1], padding = "SAME", strides = [1, 2, 2, 1]} : (tensor<1x8x8x3xf32>, tensor<3x3x3x2xf32>) -> tensor<1x4x4x2xf32>
  func.return %0 : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @conv2d_explicit
// CHECK: %[[PADS:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}0, 0], [2, 2], [1, 1], [0, 0]]> : tensor<4x2xi32>}>
// CHECK-NEXT: %[[PADDED:.*]] = "tfl.pad"(%x, %[[PADS]]) : (tensor<1x8x8x3xf32>, tensor<4x2xi32>) -> tensor<1x12x10x3xf32>
// CHECK-NEXT: %[[PERM:.*]] = "tfl.pseudo_const"() <{value = dense<[3, 0, 1, 2]> : tensor<4xi32>}>
// CHECK-NEXT: %[[W:.*]] = "tfl.transpose"(%w, %[[PERM]]) : (tensor<3x3x3x2xf32>, tensor<4xi32>) -> tensor<2x3x3x3xf32>
// CHECK: "tfl.conv_2d"(%[[PADDED]], %[[W]], %{{.*}}) <{{{.*}}padding = "VALID"
// CHECK: "tfl.max_pool_2d"(%{{.*}}) <{filter_height = 2 : i32, filter_width = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32}>
func.func @conv2d_explicit(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x2xf32>) -> tensor<1x9x8x2xf32> {
  %0 = "tf.Conv2D"(%x, %w) {T = f32, data_format = "NHWC", dilations = [1, 1, 1, 1], padding = "EXPLICIT", explicit_paddings = [0, 0, 2, 2, 1, 1, 0, 0], strides = [1, 1, 1, 1]} : (tensor<1x8x8x3xf32>, tensor<3x3x3x2xf32>) -> tensor<1x10x8x2xf32>
  %1 = "tf.MaxPool"(%0) {T = f32, data_format = "NHWC", ksize = [1, 2, 1, 1], padding = "VALID", strides = [1, 1, 1, 1]} : (tensor<1x10x8x2xf32>) -> tensor<1x9x8x2xf32>
  func.return %1 : tensor<1x9x8x2xf32>
}

// -----

// CHECK-LABEL: func.func @depthwise
// CHECK: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<1x3x3x6xf32>}>
// CHECK: "tfl.depthwise_conv_2d"(%x, %[[W]], %{{.*}}) <{depth_multiplier = 2 : i32, dilation_h_factor = 2 : i32, dilation_w_factor = 2 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32}> : (tensor<1x8x8x3xf32>, tensor<1x3x3x6xf32>, tensor<6xf32>) -> tensor<1x8x8x6xf32>
func.func @depthwise(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x6xf32> {
  %w = "tf.Const"() {value = dense<1.0> : tensor<3x3x3x2xf32>} : () -> tensor<3x3x3x2xf32>
  %0 = "tf.DepthwiseConv2dNative"(%x, %w) {T = f32, data_format = "NHWC", dilations = [1, 2, 2, 1], padding = "SAME", strides = [1, 1, 1, 1]} : (tensor<1x8x8x3xf32>, tensor<3x3x3x2xf32>) -> tensor<1x8x8x6xf32>
  func.return %0 : tensor<1x8x8x6xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_conv
// CHECK: %[[PERM:.*]] = "tfl.pseudo_const"() <{value = dense<[2, 0, 1, 3]> : tensor<4xi32>}>
// CHECK-NEXT: %[[W:.*]] = "tfl.transpose"(%w, %[[PERM]]) : (tensor<3x3x2x3xf32>, tensor<4xi32>) -> tensor<2x3x3x3xf32>
// CHECK-NEXT: %[[NONE:.*]] = "tfl.no_value"()
// CHECK-NEXT: "tfl.transpose_conv"(%s, %[[W]], %x, %[[NONE]]) <{fused_activation_function = "NONE", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32}>
func.func @transpose_conv(%x: tensor<1x4x4x3xf32>, %w: tensor<3x3x2x3xf32>) -> tensor<1x8x8x2xf32> {
  %s = "tf.Const"() {value = dense<[1, 8, 8, 2]> : tensor<4xi32>} : () -> tensor<4xi32>
  %0 = "tf.Conv2DBackpropInput"(%s, %w, %x) {T = f32, data_format = "NHWC", dilations = [1, 1, 1, 1], padding = "SAME", strides = [1, 2, 2, 1]} : (tensor<4xi32>, tensor<3x3x2x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x8x8x2xf32>
  func.return %0 : tensor<1x8x8x2xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm
// (x - mean) * scale / sqrt(var) + offset = x * [1, 1] + [0.5, -2]
// CHECK: %[[MUL:.*]] = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<2xf32>}>
// CHECK-NEXT: %[[ADD:.*]] = "tfl.pseudo_const"() <{value = dense<[5.000000e-01, -2.000000e+00]> : tensor<2xf32>}>
// CHECK-NEXT: %[[Y:.*]] = tfl.mul(%x, %[[MUL]])
// CHECK-NEXT: tfl.add(%[[Y]], %[[ADD]])
// CHECK-NOT: tf.FusedBatchNormV3
func.func @batch_norm(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %scale = "tf.Const"() {value = dense<[2.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %offset = "tf.Const"() {value = dense<[1.0, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %mean = "tf.Const"() {value = dense<[0.5, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %var = "tf.Const"() {value = dense<[4.0, 16.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y, %m, %v, %r1, %r2, %r3 = "tf.FusedBatchNormV3"(%x, %scale, %offset, %mean, %var) {T = f32, U = f32, data_format = "NHWC", epsilon = 0.0 : f32, is_training = false} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<*xf32>)
  func.return %y : tensor<1x2x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @training_batch_norm_stays
// Training-mode batch norm is left for the unsupported-ops report.
// CHECK: "tf.FusedBatchNormV3"
func.func @training_batch_norm_stays(%x: tensor<1x2x2x2xf32>, %s: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %y, %m, %v, %r1, %r2, %r3 = "tf.FusedBatchNormV3"(%x, %s, %s, %s, %s) {T = f32, U = f32, data_format = "NHWC", epsilon = 0.001 : f32, is_training = true} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<*xf32>)
  func.return %y : tensor<1x2x2x2xf32>
}
