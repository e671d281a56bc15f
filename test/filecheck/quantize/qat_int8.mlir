// RUN: tflc-opt %s --split-input-file -p tfl-quantize-int8 | filecheck %s

// A quantization-aware trained model (FakeQuant ops lowered to quantize/dequantize pairs, trained
// weights as dequantized quantized constants) without calibration ranges: the pairs' uint8
// parameters become int8 ones (zero point - 128), the trained weights are used as they are, the
// bias is int32 at input scale x weight scale; the max pool shares its input's parameters; the
// average pool runs at its input's parameters and a requantize to its trained ones follows (as
// TensorFlow writes it).
// CHECK-LABEL: func.func @qat
// CHECK: %[[X:.*]] = "tfl.quantize"(%x) : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x1x!quant.uniform<i8:f32, 0.02:-28>>
// CHECK-DAG: %[[W:.*]] = "tfl.pseudo_qconst"() <{qtype = tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>
// CHECK-DAG: %[[B:.*]] = "tfl.pseudo_qconst"() <{qtype = tensor<2x!quant.uniform<i32:f32:0, {0.01,0.005}>>, value = dense<[100, 400]> : tensor<2xi32>}>
// CHECK: %[[C:.*]] = "tfl.conv_2d"(%[[X]], %[[W]], %[[B]]) {{.*}} -> tensor<1x4x4x2x!quant.uniform<i8:f32, 0.05:-128>>
// CHECK-NEXT: %[[M:.*]] = "tfl.max_pool_2d"(%[[C]]) {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.05:-128>>
// CHECK-NEXT: %[[A:.*]] = "tfl.average_pool_2d"(%[[M]]) {{.*}} -> tensor<1x1x1x2x!quant.uniform<i8:f32, 0.05:-128>>
// CHECK-NEXT: %[[R:.*]] = "tfl.quantize"(%[[A]]) : (tensor<1x1x1x2x!quant.uniform<i8:f32, 0.05:-128>>) -> tensor<1x1x1x2x!quant.uniform<i8:f32, 0.04:-128>>
// CHECK-NEXT: %[[D:.*]] = "tfl.dequantize"(%[[R]]) : (tensor<1x1x1x2x!quant.uniform<i8:f32, 0.04:-128>>) -> tensor<1x1x1x2xf32>
// CHECK-NEXT: return %[[D]]
func.func @qat(%x: tensor<1x4x4x1xf32>) -> tensor<1x1x1x2xf32> {
  %qx = "tfl.quantize"(%x) : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x1x!quant.uniform<u8:f32, 0.02:100>>
  %dx = "tfl.dequantize"(%qx) : (tensor<1x4x4x1x!quant.uniform<u8:f32, 0.02:100>>) -> tensor<1x4x4x1xf32>
  %qw = "tfl.pseudo_qconst"() <{qtype = tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>, value = dense<[[[[10]]], [[[20]]]]> : tensor<2x1x1x1xi8>}> : () -> tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>
  %w = "tfl.dequantize"(%qw) : (tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>) -> tensor<2x1x1x1xf32>
  %b = "tfl.pseudo_const"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %c = "tfl.conv_2d"(%dx, %w, %b) <{dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "RELU", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32}> : (tensor<1x4x4x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %qc = "tfl.quantize"(%c) : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05>>
  %dc = "tfl.dequantize"(%qc) : (tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05>>) -> tensor<1x4x4x2xf32>
  %m = "tfl.max_pool_2d"(%dc) <{filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32}> : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %a = "tfl.average_pool_2d"(%m) <{filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32}> : (tensor<1x2x2x2xf32>) -> tensor<1x1x1x2xf32>
  %qa = "tfl.quantize"(%a) : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2x!quant.uniform<u8:f32, 0.04>>
  %da = "tfl.dequantize"(%qa) : (tensor<1x1x1x2x!quant.uniform<u8:f32, 0.04>>) -> tensor<1x1x1x2xf32>
  func.return %da : tensor<1x1x1x2xf32>
}

// -----

// Values without trained parameters (no pair, no range) stay float: here the add.
// CHECK-LABEL: func.func @partly_trained
// CHECK: "tfl.fully_connected"{{.*}} -> tensor<1x2x!quant.uniform<i8:f32, 0.1:-28>>
// CHECK: %[[F:.*]] = "tfl.dequantize"
// CHECK: tfl.add %[[F]], %x {{.*}} : tensor<1x2xf32>
func.func @partly_trained(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %qx = "tfl.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<u8:f32, 0.02:100>>
  %dx = "tfl.dequantize"(%qx) : (tensor<1x2x!quant.uniform<u8:f32, 0.02:100>>) -> tensor<1x2xf32>
  %qw = "tfl.pseudo_qconst"() <{qtype = tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.5>>, value = dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>}> : () -> tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %w = "tfl.dequantize"(%qw) : (tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.5>>) -> tensor<2x2xf32>
  %none = "tfl.no_value"() <{value}> : () -> none
  %f = "tfl.fully_connected"(%dx, %w, %none) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<1x2xf32>, tensor<2x2xf32>, none) -> tensor<1x2xf32>
  %qf = "tfl.quantize"(%f) : (tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<u8:f32, 0.1:100>>
  %df = "tfl.dequantize"(%qf) : (tensor<1x2x!quant.uniform<u8:f32, 0.1:100>>) -> tensor<1x2xf32>
  %0 = "tfl.add"(%df, %x) <{fused_activation_function = "NONE"}> : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %0 : tensor<1x2xf32>
}
