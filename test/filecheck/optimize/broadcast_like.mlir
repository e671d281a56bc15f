// RUN: tflc-opt %s -p tfl-optimize-broadcast-like,dce | filecheck %s

// A binary op reads what broadcast_to / fill broadcast when its kernel broadcasts that
// implicitly to the same result shape.
// CHECK-LABEL: func.func @implicit
// CHECK-NEXT: tfl.mul(%x, %y) <{fused_activation_function = "NONE"}> : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: tfl.add(%v, %x) <{fused_activation_function = "RELU"}> : (tensor<f32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NOT: tfl.broadcast_to
// CHECK-NOT: tfl.fill
func.func @implicit(%x: tensor<2x3x4xf32>, %y: tensor<4xf32>, %v: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %shape = "tfl.pseudo_const"() <{value = dense<[2, 3, 4]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %b = "tfl.broadcast_to"(%y, %shape) : (tensor<4xf32>, tensor<3xi32>) -> tensor<2x3x4xf32>
  %0 = tfl.mul %x, %b {fused_activation_function = "NONE"} : tensor<2x3x4xf32>
  %f = "tfl.fill"(%shape, %v) : (tensor<3xi32>, tensor<f32>) -> tensor<2x3x4xf32>
  %1 = tfl.add %f, %x {fused_activation_function = "RELU"} : tensor<2x3x4xf32>
  func.return %0, %1 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// Kept: above the kernel's broadcast rank (pow: 4), a broadcast that also widens the
// result (the other operand alone would not give its shape), dynamic shapes.
// CHECK-LABEL: func.func @kept
// CHECK: tfl.broadcast_to
// CHECK: tfl.pow
// CHECK: tfl.broadcast_to
// CHECK: tfl.add
// CHECK: tfl.broadcast_to
// CHECK: tfl.sub
func.func @kept(%z: tensor<1x2x3x4x5xf32>, %v: tensor<f32>, %x: tensor<1x4xf32>, %y: tensor<3x1xf32>, %d: tensor<?x4xf32>, %s: tensor<2xi32>) -> (tensor<1x2x3x4x5xf32>, tensor<2x3x4xf32>, tensor<?x4xf32>) {
  %s5 = "tfl.pseudo_const"() <{value = dense<[1, 2, 3, 4, 5]> : tensor<5xi32>}> : () -> tensor<5xi32>
  %bz = "tfl.broadcast_to"(%v, %s5) : (tensor<f32>, tensor<5xi32>) -> tensor<1x2x3x4x5xf32>
  %0 = tfl.pow %z, %bz : tensor<1x2x3x4x5xf32>
  %s3 = "tfl.pseudo_const"() <{value = dense<[2, 3, 4]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %bx = "tfl.broadcast_to"(%x, %s3) : (tensor<1x4xf32>, tensor<3xi32>) -> tensor<2x3x4xf32>
  %1 = tfl.add(%bx, %y) <{fused_activation_function = "NONE"}> : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %bd = "tfl.broadcast_to"(%v, %s) : (tensor<f32>, tensor<2xi32>) -> tensor<?x4xf32>
  %2 = tfl.sub %d, %bd {fused_activation_function = "NONE"} : tensor<?x4xf32>
  func.return %0, %1, %2 : tensor<1x2x3x4x5xf32>, tensor<2x3x4xf32>, tensor<?x4xf32>
}
