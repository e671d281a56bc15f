"""Math lowerings TensorFlow's converter writes with several tfl ops: integer Relu
(maximum with 0) and SigmoidGrad (dy * y * (1 - y))."""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.passes.legalize_util import TFRewrite, all_ranked, binary, replace_with, scalar


class LegalizeIntegerRelu(TFRewrite):
    """tf.Relu on int32/int64 -> tfl.maximum(x, 0) (RELU's kernel takes no integers)."""

    OPS = ("tf.Relu",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x = op.operands[0]
        if not all_ranked(op) or tfl.ReluOp.accepts([x.type], [op.results[0].type]):
            return  # the one-to-one lowering takes it
        if not tfl.MaximumOp.accepts([x.type, x.type], [op.results[0].type]):
            return
        replace_with(rewriter, op, [binary(rewriter, op, tfl.MaximumOp, x, scalar(rewriter, op, 0, x), x.type)])


class LegalizeSigmoidGrad(TFRewrite):
    """tf.SigmoidGrad(y, dy) -> dy * (y * (1 - y))."""

    OPS = ("tf.SigmoidGrad",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        y, dy = op.operands
        out = op.results[0].type
        if not all_ranked(op) or not tfl.SubOp.accepts([y.type, y.type], [out]):
            return
        one_minus = binary(rewriter, op, tfl.SubOp, scalar(rewriter, op, 1.0, y), y, y.type)
        product = binary(rewriter, op, tfl.MulOp, y, one_minus, y.type)
        replace_with(rewriter, op, [binary(rewriter, op, tfl.MulOp, dy, product, out)])


MATH_PATTERNS = (LegalizeIntegerRelu, LegalizeSigmoidGrad)
