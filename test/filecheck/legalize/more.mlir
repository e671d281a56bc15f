// RUN: tflc-opt %s -p "legalize-tf{allow-unsupported=true}" --split-input-file | filecheck %s

// CHECK-LABEL: func.func @decode_cache
func.func @decode_cache(%cache: tensor<1x6x4xf32>, %step: tensor<1x1x4xf32>, %idx: tensor<3xi64>) -> tensor<1x3x4xf32> {
  // CHECK: "tfl.dynamic_update_slice"(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<1x6x4xf32>, tensor<1x1x4xf32>, tensor<3xi64>) -> tensor<1x6x4xf32>
  %0 = "tf.XlaDynamicUpdateSlice"(%cache, %step, %idx) : (tensor<1x6x4xf32>, tensor<1x1x4xf32>, tensor<3xi64>) -> tensor<1x6x4xf32>
  // The slice start is clamped to [0, 6 - 3] on dim 1, as XLA does.
  // CHECK: %[[LOW:.*]] = "tfl.maximum"
  // CHECK: %[[HIGH:.*]] = "tfl.pseudo_const"() <{value = dense<[0, 3, 0]> : tensor<3xi32>}>
  // CHECK: %[[BEGIN:.*]] = "tfl.minimum"(%[[LOW]], %[[HIGH]])
  // CHECK: %[[SIZE:.*]] = "tfl.pseudo_const"() <{value = dense<[1, 3, 4]> : tensor<3xi32>}>
  // CHECK: "tfl.slice"(%{{.*}}, %[[BEGIN]], %[[SIZE]])
  %sizes = "tf.Const"() {value = dense<[1, 3, 4]> : tensor<3xi32>} : () -> tensor<3xi32>
  %1 = "tf.XlaDynamicSlice"(%0, %idx, %sizes) : (tensor<1x6x4xf32>, tensor<3xi64>, tensor<3xi32>) -> tensor<1x3x4xf32>
  func.return %1 : tensor<1x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @band_and_division
func.func @band_and_division(%x: tensor<3x3xf32>, %y: tensor<3x3xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>) {
  // CHECK: %[[MASK:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}true, false, false], [true, true, false], [true, true, true]]> : tensor<3x3xi1>}>
  // CHECK: "tfl.select_v2"(%[[MASK]], %{{.*}}, %{{.*}})
  %lo = "tf.Const"() {value = dense<-1> : tensor<i64>} : () -> tensor<i64>
  %up = "tf.Const"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %0 = "tf.MatrixBandPart"(%x, %lo, %up) : (tensor<3x3xf32>, tensor<i64>, tensor<i64>) -> tensor<3x3xf32>
  // CHECK: %[[ONE:.*]] = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<f32>}>
  // CHECK: tfl.div(%[[ONE]], %{{.*}})
  %1 = "tf.Reciprocal"(%y) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  // CHECK: %[[ZERO:.*]] = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<f32>}>
  // CHECK: %[[EQ:.*]] = "tfl.equal"(%{{.*}}, %[[ZERO]])
  // CHECK: %[[Q:.*]] = tfl.div
  // CHECK: "tfl.select_v2"(%[[EQ]], %[[ZERO]], %[[Q]])
  %2 = "tf.DivNoNan"(%x, %y) : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
  func.return %0, %1, %2 : tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>
}

// -----

// CHECK-LABEL: func.func @segments
func.func @segments(%d: tensor<5x3xf32>, %ids: tensor<5xi64>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  // CHECK: "tfl.unsorted_segment_sum"(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<5x3xf32>, tensor<5xi32>, tensor<i32>) -> tensor<4x3xf32>
  %sorted = "tf.Const"() {value = dense<[0, 0, 1, 3, 3]> : tensor<5xi64>} : () -> tensor<5xi64>
  %0 = "tf.SegmentSum"(%d, %sorted) : (tensor<5x3xf32>, tensor<5xi64>) -> tensor<4x3xf32>
  // Run-time int64 ids are cast for the int32-only kernel, as TensorFlow's converter does.
  // CHECK: %[[IDS:.*]] = "tfl.cast"(%ids) : (tensor<5xi64>) -> tensor<5xi32>
  // CHECK: "tfl.unsorted_segment_max"(%d, %[[IDS]], %{{.*}}) : (tensor<5x3xf32>, tensor<5xi32>, tensor<i32>) -> tensor<4x3xf32>
  %n = "tf.Const"() {value = dense<4> : tensor<i32>} : () -> tensor<i32>
  %1 = "tf.UnsortedSegmentMax"(%d, %ids, %n) : (tensor<5x3xf32>, tensor<5xi64>, tensor<i32>) -> tensor<4x3xf32>
  func.return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}
