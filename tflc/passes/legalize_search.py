"""Search and selection lowerings: Unique, Bucketize, NonMaxSuppressionV4/V5."""

from __future__ import annotations


from xdsl.dialects.builtin import DYNAMIC_INDEX, ArrayAttr, FloatAttr, TensorType, f32, i32
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import bool_attr
from tflc.passes.common import as_i32, const, constant_array, int32_values, tensor_type
from tflc.passes.legalize_util import TFRewrite, all_ranked, emit, emit1, i32_const, int_attr, replace_with


class LegalizeUnique(TFRewrite):
    """tf.Unique -> tfl.unique (out_idx is the idx result's type)."""

    OPS = ("tf.Unique",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        types = [r.type for r in op.results]
        if not all_ranked(op) or not tfl.UniqueOp.accepts([op.operands[0].type], types):
            return
        replace_with(rewriter, op, emit(rewriter, op, tfl.UniqueOp, [op.operands[0]], types).results)


class LegalizeBucketize(TFRewrite):
    """tf.Bucketize -> tfl.bucketize (the boundaries as float32, as the options hold them)."""

    OPS = ("tf.Bucketize",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        attr = op.attributes.get("boundaries")
        if not all_ranked(op) or not isinstance(attr, ArrayAttr):
            return
        if not all(isinstance(b, FloatAttr) for b in attr.data):
            return
        boundaries = ArrayAttr([FloatAttr(float(b.value.data), f32) for b in attr.data if isinstance(b, FloatAttr)])
        out = op.results[0].type
        if not tfl.BucketizeOp.accepts([op.operands[0].type], [out]):
            return
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.BucketizeOp, [op.operands[0]], out, boundaries=boundaries)])


class LegalizeNonMaxSuppression(TFRewrite):
    """tf.NonMaxSuppressionV4/V5 -> tfl.non_max_suppression_v4/v5. TFLite's kernel always
    pads its outputs to max_output_size; without pad_to_max_output_size they are sliced
    to the valid count, as TensorFlow returns them."""

    OPS = ("tf.NonMaxSuppressionV4", "tf.NonMaxSuppressionV5")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        op_class: type[tfl.TFLOp] = tfl.NonMaxSuppressionV5Op if len(op.operands) == 6 else tfl.NonMaxSuppressionV4Op
        operands = list(op.operands)
        operands[2] = as_i32(rewriter, op, operands[2])
        pad = op.attributes.get("pad_to_max_output_size")
        padded = pad is not None and getattr(pad, "value", None) is not None and bool(pad.value.data)  # type: ignore[attr-defined]
        wanted = [r.type for r in op.results]
        if padded:
            types = wanted
        else:
            size = constant_array(operands[2])
            length = int(size.reshape(-1)[0]) if size is not None and size.size == 1 else DYNAMIC_INDEX
            types = [_resized(t, length) for t in wanted[:-1]] + [wanted[-1]]
        if not op_class.accepts([v.type for v in operands], types):
            return
        new = emit(rewriter, op, op_class, operands, types)
        if padded:
            replace_with(rewriter, op, new.results)
            return
        valid = new.results[-1]
        begin = i32_const(rewriter, op, [0])
        count = emit1(rewriter, op, tfl.ReshapeOp, [valid, i32_const(rewriter, op, [1])], TensorType(i32, [1]))
        sliced: list[SSAValue] = [
            emit1(rewriter, op, tfl.SliceOp, [value, begin, count], t)
            for value, t in zip(new.results[:-1], wanted[:-1])
        ]
        replace_with(rewriter, op, [*sliced, valid])


def _resized(ty: Attribute, length: int) -> Attribute:
    """A rank-1 tensor type of `length` elements (DYNAMIC_INDEX: dynamic)."""
    assert isinstance(ty, TensorType)  # all_ranked
    return TensorType(ty.element_type, [length])


class LegalizeApproxTopK(TFRewrite):
    """tf.ApproxTopK of the largest k along the last dimension -> tfl.topk_v2 (exact top-k,
    within any recall target)."""

    OPS = ("tf.ApproxTopK",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x = op.operands[0]
        if not all_ranked(op) or not bool_attr(op, "is_max_k", True):
            return
        rank = tensor_type(x).get_num_dims()
        if int_attr(op, "reduction_dimension", -1) not in (-1, rank - 1):
            return
        k = i32_scalar(rewriter, op, int_attr(op, "k", 1))
        types = [r.type for r in op.results]
        if not tfl.TopKV2Op.accepts([x.type, k.type], types):
            return
        replace_with(rewriter, op, emit(rewriter, op, tfl.TopKV2Op, [x, k], types).results)


def i32_scalar(rewriter: PatternRewriter, anchor: Operation, value: int) -> SSAValue:
    """A rank-0 int32 constant."""
    return const(rewriter, anchor, int32_values(anchor, value))


SEARCH_PATTERNS = (LegalizeUnique, LegalizeBucketize, LegalizeNonMaxSuppression, LegalizeApproxTopK)
