// RUN: tflc-opt %s | filecheck %s --check-prefix=ROUNDTRIP
// RUN: tflc-opt %s | tflc-opt | filecheck %s --check-prefix=ROUNDTRIP
// RUN: tflc-opt %s -p tf-executor-to-functional | filecheck %s
// RUN: tflc-opt %s -p tf-executor-to-functional,legalize-tf | filecheck %s --check-prefix=TFL

// tf_executor graphs as convert_saved_model writes them: islands in both syntaxes,
// control tokens, fetch; tf-executor-to-functional turns them into plain tf ops.

// ROUNDTRIP: %{{.*}} = tf_executor.graph {
// ROUNDTRIP: %{{.*}}, %{{.*}} = tf_executor.island wraps "tf.Relu"
// ROUNDTRIP: %{{.*}} = tf_executor.island(%{{.*}}, %{{.*}}) wraps "tf.NoOp"
// ROUNDTRIP: %{{.*}}, %{{.*}}, %{{.*}} = tf_executor.island(%{{.*}}) {
// ROUNDTRIP: tf_executor.yield %{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xf32>
// ROUNDTRIP: tf_executor.fetch %{{.*}}, %{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xf32>, !tf_executor.control

// CHECK-LABEL: func.func @main
// CHECK-NEXT: %[[R:.*]] = "tf.Relu"(%arg0)
// CHECK-NEXT: %[[N:.*]] = "tf.Neg"(%arg0)
// CHECK-NEXT: %[[A:.*]] = "tf.AddV2"(%[[R]], %[[N]])
// CHECK-NEXT: %[[M:.*]] = "tf.Mul"(%[[A]], %[[A]])
// CHECK-NEXT: return %[[A]], %[[M]]
// CHECK-NOT: tf_executor
// CHECK-NOT: tf.NoOp

// TFL: tfl.relu
// TFL: tfl.neg
// TFL: tfl.add
// TFL: tfl.mul
func.func @main(%arg0: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0:2 = tf_executor.graph {
    %outputs, %control = tf_executor.island wraps "tf.Relu"(%arg0) {device = ""} : (tensor<2xf32>) -> tensor<2xf32>
    %outputs_0, %control_1 = tf_executor.island wraps "tf.Neg"(%arg0) {device = ""} : (tensor<2xf32>) -> tensor<2xf32>
    %control_2 = tf_executor.island(%control, %control_1) wraps "tf.NoOp"() {device = ""} : () -> ()
    %outputs_3:2, %control_4 = tf_executor.island(%control_2) {
      %1 = "tf.AddV2"(%outputs, %outputs_0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      %2 = "tf.Mul"(%1, %1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      tf_executor.yield %1, %2 : tensor<2xf32>, tensor<2xf32>
    }
    tf_executor.fetch %outputs_3#0, %outputs_3#1, %control_2 : tensor<2xf32>, tensor<2xf32>, !tf_executor.control
  }
  return %0#0, %0#1 : tensor<2xf32>, tensor<2xf32>
}
