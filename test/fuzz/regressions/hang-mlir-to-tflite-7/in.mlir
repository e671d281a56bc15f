
// Quantized element types print as MLIR's quant dialect writes them and survive a
// FlatBuffer round trip as QuantizationParameters (storage ranges are not stored).
// CHECK: func.func @main(%{{.*}}: tensor<1x4x!quant.uniform<i8:f32, 0.0123:-5>>
// CHECK: tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.1,2.5e-05}>>
// CHECK: tensor<2x!quant.uniform<i32:f32:0, {0.00123,2.5e-07}>>
// CHECK: tensor<1x2x!quant.uniform<u8:f32, 1.0:128>>
// BACK: tensor<1x4x!quant.uniform<i8:f32, 0.0123:-5>>
// BACK: "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8:f32:0, {0.1,2.5e-05}>>, value = dense<{{\[\[}}1, 2, 3, 4], [5, 6, 7, 8]]> : tensor<2x4xi8>}>
// BACK: tensor<2x!quant.uniform<i32:f32:0, {0.00123,2.5e-07}>>
// BACK: "tfl.quantize"(%{{.*}}) : (tensor<1x2x!quant.uniform<i8:f32, 0.05:3>>) -> tensor<1x2x!quant.uniform<u8:f32, 1.0:128>>
func.func @main(%x: tensor<1x4x!quant.uniform<i8:f32, 0.0123:-5>>) -> tensor<"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1x2x!quant.uniform<u8:f32, 1.0:128>> {
  %w = "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8<-x2x:127>:f32:0, {0.1,2.5e-05}>>, value = dense<[[1, 2, 3, 4], [5, 6, 7, 8]]> : tensor<2x4xi8>}> : () -> tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.1,2.5e-05}>>
  %b = "tfl.pseudo_qconst"() <{qtype = tensor<2x!quant.uniform<i32:f32:0, {0.00123,2.5e-07}>>, value = dense<[10, -20]> : tensor<2xi32>}> : () -> tensor<2x!quant.uniform<i32:f32:0, {0.00123,2.5e-07}>>
  %y = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "NONE", weights_format = "DEFAULT", keep_num_dims = false}> : (tensor<1x4x!quant.uniform<i8:f32, 0.0123:-5>>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.1,2.5e-05}>>, tensor<2x!quant.uniform<i32:f32:0, {0.00123,2.5e-07}>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.05:3>>
  %u = "tfl.quantize"(%y) : (tensor<1x2x!quant.uniform<i8:f32, 0.05:3>>) -> tensor<1x2x!quant.uniform<u8:f32, 1.0:128>>
  func.return %u : tensor<1x2x!quant.uniform<u8:f32, 1.0:128>>
}