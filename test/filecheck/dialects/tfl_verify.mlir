// RUN: tflc-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @bad_activation(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tfl.add %a, %a {fused_activation_function = "BOGUS"} : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 3]]:3: 'tfl.add' op fused_activation_function must be one of NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT, got "BOGUS"

// -----

func.func @operand_count(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tfl.mul"(%a) <{fused_activation_function = "NONE"}> : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 3]]:3: 'tfl.mul' op Expected 2 operands, but got 1

// -----

func.func @element_type(%a: tensor<2xindex>) -> tensor<2xindex> {
  %0 = "tfl.neg"(%a) : (tensor<2xindex>) -> tensor<2xindex>
  func.return %0 : tensor<2xindex>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 3]]:3: 'tfl.neg' op operand 'x' at position 0: has no TFLite tensor type for element type index

// -----

func.func @filter_rank(%a: tensor<2x4xf32>, %w: tensor<3x4x1xf32>) -> tensor<2x3xf32> {
  %n = "tfl.no_value"() <{value}> : () -> none
  %0 = "tfl.fully_connected"(%a, %w, %n) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<2x4xf32>, tensor<3x4x1xf32>, none) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 3]]:3: 'tfl.fully_connected' op operand 'filter' at position 1: expected a 2-D tensor

// -----

// A static input must hold whole rows of the filter's input size (here 1 element, rows of 3).
func.func @fc_rows(%a: tensor<f32>, %w: tensor<2x3xf32>) -> tensor<?x2xf32> {
  %n = "tfl.no_value"() <{value}> : () -> none
  %0 = "tfl.fully_connected"(%a, %w, %n) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<f32>, tensor<2x3xf32>, none) -> tensor<?x2xf32>
  func.return %0 : tensor<?x2xf32>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 3]]:3: 'tfl.fully_connected' op input tensor<f32> has 1 elements, not a whole number of rows of the filter's input size 3

// -----

func.func @const_type() -> tensor<3xf32> {
  %0 = "tfl.pseudo_const"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 3]]:3: 'tfl.pseudo_const' op value type tensor<2xf32> does not match result type tensor<3xf32>

// -----

func.func @tf_operands(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.AddV2"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 3]]:3: 'tf.AddV2' op Expected 2 operands, but got 1

// -----

func.func @parse_error(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tfl.add %a, %a {fused_activation_function = "NONE"} tensor<2xf32>
}
// CHECK: tfl_verify.mlir:[[# @LINE - 2]]:60
// CHECK: Expected ':'
