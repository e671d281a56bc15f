// prepare-tf alone: decomposed activations become one tfl op; every other tf op stays
// for legalize-tf; running it twice changes nothing more.
// RUN: tflc-opt %s -p prepare-tf | filecheck %s
// RUN: tflc-opt %s -p prepare-tf,prepare-tf | filecheck %s

// CHECK-LABEL: func.func @hard_swish_then_add
// CHECK-NEXT: %[[H:.*]] = "tfl.hard_swish"(%x) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: %[[A:.*]] = "tf.AddV2"(%[[H]], %x)
// CHECK-NEXT: return %[[A]]
func.func @hard_swish_then_add(%x: tensor<4xf32>) -> tensor<4xf32> {
  %three = "tf.Const"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %six = "tf.Const"() {value = dense<6.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.AddV2"(%x, %three) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = "tf.Relu6"(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "tf.Mul"(%x, %1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = "tf.RealDiv"(%2, %six) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %4 = "tf.AddV2"(%3, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %4 : tensor<4xf32>
}

// CHECK-LABEL: func.func @not_a_pattern
// CHECK-NEXT: "tf.Relu6"
// CHECK-NEXT: "tf.Mul"
func.func @not_a_pattern(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "tf.Relu6"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tf.Mul"(%x, %0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %1 : tensor<4xf32>
}
