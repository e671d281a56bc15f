// A truncated or foreign .tflite gives one clear error and exit code 1.
// RUN: tflc-translate --mlir-to-tflite %S/main_function.mlir -o %t.tflite
// RUN: head -c 300 %t.tflite > %t.trunc.tflite
// RUN: not tflc-translate --tflite-to-mlir %t.trunc.tflite 2>&1 | filecheck %s --check-prefix=TRUNC
// RUN: not tflc-translate --tflite-to-mlir %s 2>&1 | filecheck %s --check-prefix=FOREIGN
// RUN: not tflc-translate --mlir-to-tflite %S/../legalize/unsupported.mlir -o %t.bad.tflite 2>&1 | filecheck %s --check-prefix=EXPORT
// RUN: not test -e %t.bad.tflite

// TRUNC: tflc-translate: error: {{.*}}trunc.tflite: the FlatBuffer is truncated or corrupt
// TRUNC-NOT: Traceback
// FOREIGN: tflc-translate: error: {{.*}}corrupt.mlir: not a TFLite model (missing the TFL3 file identifier)
// EXPORT: tflc-translate: error: 4 op(s) have no TFLite builtin and cannot be exported:
// EXPORT-NEXT: tf.AddV2 x1
// EXPORT-NEXT: tf.Bar x1 (first at node 'model/bar')
