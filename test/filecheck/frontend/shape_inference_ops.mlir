// RUN: tflc-opt %s -p tf-shape-inference | filecheck %s

// Frozen GraphDefs carry no shapes: convolution, pooling, batch norm and the shape ops
// get the dims TF's shape functions give them.
// CHECK-LABEL: func.func @image
func.func @image(%x: tensor<1x15x16x3xf32>, %w: tensor<3x3x3x8xf32>, %dw: tensor<3x3x8x2xf32>, %c: tensor<8xf32>) -> tensor<*xf32> {
  // CHECK: "tf.Conv2D"{{.*}} -> tensor<1x8x8x8xf32>
  %0 = "tf.Conv2D"(%x, %w) {padding = "SAME", strides = [1, 2, 2, 1], data_format = "NHWC"} : (tensor<1x15x16x3xf32>, tensor<3x3x3x8xf32>) -> tensor<*xf32>
  // CHECK: "tf.FusedBatchNormV3"{{.*}} -> (tensor<1x8x8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
  %1:6 = "tf.FusedBatchNormV3"(%0, %c, %c, %c, %c) {epsilon = 1.0e-3 : f32, is_training = false} : (tensor<*xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  // CHECK: "tf.DepthwiseConv2dNative"{{.*}} -> tensor<1x6x6x16xf32>
  %2 = "tf.DepthwiseConv2dNative"(%1#0, %dw) {padding = "VALID", strides = [1, 1, 1, 1]} : (tensor<*xf32>, tensor<3x3x8x2xf32>) -> tensor<*xf32>
  // CHECK: "tf.MaxPool"{{.*}} -> tensor<1x3x3x16xf32>
  %3 = "tf.MaxPool"(%2) {ksize = [1, 2, 2, 1], padding = "VALID", strides = [1, 2, 2, 1]} : (tensor<*xf32>) -> tensor<*xf32>
  %pads = "tf.Const"() {value = dense<[[0, 0], [1, 2], [0, 1], [0, 0]]> : tensor<4x2xi32>} : () -> tensor<4x2xi32>
  // CHECK: "tf.Pad"{{.*}} -> tensor<1x6x4x16xf32>
  %4 = "tf.Pad"(%3, %pads) : (tensor<*xf32>, tensor<4x2xi32>) -> tensor<*xf32>
  %size = "tf.Const"() {value = dense<[12, 8]> : tensor<2xi32>} : () -> tensor<2xi32>
  // CHECK: "tf.ResizeBilinear"{{.*}} -> tensor<1x12x8x16xf32>
  %5 = "tf.ResizeBilinear"(%4, %size) : (tensor<*xf32>, tensor<2xi32>) -> tensor<*xf32>
  %b = "tf.Const"() {value = dense<[0, 1, 0, 0]> : tensor<4xi32>} : () -> tensor<4xi32>
  %e = "tf.Const"() {value = dense<[0, 9, 0, 5]> : tensor<4xi32>} : () -> tensor<4xi32>
  %s = "tf.Const"() {value = dense<[1, 2, 1, 1]> : tensor<4xi32>} : () -> tensor<4xi32>
  // begin_mask 0b0101 and end_mask 0b0101 take dims 0 and 2 whole; dim 3 keeps 0..5.
  // CHECK: "tf.StridedSlice"{{.*}} -> tensor<1x4x8x5xf32>
  %6 = "tf.StridedSlice"(%5, %b, %e, %s) {begin_mask = 5 : i64, end_mask = 5 : i64, ellipsis_mask = 0 : i64, new_axis_mask = 0 : i64, shrink_axis_mask = 0 : i64} : (tensor<*xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) -> tensor<*xf32>
  %axis = "tf.Const"() {value = dense<-1> : tensor<i32>} : () -> tensor<i32>
  // CHECK: "tf.ExpandDims"{{.*}} -> tensor<1x4x8x5x1xf32>
  %7 = "tf.ExpandDims"(%6, %axis) : (tensor<*xf32>, tensor<i32>) -> tensor<*xf32>
  // CHECK: "tf.Squeeze"{{.*}} -> tensor<4x8x5xf32>
  %8 = "tf.Squeeze"(%7) {squeeze_dims = []} : (tensor<*xf32>) -> tensor<*xf32>
  %m = "tf.Const"() {value = dense<[2, 1, 3]> : tensor<3xi32>} : () -> tensor<3xi32>
  // CHECK: "tf.Tile"{{.*}} -> tensor<8x8x15xf32>
  %9 = "tf.Tile"(%8, %m) : (tensor<*xf32>, tensor<3xi32>) -> tensor<*xf32>
  func.return %9 : tensor<*xf32>
}

// Constant operands that contradict the operand types (a 2^32-element splat of axes, a
// permutation past the rank, a non-scalar concat axis) leave the result types alone; the
// rules neither iterate the splat nor fail.
// CHECK-LABEL: func.func @malformed_constants
func.func @malformed_constants(%x: tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi32>) {
  %axes = "tf.Const"() {value = dense<1> : tensor<4294967296xi32>} : () -> tensor<4294967296xi32>
  // CHECK: "tf.Sum"{{.*}} -> tensor<*xf32>
  %0 = "tf.Sum"(%x, %axes) {keep_dims = false} : (tensor<2x3xf32>, tensor<4294967296xi32>) -> tensor<*xf32>
  %perm = "tf.Const"() {value = dense<[0, 5]> : tensor<2xi32>} : () -> tensor<2xi32>
  // CHECK: "tf.Transpose"{{.*}} -> tensor<*xf32>
  %1 = "tf.Transpose"(%x, %perm) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<*xf32>
  %axis = "tf.Const"() {value = dense<[0, 1]> : tensor<2xi32>} : () -> tensor<2xi32>
  // CHECK: "tf.ConcatV2"{{.*}} -> tensor<*xf32>
  %2 = "tf.ConcatV2"(%x, %x, %axis) : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xi32>) -> tensor<*xf32>
  %dims = "tf.Const"() {value = dense<2> : tensor<4294967296xi32>} : () -> tensor<4294967296xi32>
  %v = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  // CHECK: "tf.Fill"{{.*}} -> tensor<*xi32>
  %3 = "tf.Fill"(%dims, %v) : (tensor<4294967296xi32>, tensor<i32>) -> tensor<*xi32>
  func.return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi32>
}
