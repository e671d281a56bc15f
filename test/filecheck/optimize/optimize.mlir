// RUN: tflc-opt %s --split-input-file -p tfl-fuse-affine,tfl-fuse-activations | filecheck %s --check-prefix=FUSE
// RUN: tflc-opt %s --split-input-file -p tfl-fold-constants,tfl-remove-redundant | filecheck %s --check-prefix=FOLD

// FUSE-LABEL: func.func @dense
// FUSE: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}2.000000e+00, 4.000000e+00], [-3.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>}>
// FUSE: %[[B:.*]] = "tfl.pseudo_const"() <{value = dense<[1.500000e+00, 2.500000e+00]> : tensor<2xf32>}>
// FUSE: "tfl.fully_connected"(%{{.*}}, %[[W]], %[[B]]) <{fused_activation_function = "RELU6"
// FUSE-NOT: tfl.mul
// FUSE-NOT: tfl.add
// FUSE-NOT: tfl.relu6
func.func @dense(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<[[1.0, 2.0], [-1.0, 2.0]]> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %none = "tfl.no_value"() <{value}> : () -> none
  %s = "tfl.pseudo_const"() <{value = dense<[2.0, 3.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %b = "tfl.pseudo_const"() <{value = dense<[1.5, 2.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = "tfl.fully_connected"(%x, %w, %none) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<3x2xf32>, tensor<2x2xf32>, none) -> tensor<3x2xf32>
  %1 = "tfl.mul"(%0, %s) <{fused_activation_function = "NONE"}> : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %2 = "tfl.add"(%1, %b) <{fused_activation_function = "NONE"}> : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %3 = "tfl.relu6"(%2) : (tensor<3x2xf32>) -> tensor<3x2xf32>
  func.return %3 : tensor<3x2xf32>
}

// -----

// An activation is not fused into an op whose result has other users.
// FUSE-LABEL: func.func @shared
// FUSE: tfl.add %{{.*}} {fused_activation_function = "NONE"}
// FUSE: "tfl.relu"
func.func @shared(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = tfl.add %x, %x {fused_activation_function = "NONE"} : tensor<2xf32>
  %1 = "tfl.relu"(%0) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// FOLD-LABEL: func.func @fold
// FOLD-NEXT: %[[C:.*]] = "tfl.pseudo_const"() <{value = dense<[4, 2]> : tensor<2xi32>}>
// FOLD-NEXT: %[[R:.*]] = "tfl.reshape"(%{{.*}}, %[[C]])
// FOLD-NEXT: return %[[R]]
func.func @fold(%x: tensor<2x4xf32>) -> tensor<4x2xf32> {
  %a = "tfl.pseudo_const"() <{value = dense<[2, 1]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %b = "tfl.pseudo_const"() <{value = dense<2> : tensor<2xi32>}> : () -> tensor<2xi32>
  %s = tfl.mul %a, %b {fused_activation_function = "NONE"} : tensor<2xi32>
  %same = "tfl.pseudo_const"() <{value = dense<[2, 4]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = "tfl.reshape"(%x, %same) : (tensor<2x4xf32>, tensor<2xi32>) -> tensor<2x4xf32>
  %1 = "tfl.reshape"(%0, %s) : (tensor<2x4xf32>, tensor<2xi32>) -> tensor<4x2xf32>
  func.return %1 : tensor<4x2xf32>
}

// -----

// Folding never grows the model: a broadcast of a small constant to a big one stays.
// FOLD-LABEL: func.func @no_bloat
// FOLD: tfl.add
func.func @no_bloat() -> tensor<64x64xf32> {
  %a = "tfl.pseudo_const"() <{value = dense<1.0> : tensor<64x1xf32>}> : () -> tensor<64x1xf32>
  %b = "tfl.pseudo_const"() <{value = dense<2.0> : tensor<1x64xf32>}> : () -> tensor<1x64xf32>
  %0 = "tfl.add"(%a, %b) <{fused_activation_function = "NONE"}> : (tensor<64x1xf32>, tensor<1x64xf32>) -> tensor<64x64xf32>
  func.return %0 : tensor<64x64xf32>
}

// -----

// FOLD-LABEL: func.func @identities
// FOLD: %[[M:.*]] = "tfl.mean"(%{{.*}}, %{{.*}}) <{keep_dims = true}> : (tensor<2x4x4x3xf32>, tensor<2xi32>) -> tensor<2x1x1x3xf32>
// FOLD-NEXT: return %[[M]]
func.func @identities(%x: tensor<2x4x4x3xf32>) -> tensor<2x1x1x3xf32> {
  %one = "tfl.pseudo_const"() <{value = dense<1.0> : tensor<f32>}> : () -> tensor<f32>
  %zero = "tfl.pseudo_const"() <{value = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %0 = "tfl.mul"(%one, %x) <{fused_activation_function = "NONE"}> : (tensor<f32>, tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32>
  %1 = "tfl.sub"(%0, %zero) <{fused_activation_function = "NONE"}> : (tensor<2x4x4x3xf32>, tensor<3xf32>) -> tensor<2x4x4x3xf32>
  %axes = "tfl.pseudo_const"() <{value = dense<[1, 2]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %2 = "tfl.mean"(%1, %axes) <{keep_dims = false}> : (tensor<2x4x4x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
  %shape = "tfl.pseudo_const"() <{value = dense<[2, 1, 1, 3]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %3 = "tfl.reshape"(%2, %shape) : (tensor<2x3xf32>, tensor<4xi32>) -> tensor<2x1x1x3xf32>
  func.return %3 : tensor<2x1x1x3xf32>
}

// -----

// A scalar scale before a convolution goes into its weights.
// FUSE-LABEL: func.func @input_scale
// FUSE: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<2.500000e-01> : tensor<4x3x3x3xf32>}>
// FUSE-NEXT: "tfl.conv_2d"(%{{.*}}, %[[W]], %{{.*}})
// FUSE-NOT: tfl.mul
func.func @input_scale(%x: tensor<1x8x8x3xf32>) -> tensor<1x8x8x4xf32> {
  %s = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<f32>}> : () -> tensor<f32>
  %w = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<4x3x3x3xf32>}> : () -> tensor<4x3x3x3xf32>
  %b = "tfl.pseudo_const"() <{value = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %m = "tfl.mul"(%x, %s) <{fused_activation_function = "NONE"}> : (tensor<1x8x8x3xf32>, tensor<f32>) -> tensor<1x8x8x3xf32>
  %0 = "tfl.conv_2d"(%m, %w, %b) <{padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE"}> : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  func.return %0 : tensor<1x8x8x4xf32>
}

// -----

// Reductions of constants fold; a broadcasting add reads through a squeeze of leading 1s.
// FOLD-LABEL: func.func @reduce_and_squeeze
// FOLD-DAG: "tfl.pseudo_const"() <{value = dense<7> : tensor<i32>}>
// FOLD-DAG: tfl.add(%{{.*}}, %{{.*}}) <{fused_activation_function = "NONE"}> : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
// FOLD-NOT: tfl.squeeze
// FOLD-NOT: tfl.reduce_max
func.func @reduce_and_squeeze(%x: tensor<2x4xf32>, %y: tensor<1x4xf32>) -> (tensor<2x4xf32>, tensor<i32>) {
  %v = "tfl.pseudo_const"() <{value = dense<[3, 7, 5]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %axes = "tfl.pseudo_const"() <{value = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %m = "tfl.reduce_max"(%v, %axes) <{keep_dims = false}> : (tensor<3xi32>, tensor<1xi32>) -> tensor<i32>
  %s = "tfl.squeeze"(%y) <{squeeze_dims = []}> : (tensor<1x4xf32>) -> tensor<4xf32>
  %0 = "tfl.add"(%x, %s) <{fused_activation_function = "NONE"}> : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %0, %m : tensor<2x4xf32>, tensor<i32>
}

// -----

// Equal types with two unknown dims do not make a reshape or a dynamic_update_slice a
// no-op: ?x? may swap sizes, and the update may be smaller than the operand.
// FOLD-LABEL: func.func @unknown_dims_stay
// FOLD: "tfl.reshape"(%x, %shape) : (tensor<?x?x4xf32>, tensor<3xi32>) -> tensor<?x?x4xf32>
// FOLD: "tfl.dynamic_update_slice"(%b, %u, %start) : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<2xi32>) -> tensor<?x4xf32>
// FOLD-NOT: tfl.reshape
func.func @unknown_dims_stay(%x: tensor<?x?x4xf32>, %shape: tensor<3xi32>, %b: tensor<?x4xf32>, %u: tensor<?x4xf32>, %start: tensor<2xi32>) -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %0 = "tfl.reshape"(%x, %shape) : (tensor<?x?x4xf32>, tensor<3xi32>) -> tensor<?x?x4xf32>
  %1 = "tfl.dynamic_update_slice"(%b, %u, %start) : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<2xi32>) -> tensor<?x4xf32>
  %s = "tfl.pseudo_const"() <{value = dense<[-1, 4]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %2 = "tfl.reshape"(%u, %s) : (tensor<?x4xf32>, tensor<2xi32>) -> tensor<?x4xf32>
  func.return %0, %1, %2 : tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
