

// An int64 -> int64 table (TFLite has no such kernel) becomes int64 -> string (the index of
// the value, in decimal) and string -> int64; the missing key maps to "" and then to the default.
// CHECK-LABEL: module
// CHECK:       func.func @lookup
// CHECK-NEXT:    "tfl.call_once"
// CHECK-NEXT:    %[[A:.*]] = "tfl.hashtable"() <{key_dtype = "INT64", table_id = [[A_ID:-?[0-9]+]] : i32, value_dtype = "STRING"}>
// CHECK-NEXT:    %[[B:.*]] = "tfl.hashtable"() <{key_dtype = "STRING", table_id = [[B_ID:-?[0-9]+]] : i32, value_dtype = "INT64"}>
// CHECK:         %[[MID:.*]] = "tfl.hashtable_find"(%[[A]], %x, %{{.*}}) : (tensor<1x!tf_type.resource>, tensor<?xi64>, tensor<!tf_type.string>) -> tensor<?x!tf_type.string>
// CHECK-NEXT:    %[[OUT:.*]] = "tfl.hashtable_find"(%[[B]], %[[MID]], %{{.*}}) : (tensor<1x!tf_type.resource>, tensor<?x!tf_type.string>, tensor<i64>) -> tensor<?xi64>
// CHECK-NEXT:    return %[[OUT]]
// CHECK:       func.func private @tfl_session_init()
// CHECK-NEXT:    %[[A2:.*]] = "tfl.hashtable"() <{key_dtype = "INT64", table_id = [[A_ID]] : i32
// CHECK-NEXT:    %[[B2:.*]] = "tfl.hashtable"() <{key_dtype = "STRING", table_id = [[B_ID]] : i32
// CHECK:         %[[DISTINCT:.*]] = "tf.Const"() {value = dense<[50, 60]> : tensor<2xi64>}
// CHECK-NEXT:    "tfl.hashtable_import"(%[[A2]], %k, %{{.*}}) : (tensor<1x!tf_type.resource>, tensor<3xi64>, tensor<3x!tf_type.string>) -> ()
// CHECK-NEXT:    "tfl.hashtable_import"(%[[B2]], %{{.*}}, %[[DISTINCT]]) : (tensor<1x!tf_type.resource>, tensor<2x!tf_type.string>, tensor<2xi64>) -> ()
module attributes {tf_saved_model.semantics} {
  "tf_saved_model.session_initializer"() {initializers = [@init]} : () -> ()
  func.func private @init() {
    %t = "tf.HashTableV2"() {container = "", key_dtype = i64, shared_name = "ints", use_node_name_sharing = false, value_dtype = i64} : () -> tensor<!tf_type.resource>
    %k = "tf.Const"() {value = dense<[5, 6, 7]> : tensor<3xi64>} : () -> tensor<3xi64>
    %v = "tf.Const"() {value = dense<[50, 60, 50]> : tensor<3xindex>} : () -> tensor<3xi64>
    "tf.LookupTableImportV2"(%t, %k, %v) : (tensor<!tf_type.resource>, tensor<3xi64>, tensor<3xi64>) -> ()
    func.return
  }
  func.func @lookup(%x: tensor<?xi64> {tf_saved_model.index_path = ["x"]}) -> (tensor<?xi64> {tf_saved_model.index_path = ["y"]}) attributes {tf_saved_model.exported_names = ["lookup"]} {
    %t = "tf.HashTableV2"() {container = "", key_dtype = i64, shared_name = "ints", use_node_name_sharing = false, value_dtype = i64} : () -> tensor<!tf_type.resource>
    %d = "tf.Const"() {value = dense<-1> : tensor<i64>} : () -> tensor<i64>
    %y = "tf.LookupTableFindV2"(%t, %x, %d) : (tensor<!tf_type.resource>, tensor<?xi64>, tensor<i64>) -> tensor<?xi64>
    func.return %y : tensor<?xi64>
  }
}