// RUN: tflc-opt %s | filecheck %s
// RUN: tflc-opt %s | tflc-opt | filecheck %s

// Generic tf ops as TensorFlow writes them, TF attributes in the attribute
// dictionary, tf_type element types, dynamic dims and unregistered tf ops.

// CHECK: module attributes {tf_saved_model.semantics}
module attributes {tf_saved_model.semantics} {
  // CHECK: func.func @encode(%{{.*}}: tensor<?x4xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<?x4xf32> {tf_saved_model.index_path = ["encoded_result"]}) attributes {tf.entry_function = {inputs = "x", outputs = "encoded_result"}, tf_saved_model.exported_names = ["encode"]}
  func.func @encode(%x: tensor<?x4xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<?x4xf32> {tf_saved_model.index_path = ["encoded_result"]}) attributes {tf_saved_model.exported_names = ["encode"], tf.entry_function = {inputs = "x", outputs = "encoded_result"}} {
    // CHECK-NEXT: %{{.*}} = "tf.Const"() {value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>} : () -> tensor<4xf32>
    %c = "tf.Const"() {value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>} : () -> tensor<4xf32>
    // CHECK-NEXT: "tf.AddV2"(%{{.*}}, %{{.*}}) {T = "tfdtype$DT_FLOAT", device = ""} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    %0 = "tf.AddV2"(%x, %c) {T = "tfdtype$DT_FLOAT", device = ""} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    // CHECK-NEXT: "tf.BiasAdd"(%{{.*}}, %{{.*}}) {T = "tfdtype$DT_FLOAT", data_format = "NHWC"} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    %1 = "tf.BiasAdd"(%0, %c) {T = "tfdtype$DT_FLOAT", data_format = "NHWC"} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    // CHECK-NEXT: "tf.AsString"(%{{.*}}) {fill = "", precision = -1} : (tensor<?x4xf32>) -> tensor<?x4x!tf_type.string>
    %2 = "tf.AsString"(%1) {fill = "", precision = -1 : i64} : (tensor<?x4xf32>) -> tensor<?x4x!tf_type.string>
    // CHECK-NEXT: "tf.VarHandleOp"() {shared_name = "v"} : () -> tensor<!tf_type.resource<tensor<f32>>>
    %3 = "tf.VarHandleOp"() {shared_name = "v"} : () -> tensor<!tf_type.resource<tensor<f32>>>
    // CHECK-NEXT: "tf.ReadVariableOp"(%{{.*}}) : (tensor<!tf_type.resource<tensor<f32>>>) -> tensor<f32>
    %4 = "tf.ReadVariableOp"(%3) : (tensor<!tf_type.resource<tensor<f32>>>) -> tensor<f32>
    // CHECK-NEXT: "tf.Placeholder"() : () -> tensor<!tf_type.resource>
    %5 = "tf.Placeholder"() : () -> tensor<!tf_type.resource>
    // CHECK-NEXT: return %{{.*}} : tensor<?x4xf32>
    func.return %1 : tensor<?x4xf32>
  }
}
