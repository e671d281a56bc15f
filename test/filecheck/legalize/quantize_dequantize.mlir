// RUN: tflc-opt %s -p "legalize-tf{allow-unsupported=true}" --split-input-file | filecheck %s

// tf.QuantizeAndDequantizeV4 with constant min/max lowers as TensorFlow's converter does: the
// FakeQuant parameters of [min, max] on uint8 storage ([0, 255]: scale 1, zero point 0),
// whatever signed_input, range_given and round_mode say.
// CHECK-LABEL: func.func @v4_default
// CHECK-NEXT: %[[Q:.*]] = "tfl.quantize"(%x) : (tensor<?x?xf32>) -> tensor<?x?x!quant.uniform<u8:f32, 1.0>>
// CHECK-NEXT: %[[D:.*]] = "tfl.dequantize"(%[[Q]]) : (tensor<?x?x!quant.uniform<u8:f32, 1.0>>) -> tensor<?x?xf32>
// CHECK-NEXT: return %[[D]]
func.func @v4_default(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %lo = arith.constant dense<0.0> : tensor<f32>
  %hi = arith.constant dense<255.0> : tensor<f32>
  %0 = "tf.QuantizeAndDequantizeV4"(%x, %lo, %hi) : (tensor<?x?xf32>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  func.return %0 : tensor<?x?xf32>
}

// -----

// [-1, 2] over 255 steps: scale 3/255, zero point 85 (as tf.FakeQuantWithMinMaxVars).
// CHECK-LABEL: func.func @v4_asymmetric
// CHECK-NEXT: %[[Q:.*]] = "tfl.quantize"(%x) : (tensor<2x8xf32>) -> tensor<2x8x!quant.uniform<u8:f32, 0.011764706:85>>
// CHECK-NEXT: "tfl.dequantize"(%[[Q]])
func.func @v4_asymmetric(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %lo = "tf.Const"() {value = dense<-1.0> : tensor<f32>} : () -> tensor<f32>
  %hi = "tf.Const"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.QuantizeAndDequantizeV4"(%x, %lo, %hi) {signed_input = true, num_bits = 8 : i64, range_given = true, round_mode = "HALF_TO_EVEN", narrow_range = false, axis = -1 : i64} : (tensor<2x8xf32>, tensor<f32>, tensor<f32>) -> tensor<2x8xf32>
  func.return %0 : tensor<2x8xf32>
}

// -----

// V2 (TensorFlow canonicalizes it to V4) with narrow_range and 4 bits: storage 1..15, and a
// clamp to the nudged range first (the storage range is narrower than uint8's).
// [-1, 1] over 14 steps: scale 1/7, zero point 8.
// CHECK-LABEL: func.func @v2_narrow_four_bits
// CHECK: "tfl.maximum"
// CHECK-NEXT: "tfl.minimum"
// CHECK-NEXT: "tfl.quantize"(%{{.*}}) : (tensor<3xf32>) -> tensor<3x!quant.uniform<u8<1:15>:f32, 0.14285715:8>>
// CHECK-NEXT: "tfl.dequantize"
func.func @v2_narrow_four_bits(%x: tensor<3xf32>) -> tensor<3xf32> {
  %lo = "tf.Const"() {value = dense<-1.0> : tensor<f32>} : () -> tensor<f32>
  %hi = "tf.Const"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.QuantizeAndDequantizeV2"(%x, %lo, %hi) {num_bits = 4 : i64, narrow_range = true, range_given = true} : (tensor<3xf32>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Left for the report (or Flex): a per-axis range (axis other than -1), min/max that are not
// constants, and V3 (num_bits as a tensor), which TensorFlow's converter does not lower either.
// CHECK-LABEL: func.func @left
// CHECK: "tf.QuantizeAndDequantizeV4"
// CHECK: "tf.QuantizeAndDequantizeV4"
// CHECK: "tf.QuantizeAndDequantizeV3"
// CHECK-NOT: tfl.quantize
func.func @left(%x: tensor<2x3xf32>, %lo: tensor<f32>, %hi: tensor<f32>, %bits: tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %los = "tf.Const"() {value = dense<[-1.0, -2.0, -3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %his = "tf.Const"() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %0 = "tf.QuantizeAndDequantizeV4"(%x, %los, %his) {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = "tf.QuantizeAndDequantizeV4"(%x, %lo, %hi) : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = "tf.QuantizeAndDequantizeV3"(%x, %lo, %hi, %bits) : (tensor<2x3xf32>, tensor<f32>, tensor<f32>, tensor<i32>) -> tensor<2x3xf32>
  func.return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
