// RUN: tflc-opt %s --split-input-file -p tfl-fold-constants | filecheck %s
// RUN: tflc-opt %s --split-input-file -p canonicalize | filecheck %s --check-prefix=DIV

// Data movement and matrix products of constants fold; comparisons, selects and casts too.
// CHECK-LABEL: func.func @tables
// CHECK-NEXT: %[[T:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}0.000000e+00, 1.000000e+00], [2.000000e+00, 3.000000e+00]]> : tensor<2x2xf32>}>
// CHECK-NEXT: %[[R:.*]] = tfl.add %x, %[[T]]
// CHECK-NEXT: return %[[R]]
func.func @tables(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %start = "tfl.pseudo_const"() <{value = dense<0> : tensor<i32>}> : () -> tensor<i32>
  %limit = "tfl.pseudo_const"() <{value = dense<4> : tensor<i32>}> : () -> tensor<i32>
  %delta = "tfl.pseudo_const"() <{value = dense<1> : tensor<i32>}> : () -> tensor<i32>
  %r = "tfl.range"(%start, %limit, %delta) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<4xi32>
  %f = "tfl.cast"(%r) : (tensor<4xi32>) -> tensor<4xf32>
  %b = "tfl.pseudo_const"() <{value = dense<[0, 2]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %s = "tfl.pseudo_const"() <{value = dense<[2]> : tensor<1xi32>}> : () -> tensor<1xi32>
  %lo = "tfl.slice"(%f, %b, %s) : (tensor<4xf32>, tensor<2xi32>, tensor<1xi32>) -> tensor<2xf32>
  %b1 = "tfl.pseudo_const"() <{value = dense<[2]> : tensor<1xi32>}> : () -> tensor<1xi32>
  %e1 = "tfl.pseudo_const"() <{value = dense<[4]> : tensor<1xi32>}> : () -> tensor<1xi32>
  %st = "tfl.pseudo_const"() <{value = dense<[1]> : tensor<1xi32>}> : () -> tensor<1xi32>
  %hi = "tfl.strided_slice"(%f, %b1, %e1, %st) <{begin_mask = 0 : i32, end_mask = 0 : i32, ellipsis_mask = 0 : i32, new_axis_mask = 0 : i32, shrink_axis_mask = 0 : i32, offset = false}> : (tensor<4xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<2xf32>
  %p = "tfl.pack"(%lo, %hi) <{axis = 0 : i32, values_count = 2 : i32}> : (tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %eye = "tfl.pseudo_const"() <{value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %none = "tfl.no_value"() <{value}> : () -> none
  %fc = "tfl.fully_connected"(%p, %eye, %none) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<2x2xf32>, tensor<2x2xf32>, none) -> tensor<2x2xf32>
  %zero = "tfl.pseudo_const"() <{value = dense<0.0> : tensor<f32>}> : () -> tensor<f32>
  %pos = "tfl.greater_equal"(%fc, %zero) : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xi1>
  %sel = "tfl.select_v2"(%pos, %fc, %zero) : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %out = tfl.add %x, %sel {fused_activation_function = "NONE"} : tensor<2x2xf32>
  func.return %out : tensor<2x2xf32>
}

// -----

// A large tile of a small constant stays (folding never bloats the file).
// CHECK-LABEL: func.func @big_tile
// CHECK: "tfl.tile"
func.func @big_tile() -> tensor<2048xf32> {
  %c = "tfl.pseudo_const"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %m = "tfl.pseudo_const"() <{value = dense<[1024]> : tensor<1xi32>}> : () -> tensor<1xi32>
  %t = "tfl.tile"(%c, %m) : (tensor<2xf32>, tensor<1xi32>) -> tensor<2048xf32>
  func.return %t : tensor<2048xf32>
}

// -----

// DIV-LABEL: func.func @div_by_constant
// DIV-NEXT: %[[R:.*]] = "tfl.pseudo_const"() <{value = dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>}>
// DIV-NEXT: tfl.mul(%x, %[[R]]) <{fused_activation_function = "RELU"}>
// DIV: tfl.div %x, %y
func.func @div_by_constant(%x: tensor<3x2xf32>, %y: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %c = "tfl.pseudo_const"() <{value = dense<[2.0, 4.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = "tfl.div"(%x, %c) <{fused_activation_function = "RELU"}> : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %1 = tfl.div %x, %y {fused_activation_function = "NONE"} : tensor<3x2xf32>
  func.return %0, %1 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// A range TFLite would refuse at run time (delta 0), or whose length is not its declared
// shape, stays unfolded (and nothing is allocated for it).
// CHECK-LABEL: func.func @range_not_folded
// CHECK-COUNT-2: "tfl.range"
func.func @range_not_folded() -> (tensor<4xi32>, tensor<4xi32>) {
  %start = "tfl.pseudo_const"() <{value = dense<0> : tensor<i32>}> : () -> tensor<i32>
  %limit = "tfl.pseudo_const"() <{value = dense<2147483647> : tensor<i32>}> : () -> tensor<i32>
  %zero = "tfl.pseudo_const"() <{value = dense<0> : tensor<i32>}> : () -> tensor<i32>
  %one = "tfl.pseudo_const"() <{value = dense<1> : tensor<i32>}> : () -> tensor<i32>
  %r0 = "tfl.range"(%start, %limit, %zero) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<4xi32>
  %r1 = "tfl.range"(%start, %limit, %one) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<4xi32>
  func.return %r0, %r1 : tensor<4xi32>, tensor<4xi32>
}
