"""legalize-tf patterns for reductions and scans: Mean, Sum, Prod, Max, Min, Any, All,
ArgMax, ArgMin, TopKV2 and Cumsum."""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import bool_attr, tf_op_name
from tflc.passes.common import as_i32
from tflc.passes.legalize_util import TFRewrite, all_ranked, bool_prop, emit, emit1, replace_with

# TF reduction -> tfl reducer (axes as int32, keep_dims kept).
REDUCERS: dict[str, type[tfl.ReducerOp]] = {
    "tf.Mean": tfl.MeanOp,
    "tf.Sum": tfl.SumOp,
    "tf.Prod": tfl.ReduceProdOp,
    "tf.Max": tfl.ReduceMaxOp,
    "tf.Min": tfl.ReduceMinOp,
    "tf.Any": tfl.ReduceAnyOp,
    "tf.All": tfl.ReduceAllOp,
}


class LegalizeReducer(TFRewrite):
    """TF reductions (`REDUCERS`) -> tfl reducers with int32 axes."""

    OPS = tuple(REDUCERS)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, axes = op.operands
        new = emit1(
            rewriter, op, REDUCERS[tf_op_name(op)], [x, as_i32(rewriter, op, axes)], op.results[0].type,
            keep_dims=bool_prop(bool_attr(op, "keep_dims")),
        )
        replace_with(rewriter, op, [new])


class LegalizeArgMinMax(TFRewrite):
    """tf.ArgMax / tf.ArgMin -> tfl.arg_max / tfl.arg_min (output_type from the result)."""

    OPS = ("tf.ArgMax", "tf.ArgMin")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        op_class = tfl.ArgMaxOp if tf_op_name(op) == "tf.ArgMax" else tfl.ArgMinOp
        x, axis = op.operands
        replace_with(rewriter, op, [emit1(rewriter, op, op_class, [x, as_i32(rewriter, op, axis)], op.results[0].type)])


class LegalizeTopK(TFRewrite):
    """tf.TopKV2 -> tfl.topk_v2 (sorted; int32 k and indices)."""

    OPS = ("tf.TopKV2",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op) or not bool_attr(op, "sorted", True):
            return
        x, k = op.operands
        new = emit(rewriter, op, tfl.TopKV2Op, [x, as_i32(rewriter, op, k)], [r.type for r in op.results])
        replace_with(rewriter, op, new.results)


class LegalizeCumsum(TFRewrite):
    """tf.Cumsum -> tfl.cumsum (exclusive, reverse)."""

    OPS = ("tf.Cumsum",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, axis = op.operands
        props = {k: bool_prop(bool_attr(op, k)) for k in ("exclusive", "reverse")}
        cumsum = emit1(rewriter, op, tfl.CumsumOp, [x, as_i32(rewriter, op, axis)], op.results[0].type, **props)
        replace_with(rewriter, op, [cumsum])


REDUCE_PATTERNS = (LegalizeReducer, LegalizeArgMinMax, LegalizeTopK, LegalizeCumsum)
