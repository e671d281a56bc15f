// The windowed stablehlo ops check their attributes' sizes against the operand's rank:
// padding is one (low, high) pair per dimension, and windows, strides and dilations
// have one entry per dimension (reduce_window) or per spatial dimension (convolution).
// RUN: tflc-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @reduce_window_strides(%x: tensor<1x4x4x1xf32>, %init: tensor<f32>) -> tensor<1x2x2x1xf32> {
  %0 = "stablehlo.reduce_window"(%x, %init) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %m = "stablehlo.maximum"(%a, %b) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    "stablehlo.return"(%m) : (tensor<f32>) -> ()
  }) : (tensor<1x4x4x1xf32>, tensor<f32>) -> tensor<1x2x2x1xf32>
  func.return %0 : tensor<1x2x2x1xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 7]]:3: 'stablehlo.reduce_window' op window_strides has 3 entries; it takes one per input dimension (4)

// -----

func.func @reduce_window_padding(%x: tensor<1x4x4x1xf32>, %init: tensor<f32>) -> tensor<1x2x2x1xf32> {
  %0 = "stablehlo.reduce_window"(%x, %init) <{window_dimensions = array<i64: 1, 2, 2, 1>, padding = dense<0> : tensor<2x2xi64>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %m = "stablehlo.maximum"(%a, %b) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    "stablehlo.return"(%m) : (tensor<f32>) -> ()
  }) : (tensor<1x4x4x1xf32>, tensor<f32>) -> tensor<1x2x2x1xf32>
  func.return %0 : tensor<1x2x2x1xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 7]]:3: 'stablehlo.reduce_window' op padding has shape [2, 2]; it takes one (low, high) pair per input dimension: [4, 2]

// -----

func.func @convolution_dilation(%x: tensor<1x4x4x1xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x3x3x1xf32> {
  %0 = "stablehlo.convolution"(%x, %w) <{batch_group_count = 1 : i64, dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, feature_group_count = 1 : i64, rhs_dilation = array<i64: 1, 1, 1>}> : (tensor<1x4x4x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x3x3x1xf32>
  func.return %0 : tensor<1x3x3x1xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.convolution' op rhs_dilation has 3 entries; it takes one per spatial dimension (2)
