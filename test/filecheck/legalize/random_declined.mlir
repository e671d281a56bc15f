// RUN: not tflc-opt %s -p legalize-tf 2>&1 | filecheck %s
// A random op TFLite has no kernel for (complex draws) is left for the report. The pattern
// checks that before it builds the int32 shape it would pass, so the rewrite ends.

// CHECK: tflc-opt: error: 1 op(s) have no TFLite builtin lowering:
// CHECK-NEXT: tf.RandomUniform x1 (first at {{.*}}random_declined.mlir:10:3)
func.func @complex_draws() -> tensor<4x5xcomplex<f32>> {
  %s = "tf.Const"() {value = dense<[4, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  // The int64 shape would need a cast (or a new int32 constant) to be lowered.
  %0 = "tf.RandomUniform"(%s) {seed = 1 : i64, seed2 = 2 : i64} : (tensor<2xi64>) -> tensor<4x5xcomplex<f32>>
  func.return %0 : tensor<4x5xcomplex<f32>>
}
