
// convert_graph_def(pass_pipeline='') output: a @main without arguments or results.
// Placeholders become the arguments, the values nothing reads the results, named after
// the nodes; constants, NoOps and resource casts go.

// CHECK-LABEL: func.func @main(%{{.*}}: tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK-SAME: tf.entry_function = {inputs = "x", outputs = "out"}
// CHECK: "tf.Relu"
// CHECK: return
func.func @main() {
  tf_executor.graph {
    %outputs, %control = tf_executor.island wraps "tf.Const"() <{value = dense<1.0> : tensor<999999999999999999999999999999999999x2xf32>}> {device = ""} : () -> tensor<1x2xf32>
    %control_0 = tf_executor.island(%control) wraps "tf.NoOp"() {device = ""} : () -> ()
    %outputs_1, %control_2 = tf_executor.island wraps "tf.Placeholder"() {device = "", shape = #tf_type.shape<1x2>} : () -> tensor<1x2xf32> loc(fused["Placeholder:", "x"])
    %outputs_3, %control_4 = tf_executor.island wraps "tf.AddV2"(%outputs_1, %outputs) {device = ""} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
    %outputs_5, %control_6 = tf_executor.island(%control_0) wraps "tf.Relu"(%outputs_3) {device = ""} : (tensor<1x2xf32>) -> tensor<1x2xf32> loc(fused["Relu:", "out"])
    tf_executor.fetch
  }
  return
}