// RUN: tflc-opt %s | tflc-opt | filecheck %s
// Every stablehlo op parses from StableHLO's generic form and prints back (twice, identically).

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %p: tensor<2x3xi1>, %q: tensor<2x3xi1>, %n: tensor<2x3xi32>) -> tensor<2x3xf32> {
  // CHECK: %{{.*}} = stablehlo.add %a, %b : tensor<2x3xf32>
  %0 = "stablehlo.add"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.subtract
  %1 = "stablehlo.subtract"(%0, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.multiply
  %2 = "stablehlo.multiply"(%1, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.divide
  %3 = "stablehlo.divide"(%2, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.remainder
  %4 = "stablehlo.remainder"(%3, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.maximum
  %5 = "stablehlo.maximum"(%4, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.minimum
  %6 = "stablehlo.minimum"(%5, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.power
  %7 = "stablehlo.power"(%6, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.atan2
  %8 = "stablehlo.atan2"(%7, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: stablehlo.and
  %9 = "stablehlo.and"(%p, %q) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK-NEXT: stablehlo.or
  %10 = "stablehlo.or"(%9, %q) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK-NEXT: stablehlo.xor
  %11 = "stablehlo.xor"(%10, %q) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK-NEXT: stablehlo.shift_left
  %12 = "stablehlo.shift_left"(%n, %n) : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  // CHECK-NEXT: stablehlo.shift_right_arithmetic
  %13 = "stablehlo.shift_right_arithmetic"(%12, %n) : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  // CHECK-NEXT: stablehlo.shift_right_logical
  %14 = "stablehlo.shift_right_logical"(%13, %n) : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  // CHECK-NEXT: "stablehlo.abs"
  %15 = "stablehlo.abs"(%8) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.negate"
  %16 = "stablehlo.negate"(%15) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.exponential"
  %17 = "stablehlo.exponential"(%16) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.exponential_minus_one"
  %18 = "stablehlo.exponential_minus_one"(%17) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.log"
  %19 = "stablehlo.log"(%18) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.log_plus_one"
  %20 = "stablehlo.log_plus_one"(%19) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.sqrt"
  %21 = "stablehlo.sqrt"(%20) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.rsqrt"
  %22 = "stablehlo.rsqrt"(%21) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.cbrt"
  %23 = "stablehlo.cbrt"(%22) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.tanh"
  %24 = "stablehlo.tanh"(%23) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.logistic"
  %25 = "stablehlo.logistic"(%24) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.sine"
  %26 = "stablehlo.sine"(%25) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.cosine"
  %27 = "stablehlo.cosine"(%26) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.tan"
  %28 = "stablehlo.tan"(%27) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.floor"
  %29 = "stablehlo.floor"(%28) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.ceil"
  %30 = "stablehlo.ceil"(%29) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.sign"
  %31 = "stablehlo.sign"(%30) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.round_nearest_even"
  %32 = "stablehlo.round_nearest_even"(%31) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.round_nearest_afz"
  %33 = "stablehlo.round_nearest_afz"(%32) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.not"
  %34 = "stablehlo.not"(%11) : (tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK-NEXT: "stablehlo.is_finite"
  %35 = "stablehlo.is_finite"(%33) : (tensor<2x3xf32>) -> tensor<2x3xi1>
  // CHECK-NEXT: "stablehlo.convert"
  %36 = "stablehlo.convert"(%n) : (tensor<2x3xi32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.bitcast_convert"
  %37 = "stablehlo.bitcast_convert"(%36) : (tensor<2x3xf32>) -> tensor<2x3xi32>
  // CHECK-NEXT: "stablehlo.compare"(%36, %33) <{compare_type = #stablehlo<comparison_type FLOAT>, comparison_direction = #stablehlo<comparison_direction GT>}>
  %38 = "stablehlo.compare"(%36, %33) <{comparison_direction = #stablehlo<comparison_direction GT>, compare_type = #stablehlo<comparison_type FLOAT>}> : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  // CHECK-NEXT: "stablehlo.select"
  %39 = "stablehlo.select"(%38, %36, %33) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.clamp"
  %40 = "stablehlo.clamp"(%a, %39, %b) : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.reduce_precision"(%40) <{exponent_bits = 5 : i32, mantissa_bits = 10 : i32}>
  %41 = "stablehlo.reduce_precision"(%40) <{exponent_bits = 5 : i32, mantissa_bits = 10 : i32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.constant"() <{value = dense<0xff800000> : tensor<f32>}>
  %42 = "stablehlo.constant"() <{value = dense<0xFF800000> : tensor<f32>}> : () -> tensor<f32>
  func.return %41 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<2x3xf32>, %d: tensor<?x3xf32>, %i: tensor<i32>, %s: tensor<2xi64>) -> tensor<3x2xf32> {
  // CHECK: "stablehlo.broadcast_in_dim"(%x) <{broadcast_dimensions = array<i64: 1, 2>}> : (tensor<2x3xf32>) -> tensor<4x2x3xf32>
  %0 = "stablehlo.broadcast_in_dim"(%x) <{broadcast_dimensions = array<i64: 1, 2>}> : (tensor<2x3xf32>) -> tensor<4x2x3xf32>
  // CHECK-NEXT: "stablehlo.dynamic_broadcast_in_dim"
  %1 = "stablehlo.dynamic_broadcast_in_dim"(%x, %s) <{broadcast_dimensions = array<i64: 0, 1>}> : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK-NEXT: "stablehlo.reshape"
  %2 = "stablehlo.reshape"(%x) : (tensor<2x3xf32>) -> tensor<6xf32>
  // CHECK-NEXT: "stablehlo.dynamic_reshape"
  %3 = "stablehlo.dynamic_reshape"(%2, %s) : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK-NEXT: "stablehlo.get_dimension_size"(%d) <{dimension = 0}>
  %4 = "stablehlo.get_dimension_size"(%d) <{dimension = 0 : i64}> : (tensor<?x3xf32>) -> tensor<i32>
  // CHECK-NEXT: "stablehlo.transpose"(%x) <{permutation = array<i64: 1, 0>}>
  %5 = "stablehlo.transpose"(%x) <{permutation = array<i64: 1, 0>}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
  // CHECK-NEXT: "stablehlo.slice"(%x) <{limit_indices = array<i64: 2, 3>, start_indices = array<i64: 0, 1>, strides = array<i64: 1, 2>}>
  %6 = "stablehlo.slice"(%x) <{start_indices = array<i64: 0, 1>, limit_indices = array<i64: 2, 3>, strides = array<i64: 1, 2>}> : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK-NEXT: "stablehlo.dynamic_slice"(%x, %i, %i) <{slice_sizes = array<i64: 1, 2>}>
  %7 = "stablehlo.dynamic_slice"(%x, %i, %i) <{slice_sizes = array<i64: 1, 2>}> : (tensor<2x3xf32>, tensor<i32>, tensor<i32>) -> tensor<1x2xf32>
  // CHECK-NEXT: "stablehlo.dynamic_update_slice"(%x, %7, %i, %i)
  %8 = "stablehlo.dynamic_update_slice"(%x, %7, %i, %i) : (tensor<2x3xf32>, tensor<1x2xf32>, tensor<i32>, tensor<i32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "stablehlo.concatenate"(%x, %8) <{dimension = 0}>
  %9 = "stablehlo.concatenate"(%x, %8) <{dimension = 0 : i64}> : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %zero = "stablehlo.constant"() <{value = dense<0.0> : tensor<f32>}> : () -> tensor<f32>
  // CHECK: "stablehlo.pad"(%x, %{{.*}}) <{edge_padding_high = array<i64: 0, -1>, edge_padding_low = array<i64: 1, 0>, interior_padding = array<i64: 0, 1>}>
  %10 = "stablehlo.pad"(%x, %zero) <{edge_padding_low = array<i64: 1, 0>, edge_padding_high = array<i64: 0, -1>, interior_padding = array<i64: 0, 1>}> : (tensor<2x3xf32>, tensor<f32>) -> tensor<3x4xf32>
  // CHECK-NEXT: "stablehlo.iota"() <{iota_dimension = 1}>
  %11 = "stablehlo.iota"() <{iota_dimension = 1 : i64}> : () -> tensor<2x3xi32>
  // CHECK-NEXT: "stablehlo.reverse"(%x) <{dimensions = array<i64: 1>}>
  %12 = "stablehlo.reverse"(%x) <{dimensions = array<i64: 1>}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %5 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @linalg
func.func @linalg(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %m: tensor<3x4xf32>, %v: tensor<4xf32>) -> tensor<2x3x5xf32> {
  // CHECK: "stablehlo.dot_general"(%a, %b) <{dot_dimension_numbers = #stablehlo.dot<lhs_batching_dimensions = [0], rhs_batching_dimensions = [0], lhs_contracting_dimensions = [2], rhs_contracting_dimensions = [1]>, precision_config = [#stablehlo<precision DEFAULT>, #stablehlo<precision HIGHEST>]}>
  %0 = "stablehlo.dot_general"(%a, %b) <{dot_dimension_numbers = #stablehlo.dot<lhs_batching_dimensions = [0], rhs_batching_dimensions = [0], lhs_contracting_dimensions = [2], rhs_contracting_dimensions = [1]>, precision_config = [#stablehlo<precision DEFAULT>, #stablehlo<precision HIGHEST>]}> : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK-NEXT: "stablehlo.dot"(%m, %v)
  %1 = "stablehlo.dot"(%m, %v) : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  // CHECK-NEXT: "stablehlo.convolution"(%x, %w) <{batch_group_count = 1, dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, feature_group_count = 1, padding = dense<{{\[\[}}1, 1], [0, 2]]> : tensor<2x2xi64>, rhs_dilation = array<i64: 1, 2>, window_strides = array<i64: 2, 1>}>
  %2 = "stablehlo.convolution"(%x, %w) <{window_strides = array<i64: 2, 1>, padding = dense<[[1, 1], [0, 2]]> : tensor<2x2xi64>, rhs_dilation = array<i64: 1, 2>, dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, feature_group_count = 1 : i64, batch_group_count = 1 : i64}> : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x4x6x4xf32>
  // CHECK-NEXT: #stablehlo.conv<[b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1]>
  %3 = "stablehlo.convolution"(%x, %w) <{batch_group_count = 1 : i64, dimension_numbers = #stablehlo.conv<[b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1]>, feature_group_count = 1 : i64}> : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x3x6x1xf32>
  func.return %0 : tensor<2x3x5xf32>
}

// CHECK-LABEL: func.func @regions
func.func @regions(%x: tensor<2x8x8x3xf32>, %t: tensor<5x4xf32>, %idx: tensor<3x1xi32>, %upd: tensor<3x4xf32>, %p: tensor<i1>, %k: tensor<i32>) -> tensor<2x3xf32> {
  %init = "stablehlo.constant"() <{value = dense<0.0> : tensor<f32>}> : () -> tensor<f32>
  // CHECK: "stablehlo.reduce"(%x, %{{.*}}) <{dimensions = array<i64: 1, 2>}> ({
  // CHECK-NEXT: ^{{.*}}(%{{.*}}: tensor<f32>, %{{.*}}: tensor<f32>):
  // CHECK-NEXT: stablehlo.add
  // CHECK-NEXT: "stablehlo.return"
  %0 = "stablehlo.reduce"(%x, %init) <{dimensions = array<i64: 1, 2>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = "stablehlo.add"(%a, %b) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: "stablehlo.reduce_window"(%x, %{{.*}}) <{padding = dense<0> : tensor<4x2xi64>, window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}>
  %1 = "stablehlo.reduce_window"(%x, %init) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>, padding = dense<0> : tensor<4x2xi64>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = "stablehlo.maximum"(%a, %b) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    "stablehlo.return"(%s) : (tensor<f32>) -> ()
  }) : (tensor<2x8x8x3xf32>, tensor<f32>) -> tensor<2x4x4x3xf32>
  // CHECK: "stablehlo.gather"(%t, %idx) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1, 4>}>
  %2 = "stablehlo.gather"(%t, %idx) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 4>, indices_are_sorted = false}> : (tensor<5x4xf32>, tensor<3x1xi32>) -> tensor<3x4xf32>
  // CHECK: "stablehlo.scatter"(%t, %idx, %upd) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}>
  %3 = "stablehlo.scatter"(%t, %idx, %upd) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    "stablehlo.return"(%b) : (tensor<f32>) -> ()
  }) : (tensor<5x4xf32>, tensor<3x1xi32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  // CHECK: "stablehlo.sort"(%t) <{dimension = 1, is_stable = true}>
  %4 = "stablehlo.sort"(%t) <{dimension = 1 : i64, is_stable = true}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %c = "stablehlo.compare"(%a, %b) <{comparison_direction = #stablehlo<comparison_direction LT>}> : (tensor<f32>, tensor<f32>) -> tensor<i1>
    "stablehlo.return"(%c) : (tensor<i1>) -> ()
  }) : (tensor<5x4xf32>) -> tensor<5x4xf32>
  // CHECK: "stablehlo.while"(%k) ({
  %5 = "stablehlo.while"(%k) ({
  ^bb0(%i: tensor<i32>):
    %ten = "stablehlo.constant"() <{value = dense<10> : tensor<i32>}> : () -> tensor<i32>
    %c = "stablehlo.compare"(%i, %ten) <{comparison_direction = #stablehlo<comparison_direction LT>}> : (tensor<i32>, tensor<i32>) -> tensor<i1>
    "stablehlo.return"(%c) : (tensor<i1>) -> ()
  }, {
  ^bb0(%i: tensor<i32>):
    %n = "stablehlo.add"(%i, %i) : (tensor<i32>, tensor<i32>) -> tensor<i32>
    "stablehlo.return"(%n) : (tensor<i32>) -> ()
  }) : (tensor<i32>) -> tensor<i32>
  // CHECK: "stablehlo.if"(%p) ({
  %6 = "stablehlo.if"(%p) ({
    "stablehlo.return"(%t) : (tensor<5x4xf32>) -> ()
  }, {
    "stablehlo.return"(%3) : (tensor<5x4xf32>) -> ()
  }) : (tensor<i1>) -> tensor<5x4xf32>
  // CHECK: "stablehlo.case"(%k) ({
  %7 = "stablehlo.case"(%k) ({
    "stablehlo.return"(%t) : (tensor<5x4xf32>) -> ()
  }, {
    "stablehlo.return"(%4) : (tensor<5x4xf32>) -> ()
  }) : (tensor<i32>) -> tensor<5x4xf32>
  // CHECK: "stablehlo.optimization_barrier"(%t, %k)
  %8, %9 = "stablehlo.optimization_barrier"(%t, %k) : (tensor<5x4xf32>, tensor<i32>) -> (tensor<5x4xf32>, tensor<i32>)
  // CHECK-NEXT: "stablehlo.create_token"() : () -> !stablehlo.token
  %tok = "stablehlo.create_token"() : () -> !stablehlo.token
  // CHECK-NEXT: "stablehlo.after_all"(%{{.*}}) : (!stablehlo.token) -> !stablehlo.token
  %tok2 = "stablehlo.after_all"(%tok) : (!stablehlo.token) -> !stablehlo.token
  // CHECK-NEXT: "stablehlo.custom_call"(%p) <{api_version = 2 : i32, call_target_name = "shape_assertion", has_side_effect = true}> {error_message = "bad shape"}
  "stablehlo.custom_call"(%p) <{call_target_name = "shape_assertion", has_side_effect = true, api_version = 2 : i32}> {error_message = "bad shape"} : (tensor<i1>) -> ()
  func.return %0 : tensor<2x3xf32>
}
