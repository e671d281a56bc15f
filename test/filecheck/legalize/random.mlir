// RUN: tflc-opt %s -p "legalize-tf{allow-unsupported=true}" --split-input-file | filecheck %s
// RUN: tflc-opt %s -p "legalize-tf{allow-unsupported=true},cse,dce" --split-input-file | filecheck %s --check-prefix=CSE
// RUN: not tflc-opt %s --split-input-file -p legalize-tf 2>&1 | filecheck %s --check-prefix=LEFT

// tf.RandomUniform / tf.RandomStandardNormal keep their seeds as int64 RandomOptions; the shape
// may be int64 (cast to int32, the kernel's type) and the result dynamic or unranked.
// CHECK-LABEL: func.func @uniform_normal
// CHECK-NEXT: %[[U:.*]] = "tfl.random_uniform"(%shape) <{seed = 1, seed2 = 2}> : (tensor<3xi32>) -> tensor<?x?x?xf32>
// CHECK-NEXT: %[[CAST:.*]] = "tfl.cast"(%shape64) : (tensor<2xi64>) -> tensor<2xi32>
// CHECK-NEXT: %[[N:.*]] = "tfl.random_standard_normal"(%[[CAST]]) <{seed = 0, seed2 = 0}> : (tensor<2xi32>) -> tensor<*xf32>
// CHECK-NEXT: return %[[U]], %[[N]]
func.func @uniform_normal(%shape: tensor<3xi32>, %shape64: tensor<2xi64>) -> (tensor<?x?x?xf32>, tensor<*xf32>) {
  %0 = "tf.RandomUniform"(%shape) {seed = 1 : i64, seed2 = 2 : i64, dtype = f32} : (tensor<3xi32>) -> tensor<?x?x?xf32>
  %1 = "tf.RandomStandardNormal"(%shape64) {seed = 0 : i64, seed2 = 0 : i64, dtype = f32} : (tensor<2xi64>) -> tensor<*xf32>
  func.return %0, %1 : tensor<?x?x?xf32>, tensor<*xf32>
}

// -----

// A constant int64 shape is folded to int32.
// CHECK-LABEL: func.func @constant_shape
// CHECK: %[[S:.*]] = "tfl.pseudo_const"() <{value = dense<[4, 5]> : tensor<2xi32>}>
// CHECK-NEXT: "tfl.random_uniform"(%[[S]]) <{seed = 87654321987, seed2 = -3}> : (tensor<2xi32>) -> tensor<4x5xf32>
func.func @constant_shape() -> tensor<4x5xf32> {
  %s = "tf.Const"() {value = dense<[4, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "tf.RandomUniform"(%s) {seed = 87654321987 : i64, seed2 = -3 : i64, dtype = f32} : (tensor<2xi64>) -> tensor<4x5xf32>
  func.return %0 : tensor<4x5xf32>
}

// -----

// tf.Multinomial -> tfl.multinomial, int32 or int64 samples.
// CHECK-LABEL: func.func @multinomial
// CHECK: "tfl.multinomial"(%logits, %n) <{seed = 5, seed2 = 6}> : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x?xi64>
// CHECK: "tfl.multinomial"(%logits, %n) <{seed = 5, seed2 = 7}> : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x?xi32>
func.func @multinomial(%logits: tensor<2x3xf32>, %n: tensor<i32>) -> (tensor<2x?xi64>, tensor<2x?xi32>) {
  %0 = "tf.Multinomial"(%logits, %n) {seed = 5 : i64, seed2 = 6 : i64, output_dtype = i64} : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x?xi64>
  %1 = "tf.Multinomial"(%logits, %n) {seed = 5 : i64, seed2 = 7 : i64, output_dtype = i32} : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x?xi32>
  func.return %0, %1 : tensor<2x?xi64>, tensor<2x?xi32>
}

// -----

// Two draws are two tensors: cse does not merge them (the ops are not Pure), and dce keeps
// a draw nobody reads (the generator's state advances).
// CSE-LABEL: func.func @two_draws
// CSE: %[[A:.*]] = "tfl.random_uniform"(%shape)
// CSE-NEXT: %[[B:.*]] = "tfl.random_uniform"(%shape)
// CSE-NEXT: "tfl.random_standard_normal"(%shape)
// CSE-NEXT: return %[[A]], %[[B]]
func.func @two_draws(%shape: tensor<1xi32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %0 = "tf.RandomUniform"(%shape) {seed = 0 : i64, seed2 = 0 : i64, dtype = f32} : (tensor<1xi32>) -> tensor<?xf32>
  %1 = "tf.RandomUniform"(%shape) {seed = 0 : i64, seed2 = 0 : i64, dtype = f32} : (tensor<1xi32>) -> tensor<?xf32>
  %2 = "tf.RandomStandardNormal"(%shape) {seed = 0 : i64, seed2 = 0 : i64, dtype = f32} : (tensor<1xi32>) -> tensor<?xf32>
  func.return %0, %1 : tensor<?xf32>, tensor<?xf32>
}

// -----

// Float64 draws and logits have no TFLite kernel: left for the report (or Flex).
// CHECK-LABEL: func.func @float64
// CHECK: "tf.RandomUniform"
// CHECK: "tf.Multinomial"
// LEFT: error: 2 op(s) have no TFLite builtin lowering:
// LEFT-NEXT: tf.Multinomial x1
// LEFT-NEXT: tf.RandomUniform x1
func.func @float64(%shape: tensor<1xi32>, %logits: tensor<1x3xf64>, %n: tensor<i32>) -> (tensor<?xf64>, tensor<1x?xi64>) {
  %0 = "tf.RandomUniform"(%shape) {seed = 0 : i64, seed2 = 0 : i64, dtype = f64} : (tensor<1xi32>) -> tensor<?xf64>
  %1 = "tf.Multinomial"(%logits, %n) {seed = 0 : i64, seed2 = 0 : i64, output_dtype = i64} : (tensor<1x3xf64>, tensor<i32>) -> tensor<1x?xi64>
  func.return %0, %1 : tensor<?xf64>, tensor<1x?xi64>
}
