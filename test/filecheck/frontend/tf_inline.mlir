// RUN: tflc-opt %s --split-input-file -p tf-inline | filecheck %s

// Calls to functions of the module are inlined, nested calls too; private
// functions left unused are dropped.
module attributes {tf_saved_model.semantics} {
  func.func private @inner(%a: tensor<2xf32>) -> tensor<2xf32> {
    %0 = "tf.Relu"(%a) : (tensor<2xf32>) -> tensor<2xf32> loc("inner/relu")
    func.return %0 : tensor<2xf32>
  }
  func.func private @outer(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
    %0 = "tf.AddV2"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %1 = "tf.PartitionedCall"(%0) {f = @inner} : (tensor<2xf32>) -> tensor<2xf32>
    func.return %1 : tensor<2xf32>
  }
  // CHECK-NOT: func.func private
  // CHECK: func.func @serving_default(%[[X:.*]]: tensor<2xf32> {tf_saved_model.index_path = ["x"]})
  func.func @serving_default(%x: tensor<2xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<2xf32> {tf_saved_model.index_path = ["output_0"]}) attributes {tf_saved_model.exported_names = ["serving_default"]} {
    // CHECK-NEXT: %[[ADD:.*]] = "tf.AddV2"(%[[X]], %[[X]])
    // CHECK-NEXT: %[[RELU:.*]] = "tf.Relu"(%[[ADD]])
    // CHECK-NEXT: %[[MUL:.*]] = "tf.Mul"(%[[RELU]], %[[RELU]])
    // CHECK-NEXT: return %[[MUL]]
    %0 = "tf.StatefulPartitionedCall"(%x, %x) {f = @outer, Tin = [f32, f32], Tout = [f32]} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %1 = "tf.Mul"(%0, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    func.return %1 : tensor<2xf32>
  }
}

// -----
// RUN: tflc-opt %s --split-input-file -p tf-inline | filecheck %s --check-prefix=CASE

// Branch functions referenced only inside a list attribute (tf.Case) are kept.
// CASE: func.func private @branch0
// CASE: func.func private @branch1
// CASE-NOT: @unused
module {
  func.func private @branch0(%a: tensor<f32>) -> tensor<f32> {
    func.return %a : tensor<f32>
  }
  func.func private @branch1(%a: tensor<f32>) -> tensor<f32> {
    %0 = "tf.Neg"(%a) : (tensor<f32>) -> tensor<f32>
    func.return %0 : tensor<f32>
  }
  func.func private @unused(%a: tensor<f32>) -> tensor<f32> {
    func.return %a : tensor<f32>
  }
  func.func @main(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
    %0 = "tf.Case"(%i, %x) {branches = [@branch0, @branch1], is_stateless = true} : (tensor<i32>, tensor<f32>) -> tensor<f32>
    func.return %0 : tensor<f32>
  }
}
