// RUN: tflc-translate --mlir-to-tflite %s -o %t.tflite && tflc-translate --tflite-to-mlir %t.tflite | filecheck %s
// StableHLO in its pretty form (as jax.jit(f).lower(x).as_text() writes it) converts
// straight to a TFLite model: calls inlined, bias and relu fused into fully_connected.

// CHECK: func.func @main(%{{.*}}: tensor<2x4xf32> {tf_saved_model.index_path = ["arg0"]}) -> (tensor<2x3xf32> {tf_saved_model.index_path = ["output_0"]}) attributes {tf.entry_function = {inputs = "{{.*}}", outputs = "{{.*}}"}, tf_saved_model.exported_names = ["serving_default"]}
// CHECK: %[[W:.*]] = "tfl.pseudo_const"() <{value = dense<{{.*}}> : tensor<3x4xf32>}>
// CHECK-NEXT: %[[B:.*]] = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<3xf32>}>
// CHECK-NEXT: %[[Y:.*]] = "tfl.fully_connected"(%{{.*}}, %[[W]], %[[B]]) <{asymmetric_quantize_inputs = false, fused_activation_function = "RELU"
// CHECK-NEXT: return %[[Y]]
// CHECK-NOT: func.func
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%arg0: tensor<2x4xf32>) -> (tensor<2x3xf32> {jax.result_info = "result"}) {
    %cst = stablehlo.constant dense<[[0.000000e+00, 1.000000e-01, 2.000000e-01], [3.000000e-01, 4.000000e-01, 5.000000e-01], [6.000000e-01, 0.699999988, 8.000000e-01], [0.899999976, 1.000000e+00, 1.100000e+00]]> : tensor<4x3xf32>
    %0 = stablehlo.dot_general %arg0, %cst, contracting_dims = [1] x [0], precision = [DEFAULT, DEFAULT] : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
    %cst_0 = stablehlo.constant dense<1.000000e+00> : tensor<f32>
    %1 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
    %2 = stablehlo.add %0, %1 : tensor<2x3xf32>
    %3 = call @relu(%2) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %3 : tensor<2x3xf32>
  }
  func.func private @relu(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %0 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
    %1 = stablehlo.maximum %arg0, %0 : tensor<2x3xf32>
    return %1 : tensor<2x3xf32>
  }
}
