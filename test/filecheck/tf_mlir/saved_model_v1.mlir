// RUN: tflc-opt %s -p tf-executor-to-functional,tf-inline,freeze-variables | filecheck %s

// convert_saved_model_v1 output: a session initializer that does nothing goes with its
// function (it would otherwise be exported as a signature); resource casts go.

// CHECK-NOT: session_initializer
// CHECK-NOT: @NoOp
// CHECK-LABEL: func.func @apply
// CHECK: "tf.Const"() {value = dense<2.000000e+00> : tensor<2xf32>}
// CHECK: "tf.Mul"
module attributes {tf_saved_model.semantics} {
  "tf_saved_model.global_tensor"() <{sym_name = "w", type = tensor<2xf32>, value = dense<2.0> : tensor<2xf32>}> : () -> ()
  "tf_saved_model.session_initializer"() <{initializers = [@NoOp]}> : () -> ()
  func.func @NoOp() attributes {tf_saved_model.exported_names = ["__tf_saved_model_session_initializer_NoOp"], tf_saved_model.initializer_type = "init_op"} {
    return
  }
  func.func @apply(%arg0: tensor<2xf32> {tf_saved_model.index_path = ["x"]}, %arg1: tensor<!tf_type.resource<tensor<2xf32>>> {tf_saved_model.bound_input = @w}) -> (tensor<2xf32> {tf_saved_model.index_path = ["y"]}) attributes {tf_saved_model.exported_names = ["apply"]} {
    %0 = "tf.Cast"(%arg1) <{Truncate = false}> : (tensor<!tf_type.resource<tensor<2xf32>>>) -> tensor<!tf_type.resource>
    %1 = "tf.ReadVariableOp"(%0) : (tensor<!tf_type.resource>) -> tensor<2xf32>
    %2 = "tf.Mul"(%arg0, %1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    return %2 : tensor<2xf32>
  }
}
