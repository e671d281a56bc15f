"""Lowerings of tf ops on unranked tensors that need no rank.

An op whose TFLite kernel computes the result's shape at run time (reshape, rank, top-k,
strided slice without ellipsis or new axes, one-hot, segment sum, space/batch moves, the
one-to-one elementwise ops) lowers the same way with `tensor<*x..>` operands or results,
as TensorFlow's converter does. `RankedOnlyApplier` hands unranked ops only to patterns
with `UNRANKED = True`; every other lowering keeps needing ranks.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.ir import Attribute, Operation
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import bool_attr, tf_op_name
from tflc.passes.common import as_i32
from tflc.passes.legalize_elementwise import ONE_TO_ONE
from tflc.passes.legalize_util import TFRewrite, bool_prop, emit, i32_prop, int_attr, replace_with
from tflc.passes.unranked import has_unranked

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


class LegalizeUnranked(TFRewrite):
    """Reshape, Rank, TopKV2, StridedSlice, OneHot, SegmentSum, SpaceToBatchND,
    BatchToSpaceND and the one-to-one ops, on unranked tensors."""

    UNRANKED: ClassVar[bool] = True
    OPS = (
        "tf.Reshape",
        "tf.Rank",
        "tf.TopKV2",
        "tf.StridedSlice",
        "tf.OneHot",
        "tf.SegmentSum",
        "tf.SpaceToBatchND",
        "tf.BatchToSpaceND",
        *ONE_TO_ONE,
    )

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not has_unranked(op):
            return  # the ranked lowerings handle it
        name = tf_op_name(op)
        types = [r.type for r in op.results]
        props: dict[str, Attribute] = {}
        if name in ONE_TO_ONE:
            op_class: type[tfl.TFLOp] = ONE_TO_ONE[name]
            operands = list(op.operands)
            if len(types) != 1 or name in ("tf.Equal", "tf.NotEqual", "tf.AddN"):
                return
        elif name == "tf.Reshape":
            op_class, operands = tfl.ReshapeOp, [op.operands[0], as_i32(rewriter, op, op.operands[1])]
        elif name == "tf.Rank":
            op_class, operands = tfl.RankOp, [op.operands[0]]
        elif name == "tf.TopKV2":
            if not bool_attr(op, "sorted", True):
                return
            op_class, operands = tfl.TopKV2Op, [op.operands[0], as_i32(rewriter, op, op.operands[1])]
        elif name == "tf.StridedSlice":
            masks = {k: int_attr(op, k) for k in _MASKS}
            if masks["ellipsis_mask"] or masks["new_axis_mask"]:
                return  # expanding them needs the rank
            x, *bounds = op.operands
            op_class, operands = tfl.StridedSliceOp, [x, *(as_i32(rewriter, op, v) for v in bounds)]
            props = {k: i32_prop(v) for k, v in masks.items()}
            props["offset"] = bool_prop(False)
        elif name == "tf.OneHot":
            indices, depth, on, off = op.operands
            op_class, operands = tfl.OneHotOp, [indices, as_i32(rewriter, op, depth), on, off]
            props = {"axis": tfl.i32_attr(int_attr(op, "axis", -1))}
        elif name == "tf.SegmentSum":
            op_class, operands = tfl.SegmentSumOp, [op.operands[0], as_i32(rewriter, op, op.operands[1])]
        else:
            op_class = tfl.SpaceToBatchNdOp if name == "tf.SpaceToBatchND" else tfl.BatchToSpaceNdOp
            x, a, b = op.operands
            operands = [x, as_i32(rewriter, op, a), as_i32(rewriter, op, b)]
        if not op_class.accepts([v.type for v in operands], types):
            return  # the kernel does not take these element types: left for the report
        replace_with(rewriter, op, emit(rewriter, op, op_class, operands, types, **props).results)


UNRANKED_PATTERNS = (LegalizeUnranked,)
