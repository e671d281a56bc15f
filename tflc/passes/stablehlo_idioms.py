"""JAX's idioms, once lowered to tfl, folded into TFLite's own ops (run by legalize-stablehlo).

StableHLO spells everything out: explicit broadcasts, `max(x, 0)` for relu,
`exp(x - max) / sum(exp(x - max))` for softmax, `sum / n` for mean, sum pooling divided
by the window size for average pooling. TFLite's kernels broadcast implicitly and
have fused ops for these, so the patterns here give the same numbers with fewer ops.
"""

from __future__ import annotations

from typing import TypeVar, overload

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, AnyFloat, FloatAttr, f32
from xdsl.ir import Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from tflc.dialects import tfl
from tflc.passes.common import const, constant_array, tensor_type
from tflc.passes.legalize_util import NONE, bool_prop, emit1, ranked, replace_with
from tflc.tensors import compact

# Ops whose TFLite kernels broadcast their operands (numpy rules, up to rank 4 everywhere).
BROADCASTING = (
    tfl.AddOp, tfl.SubOp, tfl.MulOp, tfl.DivOp, tfl.MaximumOp, tfl.MinimumOp, tfl.PowOp,
    tfl.LessOp, tfl.LessEqualOp, tfl.GreaterOp, tfl.GreaterEqualOp, tfl.EqualOp, tfl.NotEqualOp,
    tfl.LogicalAndOp, tfl.LogicalOrOp, tfl.SelectV2Op,
)
MAX_BROADCAST_RANK = 4
# Ops that only move a tensor's elements into a broadcastable shape.
SHAPE_ONLY = (tfl.ReshapeOp, tfl.BroadcastToOp, tfl.ExpandDimsOp)


def _shape(value: SSAValue) -> tuple[int, ...]:
    ty = ranked(value)
    assert ty is not None
    return tuple(ty.get_shape())


def through(value: SSAValue) -> SSAValue:
    """`value` before reshapes and broadcasts."""
    while isinstance(value.owner, SHAPE_ONLY):
        value = value.owner.operands[0]
    return value


def scalar(value: SSAValue) -> float | None:
    """The value of a constant whose elements are all equal."""
    array = constant_array(value)
    if array is None or array.size == 0:
        return None
    flat = compact(array).reshape(-1)  # a splat is one element
    if not np.all(flat == flat[0]):
        return None
    return float(flat[0])


_OpT = TypeVar("_OpT", bound=Operation)


@overload
def producer(value: SSAValue, op_class: type[_OpT]) -> _OpT | None: ...


@overload
def producer(value: SSAValue, op_class: tuple[type[Operation], ...]) -> Operation | None: ...


def producer(value: SSAValue, op_class: type[Operation] | tuple[type[Operation], ...]) -> Operation | None:
    """The op producing `value` when it is an `op_class`."""
    owner = value.owner
    return owner if isinstance(owner, op_class) else None


def reduced_axes(op: Operation) -> list[int] | None:
    """The axes of a TFLite reducer, normalized to be non-negative."""
    axes = constant_array(op.operands[1])
    if axes is None:
        return None
    rank = len(_shape(op.operands[0]))
    return sorted(int(a) % rank for a in axes.reshape(-1))


def is_last_axis_reduce(op: Operation | Block | None, op_class: type[Operation], source: SSAValue) -> bool:
    """Whether `op` reduces `source` over its last axis only."""
    return isinstance(op, op_class) and op.operands[0] == source and reduced_axes(op) == [len(_shape(source)) - 1]


class AbsorbBroadcast(RewritePattern):
    """A broadcasting op reads `x` instead of `broadcast_to(x)` when another operand already
    has the result's type (StableHLO's elementwise operands have equal shapes)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, BROADCASTING) or len(_shape(op.results[0])) > MAX_BROADCAST_RANK:
            return
        operands = list(op.operands)
        data = operands[1:] if isinstance(op, tfl.SelectV2Op) else operands
        result_type = op.results[0].type
        result_shape = _shape(op.results[0])
        for i, value in enumerate(operands):
            bcast = producer(value, tfl.BroadcastToOp)
            if bcast is None:
                continue
            others = [v for j, v in enumerate(operands) if j != i]
            covers = any(
                _shape(v) == result_shape and (DYNAMIC_INDEX not in result_shape or v.type == value.type)
                for v in others
                if v in data or not isinstance(op, tfl.SelectV2Op)
            )
            if not covers and not (DYNAMIC_INDEX not in result_shape and self._static_cover(op, i, result_shape)):
                continue
            operands[i] = bcast.operands[0]
            op.operands = operands
            rewriter.notify_op_modified(op)
            if not bcast.results[0].uses:
                rewriter.erase(bcast)
            return
        del result_type

    @staticmethod
    def _static_cover(op: Operation, index: int, shape: tuple[int, ...]) -> bool:
        """Whether the operands, with broadcast `index` read before broadcasting, still
        broadcast to `shape`."""
        shapes = [_shape(v) for j, v in enumerate(op.operands) if j != index]
        bcast = op.operands[index].owner
        assert isinstance(bcast, Operation)  # the caller found a broadcast op there
        shapes.append(_shape(bcast.operands[0]))
        try:
            return tuple(np.broadcast_shapes(*shapes)) == shape
        except ValueError:
            return False


class RemoveInfiniteBound(RewritePattern):
    """max(x, -inf) and min(x, +inf) are x."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.MaximumOp | tfl.MinimumOp):
            return
        bound = -np.inf if isinstance(op, tfl.MaximumOp) else np.inf
        for value, other in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
            if value.type == op.output.type and scalar(through(other)) == bound:
                replace_with(rewriter, op, [value])
                return


class MaxZeroToRelu(RewritePattern):
    """max(x, 0) -> tfl.relu; min(relu(x), 6) -> tfl.relu6 (fusable into the producer)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.MaximumOp | tfl.MinimumOp):
            return
        if not isinstance(tensor_type(op.output).element_type, AnyFloat):
            return  # TFLite's RELU kernels take floats only
        if isinstance(op, tfl.MaximumOp):
            for value, other in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
                if value.type == op.output.type and scalar(through(other)) == 0.0:
                    replace_with(rewriter, op, [emit1(rewriter, op, tfl.ReluOp, [value], op.output.type)])
                    return
        elif isinstance(op, tfl.MinimumOp):
            for value, other in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
                relu = producer(value, tfl.ReluOp)
                if relu is not None and value.type == op.output.type and scalar(through(other)) == 6.0:
                    replace_with(rewriter, op, [emit1(rewriter, op, tfl.Relu6Op, [relu.operands[0]], op.output.type)])
                    return


def _shifted_by_max(value: SSAValue) -> SSAValue | None:
    """For `x - max(x, last axis)` (through reshapes/broadcasts): x."""
    sub = producer(value, tfl.SubOp)
    if sub is None or sub.properties["fused_activation_function"] != NONE:
        return None
    x = sub.operands[0]
    if not is_last_axis_reduce(through(sub.operands[1]).owner, tfl.ReduceMaxOp, x):
        return None
    return x


class FuseSoftmax(RewritePattern):
    """e / sum(e) with e = exp(x - max(x)) over the last axis -> tfl.softmax(x);
    (x - max) - log(sum(exp(x - max))) -> tfl.log_softmax(x)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if isinstance(op, tfl.DivOp) and op.properties["fused_activation_function"] == NONE:
            exp = producer(op.lhs, tfl.ExpOp)
            if exp is None or not is_last_axis_reduce(through(op.rhs).owner, tfl.SumOp, op.lhs):
                return
            x = _shifted_by_max(exp.operands[0])
            if x is None or x.type != op.output.type:
                return
            softmax = emit1(rewriter, op, tfl.SoftmaxOp, [x], op.output.type, beta=FloatAttr(1.0, f32))
            replace_with(rewriter, op, [softmax])
        elif isinstance(op, tfl.SubOp) and op.properties["fused_activation_function"] == NONE:
            x = _shifted_by_max(op.lhs)
            log = producer(through(op.rhs), tfl.LogOp)
            if x is None or log is None or x.type != op.output.type:
                return
            total = through(log.operands[0]).owner
            if not isinstance(total, tfl.SumOp):
                return
            exp = producer(total.operands[0], tfl.ExpOp)
            if exp is None or exp.operands[0] != op.lhs or not is_last_axis_reduce(total, tfl.SumOp, exp.results[0]):
                return
            replace_with(rewriter, op, [emit1(rewriter, op, tfl.LogSoftmaxOp, [x], op.output.type)])


class FuseMean(RewritePattern):
    """sum(x, axes) / n (or * 1/n) with n the reduced element count -> tfl.mean."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.DivOp | tfl.MulOp) or op.properties["fused_activation_function"] != NONE:
            return
        total = producer(op.lhs, tfl.SumOp)
        factor = scalar(op.rhs)
        if total is None or factor is None or op.lhs.type != op.output.type or len(list(op.lhs.uses)) != 1:
            return
        axes = reduced_axes(total)
        source = _shape(total.operands[0])
        if axes is None or any(source[a] == DYNAMIC_INDEX for a in axes):
            return
        count = float(np.prod([source[a] for a in axes]))
        expected = count if isinstance(op, tfl.DivOp) else 1.0 / count
        if not np.isclose(factor, expected, rtol=1e-6):
            return
        mean = emit1(
            rewriter, op, tfl.MeanOp, [total.operands[0], total.operands[1]], op.output.type,
            keep_dims=total.properties["keep_dims"],
        )
        replace_with(rewriter, op, [mean])
        if not total.results[0].uses:
            rewriter.erase(total)


class CancelScale(RewritePattern):
    """(y * c) / c -> y (average pooling lowered as mean * window size, then divided)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.DivOp) or op.properties["fused_activation_function"] != NONE:
            return
        mul = producer(op.lhs, tfl.MulOp)
        divisor = scalar(op.rhs)
        if mul is None or divisor is None or mul.properties["fused_activation_function"] != NONE:
            return
        for value, other in ((mul.lhs, mul.rhs), (mul.rhs, mul.lhs)):
            if scalar(other) == divisor and value.type == op.output.type:
                replace_with(rewriter, op, [value])
                return


def _scaled(value: SSAValue, factor: float) -> SSAValue | None:
    """For `value = x * factor` (either operand order, no activation): x."""
    mul = producer(value, tfl.MulOp)
    if mul is None or mul.properties["fused_activation_function"] != NONE:
        return None
    for x, c in ((mul.lhs, mul.rhs), (mul.rhs, mul.lhs)):
        found = scalar(c)
        if found is not None and np.isclose(found, factor, rtol=1e-6) and x.type == value.type:
            return x
    return None


def _plus(value: SSAValue) -> tuple[SSAValue, SSAValue] | None:
    """The operands of `value = a + b` (no activation)."""
    add = producer(value, tfl.AddOp)
    if add is None or add.properties["fused_activation_function"] != NONE:
        return None
    return add.lhs, add.rhs


def _is_cube_of(value: SSAValue, x: SSAValue) -> bool:
    """Whether `value` is x * x * x (as integer_pow lowers)."""
    mul = producer(value, tfl.MulOp)
    if mul is None:
        return False
    for a, b in ((mul.lhs, mul.rhs), (mul.rhs, mul.lhs)):
        square = producer(a, tfl.MulOp)
        if b == x and square is not None and square.lhs == x and square.rhs == x:
            return True
    return False


class FuseGelu(RewritePattern):
    """x * (0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))) (jax.nn.gelu, approximate) -> tfl.gelu."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.MulOp) or op.properties["fused_activation_function"] != NONE:
            return
        for x, cdf in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
            if x.type == op.output.type and self._is_tanh_cdf(cdf, x):
                gelu = emit1(rewriter, op, tfl.GeluOp, [x], op.output.type, approximate=bool_prop(True))
                replace_with(rewriter, op, [gelu])
                return

    @staticmethod
    def _is_tanh_cdf(value: SSAValue, x: SSAValue) -> bool:
        half = _scaled(value, 0.5)
        terms = _plus(half) if half is not None else None
        if terms is None:
            return False
        for one, t in (terms, terms[::-1]):
            tanh = producer(t, tfl.TanhOp)
            if scalar(one) != 1.0 or tanh is None:
                continue
            inner = _scaled(tanh.operands[0], float(np.sqrt(2 / np.pi)))
            parts = _plus(inner) if inner is not None else None
            if parts is None:
                continue
            for a, b in (parts, parts[::-1]):
                cube = _scaled(b, 0.044715)
                if a == x and cube is not None and _is_cube_of(cube, x):
                    return True
        return False


class ScaleBeforeReshape(RewritePattern):
    """x / c -> x * (1/c) for a float scalar constant c (as TensorFlow's converter does), and
    reshape(y) * c -> reshape(y * c), so the scale can join the producer's weights."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.DivOp | tfl.MulOp) or op.properties["fused_activation_function"] != NONE:
            return
        factor = scalar(op.rhs)
        array = constant_array(op.rhs)
        if factor is None or array is None or array.size != 1 or array.dtype.kind != "f":
            return
        if isinstance(op, tfl.DivOp):
            if producer(op.lhs, tfl.MulOp) is not None or isinstance(op.lhs.owner, tfl.SumOp):
                return  # CancelScale / FuseMean see these first
            reciprocal = const(rewriter, op, np.array(1.0 / factor, array.dtype).reshape(array.shape))
            product = emit1(
                rewriter, op, tfl.MulOp, [op.lhs, reciprocal], op.output.type, fused_activation_function=NONE
            )
            replace_with(rewriter, op, [product])
            return
        if len(list(op.lhs.uses)) != 1 or op.lhs.type != op.output.type:
            return
        bias_add = producer(op.lhs, tfl.AddOp)
        if bias_add is not None and bias_add.properties["fused_activation_function"] == NONE:
            bias = constant_array(bias_add.rhs)
            if bias is not None and bias_add.lhs.type == op.output.type:
                # (z + b) * c -> z * c + b * c: the scale moves towards the producer's weights.
                scaled = emit1(
                    rewriter, op, tfl.MulOp, [bias_add.lhs, op.rhs], op.output.type, fused_activation_function=NONE
                )
                new_bias = const(
                    rewriter,
                    op,
                    np.ascontiguousarray(bias * array.reshape(())),
                    tensor_type(bias_add.rhs).element_type,
                )
                biased = emit1(
                    rewriter, op, tfl.AddOp, [scaled, new_bias], op.output.type, fused_activation_function=NONE
                )
                replace_with(rewriter, op, [biased])
                return
        flatten = producer(op.lhs, tfl.ReshapeOp)
        if flatten is None:
            return
        source = flatten.operands[0]
        scaled = emit1(rewriter, op, tfl.MulOp, [source, op.rhs], source.type, fused_activation_function=NONE)
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.ReshapeOp, [scaled, flatten.operands[1]], op.output.type)])


class FuseLogistic(RewritePattern):
    """1 / (1 + exp(-x)) (how StableHLO spells logistic) -> tfl.logistic."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.DivOp) or op.properties["fused_activation_function"] != NONE or scalar(op.lhs) != 1.0:
            return
        terms = _plus(op.rhs)
        if terms is None:
            return
        for one, e in (terms, terms[::-1]):
            exp = producer(e, tfl.ExpOp)
            neg = producer(exp.operands[0], tfl.NegOp) if exp is not None else None
            if scalar(one) == 1.0 and neg is not None and neg.operands[0].type == op.output.type:
                replace_with(rewriter, op, [emit1(rewriter, op, tfl.LogisticOp, [neg.operands[0]], op.output.type)])
                return


class FoldSmallBroadcast(RewritePattern):
    """broadcast_to of a constant into a small static tensor -> the constant."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.BroadcastToOp):
            return
        array = constant_array(op.operands[0])
        shape = _shape(op.results[0])
        if array is None or DYNAMIC_INDEX in shape or int(np.prod(shape)) > 1024:
            return
        element_type = tensor_type(op.results[0]).element_type
        value = const(rewriter, op, np.ascontiguousarray(np.broadcast_to(array, shape)), element_type)
        replace_with(rewriter, op, [value])


IDIOMS: tuple[RewritePattern, ...] = (
    AbsorbBroadcast(),
    RemoveInfiniteBound(),
    MaxZeroToRelu(),
    FuseSoftmax(),
    FuseMean(),
    CancelScale(),
    FuseGelu(),
    FuseLogistic(),
    ScaleBeforeReshape(),
)
