// RUN: not tflc-opt %s -p legalize-tf 2>&1 | filecheck %s

// A FakeQuant op whose min is above its max: one message naming the op and what it needs.
// CHECK: tflc-opt: error: tf.FakeQuantWithMinMaxVars at {{.*}}fake_quant_errors.mlir:8:3 has min 3.0 above max 1.0; a FakeQuant op needs min <= max
func.func @min_above_max(%x: tensor<3xf32>) -> tensor<3xf32> {
  %lo = "tf.Const"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %hi = "tf.Const"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.FakeQuantWithMinMaxVars"(%x, %lo, %hi) : (tensor<3xf32>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}
