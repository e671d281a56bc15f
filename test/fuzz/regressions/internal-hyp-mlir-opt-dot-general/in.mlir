

// CHECK-LABEL: func.func @dot_general
// CHECK: "tfl.batch_matmul"(%a, %b) <{adj_x = false, adj_y = false}> : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK: "tfl.batch_matmul"(%x, %w) {{.*}} : (tensor<3x4xf32>, tensor<4x6xf32>) -> tensor<3x6xf32>
func.func @dot_general(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %x: tensor<3x4xf32>) -> (tensor<2x3x5xf32>, tensor<3x6xf32>) {
  %0 = "stablehlo.dot_general"(%a, %b) <{dot_dimension_numbers = #stablehlo.dot<lhs_batching_dimensions = [3], rhs_batching_dimensions = [0], lhs_contracting_dimensions = [2], rhs_contracting_dimensions = [1]>}> : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %w = "stablehlo.constant"() <{value = dense<0.5> : tensor<4x6xf32>}> : () -> tensor<4x6xf32>
  %1 = "stablehlo.dot_general"(%x, %w) <{dot_dimension_numbers = #stablehlo.dot<lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [0]>}> : (tensor<3x4xf32>, tensor<4x6xf32>) -> tensor<3x6xf32>
  func.return %0, %1 : tensor<2x3x5xf32>, tensor<3x6xf32>
}
