"""Explicit broadcasting for tfl ops whose kernels broadcast only up to a rank.

TFLite's broadcasting kernels handle operands of different shapes up to a rank that
each op class states (`Broadcasting(max_rank)`: 4 for comparisons, pow, floor_div, ...,
5 for maximum/minimum/select_v2, 6 for add/sub/mul/div). Above it, legalize-tf
broadcasts the operands with `tfl.broadcast_to` first, as TensorFlow's converter does:
to a constant shape when every operand shape is static, otherwise to the
`tfl.broadcast_args` of the operands' `tfl.shape`s. Operands of one static shape need
nothing, whatever their rank.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, TensorType, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import IRDLOperation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from tflc.dialects import tfl
from tflc.dialects.tfl_traits import max_broadcast_rank
from tflc.passes.common import const, insert_before


def needs_explicit_broadcast(op: Operation) -> bool:
    """Whether `op`'s operands broadcast above the rank its kernel broadcasts (TF's rule:
    static operands of one shape are fine at any rank; otherwise the highest operand
    rank must not exceed the op's `max_rank`)."""
    max_rank = max_broadcast_rank(type(op)) if isinstance(op, IRDLOperation) else None
    if max_rank is None or not op.results:
        return False
    types = [v.type for v in op.operands]
    if not all(isinstance(t, TensorType) for t in types) or not isinstance(op.results[0].type, TensorType):
        return False
    shapes = [tuple(t.get_shape()) for t in types if isinstance(t, TensorType)]
    static = all(DYNAMIC_INDEX not in s for s in shapes)
    if static and len(set(shapes)) == 1:
        return False
    return max(len(s) for s in shapes) > max_rank


def _shape_of(rewriter: PatternRewriter, anchor: Operation, value: SSAValue) -> SSAValue:
    """`value`'s shape as an int64 vector: a constant when static, else `tfl.shape`."""
    ty = value.type
    assert isinstance(ty, TensorType)  # checked by needs_explicit_broadcast
    shape = tuple(ty.get_shape())
    if DYNAMIC_INDEX not in shape:
        return const(rewriter, anchor, np.array(shape, np.int64))
    result = TensorType(i64, [len(shape)])
    return insert_before(rewriter, anchor, tfl.ShapeOp.build([value], [result])).results[0]


class ExplicitBroadcast(RewritePattern):
    """A tfl op broadcasting above its kernel's rank reads `tfl.broadcast_to`s of its
    operands at the result's shape."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not needs_explicit_broadcast(op):
            return
        result_type = op.results[0].type
        assert isinstance(result_type, TensorType)  # checked by needs_explicit_broadcast
        result_shape = tuple(result_type.get_shape())
        static = all(isinstance(v.type, TensorType) and v.type.has_static_shape() for v in op.operands)
        if static:
            target = const(rewriter, op, np.array(result_shape, np.int64))
        else:
            target = _shape_of(rewriter, op, op.operands[0])
            for value in op.operands[1:]:
                shape = _shape_of(rewriter, op, value)
                rank = max(_length(target), _length(shape))
                args = tfl.BroadcastArgsOp.build([target, shape], [TensorType(i64, [rank])])
                target = insert_before(rewriter, op, args).results[0]
        operands = []
        for value in op.operands:
            ty = value.type
            assert isinstance(ty, TensorType)  # checked by needs_explicit_broadcast
            wanted = TensorType(ty.element_type, result_shape)
            if ty == wanted and DYNAMIC_INDEX not in result_shape:
                operands.append(value)
                continue
            bcast = tfl.BroadcastToOp.build([value, target], [wanted])
            bcast.location = op.location
            operands.append(insert_before(rewriter, op, bcast).results[0])
        op.operands = operands
        rewriter.notify_op_modified(op)


def _length(vector: SSAValue) -> int:
    """The static length of a rank-1 shape vector."""
    ty = vector.type
    assert isinstance(ty, TensorType)  # shape vectors built above
    return ty.get_shape()[0]
