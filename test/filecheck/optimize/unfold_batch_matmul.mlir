// RUN: tflc-opt %s --split-input-file -p tfl-unfold-batch-matmul,dce | filecheck %s

// Two batches: unpack both operands (the rhs transposed to [N, K] filters), one
// fully_connected per batch, pack.
// CHECK-LABEL: func.func @batched
// CHECK: %[[X0:.*]], %[[X1:.*]] = "tfl.unpack"(%x) <{axis = 0 : i32, num = 2 : i32}>
// CHECK: %[[T:.*]] = "tfl.transpose"(%y, %{{.*}}) : (tensor<2x4x5xf32>, tensor<3xi32>) -> tensor<2x5x4xf32>
// CHECK: %[[W0:.*]], %[[W1:.*]] = "tfl.unpack"(%[[T]])
// CHECK: %[[P0:.*]] = "tfl.fully_connected"(%[[X0]], %[[W0]], %{{.*}}) {{.*}} -> tensor<3x5xf32>
// CHECK: %[[P1:.*]] = "tfl.fully_connected"(%[[X1]], %[[W1]], %{{.*}}) {{.*}} -> tensor<3x5xf32>
// CHECK: %[[R:.*]] = "tfl.pack"(%[[P0]], %[[P1]]) <{axis = 0 : i32, values_count = 2 : i32}>
// CHECK-NOT: tfl.batch_matmul
// CHECK: return %[[R]]
func.func @batched(%x: tensor<2x3x4xf32>, %y: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = "tfl.batch_matmul"(%x, %y) <{adj_x = false, adj_y = false}> : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  func.return %0 : tensor<2x3x5xf32>
}

// -----

// Higher rank with adj_y: the batch dims are flattened first; an adjoint rhs is already [N, K].
// CHECK-LABEL: func.func @rank4_adj_y
// CHECK: "tfl.reshape"(%x, %{{.*}}) : (tensor<2x2x3x4xf32>, tensor<3xi32>) -> tensor<4x3x4xf32>
// CHECK-NOT: tfl.transpose
// CHECK-COUNT-4: "tfl.fully_connected"
// CHECK: "tfl.pack"
// CHECK: "tfl.reshape"(%{{.*}}, %{{.*}}) : (tensor<4x3x5xf32>, tensor<4xi32>) -> tensor<2x2x3x5xf32>
func.func @rank4_adj_y(%x: tensor<2x2x3x4xf32>, %y: tensor<2x2x5x4xf32>) -> tensor<2x2x3x5xf32> {
  %0 = "tfl.batch_matmul"(%x, %y) <{adj_x = false, adj_y = true}> : (tensor<2x2x3x4xf32>, tensor<2x2x5x4xf32>) -> tensor<2x2x3x5xf32>
  func.return %0 : tensor<2x2x3x5xf32>
}

// -----

// Dynamic dims and broadcast batch dims are left to BATCH_MATMUL.
// CHECK-LABEL: func.func @kept
// CHECK: "tfl.batch_matmul"
// CHECK: "tfl.batch_matmul"
func.func @kept(%x: tensor<?x3x4xf32>, %y: tensor<?x4x5xf32>, %a: tensor<2x3x4xf32>, %b: tensor<1x4x5xf32>) -> (tensor<?x3x5xf32>, tensor<2x3x5xf32>) {
  %0 = "tfl.batch_matmul"(%x, %y) <{adj_x = false, adj_y = false}> : (tensor<?x3x4xf32>, tensor<?x4x5xf32>) -> tensor<?x3x5xf32>
  %1 = "tfl.batch_matmul"(%a, %b) <{adj_x = false, adj_y = false}> : (tensor<2x3x4xf32>, tensor<1x4x5xf32>) -> tensor<2x3x5xf32>
  func.return %0, %1 : tensor<?x3x5xf32>, tensor<2x3x5xf32>
}
