// RUN: tflc-opt %s --split-input-file -p tfl-quantize-int8 | filecheck %s
// RUN: tflc-opt %s --split-input-file -p 'tfl-quantize-int8{inference_input_type=int8 inference_output_type=uint8}' | filecheck %s --check-prefix=IO
// RUN: tflc-opt %s --split-input-file -p 'tfl-quantize-int8{per_channel_dense=false}' | filecheck %s --check-prefix=PT

// Calibrated ranges (quant.range, as calibration writes them) drive the int8 types:
// [-1, 1] -> scale 2/255, zero point -1; [-6, 2] -> zero point 63; the softmax output is fixed
// at 1/256, -128; the bias is int32 with scale = input scale x weight scale. Dense weights are
// per output channel by default (as TensorFlow 2.16+ writes them), per tensor on request (PT).
// CHECK-LABEL: func.func @classifier
// CHECK: %[[X:.*]] = "tfl.quantize"(%{{.*}}) : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 0.007843138:-1>>
// CHECK-DAG: "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.015748031,0.015748031}>>
// CHECK-DAG: "tfl.pseudo_qconst"() <{qtype = tensor<2x!quant.uniform<i32:f32:0, {0.00012351398,0.00012351398}>>, value = dense<[8096, -4048]> : tensor<2xi32>}>
// PT-LABEL: func.func @classifier
// PT-DAG: "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.015748031>>
// PT-DAG: "tfl.pseudo_qconst"() <{qtype = tensor<2x!quant.uniform<i32:f32, 0.00012351398>>, value = dense<[8096, -4048]> : tensor<2xi32>}>
// CHECK: %[[FC:.*]] = "tfl.fully_connected"(%[[X]], %{{.*}}, %{{.*}}) {{.*}} -> tensor<1x2x!quant.uniform<i8:f32, 0.03137255:63>>
// CHECK: %[[R:.*]] = "tfl.reshape"(%[[FC]], %{{.*}}) : (tensor<1x2x!quant.uniform<i8:f32, 0.03137255:63>>, tensor<2xi32>) -> tensor<2x1x!quant.uniform<i8:f32, 0.03137255:63>>
// CHECK: %[[S:.*]] = "tfl.softmax"(%[[R]]) {{.*}} -> tensor<2x1x!quant.uniform<i8:f32, 0.00390625:-128>>
// CHECK: %[[D:.*]] = "tfl.dequantize"(%[[S]]) : (tensor<2x1x!quant.uniform<i8:f32, 0.00390625:-128>>) -> tensor<2x1xf32>
// CHECK: return %[[D]]
// CHECK-NOT: quant.range

// IO-LABEL: func.func @classifier
// IO-SAME: (%{{.*}}: tensor<1x4x!quant.uniform<i8:f32, 0.007843138:-1>> {quant.name = "x"})
// IO-SAME: -> tensor<2x1x!quant.uniform<u8:f32, 0.00390625>>
// IO-NOT: "tfl.quantize"(%{{.*}}) : (tensor<1x4xf32>)
// IO: "tfl.softmax"
// IO: %[[U:.*]] = "tfl.quantize"(%{{.*}}) : (tensor<2x1x!quant.uniform<i8:f32, 0.00390625:-128>>) -> tensor<2x1x!quant.uniform<u8:f32, 0.00390625>>
// IO: return %[[U]]
func.func @classifier(%x: tensor<1x4xf32> {quant.name = "x", quant.range = array<f32: -1.0, 1.0>}) -> tensor<2x1xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<[[1.0, -2.0, 0.5, 0.0], [2.0, 1.0, -1.0, 0.25]]> : tensor<2x4xf32>}> : () -> tensor<2x4xf32>
  %b = "tfl.pseudo_const"() <{value = dense<[1.0, -0.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> {quant.range = [array<f32: -6.0, 2.0>]} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %s = "tfl.pseudo_const"() <{value = dense<[2, 1]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %1 = "tfl.reshape"(%0, %s) {quant.range = [array<f32: -6.0, 2.0>]} : (tensor<1x2xf32>, tensor<2xi32>) -> tensor<2x1xf32>
  %2 = "tfl.softmax"(%1) <{beta = 1.0 : f32}> {quant.range = [array<f32: 0.0, 1.0>]} : (tensor<2x1xf32>) -> tensor<2x1xf32>
  func.return %2 : tensor<2x1xf32>
}

// -----

// An op without an int8 kernel (exp) stays float between dequantize and quantize;
// uncalibrated values stay float.
// CHECK-LABEL: func.func @fallback
// CHECK: %[[A:.*]] = tfl.add({{.*}}) {{.*}} -> tensor<4x!quant.uniform<i8:f32, {{.*}}>>
// CHECK: %[[D:.*]] = "tfl.dequantize"(%[[A]])
// CHECK: %[[E:.*]] = "tfl.exp"(%[[D]]) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: "tfl.quantize"(%[[E]])
// CHECK: tfl.mul
func.func @fallback(%x: tensor<4xf32> {quant.range = array<f32: -1.0, 1.0>}) -> tensor<4xf32> {
  %0 = "tfl.add"(%x, %x) <{fused_activation_function = "NONE"}> {quant.range = [array<f32: -2.0, 2.0>]} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.exp"(%0) {quant.range = [array<f32: 0.1, 7.4>]} : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "tfl.mul"(%1, %0) <{fused_activation_function = "NONE"}> {quant.range = [array<f32: -15.0, 15.0>]} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %2 : tensor<4xf32>
}
