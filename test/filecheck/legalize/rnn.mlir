// RUN: tflc-opt %s -p 'legalize-tf{allow-unsupported=true}' | filecheck %s
// RUN: tflc-translate --mlir-to-tflite %S/Inputs/rnn_tfl.mlir -o %t.tflite
// RUN: tflc-translate --tflite-to-mlir %t.tflite | filecheck %s --check-prefix=IMPORT
// RUN: tflc-translate --tflite-to-mlir %t.tflite | tflc-translate --mlir-to-tflite -o %t2.tflite && cmp %t.tflite %t2.tflite
// RUN: not tflc-translate --mlir-to-tflite %S/Inputs/rnn_state_nonzero.mlir -o %t3.tflite 2>&1 | filecheck %s --check-prefix=ERR

// TF's fused recurrent ops: the TFLite operand positions `_tflite_input_indices` names are
// filled, the others tfl.no_value; tanh, time major; the sequence output replaces the tf op's.
// CHECK-LABEL: func.func @lstm
// CHECK: %[[NONE:.*]] = "tfl.no_value"() <{value}> : () -> none
// CHECK: "tfl.unidirectional_sequence_lstm"(%x, %w, %w, %w, %w, %r, %r, %r, %r, %[[NONE]], %[[NONE]], %[[NONE]], %b, %b, %b, %b, %[[NONE]], %[[NONE]], %h, %h, %[[NONE]], %[[NONE]], %[[NONE]], %[[NONE]]) <{cell_clip = 0.000000e+00 : f32, fused_activation_function = "TANH", proj_clip = 0.000000e+00 : f32, time_major = true}>
func.func @lstm(%x: tensor<3x1x2xf32>) -> tensor<3x1x2xf32> {
  %w = "tf.Const"() {value = dense<0.5> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %r = "tf.Const"() {value = dense<0.25> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tf.Const"() {value = dense<0.1> : tensor<2xf32>} : () -> tensor<2xf32>
  %h = "tf.Const"() {value = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %0:3 = "tf.UnidirectionalSequenceLstm"(%x, %w, %w, %w, %w, %r, %r, %r, %r, %b, %b, %b, %b, %b, %b, %b, %b, %b, %h, %h) {_tflite_input_indices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 18, 19]} : (tensor<3x1x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<3x1x2xf32>)
  func.return %0#2 : tensor<3x1x2xf32>
}

// CHECK-LABEL: func.func @rnn
// CHECK: "tfl.unidirectional_sequence_rnn"(%x, %w, %r, %b, %h) <{fused_activation_function = "TANH", time_major = true}> : (tensor<3x1x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x2xf32>) -> tensor<3x1x2xf32>
func.func @rnn(%x: tensor<3x1x2xf32>) -> tensor<3x1x2xf32> {
  %w = "tf.Const"() {value = dense<0.5> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %r = "tf.Const"() {value = dense<0.25> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tf.Const"() {value = dense<0.1> : tensor<2xf32>} : () -> tensor<2xf32>
  %h = "tf.Const"() {value = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %0:2 = "tf.UnidirectionalSequenceRnn"(%x, %w, %r, %b, %h) {_tflite_input_indices = [0, 1, 2, 3, 4]} : (tensor<3x1x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x2xf32>) -> (tensor<*xf32>, tensor<3x1x2xf32>)
  func.return %0#1 : tensor<3x1x2xf32>
}

// Left for the report: the state output (not the sequence output) is used.
// CHECK-LABEL: func.func @state_used
// CHECK: "tf.UnidirectionalSequenceRnn"
func.func @state_used(%x: tensor<3x1x2xf32>) -> tensor<1x2xf32> {
  %w = "tf.Const"() {value = dense<0.5> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tf.Const"() {value = dense<0.1> : tensor<2xf32>} : () -> tensor<2xf32>
  %h = "tf.Const"() {value = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %0:2 = "tf.UnidirectionalSequenceRnn"(%x, %w, %w, %b, %h) {_tflite_input_indices = [0, 1, 2, 3, 4]} : (tensor<3x1x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<3x1x2xf32>)
  func.return %0#0 : tensor<1x2xf32>
}

// The state is a variable tensor without data, read back as zeros.
// IMPORT: %[[H:.*]] = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<1x2xf32>}>
// IMPORT: "tfl.unidirectional_sequence_rnn"(%arg0, %{{.*}}, %{{.*}}, %{{.*}}, %[[H]]) <{fused_activation_function = "TANH", time_major = true}>

// ERR: rnn_state_nonzero.mlir:{{[0-9]+}}:{{[0-9]+}}: tfl.unidirectional_sequence_rnn's hidden_state must be a constant of zeros
