// RUN: tflc-opt %s --split-input-file -p 'tfl-quantize-float16{min_elements=4}' | filecheck %s --check-prefix=F16
// RUN: tflc-opt %s --split-input-file -p 'tfl-quantize-dynamic-range{min_elements=4}' | filecheck %s --check-prefix=DR
// RUN: tflc-opt %s --split-input-file -p tfl-quantize-dynamic-range | filecheck %s --check-prefix=BIG
// RUN: tflc-opt %s --split-input-file -p 'tfl-quantize-dynamic-range{min_elements=4 per_channel_dense=false}' | filecheck %s --check-prefix=PT

// Float16: weights and bias become f16 constants behind one tfl.dequantize each;
// the 2-element constant is under the threshold and stays f32.
// F16-LABEL: func.func @dense
// F16: %[[W16:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}1.000000e+00, -2.000000e+00, 5.000000e-01, 0.000000e+00], [4.000000e+00, 1.000000e+00, -1.000000e+00, 2.000000e+00]]> : tensor<2x4xf16>}>
// F16: %[[W:.*]] = "tfl.dequantize"(%[[W16]]) : (tensor<2x4xf16>) -> tensor<2x4xf32>
// F16: %[[B:.*]] = "tfl.pseudo_const"() <{value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}>
// F16: "tfl.fully_connected"(%{{.*}}, %[[W]], %[[B]])

// Dynamic range: fully_connected weights are symmetric int8 per output channel (scales 2 / 127
// and 4 / 127, as TensorFlow 2.16+ writes them; per tensor, 4 / 127, on request: PT) and the
// kernel quantizes its input asymmetrically; the bias stays float.
// DR-LABEL: func.func @dense
// DR: %[[Q:.*]] = "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.015748031,0.031496063}>>, value = dense<{{\[\[}}64, -127, 32, 0], [127, 32, -32, 64]]> : tensor<2x4xi8>}>
// DR: "tfl.fully_connected"(%{{.*}}, %[[Q]], %{{.*}}) <{{{.*}}asymmetric_quantize_inputs = true{{.*}}}> : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.015748031,0.031496063}>>, tensor<2xf32>) -> tensor<3x2xf32>
// PT-LABEL: func.func @dense
// PT: %[[Q:.*]] = "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.031496063>>, value = dense<{{\[\[}}32, -64, 16, 0], [127, 32, -32, 64]]> : tensor<2x4xi8>}>
// PT: "tfl.fully_connected"(%{{.*}}, %[[Q]], %{{.*}}) <{{{.*}}asymmetric_quantize_inputs = true{{.*}}}> : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.031496063>>, tensor<2xf32>) -> tensor<3x2xf32>
// BIG-LABEL: func.func @dense
// BIG-NOT: pseudo_qconst
func.func @dense(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<[[1.0, -2.0, 0.5, 0.0], [4.0, 1.0, -1.0, 2.0]]> : tensor<2x4xf32>}> : () -> tensor<2x4xf32>
  %b = "tfl.pseudo_const"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// -----

// Convolution filters are quantized per output channel (axis 0), depthwise filters on axis 3.
// DR-LABEL: func.func @conv
// DR: "tfl.pseudo_qconst"() <{qtype = tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.015748031,0.031496063}>>
// DR: "tfl.conv_2d"
// DR: "tfl.pseudo_qconst"() <{qtype = tensor<1x1x2x2x!quant.uniform<i8<-127:127>:f32:3, {0.023622047,0.031496063}>>
// DR: "tfl.depthwise_conv_2d"
func.func @conv(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<[[[[1.0, -2.0]]], [[[4.0, 0.5]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %d = "tfl.pseudo_const"() <{value = dense<[[[[3.0, -1.0], [1.0, 4.0]]]]> : tensor<1x1x2x2xf32>}> : () -> tensor<1x1x2x2xf32>
  %none = "tfl.no_value"() <{value}> : () -> none
  %0 = "tfl.conv_2d"(%x, %w, %none) <{padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE"}> : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, none) -> tensor<1x4x4x2xf32>
  %1 = "tfl.depthwise_conv_2d"(%0, %d, %none) <{padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, depth_multiplier = 1 : i32, fused_activation_function = "NONE"}> : (tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>, none) -> tensor<1x4x4x2xf32>
  func.return %1 : tensor<1x4x4x2xf32>
}
