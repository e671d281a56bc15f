// RUN: not tflc-opt %s -p legalize-tf 2>&1 | filecheck %s

// Unranked tensors never crash legalize-tf: ops whose lowering needs a rank are left
// alone and reported (ops that need none, as Reshape and Relu, lower), apart from ops
// that have no lowering at all.

// CHECK: tflc-opt: error: 1 op(s) have no TFLite builtin lowering:
// CHECK-NEXT: tf.NoSuchOp x1
// CHECK: 1 op(s) have unranked tensors and were left alone:
// CHECK-NEXT: tf.Transpose x1 (first at {{.*}}unranked.mlir:[[# @LINE + 9]]:3)
// CHECK-NEXT: fix: give the function static input shapes
// CHECK-NOT: Traceback
func.func @reshape(%arg0: tensor<*xf32>, %arg1: tensor<*xi64>) -> tensor<*xf32> {
  %0 = "tf.Reshape"(%arg0, %arg1) : (tensor<*xf32>, tensor<*xi64>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}
func.func @transpose(%arg0: tensor<*xf32>) -> tensor<*xf32> {
  %p = "tf.Const"() {value = dense<[1, 0]> : tensor<2xi32>} : () -> tensor<2xi32>
  %0 = "tf.Transpose"(%arg0, %p) : (tensor<*xf32>, tensor<2xi32>) -> tensor<*xf32>
  %1 = "tf.Relu"(%0) : (tensor<*xf32>) -> tensor<*xf32>
  func.return %1 : tensor<*xf32>
}
func.func @other(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.NoSuchOp"(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
