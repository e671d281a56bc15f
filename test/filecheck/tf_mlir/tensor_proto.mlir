// RUN: tflc-translate --mlir-to-tflite %s -o %t.tflite && tflc-translate --tflite-to-mlir %t.tflite | filecheck %s

// A complex constant TensorFlow keeps as a tensor_proto attribute in its mangled text
// form ("tftensor$" + text format) exports as its numbers.

// CHECK: "tfl.pseudo_const"() <{value = dense<[(1.000000e+00,2.000000e+00), (3.000000e+00,4.000000e+00)]> : tensor<2xcomplex<f32>>}>
func.func @main() -> tensor<2xcomplex<f32>> {
  %0 = "tfl.pseudo_const"() {value = #tf_type<tensor_proto : "0x746674656E736F722464747970653A2044545F434F4D504C455836342074656E736F725F7368617065207B2064696D207B2073697A653A2032207D207D2073636F6D706C65785F76616C3A20312073636F6D706C65785F76616C3A20322073636F6D706C65785F76616C3A20332073636F6D706C65785F76616C3A2034"> : tensor<2xcomplex<f32>>} : () -> tensor<2xcomplex<f32>>
  func.return %0 : tensor<2xcomplex<f32>>
}
