// RUN: tflc-opt %s -p legalize-stablehlo --split-input-file | filecheck %s
// bfloat16 constants are folded by the numbers they hold, not by their 16-bit storage
// (numbers through ai-edge-litert: test_stablehlo_lowerings.py::test_bfloat16_constants_keep_their_values).

// CHECK-LABEL: func.func @widen
// CHECK: "tfl.pseudo_const"() <{value = dense<[1.500000e+00, -2.250000e+00, 3.000000e+00, 0.100097656]> : tensor<4xf32>}>
func.func @widen() -> tensor<4xf32> {
  %c = stablehlo.constant dense<[1.5, -2.25, 3.0, 0.1]> : tensor<4xbf16>
  %0 = stablehlo.convert %c : (tensor<4xbf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Narrowing rounds to the nearest bfloat16.
// CHECK-LABEL: func.func @narrow
// CHECK: "tfl.pseudo_const"() <{value = dense<[1.000980e-01, 3.000000e+00, 2.560000e+02]> : tensor<3xbf16>}>
func.func @narrow() -> tensor<3xbf16> {
  %c = stablehlo.constant dense<[0.1, 3.0, 257.0]> : tensor<3xf32>
  %0 = stablehlo.convert %c : (tensor<3xf32>) -> tensor<3xbf16>
  return %0 : tensor<3xbf16>
}

// -----

// CHECK-LABEL: func.func @iota
// CHECK: "tfl.pseudo_const"() <{value = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<4xbf16>}>
func.func @iota() -> tensor<4xbf16> {
  %0 = stablehlo.iota dim = 0 : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

// A splat widens to a splat (never materialized).
// CHECK-LABEL: func.func @splat
// CHECK: "tfl.pseudo_const"() <{value = dense<-2.250000e+00> : tensor<100000x100000x100000xf32>}>
func.func @splat() -> tensor<100000x100000x100000xf32> {
  %c = stablehlo.constant dense<-2.25> : tensor<100000x100000x100000xbf16>
  %0 = stablehlo.convert %c : (tensor<100000x100000x100000xbf16>) -> tensor<100000x100000x100000xf32>
  return %0 : tensor<100000x100000x100000xf32>
}
