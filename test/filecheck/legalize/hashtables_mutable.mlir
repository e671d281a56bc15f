// RUN: tflc-opt %s -p legalize-hashtables --split-input-file | filecheck %s

// A MutableHashTable whose contents the frontend read from the checkpoint: imported once by
// the session initializer, found like a static table (one table id for both functions).
// CHECK-LABEL: module
// CHECK-NOT:   tf_saved_model.session_initializer
// CHECK:       func.func @serving_default
// CHECK-NEXT:    "tfl.call_once"() <{session_init_function = "tfl_session_init"}> : () -> ()
// CHECK-NEXT:    %[[T:.*]] = "tfl.hashtable"() <{key_dtype = "STRING", table_id = [[ID:-?[0-9]+]] : i32, value_dtype = "INT64"}> : () -> tensor<1x!tf_type.resource>
// CHECK:         %[[V:.*]] = "tfl.hashtable_find"(%[[T]], %k, %{{.*}}) : (tensor<1x!tf_type.resource>, tensor<?x!tf_type.string>, tensor<i64>) -> tensor<?xi64>
// CHECK-NEXT:    return %[[V]]
// CHECK:       func.func private @tfl_session_init()
// CHECK-NEXT:    %[[T2:.*]] = "tfl.hashtable"() <{key_dtype = "STRING", table_id = [[ID]] : i32, value_dtype = "INT64"}>
// CHECK:         "tfl.hashtable_import"(%[[T2]], %{{.*}}, %{{.*}}) : (tensor<1x!tf_type.resource>, tensor<2x!tf_type.string>, tensor<2xi64>) -> ()
// CHECK-NEXT:    return
module attributes {tf_saved_model.semantics} {
  "tf_saved_model.session_initializer"() {initializers = [@init_t]} : () -> ()
  func.func private @init_t() {
    %t = "tf.MutableHashTableV2"() {container = "", key_dtype = !tf_type.string, shared_name = "m", use_node_name_sharing = false, value_dtype = i64} : () -> tensor<!tf_type.resource>
    %k = "tf.Const"() {value = #tf_type<tensor_proto : "0x0807120412020802420161420162"> : tensor<2x!tf_type.string>} : () -> tensor<2x!tf_type.string>
    %v = "tf.Const"() {value = dense<[1, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
    "tf.LookupTableImportV2"(%t, %k, %v) : (tensor<!tf_type.resource>, tensor<2x!tf_type.string>, tensor<2xi64>) -> ()
    func.return
  }
  func.func @serving_default(%k: tensor<?x!tf_type.string> {tf_saved_model.index_path = ["k"]}) -> (tensor<?xi64> {tf_saved_model.index_path = ["v"]}) attributes {tf_saved_model.exported_names = ["serving_default"]} {
    %t = "tf.MutableHashTableV2"() {container = "", key_dtype = !tf_type.string, shared_name = "m", use_node_name_sharing = false, value_dtype = i64} : () -> tensor<!tf_type.resource>
    %d = "tf.Const"() {value = dense<-1> : tensor<i64>} : () -> tensor<i64>
    %v = "tf.LookupTableFindV2"(%t, %k, %d) : (tensor<!tf_type.resource>, tensor<?x!tf_type.string>, tensor<i64>) -> tensor<?xi64>
    func.return %v : tensor<?xi64>
  }
}

// -----

// A table of tensors whose values are scalars is a MutableHashTable.
// CHECK: "tfl.hashtable"() <{key_dtype = "STRING", table_id = {{-?[0-9]+}} : i32, value_dtype = "INT64"}>
// CHECK: "tfl.hashtable_find"
func.func @scalar_values(%k: tensor<2x!tf_type.string>) -> tensor<2xi64> {
  %t = "tf.MutableHashTableOfTensorsV2"() {container = "", key_dtype = !tf_type.string, shared_name = "s", use_node_name_sharing = false, value_dtype = i64, value_shape = #tf_type.shape<>} : () -> tensor<!tf_type.resource>
  %d = "tf.Const"() {value = dense<-1> : tensor<i64>} : () -> tensor<i64>
  %v = "tf.LookupTableFindV2"(%t, %k, %d) : (tensor<!tf_type.resource>, tensor<2x!tf_type.string>, tensor<i64>) -> tensor<2xi64>
  func.return %v : tensor<2xi64>
}
