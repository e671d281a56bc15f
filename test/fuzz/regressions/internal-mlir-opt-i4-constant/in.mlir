
// CHECK-LABEL: func.func @strided_slice_new_axis
// x[..., None, 1:3]: the ellipsis becomes full ranges, the new axis a reshape.
// CHECK: %[[B:[0-9]+]] = "tfl.pseudo_const"() <{value = dense<[0, 0, 1]> : tensor<3xi32>}>
// CHECK-NEXT: %[[E:.*]] = "tfl.pseudo_const"() <{value = dense<[0, 0, 3]> : tensor<3xi32>}>
// CHECK-NEXT: %[[S:.*]] = "tfl.pseudo_const"() <{value = dense<1> : tensor<3xi32>}>
// CHECK-NEXT: %[[SLICE:.*]] = "tfl.strided_slice"(%x, %[[B]], %[[E]], %[[S]]) <{begin_mask = 3 : i32, end_mask = 3 : i32, ellipsis_mask = 0 : i32, new_axis_mask = 0 : i32, shrink_axis_mask = 0 : i32, offset = false}> : (tensor<2x3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<2x3x2xf32>
// CHECK-NEXT: %[[SHAPE:.*]] = "tfl.pseudo_const"() <{value = dense<[2, 3, 1, 2]> : tensor<4xi32>}>
// CHECK-NEXT: "tfl.reshape"(%[[SLICE]], %[[SHAPE]]) : (tensor<2x3x2xf32>, tensor<4xi32>) -> tensor<2x3x1x2xf32>
func.func @strided_slice_new_axis(%x: tensor<2x3x4xf32>) -> tensor<2x3x1x2xf32> {
  %b = "tf.Const"() {value = dense<[0, 0, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
  %e = "tf.Const"() {value = dense<[0, 0, 3]> : tensor<3xi32>} : () -> tensor<3xi32>
  %s = "tf.Const"() {value = dense<[1, 1, 1]> : tensor<3xi4>} : () -> tensor<3xi32>
  %0 = "tf.StridedSlice"(%x, %b, %e, %s) {Index = i32, T = f32, begin_mask = 0 : i8, ellipsis_mask = 1 : i64, end_mask = 0 : i64, new_axis_mask = 2 : i64, shrink_axis_mask = 0 : i64} : (tensor<2x3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<2x3x1x2xf32>
  func.return %0 : tensor<2x3x1x2xf32>
}
