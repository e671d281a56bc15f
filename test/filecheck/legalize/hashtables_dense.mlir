// RUN: not tflc-opt %s -p legalize-hashtables 2>&1 | filecheck %s

// A DenseHashTable has no TFLite kernel: one error naming the node and the fix.
// CHECK: tflc-opt: error: {{.*}}hashtables_dense.mlir: node 'dense': lookup table 'd' is a DenseHashTable, which TFLite's hashtable builtins cannot hold; use tf.lookup.StaticHashTable or tf.lookup.experimental.MutableHashTable with scalar values
func.func @dense(%k: tensor<2xi64>) -> tensor<2xi64> {
  %e = "tf.Const"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %x = "tf.Const"() {value = dense<-1> : tensor<i64>} : () -> tensor<i64>
  %t = "tf.MutableDenseHashTableV2"(%e, %x) {container = "", shared_name = "d", use_node_name_sharing = false, value_dtype = i64, value_shape = #tf_type.shape<>, initial_num_buckets = 8 : i64, max_load_factor = 8.0e-01 : f32} : (tensor<i64>, tensor<i64>) -> tensor<!tf_type.resource> loc("dense")
  %v = "tf.LookupTableFindV2"(%t, %k, %x) : (tensor<!tf_type.resource>, tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  func.return %v : tensor<2xi64>
}
