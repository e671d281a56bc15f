

// Convolution filters are quantized per output channel (axis 0), depthwise filters on axis 3.
// DR-LABEL: func.func @conv
// DR: "tfl.pseudo_qconst"() <{qtype = tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.015748031,0.031496063}>>
// DR: "tfl.conv_2d"
// DR: "tfl.pseudo_qconst"() <{qtype = tensor<1x1x2x2x!quant.uniform<i8<-127:127>:f32:3, {0.023622047,0.031496063}>>
// DR: "tfl.depthwise_conv_2d"
func.func @conv(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<[[[[1.0, -2.0]]], [[[4.0, 0.5]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %d = "tfl.pseudo_const"() <{value = dense<[[[[3.0, -1.0], [1.0, 4.0]]]]> : tensor<1x1x2x2xf32>}> : () -> tensor<1x1x2x2xf32>
  %none = "tfl.no_value"() <{value}> : () -> none
  %0 = "tfl.conv_2d"(%x, %w, %none) <{padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE"}> : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, none) -> tensor<1x4x4x2xf32>
  %1 = "tfl.depthwise_conv_2d"(%0, %d, %none) <{padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, depth_multiplier = 1 : i32, fused_activation_function = "NONE"}> : (tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>, none) -> tensor<1x4x4x2xf32>
  func.return %1 : tensor<1x4x4x2xf32>
}