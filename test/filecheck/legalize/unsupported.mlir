// Ops without a lowering are reported once, grouped, naming the first TF node.
// RUN: not tflc-opt %s -p legalize-tf 2>&1 | filecheck %s
// RUN: tflc-opt %s -p 'legalize-tf{allow-unsupported=true}' | filecheck %s --check-prefix=PARTIAL

// CHECK: tflc-opt: error: {{.*}}unsupported.mlir: 3 op(s) have no TFLite builtin lowering:
// CHECK-NEXT:   tf.Bar x1 (first at node 'model/bar')
// CHECK-NEXT:   tf.Foo x2 (first at node 'model/foo_1')
// CHECK-NEXT: fix: enable Select TF ops

// PARTIAL: "tf.Foo"
// PARTIAL: tfl.add
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.Foo"(%a) : (tensor<2xf32>) -> tensor<2xf32> loc("model/foo_1")
  %1 = "tf.Foo"(%0) : (tensor<2xf32>) -> tensor<2xf32> loc("model/foo_2")
  %2 = "tf.Bar"(%1) : (tensor<2xf32>) -> tensor<2xf32> loc("model/bar")
  %3 = "tf.AddV2"(%2, %2) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %3 : tensor<2xf32>
}
