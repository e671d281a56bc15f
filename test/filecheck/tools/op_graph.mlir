// RUN: tflc-opt %s --view-op-graph -o /dev/null 2>&1 | filecheck %s
// RUN: tflc-opt %s --allow-unregistered-dialect --op-graph-file %t.dot --op-graph-function main | filecheck %s --check-prefix=IR
// RUN: filecheck %s --check-prefix=FILE < %t.dot

// The op graph as Graphviz DOT (mlir-opt's --view-op-graph): a cluster per function,
// a node per op and argument, an edge per operand use labelled with its type.
// CHECK: digraph G {
// CHECK: subgraph cluster_func_0 {
// CHECK-NEXT: label="@main";
// CHECK-NEXT: n0 [label="input 0\ntensor<2xf32>", shape="ellipse"];
// CHECK-NEXT: n1 [label="tfl.add\nfused_activation_function: NONE\ntensor<2xf32>", shape="box"];
// CHECK-NEXT: n0 -> n1 [label="tensor<2xf32>"];
// CHECK-NEXT: n0 -> n1 [label="tensor<2xf32>"];
// CHECK-NEXT: n2 [label="tfl.pseudo_const\ntensor<2xf32>", shape="box", style="filled", fillcolor="lightgrey"];
// CHECK-NEXT: n3 [label="tfl.mul\nfused_activation_function: RELU\ntensor<2xf32>", shape="box"];
// CHECK-NEXT: n1 -> n3 [label="tensor<2xf32>"];
// CHECK-NEXT: n2 -> n3 [label="tensor<2xf32>"];
// CHECK-NEXT: n4 [label="func.return", shape="ellipse"];
// CHECK-NEXT: n3 -> n4 [label="tensor<2xf32>"];
// CHECK-NEXT: }
// CHECK-NEXT: }

// IR: tfl.mul
// FILE: digraph G {
// FILE: label="@main";
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tfl.add %x, %x {fused_activation_function = "NONE"} : tensor<2xf32>
  %c = "tfl.pseudo_const"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %1 = tfl.mul %0, %c {fused_activation_function = "RELU"} : tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
