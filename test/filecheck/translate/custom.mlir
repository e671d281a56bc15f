// tfl.custom (CUSTOM and Flex operators) round-trips through .tflite with its code and option bytes.
// RUN: tflc-translate --mlir-to-tflite %s -o %t.tflite
// RUN: tflc-translate --tflite-to-mlir %t.tflite | filecheck %s
// RUN: tflc-translate --tflite-to-mlir %t.tflite | tflc-translate --mlir-to-tflite -o %t.2.tflite
// RUN: cmp %t.tflite %t.2.tflite

// CHECK: "tfl.custom"(%{{.*}}) <{custom_code = "FlexAsString", custom_option = "\08AsString\00\FF\01"}> : (tensor<2xf32>) -> tensor<2x!tf_type.string>
func.func @main(%a: tensor<2xf32>) -> tensor<2x!tf_type.string> {
  %0 = "tfl.custom"(%a) <{custom_code = "FlexAsString", custom_option = "\08AsString\00\FF\01"}> : (tensor<2xf32>) -> tensor<2x!tf_type.string>
  func.return %0 : tensor<2x!tf_type.string>
}
