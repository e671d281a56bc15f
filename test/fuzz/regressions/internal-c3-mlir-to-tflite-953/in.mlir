

// CHECK-LABEL: func.func @dynamic_broadcast
// CHECK: %[[SHAPE:.*]] = "tfl.shape"(%x) : (tensor<?x8xf32>) -> tensor<2xi32>
// CHECK: "tfl.slice"(%[[SHAPE]]
// CHECK: %[[DIMS:.*]] = "tfl.concatenation"
// CHECK-NEXT: %[[B:.*]] = "tfl.broadcast_to"(%v, %[[DIMS]]) : (tensor<8xf32>, tensor<2xi32>) -> tensor<?x8xf32>
// CHECK-NEXT: "tfl.mul"(%v, %[[B]])
func.func @dynamic_broadcast(%x: tensor<?x8xf32>, %v: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = "stablehlo.get_dimension_size"(%x) <{dimension = 2147483648 : i64}> : (tensor<?x8xf32>) -> tensor<i32>
  %1 = "stablehlo.reshape"(%0) : (tensor<i32>) -> tensor<1xi32>
  %c = "stablehlo.constant"() <{value = dense<8> : tensor<1xi32>}> : () -> tensor<1xi32>
  %2 = "stablehlo.concatenate"(%1, %c) <{dimension = 0 : i64}> : (tensor<1xi32>, tensor<1xi32>) -> tensor<2xi32>
  %3 = "stablehlo.dynamic_broadcast_in_dim"(%v, %2) <{broadcast_dimensions = array<i64: 1>}> : (tensor<8xf32>, tensor<2xi32>) -> tensor<?x8xf32>
  %4 = "stablehlo.multiply"(%3, %3) : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  func.return %4 : tensor<?x8xf32>
}
