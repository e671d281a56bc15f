// RUN: not tflc-opt %s -p legalize-hashtables 2>&1 | filecheck %s

// A table written by the model (an insert) has no TFLite kernel: one error naming the op.
// CHECK: tflc-opt: error: node 'insert': tf.LookupTableInsertV2 uses lookup table 'm'
func.func @insert(%k: tensor<2xi64>, %v: tensor<2x!tf_type.string>) {
  %t = "tf.HashTableV2"() {container = "", key_dtype = i64, shared_name = "m", use_node_name_sharing = false, value_dtype = !tf_type.string} : () -> tensor<!tf_type.resource>
  "tf.LookupTableInsertV2"(%t, %k, %v) : (tensor<!tf_type.resource>, tensor<2xi64>, tensor<2x!tf_type.string>) -> () loc("insert")
  func.return
}
