// RUN: tflc-opt %s -p tfl-fold-constants,tfl-remove-redundant,dce | filecheck %s

// floor_div and floor_mod of constants fold as TFLite computes them (floor, the divisor's
// sign); an integer division by zero is left to the kernel; a strided slice of the whole
// tensor goes.
// CHECK-LABEL: func.func @main
// CHECK-DAG: dense<[-4, 3, 1, 2]> : tensor<4xi32>
// CHECK-DAG: dense<[1, 1, -3, 0]> : tensor<4xi32>
// CHECK-DAG: dense<[-2.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: tfl.floor_div %i, %z : tensor<2xi32>
// CHECK-NOT: tfl.strided_slice
// CHECK: return
func.func @main(%x: tensor<2x3xf32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<2xf32>, tensor<2xi32>, tensor<2x3xf32>) {
  %a = "tfl.pseudo_const"() <{value = dense<[-7, 7, -7, 8]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %b = "tfl.pseudo_const"() <{value = dense<[2, 2, -4, 4]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %0 = tfl.floor_div %a, %b : tensor<4xi32>
  %1 = "tfl.floor_mod"(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %f = "tfl.pseudo_const"() <{value = dense<[-3.5, 2.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %g = "tfl.pseudo_const"() <{value = dense<2.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %2 = tfl.floor_div %f, %g : tensor<2xf32>
  %i = "tfl.pseudo_const"() <{value = dense<[5, 6]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %z = "tfl.pseudo_const"() <{value = dense<[1, 0]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %3 = tfl.floor_div %i, %z : tensor<2xi32>
  %begin = "tfl.pseudo_const"() <{value = dense<0> : tensor<2xi32>}> : () -> tensor<2xi32>
  %end = "tfl.pseudo_const"() <{value = dense<[2, 3]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %one = "tfl.pseudo_const"() <{value = dense<1> : tensor<2xi32>}> : () -> tensor<2xi32>
  %4 = "tfl.strided_slice"(%x, %begin, %end, %one) <{begin_mask = 0 : i32, ellipsis_mask = 0 : i32, end_mask = 0 : i32, new_axis_mask = 0 : i32, offset = false, shrink_axis_mask = 0 : i32}> : (tensor<2x3xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2x3xf32>
  func.return %0, %1, %2, %3, %4 : tensor<4xi32>, tensor<4xi32>, tensor<2xf32>, tensor<2xi32>, tensor<2x3xf32>
}
