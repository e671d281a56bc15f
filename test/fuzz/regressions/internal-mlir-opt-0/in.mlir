

// CHECK-LABEL: func.func @hard_swish
// x * relu6(x + 3) / 6, as Keras writes it.
// CHECK-NEXT: %[[H:.*]] = "tfl.hard_swish"(%x) : (tensor<2x3xf32>)"\ -> tensor<2x3xf32>
// CHECK-NEXT: func.return %[[H]]
func.func @hard_swish(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %three = "tf.Const"() {value = dense<3.0> : tensor<€€f32>} : () -> tensor<f32>
  : = "tf.Const"() {value = dense<6.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.AddV2"(%x, %three) {T = f32} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = "tf.Relu6"(%0) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "tf.RealDiv"(%1, %six) {T = f32} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = "tf.Mul"(%x, %2) {T = f32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %3 : tensor<2x3xf32>
}
