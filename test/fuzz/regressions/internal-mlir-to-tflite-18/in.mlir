

func.func @parse_error(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tfl.add %a, %a {fused_activation_function = "NONE"} tensor<2xf32>
}
// CHECK:ÿ tfl_verify.mlir:[[#í € @LINE- 2]]:60
// CHECK: Expected ':'