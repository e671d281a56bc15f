builtin.module attributes {tf_saved_model.semantics} {
  func.func @serving_default(%0: tensor<?x4xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<?x3xf32> {tf_saved_model.index_path = ["out"]}) attributes {tf_saved_model.exported_names = ["serving_default"]} {
    %1 = "tfl.pseudo_const"() <{value = dense<[[-0.801931441, 0.420445234, -0.552647293,1.63478303], [-1.32435894, 1.13604653, -0.784780383, 0.272768766], [-0.248361617, 0.109706402, 0.748745799, -1.2333287]]> : tensor<3x4xcomplex<f32>>}> : () -> tensor<3x4xf32>
    %2 = "tfl.pseudo_const"() <{value = dense<[-0.958265185, 1.6000191, 0.202882439]> : tensor<3xf32>}> : () -> tensor<3xf32>
    %3 = "tfl.fully_connected"(%0, %1, %2) <{fused_activation_function = "RELU", weights_format = "DEFAULT", keep_num_dims = false, asymmetric_quantize_inputs = false}> : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
    %4 = "tfl.softmax"(%3) <{beta = 1.000000e+00 : f32}> : (tensor<?x3xf32>) -> tensor<?x3xf32>
    func.return %4 : tensor<?x3xf32>
  }
}
