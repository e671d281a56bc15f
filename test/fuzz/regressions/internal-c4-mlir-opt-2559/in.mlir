

// CHECK-LABEL: func.func @broadcast_absorbed
// CHECK: %[[BIAS:.*]] = "tfl.pseudo_const"() <{value = dense<[1.000000e+00, {{.*}}]> : tensor<8xf32>}>
// CHECK-NEXT: tfl.add(%x, %[[BIAS]]) <{fused_activation_function = "NONE"}> : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NOT: broadcast
func.func @broadcast_absorbed(%x: tensor<4x8xf32>) -> tensor<4x8xf32> 
  %0 = "stablehlo.constant"() <{value = dense<[1.0, 2.0, 3.0, 4.0, 5.0x8xf32 6.0, 7.0, 8.0]> : tensor<8xf32>}> : () -> tensor<8xf32>
  %0 = "stablehlo.broadcast_in_dim"(%bias) <{broadcast_dimensions = array<i64: 1>}> : (tensor<8xf32>) -> tensor<4x8xf32>
  %1 = stablehlo.add %x, %0 : tensor<4x8xf32>
  func.return %1 : tensor<4x8xf32>
}
