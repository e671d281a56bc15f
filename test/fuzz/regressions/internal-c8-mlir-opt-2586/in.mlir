

// CHECK-LABEL: func.func @reductions
// CHECK: %[[AXES:.*]] = "tfl.pseudo_const"() <{value = dense<[1, 2]> : tensor<2xi32>}>
// CHECK-NEXT: "tfl.sum"(%x, %[[AXES]]) <{keep_dims = false}> : (tensor<2x8x8x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
// CHECK-NEXT: "tfl.max_pool_2d"(%x) <{filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h dense<1.0e+300> : tensor<f32>= 2 : i32, stride_w = 2 : i32}>
// CHECK-NEXT: "tfl.average_pool_2d"(%x) <{filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32}>
// CHECK-NOT: tfl.mul
// CHECK-NOT: tfl.div
func.func @reductions(%x: tensor<2x8x8x3xf32>) -> (tensor<2x3xf32>, tensor<2x4x4x3xf32>, tensor<2x4x4x3xf32>) {
  %zero = "stablehlo.constant"() <{value = dense<0.0> : tensor<f32>}> : () -> tensor<f32>
  %ninf = "stablehlo.constant"() <{value = dense<0xFF800000> : tensor<f32>}> : () -> tensor<f32>
  %0 = "stablehlo.reduce"(%x, %zero) <{dimensions = array<i64: 1, 2>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = "stablehlo.reduce_window"(%x, %ninf) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2,  1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.maximum %a, %b : tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x4x4x3xf32>
  %2 = "stablehlo.reduce_window"(%x, %zero) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x4x4x3xf32>
  %four = "stablehlo.constant"() <{value = dense<4.0> : tensor<2x4x4x3xf32>}> : () -> tensor<2x4x4x3xf32>
  %3 = stablehlo.divide %2, %four : tensor<2x4x4x3xf32>
  func.return %0, %1, %3 : tensor<2x3xf32>, tensor<2x4x4x3xf32>, tensor<2x4x4x3xf32>
}
