// RUN: tflc-opt %s -p legalize-tf --split-input-file | filecheck %s

// Above the rank its kernel broadcasts (pow: 4), each operand of another shape is
// broadcast to the result's constant shape first.
// CHECK-LABEL: func.func @pow_5d
func.func @pow_5d(%a: tensor<2x1x3x1x4xf32>, %b: tensor<1x5x1x1x4xf32>) -> tensor<2x5x3x1x4xf32> {
  // CHECK: %[[SHAPE:.*]] = "tfl.pseudo_const"() <{value = dense<[2, 5, 3, 1, 4]> : tensor<5xi64>}>
  // CHECK: %[[A:.*]] = "tfl.broadcast_to"(%a, %[[SHAPE]]) : (tensor<2x1x3x1x4xf32>, tensor<5xi64>) -> tensor<2x5x3x1x4xf32>
  // CHECK: %[[B:.*]] = "tfl.broadcast_to"(%b, %[[SHAPE]]) : (tensor<1x5x1x1x4xf32>, tensor<5xi64>) -> tensor<2x5x3x1x4xf32>
  // CHECK: tfl.pow %[[A]], %[[B]] : tensor<2x5x3x1x4xf32>
  %0 = "tf.Pow"(%a, %b) : (tensor<2x1x3x1x4xf32>, tensor<1x5x1x1x4xf32>) -> tensor<2x5x3x1x4xf32>
  func.return %0 : tensor<2x5x3x1x4xf32>
}

// -----

// Within the rank (add: 6), and at any rank for operands of one shape, nothing is added.
// CHECK-LABEL: func.func @within_rank
func.func @within_rank(%a: tensor<1x2x1x4x5x6xf32>, %b: tensor<1x2x3x4x5x1xf32>, %c: tensor<1x2x3x4x5x6x7xi32>) -> (tensor<1x2x3x4x5x6xf32>, tensor<1x2x3x4x5x6x7xi32>) {
  // CHECK-NOT: tfl.broadcast_to
  // CHECK: tfl.add(%a, %b) <{fused_activation_function = "NONE"}>
  %0 = "tf.AddV2"(%a, %b) : (tensor<1x2x1x4x5x6xf32>, tensor<1x2x3x4x5x1xf32>) -> tensor<1x2x3x4x5x6xf32>
  // CHECK: "tfl.maximum"(%c, %c) : (tensor<1x2x3x4x5x6x7xi32>, tensor<1x2x3x4x5x6x7xi32>) -> tensor<1x2x3x4x5x6x7xi32>
  %1 = "tf.Maximum"(%c, %c) : (tensor<1x2x3x4x5x6x7xi32>, tensor<1x2x3x4x5x6x7xi32>) -> tensor<1x2x3x4x5x6x7xi32>
  func.return %0, %1 : tensor<1x2x3x4x5x6xf32>, tensor<1x2x3x4x5x6x7xi32>
}

// -----

// select_v2 (5) broadcasts its condition too; a 7-D add (6) only the operand that differs.
// CHECK-LABEL: func.func @select_and_add
func.func @select_and_add(%c: tensor<1x1x1x1x1x3xi1>, %x: tensor<2x1x1x1x1x3xf32>, %y: tensor<2x1x1x1x1x3xf32>, %p: tensor<1x1x1x1x1x3x4xi32>, %q: tensor<1x1x1x1x1x1x4xi32>) -> (tensor<2x1x1x1x1x3xf32>, tensor<1x1x1x1x1x3x4xi32>) {
  // CHECK: %[[C:.*]] = "tfl.broadcast_to"(%c, %{{.*}}) : (tensor<1x1x1x1x1x3xi1>, tensor<6xi64>) -> tensor<2x1x1x1x1x3xi1>
  // CHECK: "tfl.select_v2"(%[[C]], %x, %y)
  %0 = "tf.SelectV2"(%c, %x, %y) : (tensor<1x1x1x1x1x3xi1>, tensor<2x1x1x1x1x3xf32>, tensor<2x1x1x1x1x3xf32>) -> tensor<2x1x1x1x1x3xf32>
  // CHECK: %[[Q:.*]] = "tfl.broadcast_to"(%q, %{{.*}}) : (tensor<1x1x1x1x1x1x4xi32>, tensor<7xi64>) -> tensor<1x1x1x1x1x3x4xi32>
  // CHECK: tfl.add %p, %[[Q]] {fused_activation_function = "NONE"} : tensor<1x1x1x1x1x3x4xi32>
  %1 = "tf.AddV2"(%p, %q) : (tensor<1x1x1x1x1x3x4xi32>, tensor<1x1x1x1x1x1x4xi32>) -> tensor<1x1x1x1x1x3x4xi32>
  func.return %0, %1 : tensor<2x1x1x1x1x3xf32>, tensor<1x1x1x1x1x3x4xi32>
}

// -----

// With a dynamic operand the target shape is computed at run time.
// CHECK-LABEL: func.func @dynamic
func.func @dynamic(%a: tensor<8x7x6x5x4x3x2x1xf32>, %b: tensor<?x3x2x1xf32>) -> tensor<8x7x6x5x4x3x2x1xf32> {
  // CHECK: %[[SA:.*]] = "tfl.pseudo_const"() <{value = dense<[8, 7, 6, 5, 4, 3, 2, 1]> : tensor<8xi64>}>
  // CHECK: %[[SB:.*]] = "tfl.shape"(%b) : (tensor<?x3x2x1xf32>) -> tensor<4xi64>
  // CHECK: %[[S:.*]] = "tfl.broadcast_args"(%[[SA]], %[[SB]]) : (tensor<8xi64>, tensor<4xi64>) -> tensor<8xi64>
  // CHECK: %[[B:.*]] = "tfl.broadcast_to"(%b, %[[S]]) : (tensor<?x3x2x1xf32>, tensor<8xi64>) -> tensor<8x7x6x5x4x3x2x1xf32>
  // CHECK: tfl.mul %a, %[[B]] {fused_activation_function = "NONE"} : tensor<8x7x6x5x4x3x2x1xf32>
  %0 = "tf.Mul"(%a, %b) : (tensor<8x7x6x5x4x3x2x1xf32>, tensor<?x3x2x1xf32>) -> tensor<8x7x6x5x4x3x2x1xf32>
  func.return %0 : tensor<8x7x6x5x4x3x2x1xf32>
}
