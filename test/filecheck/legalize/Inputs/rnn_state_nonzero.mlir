func.func @main(%x: tensor<3x1x2xf32>) -> tensor<3x1x2xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %r = "tfl.pseudo_const"() <{value = dense<0.25> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %b = "tfl.pseudo_const"() <{value = dense<0.1> : tensor<2xf32>}> : () -> tensor<2xf32>
  %h = "tfl.pseudo_const"() <{value = dense<1.0> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %0 = "tfl.unidirectional_sequence_rnn"(%x, %w, %r, %b, %h) <{fused_activation_function = "TANH", time_major = true}> : (tensor<3x1x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x2xf32>) -> tensor<3x1x2xf32>
  func.return %0 : tensor<3x1x2xf32>
}
