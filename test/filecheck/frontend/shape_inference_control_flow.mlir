// RUN: tflc-opt %s -p tf-shape-inference | filecheck %s

// While: the cond and body take the operands' types; the results follow when the body
// keeps every loop variable's type. If: both branches take the operands' types and the
// results join the branches' (a dim they disagree on becomes dynamic).

// CHECK-LABEL: func.func @main
// CHECK: "tf.While"(%{{.*}}, %{{.*}}) {body = @body, cond = @cond} : (tensor<i32>, tensor<2x3xf32>) -> (tensor<i32>, tensor<2x3xf32>)
// CHECK: "tf.If"(%{{.*}}, %{{.*}}) {else_branch = @else, then_branch = @then} : (tensor<i1>, tensor<2x3xf32>) -> tensor<?x3xf32>
func.func @main(%x: tensor<2x3xf32>, %p: tensor<i1>) -> (tensor<*xf32>, tensor<*xf32>) {
  %zero = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<*xi32>
  %0:2 = "tf.While"(%zero, %x) {body = @body, cond = @cond} : (tensor<*xi32>, tensor<2x3xf32>) -> (tensor<*xi32>, tensor<*xf32>)
  %1 = "tf.If"(%p, %0#1) {else_branch = @else, then_branch = @then} : (tensor<i1>, tensor<*xf32>) -> tensor<*xf32>
  func.return %0#1, %1 : tensor<*xf32>, tensor<*xf32>
}
// CHECK-LABEL: func.func private @body(%{{.*}}: tensor<i32>, %{{.*}}: tensor<2x3xf32>) -> (tensor<i32>, tensor<2x3xf32>)
// CHECK: "tf.Tanh"(%{{.*}}) : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func private @body(%i: tensor<*xi32>, %a: tensor<*xf32>) -> (tensor<*xi32>, tensor<*xf32>) {
  %one = "tf.Const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.AddV2"(%i, %one) : (tensor<*xi32>, tensor<i32>) -> tensor<*xi32>
  %1 = "tf.Tanh"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  func.return %0, %1 : tensor<*xi32>, tensor<*xf32>
}
// CHECK-LABEL: func.func private @cond(%{{.*}}: tensor<i32>, %{{.*}}: tensor<2x3xf32>) -> tensor<i1>
func.func private @cond(%i: tensor<*xi32>, %a: tensor<*xf32>) -> tensor<*xi1> {
  %n = "tf.Const"() {value = dense<3> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.Less"(%i, %n) : (tensor<*xi32>, tensor<i32>) -> tensor<*xi1>
  func.return %0 : tensor<*xi1>
}
// CHECK-LABEL: func.func private @then(%{{.*}}: tensor<2x3xf32>) -> tensor<2x3xf32>
func.func private @then(%a: tensor<*xf32>) -> tensor<*xf32> {
  %0 = "tf.Sin"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}
// CHECK-LABEL: func.func private @else(%{{.*}}: tensor<2x3xf32>) -> tensor<4x3xf32>
func.func private @else(%a: tensor<*xf32>) -> tensor<*xf32> {
  %axis = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.ConcatV2"(%a, %a, %axis) : (tensor<*xf32>, tensor<*xf32>, tensor<i32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// A loop variable that grows (TF1 shape_invariants): the body is inferred again with the
// joined type, so the loop carries tensor<?x3xf32>, not the first iteration's 2x3.
// CHECK-LABEL: func.func @grow
// CHECK: "tf.While"(%{{.*}}, %{{.*}}) {body = @grow_body, cond = @grow_cond} : (tensor<i32>, tensor<2x3xf32>) -> (tensor<i32>, tensor<?x3xf32>)
func.func @grow(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %zero = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %0:2 = "tf.While"(%zero, %x) {body = @grow_body, cond = @grow_cond} : (tensor<i32>, tensor<2x3xf32>) -> (tensor<*xi32>, tensor<*xf32>)
  func.return %0#1 : tensor<*xf32>
}
// CHECK-LABEL: func.func private @grow_body(%{{.*}}: tensor<i32>, %{{.*}}: tensor<?x3xf32>) -> (tensor<i32>, tensor<?x3xf32>)
// CHECK: "tf.ConcatV2"(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<?x3xf32>, tensor<?x3xf32>, tensor<i32>) -> tensor<?x3xf32>
func.func private @grow_body(%i: tensor<*xi32>, %a: tensor<*xf32>) -> (tensor<*xi32>, tensor<*xf32>) {
  %one = "tf.Const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %axis = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.AddV2"(%i, %one) : (tensor<*xi32>, tensor<i32>) -> tensor<*xi32>
  %1 = "tf.Tanh"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  %2 = "tf.ConcatV2"(%a, %1, %axis) : (tensor<*xf32>, tensor<*xf32>, tensor<i32>) -> tensor<*xf32>
  func.return %0, %2 : tensor<*xi32>, tensor<*xf32>
}
// CHECK-LABEL: func.func private @grow_cond(%{{.*}}: tensor<i32>, %{{.*}}: tensor<?x3xf32>) -> tensor<i1>
func.func private @grow_cond(%i: tensor<*xi32>, %a: tensor<*xf32>) -> tensor<*xi1> {
  %n = "tf.Const"() {value = dense<3> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.Less"(%i, %n) : (tensor<*xi32>, tensor<i32>) -> tensor<*xi1>
  func.return %0 : tensor<*xi1>
}
