
// The weights the loop only passes along move into the body (and the condition, which
// reads one): the loop carries 2 values, not 4, and the body's transpose of them folds.
// CHECK-LABEL: func.func @main
// CHECK: "tfl.while"(%{{.*}}, %{{.*}}) <{body = @body, cond = @cond}> : (tensor<i32>, tensor<1x2xf32>) -> (tensor<i32>, tensor<1x2xf32>)
// CHECK-LABEL: func.func private @body(%{{.*}}: tensor<i32>, %{{.*}}: tensor<1x2xf32>) -> (tensor<i32>, tensor<1x2xf32>)
// CHECK-NOT: tfl.transpose
// CHECK: "tfl.fully_connected"
// CHECK-LABEL: func.func private @cond(%{{.*}}: tensor<i32>, %{{.*}}: tensor<1x2xf32>) -> tensor<i1>
// CHECK: dense<3> : tensor<i32>
func.func @main(%h: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %i = "tfl.pseudo_const"() <{value = dense<0> : tensor<i32>}> : () -> tensor<i32>
  %w = "tfl.pseudo_const"() <{value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %n = "tfl.pseudo_const"() <{value = dense<3> : tensor<i32>}> : () -> tensor<i32>
  %0:4 = "tfl.while"(%i, %h, %w, %n) <{body = @body, cond = @cond}> : (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>) -> (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>)
  func.return %0#1 : tensor<1x2xf32>
}
func.func private @body(%i: tensor<i32>, %h: tensor<1x2xf32>, %w: tensor<2x2xf32>, %n: tensor<i32>) -> (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>) {
  %one = "tfl.pseudo_const"() <{value = dense<1> : tensor<i32>}> : () -> tensor<i32>
  %next = tfl.add %i, %one {fused_activation_function = "NONE"} : tensor<i32>
  %perm = "tfl.pseudo_const"() <{value = dense<[1, 3]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %wt = "tfl.transpose"(%w, %perm) : (tensor<2x2xf32>, tensor<2xi32>) -> tensor<2x2xf32>
  %none = "tfl.no_value"() <{value}> : () -> none
  %y = "tfl.fully_connected"(%h, %wt, %none) <{fused_activation_function = "TANH", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<1x2xf32>, tensor<2x2xf32>, none) -> tensor<1x2xf32>
  func.return %next, %y, %w, %n : tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>
}
func.func private @cond(%i: tensor<i32>, %h: tensor<1x2xf32>, %w: tensor<2x2xf32>, %n: tensor<i32>) -> tensor<i1> {
  %0 = tfl.less(%i, %n) : (tensor<i32>, tensor<i32>) -> tensor<i1>
  func.return %0 : tensor<i1>
}

// A body two loops share keeps its arguments (each loop may pass other constants).
// CHECK-LABEL: func.func @shared
// CHECK: "tfl.while"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{body = @body2, cond = @cond2}>
// CHECK: "tfl.while"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{body = @body2, cond = @cond2}>
func.func @shared(%h: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %i = "tfl.pseudo_const"() <{value = dense<0> : tensor<i32>}> : () -> tensor<i32>
  %w = "tfl.pseudo_const"() <{value = dense<1.0> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %v = "tfl.pseudo_const"() <{value = dense<2.0> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %n = "tfl.pseudo_const"() <{value = dense<3> : tensor<i32>}> : () -> tensor<i32>
  %0:4 = "tfl.while"(%i, %h, %w, %n) <{body = @body2, cond = @cond2}> : (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>) -> (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>)
  %1:4 = "tfl.while"(%i, %h, %v, %n) <{body = @body2, cond = @cond2}> : (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>) -> (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>)
  func.return %0#1, %1#1 : tensor<1x2xf32>, tensor<1x2xf32>
}
func.func private @body2(%i: tensor<i32>, %h: tensor<1x2xf32>, %w: tensor<2x2xf32>, %n: tensor<i32>) -> (tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>) {
  %one = "tfl.pseudo_const"() <{value = dense<1> : tensor<i32>}> : () -> tensor<i32>
  %next = tfl.add %i, %one {fused_activation_function = "NONE"} : tensor<i32>
  %none = "tfl.no_value"() <{value}> : () -> none
  %y = "tfl.fully_connected"(%h, %w, %none) <{fused_activation_function = "TANH", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<1x2xf32>, tensor<2x2xf32>, none) -> tensor<1x2xf32>
  func.return %next, %y, %w, %n : tensor<i32>, tensor<1x2xf32>, tensor<2x2xf32>, tensor<i32>
}
func.func private @cond2(%i: tensor<i32>, %h: tensor<1x2xf32>, %w: tensor<2x2xf32>, %n: tensor<i32>) -> tensor<i1> {
  %0 = tfl.less(%i, %n) : (tensor<i32>, tensor<i32>) -> tensor<i1>
  func.return %0 : tensor<i1>
}