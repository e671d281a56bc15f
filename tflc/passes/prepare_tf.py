"""`prepare-tf`: match decomposed activations in tf graphs to single TFLite ops.

Runs before the one-to-one lowerings (legalize-tf runs it first) so that the tf
ops of a pattern are still intact:

- GELU, exact: `0.5 * x * erfc(-x / sqrt(2))` (TF and Keras) or
  `0.5 * x * (1 + erf(x / sqrt(2)))` -> tfl.gelu(approximate = false);
- GELU, tanh: `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))` -> tfl.gelu(approximate = true);
- hard swish: `x * relu6(x + 3) / 6` -> tfl.hard_swish.

Products are matched as multisets of factors, so any association and operand order
of the multiplications (and division by constants) matches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriter, PatternRewriteWalker, RewritePattern

from tflc.dialects import tfl
from tflc.dialects.tf import tf_op_name
from tflc.passes.common import constant_array
from tflc.passes.legalize_util import TFRewrite, bool_prop, emit1, ranked, replace_with
from tflc.tensors import compact


def _name(value: SSAValue) -> str | None:
    owner = value.owner
    return tf_op_name(owner) if isinstance(owner, Operation) else None


def _scalar(value: SSAValue) -> float | None:
    """The value of a constant whose elements are all equal."""
    array = constant_array(value)
    if array is None or array.size == 0 or array.dtype.kind != "f":
        return None
    flat = compact(np.asarray(array)).reshape(-1)  # a splat is one element
    return float(flat[0]) if np.all(flat == flat[0]) else None


def product(value: SSAValue, depth: int = 6) -> tuple[float, list[SSAValue]]:
    """`value` as coefficient * product(factors), looking through Mul, Neg and division by constants."""
    c = _scalar(value)
    if c is not None:
        return c, []
    name = _name(value)
    if depth and name == "tf.Mul":
        a, b = value.owner.operands  # type: ignore[union-attr]
        ca, fa = product(a, depth - 1)
        cb, fb = product(b, depth - 1)
        return ca * cb, fa + fb
    if depth and name == "tf.Neg":
        c, f = product(value.owner.operands[0], depth - 1)  # type: ignore[union-attr]
        return -c, f
    if depth and name == "tf.RealDiv":
        a, b = value.owner.operands  # type: ignore[union-attr]
        d = _scalar(b)
        if d is not None and d != 0:
            c, f = product(a, depth - 1)
            return c / d, f
    if name == "tf.Pow":
        base, exponent = value.owner.operands  # type: ignore[union-attr]
        e = _scalar(exponent)
        if e is not None and e in (2.0, 3.0):
            return 1.0, [base] * int(e)
    return 1.0, [value]


def _plus_constant(value: SSAValue) -> tuple[float, SSAValue] | None:
    """(c, y) when `value` is `y + c` with a scalar constant c."""
    if _name(value) not in ("tf.AddV2", "tf.Add"):
        return None
    a, b = value.owner.operands  # type: ignore[union-attr]
    for const, other in ((a, b), (b, a)):
        c = _scalar(const)
        if c is not None:
            return c, other
    return None


def _close(a: float, b: float, rtol: float = 1e-4) -> bool:
    return abs(a - b) <= rtol * abs(b)


def _is_scaled(value: SSAValue, x: SSAValue, coefficient: float) -> bool:
    c, factors = product(value)
    return factors == [x] and _close(c, coefficient)


def _unary_arg(value: SSAValue, name: str) -> SSAValue | None:
    return value.owner.operands[0] if _name(value) == name else None  # type: ignore[union-attr]


def match_gelu(root: SSAValue) -> tuple[SSAValue, bool] | None:
    """(x, approximate) when `root` computes GELU(x)."""
    c, factors = product(root)
    if len(factors) != 2 or not _close(c, 0.5):
        return None
    for x, other in (factors, factors[::-1]):
        arg = _unary_arg(other, "tf.Erfc")
        if arg is not None and _is_scaled(arg, x, -1 / math.sqrt(2)):
            return x, False
        shifted = _plus_constant(other)
        if shifted is None or not _close(shifted[0], 1.0):
            continue
        arg = _unary_arg(shifted[1], "tf.Erf")
        if arg is not None and _is_scaled(arg, x, 1 / math.sqrt(2)):
            return x, False
        arg = _unary_arg(shifted[1], "tf.Tanh")
        if arg is None:
            continue
        k, inner = product(arg)
        if len(inner) != 1 or not _close(k, math.sqrt(2 / math.pi)) or _name(inner[0]) not in ("tf.AddV2", "tf.Add"):
            continue
        p, q = inner[0].owner.operands  # type: ignore[union-attr]
        for lin, cubic in ((p, q), (q, p)):
            k3, f3 = product(cubic)
            if lin == x and f3 == [x, x, x] and _close(k3, 0.044715):
                return x, True
    return None


def match_hard_swish(root: SSAValue) -> SSAValue | None:
    """x when `root` computes x * relu6(x + 3) / 6."""
    c, factors = product(root)
    if len(factors) != 2 or not _close(c, 1 / 6):
        return None
    for x, other in (factors, factors[::-1]):
        arg = _unary_arg(other, "tf.Relu6")
        shifted = _plus_constant(arg) if arg is not None else None
        if shifted is not None and shifted[1] == x and _close(shifted[0], 3.0):
            return x
    return None


# Pure tf ops a matched pattern consumes; erased once the match leaves them unused.
PATTERN_OPS = frozenset(
    {
        "tf.Mul", "tf.Neg", "tf.RealDiv", "tf.Pow", "tf.AddV2", "tf.Add", "tf.Erf", "tf.Erfc", "tf.Tanh", "tf.Relu6",
        "tf.Const",
    }
)


def _replace_pattern(rewriter: PatternRewriter, root: Operation, value: SSAValue) -> None:
    """Replace `root` by `value`, then erase the pattern's ops nothing uses any more."""
    operands = list(root.operands)
    replace_with(rewriter, root, [value])
    worklist = [v.owner for v in operands if isinstance(v.owner, Operation)]
    while worklist:
        op = worklist.pop()
        if op.parent is None or tf_op_name(op) not in PATTERN_OPS or any(r.uses for r in op.results):
            continue
        worklist.extend(v.owner for v in op.operands if isinstance(v.owner, Operation))
        rewriter.erase(op)


class FuseGelu(TFRewrite):
    """The decomposed GELU forms (exact and tanh) -> tfl.gelu."""

    OPS = ("tf.Mul",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        match = match_gelu(op.results[0])
        if match is None or match[0].type != op.results[0].type or ranked(match[0]) is None:
            return
        x, approximate = match
        _replace_pattern(rewriter, op, emit1(rewriter, op, tfl.GeluOp, [x], x.type, approximate=bool_prop(approximate)))


class FuseHardSwish(TFRewrite):
    """x * relu6(x + 3) / 6 -> tfl.hard_swish."""

    OPS = ("tf.Mul", "tf.RealDiv")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x = match_hard_swish(op.results[0])
        if x is None or x.type != op.results[0].type or ranked(x) is None:
            return
        _replace_pattern(rewriter, op, emit1(rewriter, op, tfl.HardSwishOp, [x], x.type))


PREPARE_PATTERNS: tuple[type[RewritePattern], ...] = (FuseGelu, FuseHardSwish)


def prepare(module: ModuleOp) -> None:
    """Apply the prepare patterns, consumers first so a whole pattern is matched at its root."""
    PatternRewriteWalker(
        GreedyRewritePatternApplier([p() for p in PREPARE_PATTERNS]),
        apply_recursively=False,
        walk_reverse=True,
    ).rewrite_module(module)


@dataclass(frozen=True)
class PrepareTF(ModulePass):
    """Match decomposed GELU and hard-swish tf subgraphs to tfl.gelu / tfl.hard_swish."""

    name = "prepare-tf"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        prepare(op)
