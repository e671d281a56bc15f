// RUN: tflc-opt %s -p prepare-composite-functions | filecheck %s

// A tf-keras LSTM function (api_implements lstm_*) called with zero initial states, its
// outputs 0 and 1 read: its body becomes the fused op on the gates' split kernels.
// CHECK-LABEL: func.func private @lstm_fusable
// CHECK: "tfl.reverse_v2"(%x, %{{.*}}) : (tensor<1x4x3xf32>, tensor<1xi32>) -> tensor<1x4x3xf32>
// CHECK: "tfl.transpose"(%k, %{{.*}}) : (tensor<3x8xf32>, tensor<2xi32>) -> tensor<8x3xf32>
// CHECK: "tfl.split"({{.*}}) <{num_splits = 4 : i32}> : (tensor<i32>, tensor<8x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK: "tfl.unidirectional_sequence_lstm"({{.*}}) <{fused_activation_function = "TANH", time_major = false}> : ({{.*}}) -> tensor<1x4x2xf32>
// CHECK: "tfl.strided_slice"({{.*}}) <{begin_mask = 5 : i32, ellipsis_mask = 0 : i32, end_mask = 5 : i32, new_axis_mask = 0 : i32, offset = false, shrink_axis_mask = 2 : i32}> : ({{.*}}) -> tensor<1x2xf32>
// CHECK-NOT: tf.While
func.func private @lstm_fusable(%x: tensor<1x4x3xf32>, %h: tensor<1x2xf32>, %c: tensor<1x2xf32>, %k: tensor<3x8xf32>, %r: tensor<2x8xf32>, %b: tensor<8xf32>) -> (tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>) attributes {tf.api_implements = "lstm_0123", tf.go_backwards = true, tf.time_major = false} {
  %0:2 = "tf.While"(%h, %c) {body = @b, cond = @c, is_stateless = true} : (tensor<1x2xf32>, tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>)
  %s = "tf.Const"() {value = dense<0.0> : tensor<1x4x2xf32>} : () -> tensor<1x4x2xf32>
  %t = "tf.Const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  func.return %0#0, %s, %0#0, %0#1, %t : tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>
}

// Not fused: its caller reads the final state (output 2).
// CHECK-LABEL: func.func private @lstm_state_read
// CHECK: tf.While
func.func private @lstm_state_read(%x: tensor<1x4x3xf32>, %h: tensor<1x2xf32>, %c: tensor<1x2xf32>, %k: tensor<3x8xf32>, %r: tensor<2x8xf32>, %b: tensor<8xf32>) -> (tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>) attributes {tf.api_implements = "lstm_4567", tf.time_major = false} {
  %0:2 = "tf.While"(%h, %c) {body = @b, cond = @c, is_stateless = true} : (tensor<1x2xf32>, tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>)
  %s = "tf.Const"() {value = dense<0.0> : tensor<1x4x2xf32>} : () -> tensor<1x4x2xf32>
  %t = "tf.Const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  func.return %0#0, %s, %0#0, %0#1, %t : tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>
}

// Not fused: an initial state that is not zeros.
// CHECK-LABEL: func.func private @lstm_initial_state
// CHECK: tf.While
func.func private @lstm_initial_state(%x: tensor<1x4x3xf32>, %h: tensor<1x2xf32>, %c: tensor<1x2xf32>, %k: tensor<3x8xf32>, %r: tensor<2x8xf32>, %b: tensor<8xf32>) -> (tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>) attributes {tf.api_implements = "lstm_89ab", tf.time_major = false} {
  %0:2 = "tf.While"(%h, %c) {body = @b, cond = @c, is_stateless = true} : (tensor<1x2xf32>, tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>)
  %s = "tf.Const"() {value = dense<0.0> : tensor<1x4x2xf32>} : () -> tensor<1x4x2xf32>
  %t = "tf.Const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  func.return %0#0, %s, %0#0, %0#1, %t : tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>
}

func.func private @b(%h: tensor<1x2xf32>, %c: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  func.return %h, %c : tensor<1x2xf32>, tensor<1x2xf32>
}
func.func private @c(%h: tensor<1x2xf32>, %c: tensor<1x2xf32>) -> tensor<i1> {
  %t = "tf.Const"() {value = dense<false> : tensor<i1>} : () -> tensor<i1>
  func.return %t : tensor<i1>
}

func.func @main(%x: tensor<1x4x3xf32>, %k: tensor<3x8xf32>, %r: tensor<2x8xf32>, %b: tensor<8xf32>, %init: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) {
  %dims = "tf.Const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
  %zero = "tf.Const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %z = "tf.Fill"(%dims, %zero) : (tensor<2xi32>, tensor<f32>) -> tensor<1x2xf32>
  %0:5 = "tf.PartitionedCall"(%x, %z, %z, %k, %r, %b) {f = @lstm_fusable} : (tensor<1x4x3xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<3x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> (tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>)
  %1:5 = "tf.PartitionedCall"(%x, %z, %z, %k, %r, %b) {f = @lstm_state_read} : (tensor<1x4x3xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<3x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> (tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>)
  %2:5 = "tf.PartitionedCall"(%x, %init, %z, %k, %r, %b) {f = @lstm_initial_state} : (tensor<1x4x3xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<3x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> (tensor<1x2xf32>, tensor<1x4x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>)
  func.return %0#0, %1#2, %2#0 : tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>
}
