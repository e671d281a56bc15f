// mlir -> tflite -> mlir keeps ops, constants, signatures and dynamic dims.
// RUN: tflc-translate --mlir-to-tflite %s -o %t.tflite
// RUN: tflc-translate --tflite-to-mlir %t.tflite | filecheck %s
// RUN: tflc-translate --tflite-to-mlir %t.tflite | tflc-translate --mlir-to-tflite -o %t2.tflite
// RUN: cmp %t.tflite %t2.tflite
// Deterministic: the same input gives byte-identical files.
// RUN: tflc-translate --mlir-to-tflite %s -o %t3.tflite && cmp %t.tflite %t3.tflite

// As TensorFlow's importer: the metadata entries as strings, no tf.versions (no tf_type here).
// CHECK: module attributes {tf_saved_model.semantics, tfl.description = "tflc", tfl.metadata = {min_runtime_version = "{{[0-9.]+}}\00{{.*}}"}, tfl.schema_version = 3 : i32} {
module attributes {tf_saved_model.semantics} {
  // CHECK-NEXT: func.func @add(%{{.*}}: tensor<?x4xf32> {tf_saved_model.index_path = ["input1"]}, %{{.*}}: tensor<?x4xf32> {tf_saved_model.index_path = ["input2"]}) -> (tensor<?x4xf32> {tf_saved_model.index_path = ["result"]}) attributes {tf.entry_function = {inputs = "{{.*}}", outputs = "{{.*}}"}, tf_saved_model.exported_names = ["add"]}
  func.func @add(%a: tensor<?x4xf32> {tf_saved_model.index_path = ["input1"]}, %b: tensor<?x4xf32> {tf_saved_model.index_path = ["input2"]}) -> (tensor<?x4xf32> {tf_saved_model.index_path = ["result"]}) attributes {tf_saved_model.exported_names = ["add"]} {
    // CHECK-NEXT: tfl.add %{{.*}}, %{{.*}} {fused_activation_function = "RELU6"} : tensor<?x4xf32>
    %0 = tfl.add %a, %b {fused_activation_function = "RELU6"} : tensor<?x4xf32>
    func.return %0 : tensor<?x4xf32>
  }
  // CHECK: func.func @classify(%{{.*}}: tensor<2x4xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<2x3xf32> {tf_saved_model.index_path = ["probs"]}, tensor<2x1xf32> {tf_saved_model.index_path = ["mean"]}) attributes {tf.entry_function = {inputs = "{{.*}}", outputs = "{{.*}}"}, tf_saved_model.exported_names = ["classify"]}
  func.func @classify(%x: tensor<2x4xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<2x3xf32> {tf_saved_model.index_path = ["probs"]}, tensor<2x1xf32> {tf_saved_model.index_path = ["mean"]}) attributes {tf_saved_model.exported_names = ["classify"]} {
    // CHECK-NEXT: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00], {{.*}}]]> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
    %w = "tfl.pseudo_const"() <{value = dense<[[1.0, 2.0, 3.0, 4.0], [0.5, 0.5, 0.5, 0.5], [-1.0, 0.0, 1.0, 2.0]]> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
    // CHECK-NEXT: %[[B:.*]] = "tfl.pseudo_const"() <{value = dense<[1.000000e-01, 2.000000e-01, 3.000000e-01]> : tensor<3xf32>}> : () -> tensor<3xf32>
    %b = "tfl.pseudo_const"() <{value = dense<[0.1, 0.2, 0.3]> : tensor<3xf32>}> : () -> tensor<3xf32>
    // CHECK-NEXT: "tfl.fully_connected"(%{{.*}}, %[[W]], %[[B]]) <{asymmetric_quantize_inputs = false, fused_activation_function = "RELU", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %0 = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "RELU", weights_format = "DEFAULT", keep_num_dims = false}> : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    // CHECK-NEXT: "tfl.softmax"(%{{.*}}) <{beta = 1.000000e+00 : f32}>
    %1 = "tfl.softmax"(%0) <{beta = 1.0 : f32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
    // CHECK-NEXT: %[[AX:.*]] = "tfl.pseudo_const"() <{value = dense<1> : tensor<1xi32>}>
    %axis = "tfl.pseudo_const"() <{value = dense<1> : tensor<1xi32>}> : () -> tensor<1xi32>
    // CHECK-NEXT: "tfl.mean"(%{{.*}}, %[[AX]]) <{keep_dims = true}> : (tensor<2x4xf32>, tensor<1xi32>) -> tensor<2x1xf32>
    %2 = "tfl.mean"(%x, %axis) <{keep_dims = true}> : (tensor<2x4xf32>, tensor<1xi32>) -> tensor<2x1xf32>
    func.return %1, %2 : tensor<2x3xf32>, tensor<2x1xf32>
  }
}
