// RUN: tflc-opt %s --print-debuginfo | filecheck %s
// RUN: not tflc-opt %s -p legalize-tf 2>&1 | filecheck %s --check-prefix=ERR

// Location aliases are defined after the module that uses them, as TensorFlow's
// show_debug_info=True exports write them; fused and call-site locations stay on the
// ops, and diagnostics name the TF node they carry.

// CHECK: "tf.Relu"{{.*}} loc(fused["Relu:", "model/dense/Relu"])
// CHECK: "tf.NoSuchOp"{{.*}} loc(fused["NoSuchOp:", callsite("model/odd"("a.py":1:1) at "b.py":2:2)])
// ERR: tf.NoSuchOp x1 (first at node 'model/odd')
module {
  func.func @main(%a: tensor<2xf32> loc(unknown)) -> tensor<2xf32> {
    %0 = "tf.Relu"(%a) : (tensor<2xf32>) -> tensor<2xf32> loc(#loc3)
    %1 = "tf.NoSuchOp"(%0) : (tensor<2xf32>) -> tensor<2xf32> loc(#loc5)
    return %1 : tensor<2xf32> loc(#loc)
  } loc(#loc)
} loc(#loc)
#loc = loc(unknown)
#loc1 = loc("Relu:")
#loc2 = loc("model/dense/Relu")
#loc3 = loc(fused[#loc1, #loc2])
#loc4 = loc(callsite("model/odd"("a.py":1:1) at "b.py":2:2))
#loc5 = loc(fused["NoSuchOp:", #loc4])
