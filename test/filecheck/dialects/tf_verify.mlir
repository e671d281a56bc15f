// tf.Const holds a tensor of one of TensorFlow's data types, and its result type is the
// value's type (a result may leave dimensions or the rank unknown). Passes read these
// constants through numpy, so the verifier refuses anything else up front.
// RUN: tflc-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @index_element() -> tensor<3xindex> {
  %0 = "tf.Const"() {value = dense<[1, 2, 3]> : tensor<3xindex>} : () -> tensor<3xindex>
  func.return %0 : tensor<3xindex>
}
// CHECK: tf_verify.mlir:[[# @LINE - 3]]:3: 'tf.Const' op result 'output' at position 0: element type index is not a TensorFlow data type

// -----

func.func @element_mismatch() -> tensor<3xi64> {
  %0 = "tf.Const"() {value = dense<[1, 2, 3]> : tensor<3xi32>} : () -> tensor<3xi64>
  func.return %0 : tensor<3xi64>
}
// CHECK: tf_verify.mlir:[[# @LINE - 3]]:3: 'tf.Const' op value type tensor<3xi32> does not match result type tensor<3xi64>

// -----

func.func @shape_mismatch() -> tensor<4xf32> {
  %0 = "tf.Const"() {value = dense<1.0> : tensor<3xf32>} : () -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}
// CHECK: tf_verify.mlir:[[# @LINE - 3]]:3: 'tf.Const' op value type tensor<3xf32> does not match result type tensor<4xf32>

// -----

func.func @not_a_tensor() -> tensor<f32> {
  %0 = "tf.Const"() {value = 1.0 : f32} : () -> tensor<f32>
  func.return %0 : tensor<f32>
}
// CHECK: tf_verify.mlir:[[# @LINE - 3]]:3: 'tf.Const' op value must be a tensor constant, got 1.000000e+00 : f32

// -----

// A result may leave dimensions or the rank unknown.
func.func @compatible() -> (tensor<?xf32>, tensor<*xi32>) {
  %0 = "tf.Const"() {value = dense<1.0> : tensor<3xf32>} : () -> tensor<?xf32>
  %1 = "tf.Const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<*xi32>
  func.return %0, %1 : tensor<?xf32>, tensor<*xi32>
}
// CHECK-LABEL: func.func @compatible
// CHECK: "tf.Const"() {value = dense<1.000000e+00> : tensor<3xf32>} : () -> tensor<?xf32>
// CHECK: "tf.Const"() {value = dense<[1, 2]> : tensor<2xi32>} : () -> tensor<*xi32>

// -----

// Every tf op takes and gives tensors of TF data types, registered or not.
func.func @registered_operand(%x: tensor<2xindex>) -> tensor<2xindex> {
  %0 = "tf.AddV2"(%x, %x) : (tensor<2xindex>, tensor<2xindex>) -> tensor<2xindex>
  func.return %0 : tensor<2xindex>
}
// CHECK: tf_verify.mlir:[[# @LINE - 3]]:3: 'tf.AddV2' op operand 'x' at position 0: element type index is not a TensorFlow data type

// -----

func.func @unregistered_result(%x: tensor<2xf32>) -> tensor<2xi4> {
  %0 = "tf.SomeOpTflcDoesNotKnow"(%x) : (tensor<2xf32>) -> tensor<2xi4>
  func.return %0 : tensor<2xi4>
}
// CHECK: tf_verify.mlir:[[# @LINE - 3]]:3: 'tf.SomeOpTflcDoesNotKnow' op result 0 has element type i4, which is not a TensorFlow data type
