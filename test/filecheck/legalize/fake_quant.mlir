// RUN: tflc-opt %s -p 'legalize-tf{allow-unsupported=true}' --split-input-file | filecheck %s

// FakeQuantWithMinMaxArgs on an activation: TF's nudged parameters on a uint8 quantize, then a
// dequantize. [-1, 2] over 255 steps: scale 3/255, zero point round(1 / scale) = 85.
// CHECK-LABEL: func.func @args
// CHECK-NEXT: %[[Q:.*]] = "tfl.quantize"(%x) : (tensor<2x8xf32>) -> tensor<2x8x!quant.uniform<u8:f32, 0.011764706:85>>
// CHECK-NEXT: %[[D:.*]] = "tfl.dequantize"(%[[Q]]) : (tensor<2x8x!quant.uniform<u8:f32, 0.011764706:85>>) -> tensor<2x8xf32>
// CHECK-NEXT: return %[[D]]
func.func @args(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = "tf.FakeQuantWithMinMaxArgs"(%x) {min = -1.0 : f32, max = 2.0 : f32, num_bits = 8 : i64, narrow_range = false} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  func.return %0 : tensor<2x8xf32>
}

// -----

// A range that does not contain 0 is nudged as TF's kernel does: [0.5, 3] becomes [0, 2.5].
// CHECK-LABEL: func.func @positive_range
// CHECK: "tfl.quantize"(%x) : (tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 0.009803922>>
func.func @positive_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "tf.FakeQuantWithMinMaxArgs"(%x) {min = 0.5 : f32, max = 3.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// FakeQuantWithMinMaxVars with constant min/max and narrow_range: storage range 1..255; values
// outside the nudged range are clamped first (uint8's own range is wider than the op's).
// CHECK-LABEL: func.func @vars_narrow
// CHECK-DAG: %[[LO:.*]] = "tfl.pseudo_const"() <{value = dense<-2.000000e+00> : tensor<f32>}>
// CHECK-DAG: %[[HI:.*]] = "tfl.pseudo_const"() <{value = dense<2.000000e+00> : tensor<f32>}>
// CHECK: %[[A:.*]] = "tfl.maximum"(%x, %[[LO]])
// CHECK-NEXT: %[[B:.*]] = "tfl.minimum"(%[[A]], %[[HI]])
// CHECK-NEXT: "tfl.quantize"(%[[B]]) : (tensor<3xf32>) -> tensor<3x!quant.uniform<u8<1:255>:f32, 0.015748031:128>>
func.func @vars_narrow(%x: tensor<3xf32>) -> tensor<3xf32> {
  %lo = "tf.Const"() {value = dense<-2.0> : tensor<f32>} : () -> tensor<f32>
  %hi = "tf.Const"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.FakeQuantWithMinMaxVars"(%x, %lo, %hi) {narrow_range = true, num_bits = 8 : i64} : (tensor<3xf32>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// 4 bits: 15 steps, storage range 0..15.
// CHECK-LABEL: func.func @four_bits
// CHECK: "tfl.quantize"(%{{.*}}) : (tensor<3xf32>) -> tensor<3x!quant.uniform<u8<0:15>:f32, 0.2:5>>
func.func @four_bits(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "tf.FakeQuantWithMinMaxArgs"(%x) {min = -1.0 : f32, max = 2.0 : f32, num_bits = 4 : i64} : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Per channel on constant weights: an int8 quantized constant per axis (the last dimension;
// TF's unsigned range shifted by 128, so symmetric narrow-range weights have zero point 0) read
// through a dequantize. Stored values: floor(w / scale + 0.5) with scale = max / 127 (TF rounds
// half-way values up: -63.5 -> -63).
// CHECK-LABEL: func.func @per_channel_weights
// CHECK: %[[W:.*]] = "tfl.pseudo_qconst"() <{qtype = tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.007874016,0.015748031}>>, value = dense<{{\[\[}}127, -127], [-63, 32]]> : tensor<2x2xi8>}>
// CHECK-NEXT: %[[D:.*]] = "tfl.dequantize"(%[[W]]) : (tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.007874016,0.015748031}>>) -> tensor<2x2xf32>
// CHECK: "tfl.transpose"(%[[D]]
func.func @per_channel_weights(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tf.Const"() {value = dense<[[1.0, -2.0], [-0.5, 0.5]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %lo = "tf.Const"() {value = dense<[-1.0, -2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %hi = "tf.Const"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %q = "tf.FakeQuantWithMinMaxVarsPerChannel"(%w, %lo, %hi) {narrow_range = true} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %0 = "tf.MatMul"(%x, %q) : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  func.return %0 : tensor<1x2xf32>
}

// -----

// min/max that are not constants: left for the report (or Flex).
// CHECK-LABEL: func.func @variable_range
// CHECK: "tf.FakeQuantWithMinMaxVars"
func.func @variable_range(%x: tensor<3xf32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<3xf32> {
  %0 = "tf.FakeQuantWithMinMaxVars"(%x, %lo, %hi) : (tensor<3xf32>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

