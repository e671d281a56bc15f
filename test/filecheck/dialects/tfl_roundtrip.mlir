// RUN: tflc-opt %s | filecheck %s
// RUN: tflc-opt %s | tflc-opt | filecheck %s
// RUN: tflc-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: tflc-opt %s --mlir-elide-elementsattrs-if-larger 4 | filecheck %s --check-prefix=ELIDE

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<1xf32>, %b: tensor<2x1xf32>) -> tensor<2x1xf32> {
  // Equal types: the short form. Both forms parse.
  // CHECK-NEXT: %[[S:.*]] = tfl.add %{{.*}}, %{{.*}} {fused_activation_function = "NONE"} : tensor<1xf32>
  // GENERIC: "tfl.add"(%{{.*}}, %{{.*}}) <{fused_activation_function = "NONE"}> : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  %0 = "tfl.add"(%a, %a) <{fused_activation_function = "NONE"}> : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  // CHECK-NEXT: tfl.mul %[[S]], %[[S]] {fused_activation_function = "RELU6"} : tensor<1xf32>
  %1 = tfl.mul %0, %0 {fused_activation_function = "RELU6"} : tensor<1xf32>
  // Broadcasting: TensorFlow's fallback, the bare name and the generic body.
  // CHECK-NEXT: tfl.sub(%{{.*}}, %{{.*}}) <{fused_activation_function = "RELU"}> : (tensor<1xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %2 = "tfl.sub"(%1, %b) <{fused_activation_function = "RELU"}> : (tensor<1xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  // CHECK-NEXT: tfl.pow %{{.*}}, %{{.*}} : tensor<2x1xf32>
  %3 = tfl.pow %2, %2 : tensor<2x1xf32>
  func.return %3 : tensor<2x1xf32>
}

// TensorFlow's printed forms: ops without its short syntax (maximum, comparisons' results)
// print generically, properties in name order, its enum attributes, i64 arrays without types.
// CHECK-LABEL: func.func @tf_forms
func.func @tf_forms(%a: tensor<2x1xf32>, %p: tensor<2x2xi32>, %b: tensor<1xi32>, %e: tensor<1xi32>) -> tensor<2xf32> {
  // CHECK-NEXT: %[[M:.*]] = "tfl.maximum"(%{{.*}}, %{{.*}}) : (tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %0 = tfl.maximum %a, %a : tensor<2x1xf32>
  // CHECK-NEXT: tfl.greater(%[[M]], %{{.*}}) : (tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x1xi1>
  %1 = "tfl.greater"(%0, %a) : (tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x1xi1>
  // CHECK-NEXT: "tfl.mirror_pad"(%{{.*}}, %{{.*}}) <{mode = #tfl<mirror_pad_attr SYMMETRIC>}>
  %2 = "tfl.mirror_pad"(%a, %p) <{mode = "SYMMETRIC"}> : (tensor<2x1xf32>, tensor<2x2xi32>) -> tensor<4x3xf32>
  // CHECK-NEXT: "tfl.mirror_pad"(%{{.*}}, %{{.*}}) <{mode = #tfl<mirror_pad_attr REFLECT>}>
  %3 = "tfl.mirror_pad"(%a, %p) <{mode = #tfl<mirror_pad_attr REFLECT>}> : (tensor<2x1xf32>, tensor<2x2xi32>) -> tensor<4x3xf32>
  // CHECK-NEXT: "tfl.strided_slice"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{begin_mask = 0 : i32, ellipsis_mask = 0 : i32, end_mask = 0 : i32, new_axis_mask = 0 : i32, offset = false, shrink_axis_mask = 1 : i32}>
  %4 = "tfl.strided_slice"(%3, %b, %e, %e) <{shrink_axis_mask = 1 : i32, begin_mask = 0 : i32, end_mask = 0 : i32, ellipsis_mask = 0 : i32, new_axis_mask = 0 : i32, offset = false}> : (tensor<4x3xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<3xf32>
  // CHECK-NEXT: "tfl.squeeze"(%{{.*}}) <{squeeze_dims = [1]}> : (tensor<2x1xf32>) -> tensor<2xf32>
  %5 = "tfl.squeeze"(%a) <{squeeze_dims = [1 : i32]}> : (tensor<2x1xf32>) -> tensor<2xf32>
  func.return %5 : tensor<2xf32>
}

// CHECK-LABEL: func.func @ops
func.func @ops(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  // CHECK-NEXT: "tfl.pseudo_const"() <{value = dense<{{\[\[}}0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00{{.*}}]]> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
  // ELIDE: "tfl.pseudo_const"() <{value = dense_resource<__elided__> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
  %w = "tfl.pseudo_const"() <{value = dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E04000000041000010410000204100003041"> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
  // CHECK-NEXT: "tfl.no_value"() <{value}> : () -> none
  %none = "tfl.no_value"() <{value}> : () -> none
  // CHECK-NEXT: "tfl.fully_connected"(%{{.*}}, %{{.*}}, %{{.*}}) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<?x4xf32>, tensor<3x4xf32>, none) -> tensor<?x3xf32>
  %0 = "tfl.fully_connected"(%x, %w, %none) <{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}> : (tensor<?x4xf32>, tensor<3x4xf32>, none) -> tensor<?x3xf32>
  // CHECK-NEXT: "tfl.softmax"(%{{.*}}) <{beta = 1.000000e+00 : f32}> : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %1 = "tfl.softmax"(%0) <{beta = 1.000000e+00 : f32}> : (tensor<?x3xf32>) -> tensor<?x3xf32>
  // CHECK-NEXT: "tfl.pseudo_const"() <{value = dense<1> : tensor<1xi32>}> : () -> tensor<1xi32>
  %axes = "tfl.pseudo_const"() <{value = dense<1> : tensor<1xi32>}> : () -> tensor<1xi32>
  // CHECK-NEXT: "tfl.mean"(%{{.*}}, %{{.*}}) <{keep_dims = true}> : (tensor<?x3xf32>, tensor<1xi32>) -> tensor<?x1xf32>
  %2 = "tfl.mean"(%1, %axes) <{keep_dims = true}> : (tensor<?x3xf32>, tensor<1xi32>) -> tensor<?x1xf32>
  // CHECK-NEXT: "tfl.concatenation"(%{{.*}}, %{{.*}}, %{{.*}}) <{axis = 1 : i32, fused_activation_function = "NONE"}> : (tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  %3 = "tfl.concatenation"(%2, %2, %2) <{axis = 1 : i32, fused_activation_function = "NONE"}> : (tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  func.return %3 : tensor<?x3xf32>
}

// Large constants print as hex from their bytes; splats print once.
// CHECK-LABEL: func.func @large
func.func @large() -> (tensor<128xi32>, tensor<1000xf32>) {
  // CHECK-NEXT: dense<"0x000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000200000002100000022000000230000002400000025000000260000002700000028000000290000002A0000002B0000002C0000002D0000002E0000002F000000300000003100000032000000330000003400000035000000360000003700000038000000390000003A0000003B0000003C0000003D0000003E0000003F000000400000004100000042000000430000004400000045000000460000004700000048000000490000004A0000004B0000004C0000004D0000004E0000004F000000500000005100000052000000530000005400000055000000560000005700000058000000590000005A0000005B0000005C0000005D0000005E0000005F000000600000006100000062000000630000006400000065000000660000006700000068000000690000006A0000006B0000006C0000006D0000006E0000006F000000700000007100000072000000730000007400000075000000760000007700000078000000790000007A0000007B0000007C0000007D0000007E0000007F000000"> : tensor<128xi32>
  %0 = "tfl.pseudo_const"() <{value = dense<"0x000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000200000002100000022000000230000002400000025000000260000002700000028000000290000002A0000002B0000002C0000002D0000002E0000002F000000300000003100000032000000330000003400000035000000360000003700000038000000390000003A0000003B0000003C0000003D0000003E0000003F000000400000004100000042000000430000004400000045000000460000004700000048000000490000004A0000004B0000004C0000004D0000004E0000004F000000500000005100000052000000530000005400000055000000560000005700000058000000590000005A0000005B0000005C0000005D0000005E0000005F000000600000006100000062000000630000006400000065000000660000006700000068000000690000006A0000006B0000006C0000006D0000006E0000006F000000700000007100000072000000730000007400000075000000760000007700000078000000790000007A0000007B0000007C0000007D0000007E0000007F000000"> : tensor<128xi32>}> : () -> tensor<128xi32>
  // CHECK-NEXT: dense<2.500000e+00> : tensor<1000xf32>
  %1 = "tfl.pseudo_const"() <{value = dense<2.5> : tensor<1000xf32>}> : () -> tensor<1000xf32>
  func.return %0, %1 : tensor<128xi32>, tensor<1000xf32>
}
