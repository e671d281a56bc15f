// Weight quantization keeps splat constants splats: a petabyte float32 splat becomes a
// float16 splat, and a splat weight matrix quantizes to one stored int8 element.
// RUN: tflc-opt %s --split-input-file -p tfl-quantize-float16 | filecheck %s --check-prefix=F16
// RUN: tflc-opt %s --split-input-file -p tfl-quantize-dynamic-range | filecheck %s --check-prefix=DRQ

// F16-LABEL: func.func @petabyte
// F16: "tfl.pseudo_const"() <{value = dense<1.500000e+00> : tensor<100000x100000x100000xf16>}>
// F16: "tfl.dequantize"
func.func @petabyte(%x: tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32> {
  %a = "tfl.pseudo_const"() <{value = dense<1.5> : tensor<100000x100000x100000xf32>}> : () -> tensor<100000x100000x100000xf32>
  %0 = "tfl.add"(%x, %a) <{fused_activation_function = "NONE"}> : (tensor<100000x100000x100000xf32>, tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32>
  func.return %0 : tensor<100000x100000x100000xf32>
}

// -----

// DRQ-LABEL: func.func @splat_filter
// DRQ: "tfl.pseudo_qconst"() <{qtype = tensor<4x100000x!quant.uniform<i8<-127:127>:f32:0, {0.003937008,0.003937008,0.003937008,0.003937008}>>, value = dense<127> : tensor<4x100000xi8>}>
// DRQ: "tfl.fully_connected"
func.func @splat_filter(%x: tensor<1x100000xf32>) -> tensor<1x4xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<4x100000xf32>}> : () -> tensor<4x100000xf32>
  %b = "tfl.no_value"() <{value}> : () -> none
  %0 = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<1x100000xf32>, tensor<4x100000xf32>, none) -> tensor<1x4xf32>
  func.return %0 : tensor<1x4xf32>
}
