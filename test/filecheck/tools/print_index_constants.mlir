// Constants of MLIR's `index` type (arith.constant) print and pass through
// the folding passes: large splats stay splats, and legalizing one to TFLite names the type.
// RUN: tflc-opt %s -p canonicalize | filecheck %s
// RUN: not tflc-opt %s -p legalize-arith 2>&1 | filecheck %s --check-prefix=LEGALIZE

func.func @index_constants() -> (tensor<300xindex>, tensor<3xindex>, tensor<3xindex>) {
  %a = "arith.constant"() <{value = dense<7> : tensor<300xindex>}> : () -> tensor<300xindex>
  %b = "arith.constant"() <{value = dense<[1, 2, 3]> : tensor<3xindex>}> : () -> tensor<3xindex>
  %c = "arith.constant"() <{value = dense<"0x010000000000000002000000000000000300000000000000"> : tensor<3xindex>}> : () -> tensor<3xindex>
  func.return %a, %b, %c : tensor<300xindex>, tensor<3xindex>, tensor<3xindex>
}
// CHECK-LABEL: func.func @index_constants
// CHECK: arith.constant dense<7> : tensor<300xindex>
// CHECK: arith.constant dense<[1, 2, 3]> : tensor<3xindex>
// CHECK: dense<[1, 2, 3]> : tensor<3xindex>

// LEGALIZE: print_index_constants.mlir:7:3: 'tfl.pseudo_const' op result 'output' at position 0: has no TFLite tensor type for element type index
