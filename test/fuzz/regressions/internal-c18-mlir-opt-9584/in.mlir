

// CHECK-LABEL: func.func @range_fill
// CHECK: %[[RANGE:.*]] = "tfl.pseudo_const"() <{value = dense<[0.000000e+00, 5.000000e-01, 1.000000e+00, 1.500000e+00]> : tensor<4xf32>}>
// CHECK: %[[DYN:.*]] = "tfl.range"(%{{.*}}, %n, %{{.*}}) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
// CHECK: %[[FILL:.*]] = "tfl.pseudo_const"() <{value = dense<5.000000e-01> : tensor<2x2xf32>}>
// CHECK-NEXT: return %[[RANGE]], %[[DYN]], %[[FILL]]
func.func @range_fill(%n: tensor<i32>) -> (tensor<4xf32>, tensor<?xi32>, tensor<2x2xf32>) {
  %a = "tf.Const"() {value = dense<999999999999999999999> : tensor<f32>} : () -> tensor<f32>
  %b = "tf.Const"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %c = "tf.Const"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.Range"(%a, %b, %c) {Tidx = f32} : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %zero = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %one = "tf.Const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %1 = "tf.Range"(%zero, %n, %one) {Tidx = i32} : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
  %dims = "tf.Const"() {value = dense<2> : tensor<2xi32>} : () -> tensor<2xi32>
  %2 = "tf.Fill"(%dims, %c) {T = f32, index_type = i32} : (tensor<2xi32>, tensor<f32>) -> tensor<2x2xf32>
  func.return %0, %1, %2 : tensor<4xf32>, tensor<?xi32>, tensor<2x2xf32>
}
