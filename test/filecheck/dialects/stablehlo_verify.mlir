// The stablehlo ops check their attributes against the operands' ranks: padding is one
// (low, high) pair per dimension; windows, strides and dilations have one entry per dimension
// (reduce_window) or per spatial dimension (convolution); permutations, slices, pads, iota and
// reduce dimensions stay within the operand.
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

// -----

func.func @transpose_permutation(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = "stablehlo.transpose"(%x) <{permutation = array<i64: 1, 1>}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.transpose' op permutation [1, 1] is not a permutation of 0..1

// -----

func.func @slice_past_the_end(%x: tensor<4xf32>) -> tensor<2xf32> {
  %0 = "stablehlo.slice"(%x) <{start_indices = array<i64: 3>, limit_indices = array<i64: 5>, strides = array<i64: 1>}> : (tensor<4xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.slice' op dimension 0 is sliced [3:5:1], not within its size 4 with a positive stride

// -----

func.func @pad_entries(%x: tensor<4xf32>, %v: tensor<f32>) -> tensor<6xf32> {
  %0 = "stablehlo.pad"(%x, %v) <{edge_padding_low = array<i64: 1, 1>, edge_padding_high = array<i64: 1>, interior_padding = array<i64: 0>}> : (tensor<4xf32>, tensor<f32>) -> tensor<6xf32>
  func.return %0 : tensor<6xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.pad' op edge_padding_low has 2 entries; it takes one per operand dimension (1)

// -----

func.func @iota_dimension() -> tensor<4xi32> {
  %0 = "stablehlo.iota"() <{iota_dimension = 1 : i64}> : () -> tensor<4xi32>
  func.return %0 : tensor<4xi32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.iota' op iota_dimension 1 is not a dimension of a rank-1 tensor

// -----

func.func @reduce_dimensions(%x: tensor<2x3xf32>, %init: tensor<f32>) -> tensor<2xf32> {
  %0 = "stablehlo.reduce"(%x, %init) <{dimensions = array<i64: 2>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = "stablehlo.add"(%a, %b) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x3xf32>, tensor<f32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 7]]:3: 'stablehlo.reduce' op dimensions [2] are not distinct dimensions of a rank-2 tensor

// -----

func.func @padding_of_index(%x: tensor<1x4x4x1xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x3x3x1xf32> {
  %0 = "stablehlo.convolution"(%x, %w) <{batch_group_count = 1 : i64, dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, feature_group_count = 1 : i64, padding = dense<0> : tensor<2x2xindex>}> : (tensor<1x4x4x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x3x3x1xf32>
  func.return %0 : tensor<1x3x3x1xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.convolution' op padding holds index; it takes 8- to 64-bit integers (i64)

// -----

func.func @float_dimensions(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.reverse"(%x) <{dimensions = array<f32: 0.0>}> : (tensor<4xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.reverse' op f32 should be of base attribute integer_type

// -----

// stablehlo ops take ranked tensors of StableHLO element types: no `index`, no f80.
func.func @index_operand(%x: tensor<2xindex>) -> tensor<2xindex> {
  %0 = "stablehlo.add"(%x, %x) : (tensor<2xindex>, tensor<2xindex>) -> tensor<2xindex>
  func.return %0 : tensor<2xindex>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.add' op operand 'lhs' at position 0: element type index is not a StableHLO element type

// -----

func.func @dynamic_broadcast_dims(%x: tensor<3xf32>, %s: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = "stablehlo.dynamic_broadcast_in_dim"(%x, %s) <{broadcast_dimensions = array<i64: 2147483647>}> : (tensor<3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.dynamic_broadcast_in_dim' op broadcast_dimensions entry 2147483647 is not a dimension of the rank-2 result

// -----

func.func @broadcast_sizes(%x: tensor<3xf32>) -> tensor<2x4xf32> {
  %0 = "stablehlo.broadcast_in_dim"(%x) <{broadcast_dimensions = array<i64: 1>}> : (tensor<3xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.broadcast_in_dim' op operand dimension of size 3 cannot broadcast to result dimension 1 of size 4

// -----

func.func @scatter_window_dims(%t: tensor<5x4xf32>, %idx: tensor<3x1xi32>, %upd: tensor<3x4xf32>) -> tensor<5x4xf32> {
  %0 = "stablehlo.scatter"(%t, %idx, %upd) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [7], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    "stablehlo.return"(%b) : (tensor<f32>) -> ()
  }) : (tensor<5x4xf32>, tensor<3x1xi32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  func.return %0 : tensor<5x4xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 6]]:3: 'stablehlo.scatter' op update_window_dims entry 7 is not a dimension of a rank-2 tensor

// -----

func.func @gather_index_vector_dim(%t: tensor<5x4xf32>, %idx: tensor<3x1xi32>) -> tensor<3x4xf32> {
  %0 = "stablehlo.gather"(%t, %idx) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 5>, slice_sizes = array<i64: 1, 4>, indices_are_sorted = false}> : (tensor<5x4xf32>, tensor<3x1xi32>) -> tensor<3x4xf32>
  func.return %0 : tensor<3x4xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.gather' op index_vector_dim 5 is out of range for indices of rank 2

// -----

func.func @gather_slice_sizes(%t: tensor<5x4xf32>, %idx: tensor<3x1xi32>) -> tensor<3x4xf32> {
  %0 = "stablehlo.gather"(%t, %idx) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 9>, indices_are_sorted = false}> : (tensor<5x4xf32>, tensor<3x1xi32>) -> tensor<3x4xf32>
  func.return %0 : tensor<3x4xf32>
}
// CHECK: stablehlo_verify.mlir:[[# @LINE - 3]]:3: 'stablehlo.gather' op slice size 9 does not fit operand dimension of size 4
