// RUN: tflc-opt %s --split-input-file | filecheck %s
// RUN: tflc-opt %s --split-input-file | tflc-opt --split-input-file | filecheck %s

// The syntax TensorFlow's MLIR exporters print: tf op attributes as properties,
// location aliases defined after their use, shapes with spaces, tf_type attributes.

// CHECK-LABEL: func.func @properties
func.func @properties(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // CHECK: "tf.MatMul"(%{{.*}}, %{{.*}}) {device = "", grad_a = false, grad_b = false, transpose_a = false, transpose_b = false}
  %0 = "tf.MatMul"(%a, %b) <{grad_a = false, grad_b = false, transpose_a = false, transpose_b = false}> {device = ""} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  // CHECK: "tf.BiasAdd"(%{{.*}}, %{{.*}}) {data_format = "NHWC"}
  %c = "tf.Const"() <{value = dense<1.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %1 = "tf.BiasAdd"(%0, %c) <{data_format = "NHWC"}> : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // Unregistered tf ops too.
  // CHECK: "tf.Unknown"(%{{.*}}) {some_attr = 3}
  %2 = "tf.Unknown"(%1) <{some_attr = 3 : i64}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %2 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @spaces(%{{.*}}: tensor<?xf32>, %{{.*}}: tensor<2x3xf32>, %{{.*}}: tensor<*xf32>) -> tensor<?xf32>
func.func @spaces(%a: tensor<? x f32>, %b: tensor<2 x 3 x f32>, %c: tensor<* x f32>) -> tensor<? x f32> {
  func.return %a : tensor<? x f32>
}

// -----

// Types and attributes of the tf_type dialect, as TensorFlow writes them.
// CHECK-LABEL: func.func @tf_types
// CHECK-SAME: tensor<!tf_type.variant<tensor<2xf32>>>
// CHECK-SAME: tensor<2x!tf_type.quint8>
// CHECK-SAME: tensor<!tf_type.f32ref>
// CHECK-SAME: tf._implements = #tf_type.func<@X, {a = 1}>
// CHECK-SAME: tf._input_shapes = [#tf_type.shape<2x?>, #tf_type.shape<*>, #tf_type.shape<>]
func.func @tf_types(%l: tensor<!tf_type.variant<tensor<2xf32>>>, %q: tensor<2x!tf_type.quint8>, %r: tensor<!tf_type.f32ref>) attributes {tf._input_shapes = [#tf_type.shape<2x?>, #tf_type.shape<*>, #tf_type.shape<>], tf._implements = #tf_type.func<@"X", {a = 1 : i64}>} {
  // CHECK: value = #tf_type<tensor_proto : "0x0A0B"> : tensor<2x!tf_type.string>
  %0 = "tf.Const"() <{value = #tf_type<tensor_proto : "0x0A0B"> : tensor<2x!tf_type.string>}> : () -> tensor<2x!tf_type.string>
  func.return
}

// -----

// TF's functional form of tfl ops with a custom syntax.
// CHECK-LABEL: func.func @tfl_functional
func.func @tfl_functional(%a: tensor<1xf32>, %b: tensor<1xf32>) -> tensor<1xf32> {
  // CHECK: tfl.add %{{.*}}, %{{.*}} {fused_activation_function = "RELU6"} : tensor<1xf32>
  %0 = tfl.add(%a, %b) <{fused_activation_function = "RELU6"}> : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  func.return %0 : tensor<1xf32>
}

// -----

// Required tfl properties TensorFlow leaves out at their default value.
// CHECK-LABEL: func.func @tfl_defaults
func.func @tfl_defaults(%a: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  // CHECK: "tfl.fully_connected"(%{{.*}}, %{{.*}}, %{{.*}}) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}>
  %0 = "tfl.fully_connected"(%a, %w, %b) : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}
