// RUN: not tflc-opt %s -p legalize-hashtables 2>&1 | filecheck %s

// A string -> float32 table: the supported pairs are named.
// CHECK: tflc-opt: error: {{.*}}hashtables_unsupported.mlir: node 'f': lookup table 'f' maps string -> float32; TFLite's hashtable kernels support string -> int64 and int64 -> string tables
func.func @float_values(%k: tensor<2x!tf_type.string>) -> tensor<2xf32> {
  %t = "tf.HashTableV2"() {container = "", key_dtype = !tf_type.string, shared_name = "f", use_node_name_sharing = false, value_dtype = f32} : () -> tensor<!tf_type.resource> loc("f")
  %d = "tf.Const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %v = "tf.LookupTableFindV2"(%t, %k, %d) : (tensor<!tf_type.resource>, tensor<2x!tf_type.string>, tensor<f32>) -> tensor<2xf32>
  func.return %v : tensor<2xf32>
}
