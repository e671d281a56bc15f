// A value used before its definition is a verifier error (file:line:col), not a crash in export.
// RUN: not tflc-opt %s 2>&1 | filecheck %s
// RUN: rm -f %t.tflite && not tflc-translate --mlir-to-tflite %s -o %t.tflite 2>&1 | filecheck %s
// RUN: not test -e %t.tflite

// CHECK: error: {{.*}}use_before_def.mlir:[[# @LINE + 3]]:3: 'tfl.add' op operand #0 is used before it is defined
// CHECK-NOT: Traceback
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %1 = tfl.add %0, %a {fused_activation_function = "NONE"} : tensor<2xf32>
  %0 = "tfl.abs"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
