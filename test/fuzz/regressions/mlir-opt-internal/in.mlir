// Variables only read become constants and leave the signature; assigned ones stay.
module attributes {tf_saved_model.semantics} {
  // CHECK-NOT: sym_name = "w"
  // CHECK: "tf_saved_model.global_tensor"() <{sym_name = "counter", type = tensor<f32>, value = dense<0.000000e+00> : tensor<f32>, is_mutable}>
  "tf_saved_model.global_tensor"() <{sym_name = "w", type = tensor<2xf32>, value = dense<[1.0, 2.0]> : tensor<2xf64>, is_mutable}> : () -> ()
  "tf_saved_model.global_tensor"() <{sym_name = "counter", type = tensor<f32>, value = dense<0.0> : tensor<f32>, is_mutable}> : () -> ()
  // CHECK: func.func @serving_default(%{{.*}}: tensor<2xf32> {tf_saved_model.index_path = ["x"]}, %{{.*}}: tensor<!tf_type.resource<tensor<f32>>> {tf_saved_model.bound_input = @counter})
  func.func @serving_default(%x: tensor<2xf32> {tf_saved_model.index_path = ["x"]},
                             %w: tensor<!tf_type.resource<tensor<2xf32>>> {tf_saved_model.bound_input = @w},
                             %c: tensor<!tf_type.resource<tensor<f32>>> {tf_saved_model.bound_input = @counter})
      -> (tensor<2xf32> {tf_saved_model.index_path = ["output_0"]}) attributes {tf_saved_model.exported_names = ["serving_default"]} {
    // CHECK-NEXT: %[[W:.*]] = "tf.Const"() {value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tf.ReadVariableOp"(%w) : (tensor<!tf_type.resource<tensor<2xf32>>>) -> tensor<2xf32>
    // CHECK-NEXT: "tf.Mul"(%{{.*}}, %[[W]])
    %1 = "tf.Mul"(%x, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    // CHECK: "tf.AssignAddVariableOp"
    %one = "tf.Const"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
    "tf.AssignAddVariableOp"(%c, %one) : (tensor<!tf_type.resource<tensor<f32>>>, tensor<f32>) -> ()
    func.return %1 : tensor<2xf32>
  }
}
