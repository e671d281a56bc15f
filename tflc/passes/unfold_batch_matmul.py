"""`tfl-unfold-batch-matmul`: batch_matmul unfolded into one fully_connected per batch
(TensorFlow's `converter.unfold_batchmatmul = True`), for runtimes without BATCH_MATMUL.

Needs static shapes; the batch dims of both operands are equal, or the right-hand
operand is 2-D (shared by every batch). Other batch_matmuls are left as they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import BoolAttr, IntegerAttr, ModuleOp, StringAttr, i32
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from tflc.dialects import tfl
from tflc.passes.common import insert_before
from tflc.passes.legalize_util import emit, emit1, like, replace_with, reshape, static_shape, transpose


def _matrices(
    rewriter: PatternRewriter, op: tfl.BatchMatMulOp, value: SSAValue, batch: int, swap: bool
) -> list[SSAValue]:
    """The `batch` 2-D matrices of `value` ([..., R, C]), transposed when `swap`."""
    shape = static_shape(value)
    assert shape is not None
    rows, cols = shape[-2:]
    flat = reshape(rewriter, op, value, [batch, rows, cols])
    if swap:
        flat = transpose(rewriter, op, flat, [0, 2, 1])
        rows, cols = cols, rows
    if batch == 1:
        return [reshape(rewriter, op, flat, [rows, cols])]
    unpack = emit(
        rewriter, op, tfl.UnpackOp, [flat], [like(value, [rows, cols])] * batch,
        num=IntegerAttr(batch, i32), axis=IntegerAttr(0, i32),
    )
    return list(unpack.results)


class UnfoldBatchMatMul(RewritePattern):
    """tfl.batch_matmul with static shapes -> unpack, fully_connected per batch, pack."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.BatchMatMulOp, rewriter: PatternRewriter) -> None:
        x, y, out = static_shape(op.x), static_shape(op.y), static_shape(op.output)
        if x is None or y is None or out is None or len(x) < 2 or len(y) < 2:
            return
        batch_dims = list(x[:-2])
        if len(y) > 2 and list(y[:-2]) != batch_dims:
            return
        batch = math.prod(batch_dims)
        lhs = _matrices(rewriter, op, op.x, batch, bool(op.adj_x.value.data))
        if len(y) == 2:
            filters = [transpose(rewriter, op, op.y, [0, 1] if op.adj_y.value.data else [1, 0])] * batch
        else:
            filters = _matrices(rewriter, op, op.y, batch, not op.adj_y.value.data)
        rows, cols = out[-2], out[-1]
        none = insert_before(rewriter, op, tfl.NoValueOp()).results[0]
        products = [
            emit1(
                rewriter, op, tfl.FullyConnectedOp, [a, w, none], like(op.output, [rows, cols]),
                fused_activation_function=StringAttr("NONE"), weights_format=StringAttr("DEFAULT"),
                keep_num_dims=BoolAttr.from_bool(False),
            )
            for a, w in zip(lhs, filters)
        ]
        if batch == 1:
            result = reshape(rewriter, op, products[0], out)
        else:
            packed = emit1(
                rewriter, op, tfl.PackOp, products, like(op.output, [batch, rows, cols]),
                axis=IntegerAttr(0, i32), values_count=IntegerAttr(batch, i32),
            )
            result = reshape(rewriter, op, packed, out)
        replace_with(rewriter, op, [result])


@dataclass(frozen=True)
class UnfoldBatchMatMulPass(ModulePass):
    """Unfold static tfl.batch_matmul into per-batch fully_connected ops (TF's unfold_batchmatmul)."""

    name = "tfl-unfold-batch-matmul"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(UnfoldBatchMatMul(), apply_recursively=False).rewrite_module(op)
