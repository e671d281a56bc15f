// RUN: tflc-opt %s -p "legalize-tf{allow-unsupported=true}" --split-input-file | filecheck %s

// tf.SegmentSum -> tfl.segment_sum: int64 ids are cast to int32 (TFLite's kernel type), with
// ranked and unranked results; the ids' rank is not constrained (TensorFlow's op definition
// does not; its tests write scalar ids).
// CHECK-LABEL: func.func @segment_sum
// CHECK-NEXT: %[[A:.*]] = "tfl.segment_sum"(%d, %ids) : (tensor<5x3xf32>, tensor<5xi32>) -> tensor<?x3xf32>
// CHECK-NEXT: %[[C:.*]] = "tfl.cast"(%ids64) : (tensor<5xi64>) -> tensor<5xi32>
// CHECK-NEXT: %[[B:.*]] = "tfl.segment_sum"(%d, %[[C]]) : (tensor<5x3xf32>, tensor<5xi32>) -> tensor<?x3xf32>
// CHECK-NEXT: %[[C2:.*]] = "tfl.cast"(%ids64) : (tensor<5xi64>) -> tensor<5xi32>
// CHECK-NEXT: %[[U:.*]] = "tfl.segment_sum"(%d, %[[C2]]) : (tensor<5x3xf32>, tensor<5xi32>) -> tensor<*xf32>
// CHECK-NEXT: %[[S:.*]] = "tfl.segment_sum"(%d, %scalar) : (tensor<5x3xf32>, tensor<i32>) -> tensor<*xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[U]], %[[S]]
func.func @segment_sum(%d: tensor<5x3xf32>, %ids: tensor<5xi32>, %ids64: tensor<5xi64>, %scalar: tensor<i32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = "tf.SegmentSum"(%d, %ids) : (tensor<5x3xf32>, tensor<5xi32>) -> tensor<?x3xf32>
  %1 = "tf.SegmentSum"(%d, %ids64) : (tensor<5x3xf32>, tensor<5xi64>) -> tensor<?x3xf32>
  %2 = "tf.SegmentSum"(%d, %ids64) : (tensor<5x3xf32>, tensor<5xi64>) -> tensor<*xf32>
  %3 = "tf.SegmentSum"(%d, %scalar) : (tensor<5x3xf32>, tensor<i32>) -> tensor<*xf32>
  func.return %0, %1, %2, %3 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// tf.MatrixSetDiagV3 with k = 0 (any align) -> tfl.matrix_set_diag; a diagonal of another
// element type is cast to the input's first (the kernel reads it as the input's type).
// CHECK-LABEL: func.func @matrix_set_diag
// CHECK-NEXT: %[[A:.*]] = "tfl.matrix_set_diag"(%x, %d) : (tensor<2x3x3xf32>, tensor<2x3xf32>) -> tensor<2x3x3xf32>
// CHECK-NEXT: %[[C:.*]] = "tfl.cast"(%d32) : (tensor<3xi32>) -> tensor<3xi64>
// CHECK-NEXT: %[[B:.*]] = "tfl.matrix_set_diag"(%y, %[[C]]) : (tensor<3x3xi64>, tensor<3xi64>) -> tensor<3x3xi64>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @matrix_set_diag(%x: tensor<2x3x3xf32>, %d: tensor<2x3xf32>, %y: tensor<3x3xi64>, %d32: tensor<3xi32>) -> (tensor<2x3x3xf32>, tensor<3x3xi64>) {
  %k = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.MatrixSetDiagV3"(%x, %d, %k) {align = "LEFT_RIGHT"} : (tensor<2x3x3xf32>, tensor<2x3xf32>, tensor<i32>) -> tensor<2x3x3xf32>
  %1 = "tf.MatrixSetDiagV3"(%y, %d32, %k) : (tensor<3x3xi64>, tensor<3xi32>, tensor<i32>) -> tensor<3x3xi64>
  func.return %0, %1 : tensor<2x3x3xf32>, tensor<3x3xi64>
}

// -----

// Bool matrices have no MATRIX_DIAG / MATRIX_SET_DIAG kernel (it would copy them as float32):
// left for the report (or Flex), as are diagonals other than the main one.
// CHECK-LABEL: func.func @left
// CHECK: "tf.MatrixSetDiag"
// CHECK: "tf.MatrixDiag"
// CHECK: "tf.MatrixSetDiagV3"
// CHECK-NOT: tfl.matrix
func.func @left(%x: tensor<3x3xi1>, %d: tensor<3xi1>, %f: tensor<3x3xf32>, %g: tensor<3xf32>) -> (tensor<3x3xi1>, tensor<3x3xi1>, tensor<3x3xf32>) {
  %0 = "tf.MatrixSetDiag"(%x, %d) : (tensor<3x3xi1>, tensor<3xi1>) -> tensor<3x3xi1>
  %1 = "tf.MatrixDiag"(%d) : (tensor<3xi1>) -> tensor<3x3xi1>
  %k = "tf.Const"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %2 = "tf.MatrixSetDiagV3"(%f, %g, %k) : (tensor<3x3xf32>, tensor<3xf32>, tensor<i32>) -> tensor<3x3xf32>
  func.return %0, %1, %2 : tensor<3x3xi1>, tensor<3x3xi1>, tensor<3x3xf32>
}

// -----

// The resize and depth/space ops take NHWC input; their result's rank is not constrained, as
// in TensorFlow's op definitions (its tests declare tensor<?xf32> results).
// CHECK-LABEL: func.func @any_rank_results
// CHECK: "tfl.resize_bilinear"(%x, %size) <{align_corners = true, half_pixel_centers = false}> : (tensor<1x100x100x3xf32>, tensor<2xi32>) -> tensor<?xf32>
// CHECK: "tfl.resize_nearest_neighbor"(%x, %size) <{align_corners = false, half_pixel_centers = true}> : (tensor<1x100x100x3xf32>, tensor<2xi32>) -> tensor<?xf32>
// CHECK: "tfl.space_to_depth"(%y) <{block_size = 2 : i32}> : (tensor<1x2x2x1xf32>) -> tensor<?xf32>
// CHECK: "tfl.depth_to_space"(%z) <{block_size = 2 : i32}> : (tensor<1x1x1x4xf32>) -> tensor<?x?xf32>
func.func @any_rank_results(%x: tensor<1x100x100x3xf32>, %size: tensor<2xi32>, %y: tensor<1x2x2x1xf32>, %z: tensor<1x1x1x4xf32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?x?xf32>) {
  %0 = "tf.ResizeBilinear"(%x, %size) {align_corners = true} : (tensor<1x100x100x3xf32>, tensor<2xi32>) -> tensor<?xf32>
  %1 = "tf.ResizeNearestNeighbor"(%x, %size) {half_pixel_centers = true} : (tensor<1x100x100x3xf32>, tensor<2xi32>) -> tensor<?xf32>
  %2 = "tf.SpaceToDepth"(%y) {block_size = 2 : i64, data_format = "NHWC"} : (tensor<1x2x2x1xf32>) -> tensor<?xf32>
  %3 = "tf.DepthToSpace"(%z) {block_size = 2 : i64, data_format = "NHWC"} : (tensor<1x1x1x4xf32>) -> tensor<?x?xf32>
  func.return %0, %1, %2, %3 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?x?xf32>
}
