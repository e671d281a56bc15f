

// An op without an int8 kernel (exp) stays float between dequantize and quantize;
// uncalibrated values stay float.
// CHECK-LABEL: func.func @fallback
// CHECK: %[[A:.*]] = tfl.add({{.*}}) {{.*}} -> tensor<4x!quant.uniform<i8:f32, {{.*}}>>
// CHECK: %[[D:.*]] = "tfl.dequantize"(%[[A]])
// CHECK: %[[E:.*]] = "tfl.exp"(%[[D]]) : (tensor<4x!tf_type.resource>) -> tensor<4xf32>
// CHECK: "tfl.quantize"(%[[E]])
// CHECK: tfl.mul
func.func @fallback(%x: tensor<4xf32> {quant.range = array<f32: -1.0, 1.0>}) -> tensor<4xf32> {
  %0 = "tfl.add"(%x, %x) <{fused_activation_function = "NONE"}> {quant.range = [array<f32: 1.0e+300 : f32-2.0, 2.0>]} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.exp"(%0) {quant.range = [array<f32: 0.1, 7.4>]} : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "tfl.mul"(%1, %0) <{fused_activation_function = "NONE"}> {quant.range = [array<f32: -15.0, 15.0>]} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %2 : tensor<4xf32xf32>
}