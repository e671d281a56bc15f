// Bad input: one message with file:line:col, exit code 1, no traceback, no output file.
// RUN: not tflc-opt %s 2>&1 | filecheck %s --check-prefix=VERIFY
// RUN: rm -f %t.mlir && not tflc-opt %s -o %t.mlir && not test -e %t.mlir
// RUN: not tflc-opt %s -p no-such-pass 2>&1 | filecheck %s --check-prefix=PASS
// RUN: not tflc-opt %t.missing.mlir 2>&1 | filecheck %s --check-prefix=MISSING
// RUN: rm -f %t.tflite && not tflc-translate --mlir-to-tflite %s -o %t.tflite 2>&1 | filecheck %s --check-prefix=VERIFY
// RUN: not test -e %t.tflite

// VERIFY: tflc-{{opt|translate}}: error: {{.*}}errors.mlir:[[# @LINE + 5]]:3: 'tfl.add' op fused_activation_function must be one of
// VERIFY-NOT: Traceback
// PASS: tflc-opt: error: bad pass pipeline 'no-such-pass'{{.*}}available passes: {{.*}}legalize-tf
// MISSING: tflc-opt: error: {{.*}}missing.mlir: no such file
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tfl.add %a, %a {fused_activation_function = "BAD"} : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
