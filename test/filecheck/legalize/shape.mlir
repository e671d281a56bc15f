// RUN: tflc-opt %s -p legalize-tf --split-input-file | filecheck %s

// CHECK-LABEL: func.func @strided_slice_new_axis
// x[..., None, 1:3]: the ellipsis becomes full ranges, the new axis a reshape.
// CHECK: %[[B:[0-9]+]] = "tfl.pseudo_const"() <{value = dense<[0, 0, 1]> : tensor<3xi32>}>
// CHECK-NEXT: %[[E:.*]] = "tfl.pseudo_const"() <{value = dense<[0, 0, 3]> : tensor<3xi32>}>
// CHECK-NEXT: %[[S:.*]] = "tfl.pseudo_const"() <{value = dense<1> : tensor<3xi32>}>
// CHECK-NEXT: %[[SLICE:.*]] = "tfl.strided_slice"(%x, %[[B]], %[[E]], %[[S]]) <{begin_mask = 3 : i32, ellipsis_mask = 0 : i32, end_mask = 3 : i32, new_axis_mask = 0 : i32, offset = false, shrink_axis_mask = 0 : i32}> : (tensor<2x3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<2x3x2xf32>
// CHECK-NEXT: %[[SHAPE:.*]] = "tfl.pseudo_const"() <{value = dense<[2, 3, 1, 2]> : tensor<4xi32>}>
// CHECK-NEXT: "tfl.reshape"(%[[SLICE]], %[[SHAPE]]) : (tensor<2x3x2xf32>, tensor<4xi32>) -> tensor<2x3x1x2xf32>
func.func @strided_slice_new_axis(%x: tensor<2x3x4xf32>) -> tensor<2x3x1x2xf32> {
  %b = "tf.Const"() {value = dense<[0, 0, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
  %e = "tf.Const"() {value = dense<[0, 0, 3]> : tensor<3xi32>} : () -> tensor<3xi32>
  %s = "tf.Const"() {value = dense<[1, 1, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
  %0 = "tf.StridedSlice"(%x, %b, %e, %s) {Index = i32, T = f32, begin_mask = 0 : i64, ellipsis_mask = 1 : i64, end_mask = 0 : i64, new_axis_mask = 2 : i64, shrink_axis_mask = 0 : i64} : (tensor<2x3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<2x3x1x2xf32>
  func.return %0 : tensor<2x3x1x2xf32>
}

// -----

// CHECK-LABEL: func.func @strided_slice_masks
// CHECK: %[[B:.*]] = "tfl.cast"(%b) : (tensor<3xi64>) -> tensor<3xi32>
// CHECK: "tfl.strided_slice"(%x, %[[B]], %{{.*}}, %{{.*}}) <{begin_mask = 5 : i32, ellipsis_mask = 0 : i32, end_mask = 5 : i32, new_axis_mask = 0 : i32, offset = false, shrink_axis_mask = 2 : i32}> : (tensor<2x3x4xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<2x4xf32>
func.func @strided_slice_masks(%x: tensor<2x3x4xf32>, %b: tensor<3xi64>) -> tensor<2x4xf32> {
  %e = "tf.Const"() {value = dense<[0, 2, 0]> : tensor<3xi64>} : () -> tensor<3xi64>
  %s = "tf.Const"() {value = dense<[1, 1, 1]> : tensor<3xi64>} : () -> tensor<3xi64>
  %0 = "tf.StridedSlice"(%x, %b, %e, %s) {Index = i64, T = f32, begin_mask = 5 : i64, ellipsis_mask = 0 : i64, end_mask = 5 : i64, new_axis_mask = 0 : i64, shrink_axis_mask = 2 : i64} : (tensor<2x3x4xf32>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @shape_queries
// CHECK: %[[SHAPE:.*]] = "tfl.pseudo_const"() <{value = dense<[2, 3]> : tensor<2xi32>}>
// CHECK-NEXT: %[[SIZE:.*]] = "tfl.pseudo_const"() <{value = dense<6> : tensor<i32>}>
// CHECK-NEXT: %[[RANK:.*]] = "tfl.pseudo_const"() <{value = dense<2> : tensor<i32>}>
// CHECK-NEXT: %[[DIMS:.*]] = "tfl.shape"(%d) : (tensor<?x3xf32>) -> tensor<2xi64>
// CHECK-NEXT: %[[AXES:.*]] = "tfl.pseudo_const"() <{value = dense<0> : tensor<1xi32>}>
// CHECK-NEXT: %[[DSIZE:.*]] = "tfl.reduce_prod"(%[[DIMS]], %[[AXES]]) <{keep_dims = false}>
// CHECK-NEXT: %[[DSHAPE:.*]] = "tfl.shape"(%d) : (tensor<?x3xf32>) -> tensor<2xi32>
// CHECK-NEXT: return %[[SHAPE]], %[[SIZE]], %[[RANK]], %[[DSIZE]], %[[DSHAPE]]
func.func @shape_queries(%x: tensor<2x3xf32>, %d: tensor<?x3xf32>) -> (tensor<2xi32>, tensor<i32>, tensor<i32>, tensor<i64>, tensor<2xi32>) {
  %0 = "tf.Shape"(%x) {T = f32, out_type = i32} : (tensor<2x3xf32>) -> tensor<2xi32>
  %1 = "tf.Size"(%x) {T = f32, out_type = i32} : (tensor<2x3xf32>) -> tensor<i32>
  %2 = "tf.Rank"(%d) {T = f32} : (tensor<?x3xf32>) -> tensor<i32>
  %3 = "tf.Size"(%d) {T = f32, out_type = i64} : (tensor<?x3xf32>) -> tensor<i64>
  %4 = "tf.Shape"(%d) {T = f32, out_type = i32} : (tensor<?x3xf32>) -> tensor<2xi32>
  func.return %0, %1, %2, %3, %4 : tensor<2xi32>, tensor<i32>, tensor<i32>, tensor<i64>, tensor<2xi32>
}

// -----

// CHECK-LABEL: func.func @range_fill
// CHECK: %[[RANGE:.*]] = "tfl.pseudo_const"() <{value = dense<[0.000000e+00, 5.000000e-01, 1.000000e+00, 1.500000e+00]> : tensor<4xf32>}>
// CHECK: %[[DYN:.*]] = "tfl.range"(%{{.*}}, %n, %{{.*}}) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
// CHECK: %[[FILL:.*]] = "tfl.pseudo_const"() <{value = dense<5.000000e-01> : tensor<2x2xf32>}>
// CHECK-NEXT: return %[[RANGE]], %[[DYN]], %[[FILL]]
func.func @range_fill(%n: tensor<i32>) -> (tensor<4xf32>, tensor<?xi32>, tensor<2x2xf32>) {
  %a = "tf.Const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
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

// -----

// CHECK-LABEL: func.func @einsum
// CHECK: %[[P0:.*]] = "tfl.pseudo_const"() <{value = dense<[0, 2, 1, 3]> : tensor<4xi32>}>
// CHECK-NEXT: %[[Q:.*]] = "tfl.transpose"(%q, %[[P0]]) : (tensor<1x5x2x4xf32>, tensor<4xi32>) -> tensor<1x2x5x4xf32>
// CHECK-NEXT: %[[P1:.*]] = "tfl.pseudo_const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}>
// CHECK-NEXT: %[[K:.*]] = "tfl.transpose"(%k, %[[P1]]) : (tensor<1x6x2x4xf32>, tensor<4xi32>) -> tensor<1x2x4x6xf32>
// CHECK-NEXT: %[[MM:.*]] = "tfl.batch_matmul"(%[[Q]], %[[K]]) <{adj_x = false, adj_y = false}> : (tensor<1x2x5x4xf32>, tensor<1x2x4x6xf32>) -> tensor<1x2x5x6xf32>
// CHECK-NEXT: return %[[MM]]
func.func @einsum(%q: tensor<1x5x2x4xf32>, %k: tensor<1x6x2x4xf32>) -> tensor<1x2x5x6xf32> {
  %0 = "tf.Einsum"(%q, %k) {N = 2 : i64, T = f32, equation = "BTNH,BSNH->BNTS"} : (tensor<1x5x2x4xf32>, tensor<1x6x2x4xf32>) -> tensor<1x2x5x6xf32>
  func.return %0 : tensor<1x2x5x6xf32>
}

// -----

// Unknown dims are read at run time: one gather for the batch and length, one concat.
// CHECK-LABEL: func.func @einsum_dynamic
// CHECK: %[[FLAT:.*]] = "tfl.reshape"(%x, %{{.*}}) : (tensor<?x?x4xf32>, tensor<2xi32>) -> tensor<?x4xf32>
// CHECK: %[[MM:.*]] = "tfl.batch_matmul"(%[[FLAT]], %{{.*}}) {{.*}} : (tensor<?x4xf32>, tensor<4x6xf32>) -> tensor<?x6xf32>
// CHECK-NEXT: %[[SHAPE:.*]] = "tfl.shape"(%x) : (tensor<?x?x4xf32>) -> tensor<3xi32>
// CHECK-NEXT: %[[AXES:.*]] = "tfl.pseudo_const"() <{value = dense<[0, 1]> : tensor<2xi32>}>
// CHECK-NEXT: %[[DIMS:.*]] = "tfl.gather"(%[[SHAPE]], %[[AXES]])
// CHECK-NEXT: %[[HEADS:.*]] = "tfl.pseudo_const"() <{value = dense<[2, 3]> : tensor<2xi32>}>
// CHECK-NEXT: %[[TARGET:.*]] = "tfl.concatenation"(%[[DIMS]], %[[HEADS]]) <{axis = 0 : i32, fused_activation_function = "NONE"}>
// CHECK-NEXT: %[[OUT:.*]] = "tfl.reshape"(%[[MM]], %[[TARGET]]) : (tensor<?x6xf32>, tensor<4xi32>) -> tensor<?x?x2x3xf32>
// CHECK-NEXT: return %[[OUT]]
func.func @einsum_dynamic(%x: tensor<?x?x4xf32>) -> tensor<?x?x2x3xf32> {
  %w = "tf.Const"() {value = dense<1.0> : tensor<4x2x3xf32>} : () -> tensor<4x2x3xf32>
  %0 = "tf.Einsum"(%x, %w) {N = 2 : i64, T = f32, equation = "abc,cde->abde"} : (tensor<?x?x4xf32>, tensor<4x2x3xf32>) -> tensor<?x?x2x3xf32>
  func.return %0 : tensor<?x?x2x3xf32>
}

// -----

// A label summed within one operand is reduced first; `...` covers the leading dims.
// CHECK-LABEL: func.func @einsum_sum_and_ellipsis
// CHECK: %[[AXIS:.*]] = "tfl.pseudo_const"() <{value = dense<1> : tensor<1xi32>}>
// CHECK-NEXT: %[[SUM:.*]] = "tfl.sum"(%a, %[[AXIS]]) <{keep_dims = false}> : (tensor<2x3x4xf32>, tensor<1xi32>) -> tensor<2x4xf32>
// CHECK: "tfl.batch_matmul"(%[[SUM]], %b)
func.func @einsum_sum_and_ellipsis(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %0 = "tf.Einsum"(%a, %b) {N = 2 : i64, T = f32, equation = "...ij,jk->...k"} : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  func.return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @pads_and_split
// CHECK: %[[PADS:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}1, 1], [2, 0]]> : tensor<2x2xi32>}>
// CHECK-NEXT: %[[PADDED:.*]] = "tfl.mirror_pad"(%x, %[[PADS]]) <{mode = #tfl<mirror_pad_attr SYMMETRIC>}> : (tensor<2x3xf32>, tensor<2x2xi32>) -> tensor<4x5xf32>
// CHECK: %{{.*}}, %{{.*}} = "tfl.split"(%axis, %[[PADDED]]) <{num_splits = 2 : i32}> : (tensor<i32>, tensor<4x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>)
// CHECK: %{{.*}}, %{{.*}} = "tfl.split_v"(%[[PADDED]], %sizes, %axis) <{num_splits = 2 : i32}> : (tensor<4x5xf32>, tensor<2xi32>, tensor<i32>) -> (tensor<1x5xf32>, tensor<3x5xf32>)
func.func @pads_and_split(%x: tensor<2x3xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>, tensor<1x5xf32>, tensor<3x5xf32>) {
  %p = "tf.Const"() {value = dense<[[1, 1], [2, 0]]> : tensor<2x2xi64>} : () -> tensor<2x2xi64>
  %0 = "tf.MirrorPad"(%x, %p) {T = f32, Tpaddings = i64, mode = "SYMMETRIC"} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<4x5xf32>
  %axis = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %1:2 = "tf.Split"(%axis, %0) {T = f32, num_split = 2 : i64} : (tensor<i32>, tensor<4x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>)
  %sizes = "tf.Const"() {value = dense<[1, -1]> : tensor<2xi32>} : () -> tensor<2xi32>
  %2:2 = "tf.SplitV"(%0, %sizes, %axis) {T = f32, Tlen = i32, num_split = 2 : i64} : (tensor<4x5xf32>, tensor<2xi32>, tensor<i32>) -> (tensor<1x5xf32>, tensor<3x5xf32>)
  func.return %1#0, %1#1, %2#0, %2#1 : tensor<2x5xf32>, tensor<2x5xf32>, tensor<1x5xf32>, tensor<3x5xf32>
}
