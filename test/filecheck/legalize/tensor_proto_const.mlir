// RUN: tflc-opt %s -p legalize-tf | filecheck %s
// RUN: not tflc-opt %S/Inputs/tensor_proto_bad.mlir -p legalize-tf 2>&1 | filecheck %s --check-prefix=ERR
// RUN: not tflc-opt %S/Inputs/tensor_proto_bad_dtype.mlir -p legalize-tf 2>&1 | filecheck %s --check-prefix=DTYPE

// A tf.Const TensorFlow prints as a TensorProto (its tftensor$ text form) becomes dense data.
// CHECK: "tfl.pseudo_const"() <{value = dense<[1, 2]> : tensor<2xi32>}>
func.func @main() -> tensor<2xi32> {
  %0 = "tf.Const"() {value = #tf_type<tensor_proto : "0x746674656E736F722464747970653A2044545F494E5433320A74656E736F725F7368617065207B2064696D207B2073697A653A2032207D207D0A74656E736F725F636F6E74656E743A20225C3030315C3030305C3030305C3030305C3030325C3030305C3030305C303030220A"> : tensor<2xi32>} : () -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// A TensorProto of another shape than its type's: one message naming the op and the fix.
// ERR: tensor_proto_bad.mlir:2:3: tf.Const's tensor_proto does not hold a tensor<3xi32>
// ERR-SAME: write the constant as dense<...>
// ERR-NOT: error

// A TensorProto of another dtype than its type's (DT_INT32 for a tensor<2xui8>).
// DTYPE: tensor_proto_bad_dtype.mlir:2:3: tf.Const's tensor_proto does not hold a tensor<2xui8> (its TensorProto holds int32 values, not ui8)
