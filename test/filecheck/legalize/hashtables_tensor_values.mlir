// RUN: not tflc-opt %s -p legalize-hashtables 2>&1 | filecheck %s

// A table of tensor values has no TFLite kernel (one scalar value per key).
// CHECK: tflc-opt: error: {{.*}}hashtables_tensor_values.mlir: node 'vectors': lookup table 'v' holds tensor values (#tf_type.shape<2>), which TFLite's hashtable builtins cannot hold
func.func @tensor_values(%k: tensor<2x!tf_type.string>) -> tensor<2x2xi64> {
  %t = "tf.MutableHashTableOfTensorsV2"() {container = "", key_dtype = !tf_type.string, shared_name = "v", use_node_name_sharing = false, value_dtype = i64, value_shape = #tf_type.shape<2>} : () -> tensor<!tf_type.resource> loc("vectors")
  %d = "tf.Const"() {value = dense<-1> : tensor<2xi64>} : () -> tensor<2xi64>
  %v = "tf.LookupTableFindV2"(%t, %k, %d) : (tensor<!tf_type.resource>, tensor<2x!tf_type.string>, tensor<2xi64>) -> tensor<2x2xi64>
  func.return %v : tensor<2x2xi64>
}
