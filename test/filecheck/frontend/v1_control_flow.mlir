// A TF1 GraphDef (tf.compat.v1.while_loop with a tf.cond in its body, text format)
// imports with the loop and the cond functionalized: Enter/Merge/Switch/NextIteration/
// Exit become one tf.While with cond/body functions, the body's Switch/Merge one tf.If.
// RUN: tflc-convert --graph_def_file %S/Inputs/v1_loop.pbtxt --input_arrays x --output_arrays y --emit-mlir tf -q | filecheck %s
// RUN: tflc-convert --graph_def_file %S/Inputs/v1_loop.pbtxt --input_arrays x --output_arrays y --emit-mlir tfl -q | filecheck %s --check-prefix TFL

// CHECK-LABEL: func.func @main(%{{.*}}: tensor<2xf32>)
// CHECK-SAME: attributes {tf.entry_function = {inputs = "x", outputs = "y"}}
// CHECK: %{{.*}}, %[[Y:.*]] = "tf.While"(%{{.*}}, %{{.*}}) {T = [i32, f32], body = @while_body, cond = @while_cond, parallel_iterations = 10}
// CHECK-NEXT: return %[[Y]]
// CHECK-NOT: tf.Switch
// CHECK-NOT: tf.Merge
// CHECK-LABEL: func.func private @"while/cond_else"
// CHECK: "tf.Sub"
// CHECK-LABEL: func.func private @"while/cond_then"
// CHECK: "tf.Mul"
// CHECK-LABEL: func.func private @while_body
// CHECK: %[[P:.*]] = "tf.Greater"
// CHECK: "tf.If"(%[[P]], %{{.*}}) {Tcond = i1, Tin = [f32], Tout = [f32], else_branch = @"while/cond_else", then_branch = @"while/cond_then"}
// CHECK-LABEL: func.func private @while_cond
// CHECK: "tf.Less"
// CHECK-NOT: tf.NextIteration

// tf-shape-inference gives the loop and branch functions their operands' types.
// TFL: "tfl.while"(%{{.*}}, %{{.*}}) <{body = @while_body, cond = @while_cond}> : (tensor<i32>, tensor<2xf32>) -> (tensor<i32>, tensor<2xf32>)
// TFL: func.func private @"while/cond_else"(%{{.*}}: tensor<2xf32>) -> tensor<2xf32>
// TFL: "tfl.if"(%{{.*}}, %{{.*}}) <{else_branch = @"while/cond_else", then_branch = @"while/cond_then"}> : (tensor<i1>, tensor<2xf32>) -> tensor<2xf32>
