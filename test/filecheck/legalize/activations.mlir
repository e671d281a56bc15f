// RUN: tflc-opt %s -p prepare-tf,legalize-tf --split-input-file | filecheck %s

// CHECK-LABEL: func.func @gelu_erfc
// 0.5 * x * erfc(-x / sqrt(2)), as tf.nn.gelu and Keras write it.
// CHECK-NEXT: %[[G:.*]] = "tfl.gelu"(%x) <{approximate = false}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_erfc(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %half = "tf.Const"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %k = "tf.Const"() {value = dense<0.707106769> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.Mul"(%half, %x) {T = f32} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = "tf.Neg"(%x) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "tf.Mul"(%1, %k) {T = f32} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = "tf.Erfc"(%2) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = "tf.Mul"(%0, %3) {T = f32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %4 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @gelu_tanh
// CHECK-NEXT: %[[G:.*]] = "tfl.gelu"(%x) <{approximate = true}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %half = "tf.Const"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %three = "tf.Const"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %c = "tf.Const"() {value = dense<0.044715> : tensor<f32>} : () -> tensor<f32>
  %s = "tf.Const"() {value = dense<0.797884583> : tensor<f32>} : () -> tensor<f32>
  %one = "tf.Const"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.Mul"(%half, %x) {T = f32} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = "tf.Pow"(%x, %three) {T = f32} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = "tf.Mul"(%c, %1) {T = f32} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = "tf.AddV2"(%x, %2) {T = f32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = "tf.Mul"(%s, %3) {T = f32} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = "tf.Tanh"(%4) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = "tf.AddV2"(%one, %5) {T = f32} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = "tf.Mul"(%0, %6) {T = f32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %7 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @hard_swish
// x * relu6(x + 3) / 6, as Keras writes it.
// CHECK-NEXT: %[[H:.*]] = "tfl.hard_swish"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[H]]
func.func @hard_swish(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %three = "tf.Const"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %six = "tf.Const"() {value = dense<6.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.AddV2"(%x, %three) {T = f32} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = "tf.Relu6"(%0) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "tf.RealDiv"(%1, %six) {T = f32} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = "tf.Mul"(%x, %2) {T = f32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %3 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @not_gelu
// A wrong coefficient is not GELU: erfc is decomposed (clamp, rational polynomial, 1 - erf).
// CHECK-NOT: tfl.gelu
// CHECK: "tfl.minimum"
// CHECK: "tfl.maximum"
// CHECK: tfl.div
// CHECK: %[[ERFC:.*]] = tfl.sub
// CHECK-NEXT: tfl.mul %{{.*}}, %[[ERFC]]
func.func @not_gelu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %third = "tf.Const"() {value = dense<0.3> : tensor<f32>} : () -> tensor<f32>
  %k = "tf.Const"() {value = dense<0.707106769> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.Mul"(%third, %x) {T = f32} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = "tf.Neg"(%x) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "tf.Mul"(%1, %k) {T = f32} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = "tf.Erfc"(%2) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = "tf.Mul"(%0, %3) {T = f32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %4 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @simple
// CHECK-NEXT: %[[GE:.*]] = tfl.greater_equal(%x, %y) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[SEL:.*]] = "tfl.select_v2"(%[[GE]], %x, %y)
// CHECK-NEXT: %[[LR:.*]] = "tfl.leaky_relu"(%[[SEL]]) <{alpha = 1.000000e-01 : f32}>
// CHECK-NEXT: %[[SD:.*]] = tfl.squared_difference(%[[LR]], %y)
// CHECK-NEXT: %[[SUM:.*]] = "tfl.add_n"(%[[SD]], %[[SD]], %x)
// CHECK-NEXT: %[[LS:.*]] = "tfl.log_softmax"(%[[SUM]])
// CHECK: %[[AXES:.*]] = "tfl.pseudo_const"() <{value = dense<1> : tensor<1xi32>}>
// CHECK-NEXT: "tfl.reduce_max"(%[[LS]], %[[AXES]]) <{keep_dims = true}> : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<2x1xf32>
func.func @simple(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = "tf.GreaterEqual"(%x, %y) {T = f32} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %1 = "tf.SelectV2"(%0, %x, %y) {T = f32} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = "tf.LeakyRelu"(%1) {T = f32, alpha = 0.1 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = "tf.StopGradient"(%2) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = "tf.SquaredDifference"(%3, %y) {T = f32} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = "tf.AddN"(%4, %4, %x) {N = 3 : i64, T = f32} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = "tf.LogSoftmax"(%5) {T = f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %axis = "tf.Const"() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %7 = "tf.Max"(%6, %axis) {T = f32, Tidx = i64, keep_dims = true} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %8 = "tf.Sub"(%6, %7) {T = f32} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  func.return %0, %1, %2, %6, %8 : tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
