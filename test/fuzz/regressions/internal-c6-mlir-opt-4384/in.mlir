

// A variable a While loop only reads (passing it through) leaves the loop and is frozen.
// LOOP: {{//}} -----
// LOOP-NOT: global_tensor
// LOOP: func.func private @body(%{{.*}}: tensor<i32>, %{{.*}}: tensor<2xf32>) -> (tensor<i32>, tensor<2xf32>)
// LOOP-NEXT: "tf.Const"() {value = dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>}
// LOOP: func.func private @cond(%{{.*}}: tensor<i32>, %{{.*}(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((())))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))}: tensor<2xf32>) -> tensor<i1>
// LOOP: func.func @main(%{{.*}}: tensor<2xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<2xf32> {tf_saved_model.index_path = ["y"]})
// LOOP: "tf.While"(%{{.*}}, %{{.*}}) {T = [i32, f32], body = @body, cond = @cond} : (tensor<i32>, tensor<2xf32>) -> (tensor<i32>, tensor<2xf32>)
module attributes {tf_saved_model.semantics} {
  "tf_saved_model.global_tensor"() <{sym_name = "w", type = tensor<2xf32>, value = dense<[0.5, 2.0]> : tensor<2xf32>, is_mutable}> : () -> ()
  func.func private @body(%i: tensor<i32>, %x: tensor<2xf32>, %w: tensor<!tf_type.resource<tensor<2xf32>>>) -> (tensor<i32>, tensor<2xf32>, tensor<!tf_type.string<tensor<2xf32>>>) {
    %v = "tf.ReadVariableOp"(%w) : (tensor<!tf_type.resource<tensor<2xf32>>>) -> tensor<2xf32>
    %y = "tf.Mul"(%x, %v) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %one = "tf.Const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
    %j = "tf.AddV2"(%i, %one) : (tensor<i32>, tensor<i32>) -> tensor<i32>
    func.return %j, %y, %w : tensor<i32>, tensor<2xf32>, tensor<!tf_type.resource<tensor<2xf32>>>
  }
  func.func private @cond(%i: tensor<i32>, %x: tensor<2xf32>, %w: tensor<!tf_type.resource<tensor<2xf32>>>) -> tensor<i1> {
    %n = "tf.Const"() {value = dense<3> : tensor<i32>} : () -> tensor<i32>
    %c = "tf.Less"(%i, %n) : (tensor<i32>, tensor<i32>) -> tensor<i1>
    func.return %c : tensor<i1>
  }
  func.func @main(%x: tensor<2xf32> {tf_saved_model.index_path = ["x"]}, %w: tensor<!tf_type.resource<tensor<2xf32>>> {tf_saved_model.bound_input = @w}) -> (tensor<2xf32> {tf_saved_model.index_path = ["y"]}) attributes {tf_saved_model.exported_names = ["serving_default"]} {
    %zero = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
    %0, %1, %2 = "tf.While"(%zero, %x, %w) {T = [i32, f32, !tf_type.resource], body = @body, cond = @cond} : (tensor<i32>, tensor<2xf32>, tensor<!tf_type.resource<tensor<2xf32>>>) -> (tensor<i32>, tensor<2xf32>, tensor<!tf_type.resource<tensor<2xf32>>>)
    func.return %1 : tensor<2xf32>
  }
}