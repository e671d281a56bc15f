
// Splats stay one element through folding and fusion (10^15 and 2^28 elements here: the
// optimizer never expands them); translate/size_limit.mlir exports them.

// CHECK-LABEL: func.func @petabyte
// CHECK-NEXT: %[[C:.*]] = "tfl.pseudo_const"() <{value = dense<3.000000e+00> : tensor<100000x100000x100000xf32>}>
// CHECK-NEXT: %[[R:.*]] = tfl.add %x, %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @petabyte(%x: tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32> {
  %a = "tfl.pseudo_const"() <{value = dense<1.5> : tensor<100000x100000x100000xf32>}> : () -> tensor<100000x100000x100000xf32>
  %b = "tfl.pseudo_const"() <{value = dense<2.0> : tensor<100000x100000x100000xf32>}> : () -> tensor<100000x100000x100000xf32>
  %p = "tfl.pseudo_const"() <{value = dense<[2, -65536, 1]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %0 = "tfl.mul"(%a, %b) <{fused_activation_function = "RELU6"}> : (tensor<100000x100000x100000xf32>, tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32>
  %1 = "tfl.transpose"(%0, %p) : (tensor<100000x100000x100000xf32>, tensor<3xi32>) -> tensor<100000x100000x100000xf32>
  %2 = "tfl.add"(%x, %1) <{fused_activation_function = "NONE"}> : (tensor<100000x100000x100000xf32>, tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32>
  func.return %2 : tensor<100000x100000x100000xf32>
}
