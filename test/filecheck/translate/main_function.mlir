// An unmarked @main exports as serving_default with arg0.., output_0.. names.
// RUN: tflc-translate --mlir-to-tflite %s -o %t.tflite
// RUN: tflc-translate --tflite-to-mlir %t.tflite | filecheck %s

// CHECK: func.func @main(%{{.*}}: tensor<3xf32> {tf_saved_model.index_path = ["arg0"]}, %{{.*}}: tensor<3xi32> {tf_saved_model.index_path = ["arg1"]}) -> (tensor<3xf32> {tf_saved_model.index_path = ["output_0"]}, tensor<3xi32> {tf_saved_model.index_path = ["output_1"]}) attributes {tf.entry_function = {inputs = "{{.*}}", outputs = "{{.*}}"}, tf_saved_model.exported_names = ["serving_default"]}
func.func @main(%a: tensor<3xf32>, %b: tensor<3xi32>) -> (tensor<3xf32>, tensor<3xi32>) {
  %0 = "tfl.exp"(%a) : (tensor<3xf32>) -> tensor<3xf32>
  %1 = tfl.mul %b, %b {fused_activation_function = "NONE"} : tensor<3xi32>
  func.return %0, %1 : tensor<3xf32>, tensor<3xi32>
}
