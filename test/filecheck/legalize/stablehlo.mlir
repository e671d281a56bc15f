// RUN: tflc-opt %s -p legalize-stablehlo --split-input-file | filecheck %s
// StableHLO to tfl: each lowering and JAX idiom (numbers: test/python/test_stablehlo_lowerings.py).

// CHECK-LABEL: func.func @elementwise
// CHECK: %[[SUM:.*]] = tfl.add %a, %b {fused_activation_function = "NONE"} : tensor<2x3xf32>
// CHECK-NEXT: %[[EXP:.*]] = "tfl.exp"(%[[SUM]])
// CHECK-NEXT: %[[GE:.*]] = tfl.greater_equal(%[[EXP]], %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[SEL:.*]] = "tfl.select_v2"(%[[GE]], %[[EXP]], %a)
// CHECK-NEXT: %[[ONE:.*]] = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<f32>}>
// CHECK-NEXT: %[[SHIFT:.*]] = tfl.add(%[[SEL]], %[[ONE]])
// CHECK-NEXT: "tfl.log"(%[[SHIFT]])
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi1>) {
  %0 = stablehlo.add %a, %b : tensor<2x3xf32>
  %1 = "stablehlo.exponential"(%0) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "stablehlo.compare"(%1, %b) <{comparison_direction = #stablehlo<comparison_direction GE>}> : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  %3 = "stablehlo.select"(%2, %1, %a) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = "stablehlo.log_plus_one"(%3) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %4, %2 : tensor<2x3xf32>, tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @broadcast_absorbed
// CHECK: %[[BIAS:.*]] = "tfl.pseudo_const"() <{value = dense<[1.000000e+00, {{.*}}]> : tensor<8xf32>}>
// CHECK-NEXT: tfl.add(%x, %[[BIAS]]) <{fused_activation_function = "NONE"}> : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NOT: broadcast
func.func @broadcast_absorbed(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %bias = "stablehlo.constant"() <{value = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>}> : () -> tensor<8xf32>
  %0 = "stablehlo.broadcast_in_dim"(%bias) <{broadcast_dimensions = array<i64: 1>}> : (tensor<8xf32>) -> tensor<4x8xf32>
  %1 = stablehlo.add %x, %0 : tensor<4x8xf32>
  func.return %1 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic_broadcast
// CHECK: %[[SHAPE:.*]] = "tfl.shape"(%x) : (tensor<?x8xf32>) -> tensor<2xi32>
// CHECK: "tfl.slice"(%[[SHAPE]]
// CHECK: %[[DIMS:.*]] = "tfl.concatenation"
// CHECK-NEXT: %[[B:.*]] = "tfl.broadcast_to"(%v, %[[DIMS]]) : (tensor<8xf32>, tensor<2xi32>) -> tensor<?x8xf32>
// CHECK-NEXT: tfl.mul(%v, %[[B]])
func.func @dynamic_broadcast(%x: tensor<?x8xf32>, %v: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = "stablehlo.get_dimension_size"(%x) <{dimension = 0 : i64}> : (tensor<?x8xf32>) -> tensor<i32>
  %1 = "stablehlo.reshape"(%0) : (tensor<i32>) -> tensor<1xi32>
  %c = "stablehlo.constant"() <{value = dense<8> : tensor<1xi32>}> : () -> tensor<1xi32>
  %2 = "stablehlo.concatenate"(%1, %c) <{dimension = 0 : i64}> : (tensor<1xi32>, tensor<1xi32>) -> tensor<2xi32>
  %3 = "stablehlo.dynamic_broadcast_in_dim"(%v, %2) <{broadcast_dimensions = array<i64: 1>}> : (tensor<8xf32>, tensor<2xi32>) -> tensor<?x8xf32>
  %4 = "stablehlo.multiply"(%3, %3) : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  func.return %4 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @dot_general
// CHECK: "tfl.batch_matmul"(%a, %b) <{adj_x = false, adj_y = false}> : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK: "tfl.batch_matmul"(%x, %w) {{.*}} : (tensor<3x4xf32>, tensor<4x6xf32>) -> tensor<3x6xf32>
func.func @dot_general(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %x: tensor<3x4xf32>) -> (tensor<2x3x5xf32>, tensor<3x6xf32>) {
  %0 = "stablehlo.dot_general"(%a, %b) <{dot_dimension_numbers = #stablehlo.dot<lhs_batching_dimensions = [0], rhs_batching_dimensions = [0], lhs_contracting_dimensions = [2], rhs_contracting_dimensions = [1]>}> : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %w = "stablehlo.constant"() <{value = dense<0.5> : tensor<4x6xf32>}> : () -> tensor<4x6xf32>
  %1 = "stablehlo.dot_general"(%x, %w) <{dot_dimension_numbers = #stablehlo.dot<lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [0]>}> : (tensor<3x4xf32>, tensor<4x6xf32>) -> tensor<3x6xf32>
  func.return %0, %1 : tensor<2x3x5xf32>, tensor<3x6xf32>
}

// -----

// CHECK-LABEL: func.func @convolution
// CHECK: %[[BIAS:.*]] = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<4xf32>}>
// CHECK-NEXT: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<5.000000e-01> : tensor<4x3x3x3xf32>}>
// CHECK-NEXT: "tfl.conv_2d"(%x, %[[W]], %[[BIAS]]) <{dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32}>
func.func @convolution(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x4xf32> {
  %w = "stablehlo.constant"() <{value = dense<0.5> : tensor<3x3x3x4xf32>}> : () -> tensor<3x3x3x4xf32>
  %0 = "stablehlo.convolution"(%x, %w) <{batch_group_count = 1 : i64, dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, feature_group_count = 1 : i64, padding = dense<1> : tensor<2x2xi64>}> : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x8x8x4xf32>
  func.return %0 : tensor<1x8x8x4xf32>
}

// -----

// CHECK-LABEL: func.func @reductions
// CHECK: %[[AXES:.*]] = "tfl.pseudo_const"() <{value = dense<[1, 2]> : tensor<2xi32>}>
// CHECK-NEXT: "tfl.sum"(%x, %[[AXES]]) <{keep_dims = false}> : (tensor<2x8x8x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
// CHECK-NEXT: "tfl.max_pool_2d"(%x) <{filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32}>
// CHECK-NEXT: "tfl.average_pool_2d"(%x) <{filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 2 : i32, stride_w = 2 : i32}>
// CHECK-NOT: tfl.mul
// CHECK-NOT: tfl.div
func.func @reductions(%x: tensor<2x8x8x3xf32>) -> (tensor<2x3xf32>, tensor<2x4x4x3xf32>, tensor<2x4x4x3xf32>) {
  %zero = "stablehlo.constant"() <{value = dense<0.0> : tensor<f32>}> : () -> tensor<f32>
  %ninf = "stablehlo.constant"() <{value = dense<0xFF800000> : tensor<f32>}> : () -> tensor<f32>
  %0 = "stablehlo.reduce"(%x, %zero) <{dimensions = array<i64: 1, 2>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = "stablehlo.reduce_window"(%x, %ninf) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.maximum %a, %b : tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x4x4x3xf32>
  %2 = "stablehlo.reduce_window"(%x, %zero) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x4x4x3xf32>
  %four = "stablehlo.constant"() <{value = dense<4.0> : tensor<2x4x4x3xf32>}> : () -> tensor<2x4x4x3xf32>
  %3 = stablehlo.divide %2, %four : tensor<2x4x4x3xf32>
  func.return %0, %1, %3 : tensor<2x3xf32>, tensor<2x4x4x3xf32>, tensor<2x4x4x3xf32>
}

// -----

// CHECK-LABEL: func.func @slices
// CHECK: %[[START:.*]] = "tfl.pack"(%i, %i) <{axis = 0 : i32, values_count = 2 : i32}>
// CHECK: %[[LOW:.*]] = "tfl.maximum"(%[[START]], %{{.*}}) : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
// CHECK: %[[HIGH:.*]] = "tfl.pseudo_const"() <{value = dense<3> : tensor<2xi32>}>
// CHECK-NEXT: %[[CLAMPED:.*]] = "tfl.minimum"(%[[LOW]], %[[HIGH]]) : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
// CHECK: "tfl.slice"(%x, %[[CLAMPED]], %{{.*}}) : (tensor<5x6xf32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3xf32>
// CHECK: "tfl.strided_slice"(%x
// CHECK: %[[PADS:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}1, 1], [0, 0]]> : tensor<2x2xi32>}>
// CHECK-NEXT: "tfl.pad"(%x, %[[PADS]]) : (tensor<5x6xf32>, tensor<2x2xi32>) -> tensor<7x6xf32>
func.func @slices(%x: tensor<5x6xf32>, %i: tensor<i32>) -> (tensor<2x3xf32>, tensor<2x2xf32>, tensor<7x6xf32>) {
  %0 = "stablehlo.dynamic_slice"(%x, %i, %i) <{slice_sizes = array<i64: 2, 3>}> : (tensor<5x6xf32>, tensor<i32>, tensor<i32>) -> tensor<2x3xf32>
  %1 = "stablehlo.slice"(%x) <{start_indices = array<i64: 1, 0>, limit_indices = array<i64: 5, 4>, strides = array<i64: 2, 2>}> : (tensor<5x6xf32>) -> tensor<2x2xf32>
  %zero = "stablehlo.constant"() <{value = dense<0.0> : tensor<f32>}> : () -> tensor<f32>
  %2 = "stablehlo.pad"(%x, %zero) <{edge_padding_low = array<i64: 1, 0>, edge_padding_high = array<i64: 1, 0>, interior_padding = array<i64: 0, 0>}> : (tensor<5x6xf32>, tensor<f32>) -> tensor<7x6xf32>
  func.return %0, %1, %2 : tensor<2x3xf32>, tensor<2x2xf32>, tensor<7x6xf32>
}

// -----

// CHECK-LABEL: func.func @shape_assertion_dropped
// CHECK-NEXT: %[[NEG:.*]] = "tfl.neg"(%x)
// CHECK-NEXT: return %[[NEG]]
func.func @shape_assertion_dropped(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c = "stablehlo.constant"() <{value = dense<1> : tensor<i32>}> : () -> tensor<i32>
  %0 = "stablehlo.get_dimension_size"(%x) <{dimension = 0 : i64}> : (tensor<?x3xf32>) -> tensor<i32>
  %1 = "stablehlo.compare"(%0, %c) <{comparison_direction = #stablehlo<comparison_direction GE>, compare_type = #stablehlo<comparison_type SIGNED>}> : (tensor<i32>, tensor<i32>) -> tensor<i1>
  "stablehlo.custom_call"(%1, %0) <{call_target_name = "shape_assertion", has_side_effect = true, api_version = 2 : i32}> {error_message = "b >= 1"} : (tensor<i1>, tensor<i32>) -> ()
  %2 = "stablehlo.negate"(%x) : (tensor<?x3xf32>) -> tensor<?x3xf32>
  func.return %2 : tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK-NEXT: %[[R:.*]] = "tfl.softmax"(%x) <{beta = 1.000000e+00 : f32}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[R]]
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = "stablehlo.constant"() <{value = dense<0xFF800000> : tensor<f32>}> : () -> tensor<f32>
  %zero = "stablehlo.constant"() <{value = dense<0.0> : tensor<f32>}> : () -> tensor<f32>
  %m = "stablehlo.reduce"(%x, %ninf) <{dimensions = array<i64: 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.maximum %a, %b : tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %mb = "stablehlo.broadcast_in_dim"(%m) <{broadcast_dimensions = array<i64: 0>}> : (tensor<4xf32>) -> tensor<4x8xf32>
  %d = stablehlo.subtract %x, %mb : tensor<4x8xf32>
  %e = "stablehlo.exponential"(%d) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = "stablehlo.reduce"(%e, %zero) <{dimensions = array<i64: 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %t = stablehlo.add %a, %b : tensor<f32>
    "stablehlo.return"(%t) : (tensor<f32>) -> ()
  }) : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %sb = "stablehlo.broadcast_in_dim"(%s) <{broadcast_dimensions = array<i64: 0>}> : (tensor<4xf32>) -> tensor<4x8xf32>
  %r = stablehlo.divide %e, %sb : tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}
