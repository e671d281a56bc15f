// RUN: tflc-opt %s -p legalize-tf --split-input-file | filecheck %s

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi32>) {
  // CHECK-NEXT: %[[ADD:.*]] = tfl.add(%{{.*}}, %{{.*}}) <{fused_activation_function = "NONE"}> : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = "tf.AddV2"(%a, %b) {T = "tfdtype$DT_FLOAT"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: %[[SUB:.*]] = tfl.sub %[[ADD]], %[[ADD]] {fused_activation_function = "NONE"} : tensor<2x3xf32>
  %1 = "tf.Sub"(%0, %0) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: tfl.mul %[[SUB]], %[[SUB]] {fused_activation_function = "NONE"} : tensor<2x3xf32>
  %2 = "tf.Mul"(%1, %1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: tfl.div {{.*}} {fused_activation_function = "NONE"} : tensor<2x3xf32>
  %3 = "tf.RealDiv"(%2, %2) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: tfl.pow {{.*}} : tensor<2x3xf32>
  %4 = "tf.Pow"(%3, %3) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.maximum"({{.*}}) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = "tf.Maximum"(%4, %4) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.minimum"({{.*}}) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = "tf.Minimum"(%5, %5) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.neg"
  %7 = "tf.Neg"(%6) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.square"
  %8 = "tf.Square"(%7) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.sqrt"
  %9 = "tf.Sqrt"(%8) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.rsqrt"
  %10 = "tf.Rsqrt"(%9) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.exp"
  %11 = "tf.Exp"(%10) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.log"
  %12 = "tf.Log"(%11) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.tanh"
  %13 = "tf.Tanh"(%12) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.logistic"
  %14 = "tf.Sigmoid"(%13) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.relu"
  %15 = "tf.Relu"(%14) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.relu6"
  %16 = "tf.Relu6"(%15) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.softmax"(%{{.*}}) <{beta = 1.000000e+00 : f32}>
  %17 = "tf.Softmax"(%16) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: tfl.add {{.*}} {fused_activation_function = "NONE"} : tensor<2x3xf32>
  %18 = "tf.Add"(%17, %17) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %19 = "tf.Identity"(%18) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NEXT: "tfl.cast"(%{{.*}}) : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %20 = "tf.Cast"(%19) {Truncate = false} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  // CHECK-NEXT: return %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xi32>
  func.return %19, %20 : tensor<2x3xf32>, tensor<2x3xi32>
}

// -----

// MatMul: fully_connected wants the filter as [out, in]: a constant filter is
// transposed at compile time, a variable one through tfl.transpose.
// CHECK-LABEL: func.func @matmul_const
func.func @matmul_const(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  // CHECK: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00, 7.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00, 8.000000e+00]]> : tensor<2x4xf32>}>
  // CHECK-NEXT: %[[NONE:.*]] = "tfl.no_value"() <{value}> : () -> none
  // CHECK-NEXT: "tfl.fully_connected"(%{{.*}}, %[[W]], %[[NONE]]) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<?x4xf32>, tensor<2x4xf32>, none) -> tensor<?x2xf32>
  %w = "tf.Const"() {value = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %0 = "tf.MatMul"(%x, %w) {transpose_a = false, transpose_b = false} : (tensor<?x4xf32>, tensor<4x2xf32>) -> tensor<?x2xf32>
  func.return %0 : tensor<?x2xf32>
}

// CHECK-LABEL: func.func @matmul_variable
func.func @matmul_variable(%x: tensor<3x4xf32>, %w: tensor<4x2xf32>, %v: tensor<2x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  // CHECK: %[[PERM:.*]] = "tfl.pseudo_const"() <{value = dense<[1, 0]> : tensor<2xi32>}>
  // CHECK-NEXT: %[[WT:.*]] = "tfl.transpose"(%{{.*}}, %[[PERM]]) : (tensor<4x2xf32>, tensor<2xi32>) -> tensor<2x4xf32>
  // CHECK: "tfl.fully_connected"(%{{.*}}, %[[WT]], %{{.*}})
  %0 = "tf.MatMul"(%x, %w) : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  // transpose_b: the filter is already [out, in].
  // CHECK-NOT: tfl.transpose
  // CHECK: "tfl.fully_connected"(%{{.*}}, %{{.*}}, %{{.*}}) {{.*}} : (tensor<3x4xf32>, tensor<2x4xf32>, none) -> tensor<3x2xf32>
  %1 = "tf.MatMul"(%x, %v) {transpose_b = true} : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
  func.return %0, %1 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @batch_matmul_bias
func.func @batch_matmul_bias(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %b: tensor<5xf32>) -> tensor<2x3x5xf32> {
  // CHECK-NEXT: %[[BMM:.*]] = "tfl.batch_matmul"(%{{.*}}, %{{.*}}) <{adj_x = false, adj_y = true}> : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %0 = "tf.BatchMatMulV2"(%x, %y) {adj_x = false, adj_y = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  // CHECK-NEXT: tfl.add(%[[BMM]], %{{.*}}) <{fused_activation_function = "NONE"}> : (tensor<2x3x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  %1 = "tf.BiasAdd"(%0, %b) {data_format = "NHWC"} : (tensor<2x3x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  func.return %1 : tensor<2x3x5xf32>
}

// -----

// Shapes, permutations and axes become int32 constants.
// CHECK-LABEL: func.func @shape_ops
func.func @shape_ops(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  // CHECK: %[[SHAPE:.*]] = "tfl.pseudo_const"() <{value = dense<[6, 4]> : tensor<2xi32>}>
  // CHECK-NEXT: %[[R:.*]] = "tfl.reshape"(%{{.*}}, %[[SHAPE]]) : (tensor<2x3x4xf32>, tensor<2xi32>) -> tensor<6x4xf32>
  %s = "tf.Const"() {value = dense<[6, 4]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "tf.Reshape"(%x, %s) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  // CHECK: "tfl.transpose"(%[[R]], %{{.*}}) : (tensor<6x4xf32>, tensor<2xi32>) -> tensor<4x6xf32>
  %p = "tf.Const"() {value = dense<[1, 0]> : tensor<2xi32>} : () -> tensor<2xi32>
  %1 = "tf.Transpose"(%0, %p) : (tensor<6x4xf32>, tensor<2xi32>) -> tensor<4x6xf32>
  func.return %1 : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @reductions_concat
func.func @reductions_concat(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %axis = "tf.Const"() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  // CHECK: "tfl.mean"(%{{.*}}, %{{.*}}) <{keep_dims = true}> : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<2x1xf32>
  %0 = "tf.Mean"(%x, %axis) {keep_dims = true} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  // CHECK: "tfl.sum"(%{{.*}}, %{{.*}}) <{keep_dims = true}> : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<2x1xf32>
  %1 = "tf.Sum"(%x, %axis) {keep_dims = true} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %c = "tf.Const"() {value = dense<-1> : tensor<i32>} : () -> tensor<i32>
  // CHECK: "tfl.concatenation"(%{{.*}}, %{{.*}}) <{axis = -1 : i32, fused_activation_function = "NONE"}> : (tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %2 = "tf.ConcatV2"(%0, %1, %c) : (tensor<2x1xf32>, tensor<2x1xf32>, tensor<i32>) -> tensor<2x2xf32>
  func.return %2 : tensor<2x2xf32>
}
