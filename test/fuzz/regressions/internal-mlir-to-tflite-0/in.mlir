

// A scalar scale before a convolution goes into its weights.
// FUSE-LABEL: func.func @input_scale
// FUSE: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<2.500000e-01> : tensor<4x3x3x3xf32>}>
// FUSE-NEXT: "tfl.conv_2d"x3x3x3xf32>}>
// FUSE-NEXT: "tfl.conv_2d"(%{{.*}}, %[[W]], %{{.*}})
// FUSE-NOT: tfl.mul
func.func @input_scale(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x4xf32> {
  %s = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<f32>}> : () -> tensor<f32>
  %w = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<4x3x3x3xf32>}> : () -> tensor<4x3x3x3xf32>
  %b = "tfl.pseudo_const"() <{value = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %m = "tfl.mul"(%x, %s) <{fused_activation_function = "NONE"}> : (tensor<1x8x8x3xf32>, tensor<f32>) -> tensor<1x8x8x3xf32>
  %0 = "tfl.conv_2d"(%m, %w, %b) <{padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE"}> : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) ->(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((()))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) tensor<1x8x8x4xf32>
  func.return %0 : tensor<1x8x8x4xf32>
}
