// The random ops through a .tflite and back: RANDOM_UNIFORM, RANDOM_STANDARD_NORMAL and
// MULTINOMIAL with their RandomOptions, the int64 seeds read back as int64 properties.
// RUN: tflc-translate --mlir-to-tflite %s -o %t.tflite
// RUN: tflc-translate --tflite-to-mlir %t.tflite | filecheck %s
// RUN: tflc-translate --tflite-to-mlir %t.tflite | tflc-translate --mlir-to-tflite -o %t2.tflite
// RUN: cmp %t.tflite %t2.tflite

// CHECK: "tfl.random_uniform"(%{{.*}}) <{seed = 87654321987, seed2 = -3}> : (tensor<2xi32>) -> tensor<?x?xf32>
// CHECK: "tfl.random_standard_normal"(%{{.*}}) <{seed = 0, seed2 = 1}> : (tensor<2xi32>) -> tensor<?x?xf32>
// CHECK: "tfl.multinomial"(%{{.*}}, %{{.*}}) <{seed = 4, seed2 = 5}> : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x?xi64>
module {
  func.func @main(%shape: tensor<2xi32>, %logits: tensor<2x3xf32>, %n: tensor<i32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<2x?xi64>) {
    %0 = "tfl.random_uniform"(%shape) <{seed = 87654321987 : i64, seed2 = -3 : i64}> : (tensor<2xi32>) -> tensor<?x?xf32>
    %1 = "tfl.random_standard_normal"(%shape) <{seed = 0 : i64, seed2 = 1 : i64}> : (tensor<2xi32>) -> tensor<?x?xf32>
    %2 = "tfl.multinomial"(%logits, %n) <{seed = 4 : i64, seed2 = 5 : i64}> : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x?xi64>
    func.return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<2x?xi64>
  }
}
