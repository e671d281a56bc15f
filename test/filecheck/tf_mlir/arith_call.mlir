// RUN: tflc-opt %s -p tf-inline,legalize-tf | filecheck %s
// RUN: tflc-opt %s -p legalize-arith | filecheck %s --check-prefix=ARITH

// arith constants and binary ops on tensors (as TF's tests write them) become tfl ops;
// func.call is inlined like TF's call ops. Scalar arith values stay
// (unused ones go as dead code).

// CHECK-LABEL: func.func @main
// CHECK-NEXT: %[[C:.*]] = "tfl.pseudo_const"() <{value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}>
// CHECK-NEXT: %[[A:.*]] = tfl.add %a, %[[C]] {fused_activation_function = "NONE"} : tensor<2xf32>
// CHECK-NEXT: %[[M:.*]] = tfl.mul %[[A]], %[[C]] {fused_activation_function = "NONE"} : tensor<2xf32>
// CHECK-NEXT: %[[R:.*]] = "tfl.relu"(%[[M]])
// CHECK-NEXT: return %[[R]]
// CHECK-NOT: @helper
// ARITH: tfl.pseudo_const
// ARITH: tfl.add
// ARITH: tfl.mul {{.*}} : tensor<2xi32>
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = arith.addf %a, %c : tensor<2xf32>
  %1 = "tf.Mul"(%0, %c) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %2 = func.call @helper(%1) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %2 : tensor<2xf32>
}
func.func private @helper(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.Relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
func.func @ints(%a: tensor<2xi32>) -> tensor<2xi32> {
  %0 = arith.muli %a, %a : tensor<2xi32>
  func.return %0 : tensor<2xi32>
}
