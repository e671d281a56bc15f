// lower-control-flow alone: tf.If/tf.While become tfl.if/tfl.while over the same function
// bodies, whose tf ops stay for legalize-tf; legalize-tf alone names the pass it needs.
// RUN: tflc-opt %s -p lower-control-flow | filecheck %s
// RUN: not tflc-opt %s -p legalize-tf 2>&1 | filecheck %s --check-prefix=ALONE

// CHECK-LABEL: func.func private @then
// CHECK: "tf.Mul"
func.func private @then(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.Mul"(%x, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK-LABEL: func.func private @else
// CHECK: "tf.Neg"
func.func private @else(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.Neg"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK-LABEL: func.func @main
// CHECK: %[[R:.*]] = "tfl.if"(%p, %x) <{else_branch = @else, then_branch = @then}> : (tensor<i1>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: return %[[R]]
func.func @main(%p: tensor<i1>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.If"(%p, %x) {then_branch = @then, else_branch = @else, is_stateless = true} : (tensor<i1>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// ALONE: tf.If
// ALONE: lower-control-flow pass, which must run before legalize-tf
