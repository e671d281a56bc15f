

// CHECK-LABEL: func.func @convolution
// CHECK: %[[BIAS:.*]] = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<4xf32>}>
// CHECK-NEXT: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<5.000000e-01> : tensor<4x3x3x3xf32>}>
// CHECK-NEXT: "tfl.conv_2d"(%x, %[[W]], %[[BIAS]]) <{dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32}>
func.func @convolution(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x4xf32> {
  %w = "stablehlo.constant"() <{value = dense<0.5> : tensor<3x3x3x4xf32>}> : () -> tensor<3x3x3x4xf32>
  %0 = "stablehlo.convolution"(%x, %w) <{batch_group_count = 1 : i64, dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, feature_group_count = 1 : i64, padding = dense<1> : tensor<2x2xi4>}> : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x8x8x4xf32>
  func.return %0 : tensor<1x8x8x4xf32>
}
