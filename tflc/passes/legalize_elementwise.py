"""legalize-tf patterns for elementwise ops: math, comparisons, logic, activations.

Ops with a TFLite builtin map one to one (`ONE_TO_ONE`, the one table of such
lowerings); Selu, Softplus,
Erf and Erfc have none and are decomposed into builtins.
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import bool_attr, tf_op_name
from tflc.passes.common import insert_before, is_tflite_numeric
from tflc.passes.legalize_util import (
    TFRewrite,
    all_ranked,
    binary,
    emit1,
    float_attr,
    ranked,
    replace_with,
    scalar,
    unary,
)

from xdsl.dialects.builtin import FloatAttr, f32

# The one table of one-to-one lowerings: TF op name -> tfl op with the same operands and
# result types (properties the tfl op has take their defaults, e.g. no fused activation).
# A lowering whose tfl op would reject the operand types (its constraints) is not made.
ONE_TO_ONE: dict[str, type[tfl.TFLOp]] = {
    "tf.AddV2": tfl.AddOp,
    "tf.Add": tfl.AddOp,
    "tf.Sub": tfl.SubOp,
    "tf.Mul": tfl.MulOp,
    "tf.RealDiv": tfl.DivOp,
    "tf.Pow": tfl.PowOp,
    "tf.Maximum": tfl.MaximumOp,
    "tf.Minimum": tfl.MinimumOp,
    "tf.Neg": tfl.NegOp,
    "tf.Square": tfl.SquareOp,
    "tf.Sqrt": tfl.SqrtOp,
    "tf.Rsqrt": tfl.RsqrtOp,
    "tf.Exp": tfl.ExpOp,
    "tf.Log": tfl.LogOp,
    "tf.Tanh": tfl.TanhOp,
    "tf.Sigmoid": tfl.LogisticOp,
    "tf.Relu": tfl.ReluOp,
    "tf.Relu6": tfl.Relu6Op,
    "tf.Cast": tfl.CastOp,
    "tf.Abs": tfl.AbsOp,
    "tf.Floor": tfl.FloorOp,
    "tf.Ceil": tfl.CeilOp,
    "tf.Round": tfl.RoundOp,
    "tf.Sign": tfl.SignOp,
    "tf.Sin": tfl.SinOp,
    "tf.Cos": tfl.CosOp,
    "tf.Elu": tfl.EluOp,
    "tf.LogSoftmax": tfl.LogSoftmaxOp,
    "tf.LogicalNot": tfl.LogicalNotOp,
    "tf.SquaredDifference": tfl.SquaredDifferenceOp,
    "tf.FloorDiv": tfl.FloorDivOp,
    "tf.FloorMod": tfl.FloorModOp,
    "tf.Equal": tfl.EqualOp,
    "tf.NotEqual": tfl.NotEqualOp,
    "tf.Less": tfl.LessOp,
    "tf.LessEqual": tfl.LessEqualOp,
    "tf.Greater": tfl.GreaterOp,
    "tf.GreaterEqual": tfl.GreaterEqualOp,
    "tf.LogicalAnd": tfl.LogicalAndOp,
    "tf.LogicalOr": tfl.LogicalOrOp,
    "tf.Select": tfl.SelectOp,
    "tf.SelectV2": tfl.SelectV2Op,
    "tf.AddN": tfl.AddNOp,
    "tf.ZerosLike": tfl.ZerosLikeOp,
    "tf.Atan2": tfl.Atan2Op,
    "tf.BitwiseXor": tfl.BitwiseXorOp,
    "tf.RightShift": tfl.RightShiftOp,
    "tf.Div": tfl.DivOp,
    "tf.Bitcast": tfl.BitcastOp,
    "tf.Where": tfl.WhereOp,
    "tf.MatrixDiag": tfl.MatrixDiagOp,
    "tf.BroadcastArgs": tfl.BroadcastArgsOp,
    "tf.ComplexAbs": tfl.ComplexAbsOp,
    "tf.Real": tfl.RealOp,
    "tf.Imag": tfl.ImagOp,
}

# Ops that only forward their first operand in inference graphs.
FORWARDING = ("tf.StopGradient", "tf.PreventGradient", "tf.CheckNumerics", "tf.Snapshot", "tf.EnsureShape")


class LegalizeOneToOne(TFRewrite):
    """TF ops with a one-to-one TFLite builtin (`ONE_TO_ONE`)."""

    OPS = tuple(ONE_TO_ONE)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op) or len(op.results) != 1:
            return
        name = tf_op_name(op)
        if name in ("tf.Equal", "tf.NotEqual") and not bool_attr(op, "incompatible_shape_error", True):
            return
        if name == "tf.AddN" and len(op.operands) == 1:
            replace_with(rewriter, op, [op.operands[0]])
            return
        op_class = ONE_TO_ONE[name]
        if not op_class.accepts([v.type for v in op.operands], [op.results[0].type]):
            return  # the TFLite kernel does not take these types: left for the report (or Flex)
        new = op_class.build(list(op.operands), [op.results[0].type])
        insert_before(rewriter, op, new)
        replace_with(rewriter, op, [new.results[0]])


class RemoveForwarding(TFRewrite):
    """StopGradient, PreventGradient, CheckNumerics, Snapshot, EnsureShape, IdentityN: forward inputs."""

    OPS = (*FORWARDING, "tf.IdentityN")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        inputs = list(op.operands)[: len(op.results)]
        if len(inputs) != len(op.results) or any(i.type != r.type for i, r in zip(inputs, op.results)):
            return
        replace_with(rewriter, op, inputs)


class LegalizeLeakyRelu(TFRewrite):
    """tf.LeakyRelu -> tfl.leaky_relu."""

    OPS = ("tf.LeakyRelu",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        alpha = FloatAttr(float_attr(op, "alpha", 0.2), f32)
        leaky = emit1(rewriter, op, tfl.LeakyReluOp, [op.operands[0]], op.results[0].type, alpha=alpha)
        replace_with(rewriter, op, [leaky])


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class LegalizeSelu(TFRewrite):
    """tf.Selu -> select_v2(x > 0, scale * x, scale * alpha * elu(x))."""

    OPS = ("tf.Selu",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op) or not is_tflite_numeric(op.operands[0].type):
            return
        x = op.operands[0]
        positive = binary(rewriter, op, tfl.GreaterOp, x, scalar(rewriter, op, 0, x), _bool_like(x))
        scaled = binary(rewriter, op, tfl.MulOp, x, scalar(rewriter, op, SELU_SCALE, x), x.type)
        elu = unary(rewriter, op, tfl.EluOp, x)
        negative = binary(rewriter, op, tfl.MulOp, elu, scalar(rewriter, op, SELU_SCALE * SELU_ALPHA, x), x.type)
        out = emit1(rewriter, op, tfl.SelectV2Op, [positive, scaled, negative], x.type)
        replace_with(rewriter, op, [out])


class LegalizeSoftplus(TFRewrite):
    """tf.Softplus -> max(x, 0) + log(1 + exp(-|x|)), exp(x) below TF's threshold."""

    OPS = ("tf.Softplus",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x = op.operands[0]
        relu = unary(rewriter, op, tfl.ReluOp, x)
        neg_abs = unary(rewriter, op, tfl.NegOp, unary(rewriter, op, tfl.AbsOp, x))
        exp_neg = unary(rewriter, op, tfl.ExpOp, neg_abs)
        one_plus = binary(rewriter, op, tfl.AddOp, exp_neg, scalar(rewriter, op, 1.0, x), x.type)
        log1p = unary(rewriter, op, tfl.LogOp, one_plus)
        stable = binary(rewriter, op, tfl.AddOp, relu, log1p, x.type)
        # Below log(eps) + 2 TensorFlow returns exp(x): 1 + exp(x) would round to 1.
        threshold = float(np.log(np.finfo(np.float32).eps)) + 2.0
        small = binary(rewriter, op, tfl.LessOp, x, scalar(rewriter, op, threshold, x), _bool_like(x))
        out = emit1(rewriter, op, tfl.SelectV2Op, [small, unary(rewriter, op, tfl.ExpOp, x), stable], x.type)
        replace_with(rewriter, op, [out])


# erf(x) ~ x * P(x^2) / Q(x^2) on [-4, 4] (a rational minimax fit, max error ~5e-7).
ERF_NUMERATOR = (
    -2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
    -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02,
)
ERF_DENOMINATOR = (
    -1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
    -1.42647390514189e-02,
)


def emit_erf(rewriter: PatternRewriter, anchor: Operation, x: SSAValue) -> SSAValue:
    """erf(x) from TFLite builtins: clamp to [-4, 4], then a rational polynomial in x^2."""
    ty = x.type
    xc = binary(rewriter, anchor, tfl.MinimumOp, x, scalar(rewriter, anchor, 4.0, x), ty)
    xc = binary(rewriter, anchor, tfl.MaximumOp, xc, scalar(rewriter, anchor, -4.0, x), ty)
    x2 = binary(rewriter, anchor, tfl.MulOp, xc, xc, ty)

    def horner(coefficients: tuple[float, ...]) -> SSAValue:
        acc = scalar(rewriter, anchor, coefficients[0], x)
        for c in coefficients[1:]:
            acc = binary(rewriter, anchor, tfl.MulOp, acc, x2, ty)
            acc = binary(rewriter, anchor, tfl.AddOp, acc, scalar(rewriter, anchor, c, x), ty)
        return acc

    p = binary(rewriter, anchor, tfl.MulOp, xc, horner(ERF_NUMERATOR), ty)
    return binary(rewriter, anchor, tfl.DivOp, p, horner(ERF_DENOMINATOR), ty)


class LegalizeErf(TFRewrite):
    """tf.Erf / tf.Erfc (no TFLite builtin) -> a rational approximation (|error| < 1e-6)."""

    OPS = ("tf.Erf", "tf.Erfc")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        from tflc.dialects.tf import tf_op_name

        if not all_ranked(op):
            return
        x = op.operands[0]
        out = emit_erf(rewriter, op, x)
        if tf_op_name(op) == "tf.Erfc":
            out = binary(rewriter, op, tfl.SubOp, scalar(rewriter, op, 1.0, x), out, x.type)
        replace_with(rewriter, op, [out])


def _bool_like(x: SSAValue):
    from xdsl.dialects.builtin import TensorType, i1

    ty = ranked(x)
    assert ty is not None
    return TensorType(i1, ty.get_shape())


ELEMENTWISE_PATTERNS = (
    LegalizeOneToOne,
    RemoveForwarding,
    LegalizeLeakyRelu,
    LegalizeSelu,
    LegalizeSoftplus,
    LegalizeErf,
)
