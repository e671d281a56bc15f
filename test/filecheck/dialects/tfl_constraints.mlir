// The tfl op classes' constraints: element types, ranks, enums, shared element types,
// function references and unranked tensors, each failing with the op, location and what
// was expected.
// RUN: tflc-opt %s --split-input-file --verify-diagnostics | filecheck %s

// An f32 + i32 -> i8 add: operands and result must share one element type.
func.func @mixed_add(%a: tensor<2xf32>, %b: tensor<2xi32>) -> tensor<2xi8> {
  %0 = "tfl.add"(%a, %b) <{fused_activation_function = "NONE"}> : (tensor<2xf32>, tensor<2xi32>) -> tensor<2xi8>
  func.return %0 : tensor<2xi8>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.add' op operand 'rhs' at position 1: element type i32 differs from the f32

// -----

// Element kinds: tfl.square has only a float kernel.
func.func @square_int(%a: tensor<2xi32>) -> tensor<2xi32> {
  %0 = "tfl.square"(%a) : (tensor<2xi32>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.square' op operand 'x' at position 0: expected a tensor of f32, got tensor<2xi32>

// -----

// Comparisons give bools.
func.func @less_f32_result(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tfl.less"(%a, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.less' op result 'output' at position 0: expected a tensor of i1

// -----

// Ranks: conv_2d takes NHWC tensors.
func.func @conv_rank(%x: tensor<8x8x3xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x8x8x2xf32> {
  %n = "tfl.no_value"() <{value}> : () -> none
  %0 = "tfl.conv_2d"(%x, %w, %n) <{padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE"}> : (tensor<8x8x3xf32>, tensor<2x3x3x3xf32>, none) -> tensor<1x8x8x2xf32>
  func.return %0 : tensor<1x8x8x2xf32>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.conv_2d' op operand 'input' at position 0: expected a 4-D tensor, got tensor<8x8x3xf32>

// -----

// Enums: padding must be a TFLite Padding member.
func.func @bad_padding(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> {
  %0 = "tfl.max_pool_2d"(%x) <{padding = "FULL", stride_h = 2 : i32, stride_w = 2 : i32, filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE"}> : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  func.return %0 : tensor<1x2x2x1xf32>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.max_pool_2d' op padding must be one of SAME, VALID, got "FULL"

// -----

// Shape operands are integer tensors.
func.func @float_shape(%x: tensor<4xf32>, %s: tensor<2xf32>) -> tensor<2x2xf32> {
  %0 = "tfl.reshape"(%x, %s) : (tensor<4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.reshape' op operand 'shape' at position 1: expected a tensor of i32, i64

// -----

// A while body that does not exist.
func.func @cond(%x: tensor<f32>) -> tensor<i1> {
  %0 = "tfl.pseudo_const"() <{value = dense<true> : tensor<i1>}> : () -> tensor<i1>
  func.return %0 : tensor<i1>
}
func.func @loop(%x: tensor<f32>) -> tensor<f32> {
  %0 = "tfl.while"(%x) <{cond = @cond, body = @nowhere}> : (tensor<f32>) -> tensor<f32>
  func.return %0 : tensor<f32>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.while' op body refers to @nowhere, which the module does not define

// -----

// A while body whose types do not match the loop values.
func.func @cond2(%x: tensor<f32>) -> tensor<i1> {
  %0 = "tfl.pseudo_const"() <{value = dense<true> : tensor<i1>}> : () -> tensor<i1>
  func.return %0 : tensor<i1>
}
func.func @body2(%x: tensor<i32>) -> tensor<i32> {
  func.return %x : tensor<i32>
}
func.func @loop2(%x: tensor<f32>) -> tensor<f32> {
  %0 = "tfl.while"(%x) <{cond = @cond2, body = @body2}> : (tensor<f32>) -> tensor<f32>
  func.return %0 : tensor<f32>
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.while' op body @body2 takes (tensor<i32>) but tfl.while passes (tensor<f32>)

// -----

// A call_once of a missing initializer.
func.func @init_missing() {
  "tfl.call_once"() <{session_init_function = "nowhere_init"}> : () -> ()
  func.return
}
// CHECK: tfl_constraints.mlir:[[# @LINE - 3]]:3: 'tfl.call_once' op session_init_function refers to @nowhere_init, which the module does not define

// -----

// Unranked tensors are accepted where TFLite accepts them (shapes known at run time).
// CHECK-LABEL: func.func @unranked
// CHECK: tfl.add %{{.*}}, %{{.*}} {fused_activation_function = "NONE"} : tensor<*xf32>
// CHECK: "tfl.read_variable"(%{{.*}}) : (tensor<*x!tf_type.resource>) -> tensor<*xf32>
func.func @unranked(%a: tensor<*xf32>, %r: tensor<*x!tf_type.resource>) -> tensor<*xf32> {
  %0 = tfl.add %a, %a {fused_activation_function = "NONE"} : tensor<*xf32>
  %1 = "tfl.read_variable"(%r) : (tensor<*x!tf_type.resource>) -> tensor<*xf32>
  %2 = tfl.add %0, %1 {fused_activation_function = "NONE"} : tensor<*xf32>
  func.return %2 : tensor<*xf32>
}

// -----

// int8 quantized operands of one storage type match whatever their scales.
// CHECK-LABEL: func.func @quantized_add
func.func @quantized_add(%a: tensor<2x!quant.uniform<i8:f32, 0.5:1>>, %b: tensor<2x!quant.uniform<i8:f32, 0.25:-3>>) -> tensor<2x!quant.uniform<i8:f32, 1.0:0>> {
  %0 = "tfl.add"(%a, %b) <{fused_activation_function = "NONE"}> : (tensor<2x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x!quant.uniform<i8:f32, 0.25:-3>>) -> tensor<2x!quant.uniform<i8:f32, 1.0:0>>
  func.return %0 : tensor<2x!quant.uniform<i8:f32, 1.0:0>>
}
