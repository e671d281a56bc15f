
// A While over a TensorList: the list becomes a [2, 3] tensor carried by tfl.while,
// SetItem a tfl.dynamic_update_slice in the body, Stack the tensor itself.
// CHECK-LABEL: func.func private @body
// CHECK-SAME: (%{{.*}}: tensor<i32>, %{{.*}}: tensor<2x3xf32>, %{{.*}}: tensor<3xf32>) -> (tensor<i32>, tensor<2x3xf32>, tensor<3xf32>)
// CHECK: "tfl.dynamic_update_slice"(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<2x3xf32>, tensor<1x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
func.func private @body(%i: tensor<i32>, %list: tensor<!tf_type.variant>, %x: tensor<3xf32>) -> (tensor<i32>, tensor<!tf_type.variant>, tensor<3xf32>) {
  %one = "tf.Const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.TensorListSetItem"(%list, %i, %x) {element_dtype = f32} : (tensor<!tf_type.variant>, tensor<i32>, tensor<3xf32>) -> tensor<!tf_type.variant>
  %1 = "tf.AddV2"(%i, %one) : (tensor<i32>, tensor<i32>) -> tensor<i32>
  %2 = "tf.AddV2"(%x, %x) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %1, %0, %2 : tensor<i32>, tensor<!tf_type.variant>, tensor<3xf32>
}
// CHECK-LABEL: func.func private @cond
// CHECK-SAME: (%{{.*}}: tensor<i32>, %{{.*}}: tensor<2x3xf32>, %{{.*}}: tensor<3xf32>) -> tensor<i1>
// CHECK: tfl.less
func.func private @cond(%i: tensor<i32>, %list: tensor<!tf_type.variant>, %x: tensor<3xf32>) -> tensor<i1> {
  %two = "tf.Const"() {value = dense<2> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.Less"(%i, %two) : (tensor<i32>, tensor<i32>) -> tensor<i1>
  func.return %0 : tensor<i1>
}
// CHECK-LABEL: func.func @main
// CHECK: %[[LIST:.*]] = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<2x3xf32>}>
// CHECK: %{{.*}}, %[[OUT:.*]], %{{.*}} = "tfl.while"(%{{.*}}, %[[LIST]], %x) <{body = @body, cond = @cond}> : (tensor<i32>, tensor<2x3xf32>, tensor<3xf32>) -> (tensor<i32>, tensor<2x3xf32>, tensor<3xf32>)
// CHECK-NEXT: return %[[OUT]] : tensor<2x3xf32>
func.func @main(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %shape = "tf.Const"() {value = dense<3> : tensor<1xi32>} : () -> tensor<1xi32>
  %n = "tf.Const"() {value = dense<2> : tensor<i32>} : () -> tensor<i32>
  %zero = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %list = "tf.TensorListReserve"(%shape, %n) {element_dtype = f32, shape_type = i32} : (tensor<1xi32>, tensor<i32>) -> tensor<!tf_type.variant>
  %0:3 = "tf.While"(%zero, %list, %x) {body = @main, cond = @cond, is_stateless = true} : (tensor<i32>, tensor<!tf_type.variant>, tensor<3xf32>) -> (tensor<i32>, tensor<!tf_type.variant>, tensor<3xf32>)
  %1 = "tf.TensorListStack"(%0#1, %shape) {element_dtype = f32, num_elements = 2 : i64} : (tensor<!tf_type.variant>, tensor<1xi32>) -> tensor<2x3xf32>
  func.return %1 : tensor<2x3xf32>
}