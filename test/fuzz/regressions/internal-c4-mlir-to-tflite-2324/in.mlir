
// Export expands splats only after checking the model size limit (2 GiB by default):
// 4 PB of splats are refused at once, naming the constant and the ]:3: with this constant, the model's constant data would take 4000000000000000 bytes, more than the model size limit of 2147483648 bytes
// CHECK-SAME: raise the limit with --max-model-bytes
1.0e+300 : f32the/ CHECK-NOT: internal error
func.func @main(%x: tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32> {
  %a = "tfl.pseudo_const"() <{value = dense<1.5> : tensor<100000x100000x100000xf32>}> : () -> tensor<100000x100000x100000xf32>
  %0 = "tfl.add"(%x, %a) <{fused_activation_function = "NONE"}> : (tensor<100000x100000x100000xf32>, tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32>
  func.return %0 : tensor<100000x100000x100000xf32>
}