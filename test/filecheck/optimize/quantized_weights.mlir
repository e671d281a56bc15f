// RUN: tflc-opt %s --split-input-file -p tfl-fold-constants | filecheck %s --check-prefix=FOLD
// RUN: tflc-opt %s --split-input-file -p tfl-fold-constants,tfl-fuse-affine | filecheck %s --check-prefix=FUSE

// A transpose of dequantized (trained) weights is a re-laid quantized constant: HWIO axis 3
// becomes OHWI axis 0.
// FOLD-LABEL: func.func @transpose
// FOLD: %[[W:.*]] = "tfl.pseudo_qconst"() <{qtype = tensor<2x1x1x3x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>, value = dense<{{\[\[\[\[}}1, 2, 3]]], {{\[\[\[}}4, 5, 6]]]]> : tensor<2x1x1x3xi8>}>
// FOLD-NEXT: %[[D:.*]] = "tfl.dequantize"(%[[W]])
// FOLD-NOT: tfl.transpose
// FOLD: "tfl.conv_2d"(%x, %[[D]]
func.func @transpose(%x: tensor<1x4x4x3xf32>) -> tensor<1x4x4x2xf32> {
  %q = "tfl.pseudo_qconst"() <{qtype = tensor<1x1x3x2x!quant.uniform<i8<-127:127>:f32:3, {0.5,0.25}>>, value = dense<[[[[1, 4], [2, 5], [3, 6]]]]> : tensor<1x1x3x2xi8>}> : () -> tensor<1x1x3x2x!quant.uniform<i8<-127:127>:f32:3, {0.5,0.25}>>
  %w = "tfl.dequantize"(%q) : (tensor<1x1x3x2x!quant.uniform<i8<-127:127>:f32:3, {0.5,0.25}>>) -> tensor<1x1x3x2xf32>
  %perm = "tfl.pseudo_const"() <{value = dense<[3, 0, 1, 2]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %t = "tfl.transpose"(%w, %perm) : (tensor<1x1x3x2xf32>, tensor<4xi32>) -> tensor<2x1x1x3xf32>
  %b = "tfl.pseudo_const"() <{value = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = "tfl.conv_2d"(%x, %t, %b) <{dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32}> : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  func.return %0 : tensor<1x4x4x2xf32>
}

// -----

// A reshape keeps the quantized axis when it indexes the same elements ([2,3] axis 1 -> [1,2,3] axis 2);
// otherwise the dequantize stays.
// FOLD-LABEL: func.func @reshape
// FOLD: %[[KEPT:.*]] = "tfl.dequantize"(%{{.*}}) : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5,0.25,1.0}>>) -> tensor<2x3xf32>
// FOLD: "tfl.pseudo_qconst"() <{qtype = tensor<1x2x3x!quant.uniform<i8:f32:2, {0.5,0.25,1.0}>>
// FOLD: "tfl.reshape"(%[[KEPT]], %{{.*}}) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
func.func @reshape() -> (tensor<1x2x3xf32>, tensor<3x2xf32>) {
  %q = "tfl.pseudo_qconst"() <{qtype = tensor<2x3x!quant.uniform<i8:f32:1, {0.5,0.25,1.0}>>, value = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>}> : () -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5,0.25,1.0}>>
  %w = "tfl.dequantize"(%q) : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5,0.25,1.0}>>) -> tensor<2x3xf32>
  %s1 = "tfl.pseudo_const"() <{value = dense<[1, 2, 3]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %s2 = "tfl.pseudo_const"() <{value = dense<[3, 2]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %a = "tfl.reshape"(%w, %s1) : (tensor<2x3xf32>, tensor<3xi32>) -> tensor<1x2x3xf32>
  %b = "tfl.reshape"(%w, %s2) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  func.return %a, %b : tensor<1x2x3xf32>, tensor<3x2xf32>
}

// -----

// A per-channel mul after a conv with trained weights scales the weights' scales by |f| (a
// negative factor mirrors the stored integers) and the bias by f; the add joins the bias.
// FUSE-LABEL: func.func @batch_norm
// FUSE: %[[W:.*]] = "tfl.pseudo_qconst"() <{qtype = tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {1.0,0.125}>>, value = dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>}>
// FUSE: %[[D:.*]] = "tfl.dequantize"(%[[W]])
// FUSE: %[[B:.*]] = "tfl.pseudo_const"() <{value = dense<[3.000000e+00, 4.500000e+00]> : tensor<2xf32>}>
// FUSE: %[[C:.*]] = "tfl.conv_2d"(%x, %[[D]], %[[B]])
// FUSE-NOT: tfl.mul
// FUSE-NOT: tfl.add
// FUSE: return %[[C]]
func.func @batch_norm(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %q = "tfl.pseudo_qconst"() <{qtype = tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>, value = dense<[[[[10]]], [[[20]]]]> : tensor<2x1x1x1xi8>}> : () -> tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>
  %w = "tfl.dequantize"(%q) : (tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>) -> tensor<2x1x1x1xf32>
  %b = "tfl.pseudo_const"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = "tfl.conv_2d"(%x, %w, %b) <{dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32}> : (tensor<1x4x4x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %m = "tfl.pseudo_const"() <{value = dense<[2.0, -0.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %1 = "tfl.mul"(%0, %m) <{fused_activation_function = "NONE"}> : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %a = "tfl.pseudo_const"() <{value = dense<[1.0, 5.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %2 = "tfl.add"(%1, %a) <{fused_activation_function = "NONE"}> : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  func.return %2 : tensor<1x4x4x2xf32>
}
