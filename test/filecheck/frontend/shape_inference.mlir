// RUN: tflc-opt %s -p tf-shape-inference | filecheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: -> tensor<5x2xf32>
func.func @main(%x: tensor<5x4xf32>, %w: tensor<4x2xf32>) -> tensor<*xf32> {
  // CHECK-NEXT: "tf.MatMul"{{.*}} -> tensor<5x2xf32>
  %0 = "tf.MatMul"(%x, %w) : (tensor<5x4xf32>, tensor<4x2xf32>) -> tensor<*xf32>
  // CHECK-NEXT: "tf.Relu"{{.*}} -> tensor<5x2xf32>
  %1 = "tf.Relu"(%0) : (tensor<*xf32>) -> tensor<*xf32>
  %s = "tf.Const"() {value = dense<[-1, 10]> : tensor<2xi32>} : () -> tensor<2xi32>
  // CHECK: "tf.Reshape"{{.*}} -> tensor<1x10xf32>
  %2 = "tf.Reshape"(%1, %s) : (tensor<*xf32>, tensor<2xi32>) -> tensor<?x10xf32>
  // CHECK-NEXT: "tf.Shape"{{.*}} -> tensor<2xi32>
  %3 = "tf.Shape"(%2) : (tensor<?x10xf32>) -> tensor<?xi32>
  %a = "tf.Const"() {value = dense<1> : tensor<1xi32>} : () -> tensor<1xi32>
  // CHECK: "tf.Mean"{{.*}} {keep_dims = true} {{.*}} -> tensor<5x1xf32>
  %4 = "tf.Mean"(%1, %a) {keep_dims = true} : (tensor<*xf32>, tensor<1xi32>) -> tensor<*xf32>
  // CHECK-NEXT: "tf.AddV2"{{.*}} -> tensor<5x2xf32>
  %5 = "tf.AddV2"(%4, %1) : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: return %{{.*}} : tensor<5x2xf32>
  func.return %5 : tensor<*xf32>
}
