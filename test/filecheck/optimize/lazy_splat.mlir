// RUN: tflc-opt %s --split-input-file -p canonicalize,tfl-fold-constants,tfl-fuse-affine,cse,dce | filecheck %s

// Splats stay one element through folding and fusion (10^15 and 2^28 elements here: the
// optimizer never expands them); translate/size_limit.mlir exports them.

// CHECK-LABEL: func.func @petabyte
// CHECK-NEXT: %[[C:.*]] = "tfl.pseudo_const"() <{value = dense<3.000000e+00> : tensor<100000x100000x100000xf32>}>
// CHECK-NEXT: %[[R:.*]] = tfl.add %x, %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @petabyte(%x: tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32> {
  %a = "tfl.pseudo_const"() <{value = dense<1.5> : tensor<100000x100000x100000xf32>}> : () -> tensor<100000x100000x100000xf32>
  %b = "tfl.pseudo_const"() <{value = dense<2.0> : tensor<100000x100000x100000xf32>}> : () -> tensor<100000x100000x100000xf32>
  %p = "tfl.pseudo_const"() <{value = dense<[2, 0, 1]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %0 = "tfl.mul"(%a, %b) <{fused_activation_function = "RELU6"}> : (tensor<100000x100000x100000xf32>, tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32>
  %1 = "tfl.transpose"(%0, %p) : (tensor<100000x100000x100000xf32>, tensor<3xi32>) -> tensor<100000x100000x100000xf32>
  %2 = "tfl.add"(%x, %1) <{fused_activation_function = "NONE"}> : (tensor<100000x100000x100000xf32>, tensor<100000x100000x100000xf32>) -> tensor<100000x100000x100000xf32>
  func.return %2 : tensor<100000x100000x100000xf32>
}

// -----

// A 1 GiB splat filter: the add goes into the bias, the mul into the weights and the
// bias, all as splats. A tfl.fill of one value folds (within the size rule) to a splat.
// CHECK-LABEL: func.func @gigabyte_filter
// CHECK-DAG: dense<2.000000e+00> : tensor<16384x16384xf32>
// CHECK-DAG: dense<2.000000e+01> : tensor<16384xf32>
// CHECK: tfl.fully_connected
// CHECK-NOT: tfl.add
// CHECK-NOT: tfl.mul
// CHECK: return
func.func @gigabyte_filter(%x: tensor<1x16384xf32>) -> tensor<1x16384xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<16384x16384xf32>}> : () -> tensor<16384x16384xf32>
  %b = "tfl.pseudo_const"() <{value = dense<2.0> : tensor<16384xf32>}> : () -> tensor<16384xf32>
  %c = "tfl.pseudo_const"() <{value = dense<3.0> : tensor<16384xf32>}> : () -> tensor<16384xf32>
  %s = "tfl.pseudo_const"() <{value = dense<4.0> : tensor<16384xf32>}> : () -> tensor<16384xf32>
  %0 = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<1x16384xf32>, tensor<16384x16384xf32>, tensor<16384xf32>) -> tensor<1x16384xf32>
  %1 = "tfl.add"(%0, %c) <{fused_activation_function = "NONE"}> : (tensor<1x16384xf32>, tensor<16384xf32>) -> tensor<1x16384xf32>
  %2 = "tfl.mul"(%1, %s) <{fused_activation_function = "NONE"}> : (tensor<1x16384xf32>, tensor<16384xf32>) -> tensor<1x16384xf32>
  func.return %2 : tensor<1x16384xf32>
}

// -----

// CHECK-LABEL: func.func @fill
// CHECK-NEXT: "tfl.pseudo_const"() <{value = dense<7.000000e+00> : tensor<1000xf32>}>
// CHECK-NEXT: tfl.add
func.func @fill(%x: tensor<1000xf32>) -> tensor<1000xf32> {
  %dims = "tfl.pseudo_const"() <{value = dense<[1000]> : tensor<1xi32>}> : () -> tensor<1xi32>
  %seven = "tfl.pseudo_const"() <{value = dense<7.0> : tensor<f32>}> : () -> tensor<f32>
  %c = "tfl.fill"(%dims, %seven) : (tensor<1xi32>, tensor<f32>) -> tensor<1000xf32>
  %0 = "tfl.add"(%x, %c) <{fused_activation_function = "NONE"}> : (tensor<1000xf32>, tensor<1000xf32>) -> tensor<1000xf32>
  func.return %0 : tensor<1000xf32>
}
