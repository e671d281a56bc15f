"""legalize-tf for tf.Einsum: sums, transposes, reshapes and one tfl.batch_matmul.

Labels are grouped as batch (both operands and the output), contracted (both operands,
not the output) and free (one operand and the output); labels summed away within one
operand are reduced first, and `...` stands for an operand's unnamed dims,
right-aligned between the operands. Each operand is laid out as [batch, free,
contracted] / [batch, contracted, free] and multiplied; the product is reshaped and
transposed to the output labels. Unknown dims (a traced `None` batch) are read at run
time with tfl.shape, so no reshape bakes in a traced size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, TensorType, i32
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import str_attr
from tflc.passes.common import tensor_type
from tflc.passes.legalize_util import (
    NONE,
    TFRewrite,
    all_ranked,
    bool_prop,
    emit1,
    i32_const,
    i32_prop,
    like,
    replace_with,
    reshape,
    transpose,
)

# Stand-ins for the dims `...` covers (einsum labels are letters only).
_ELLIPSIS_LABELS = "0123456789"


@dataclass
class _Operand:
    """One einsum operand: its value and one label per dim."""

    value: SSAValue
    labels: str


def _expand_ellipsis(term: str, rank: int) -> str | None:
    """`term` with `...` replaced by one stand-in label per dim it covers (right-aligned)."""
    if "..." not in term:
        return term if len(term) == rank else None
    head, tail = term.split("...")
    count = rank - len(head) - len(tail)
    if count < 0 or count > len(_ELLIPSIS_LABELS):
        return None
    return head + _ELLIPSIS_LABELS[len(_ELLIPSIS_LABELS) - count :] + tail


def _parse(equation: str, ranks: Sequence[int]) -> tuple[list[str], str] | None:
    """The operand and output labels of an equation, ellipses expanded; None if not lowered."""
    equation = equation.replace(" ", "")
    if "->" not in equation:
        return None
    inputs, out = equation.split("->")
    terms = inputs.split(",")
    if len(terms) != len(ranks):
        return None
    labels = [_expand_ellipsis(t, r) for t, r in zip(terms, ranks)]
    if any(t is None for t in labels):
        return None
    found = [t for t in labels if t is not None]
    if "..." in out:
        widest = max(found, key=lambda t: sum(c in _ELLIPSIS_LABELS for c in t))
        out = out.replace("...", "".join(c for c in widest if c in _ELLIPSIS_LABELS))
    if any(len(set(t)) != len(t) for t in (*found, out)) or not set(out) <= set("".join(found)):
        return None  # repeated labels (diagonals, traces) are not lowered
    return found, out


def _label_sizes(operands: Sequence[_Operand], out: str, result: SSAValue) -> dict[str, int] | None:
    """Each label's static size where any dim of it is known; None if two disagree
    (size-1 broadcasting is not lowered)."""
    sizes: dict[str, int] = {}
    for value, labels in [*((x.value, x.labels) for x in operands), (result, out)]:
        for label, size in zip(labels, tensor_type(value).get_shape()):
            if size != DYNAMIC_INDEX and sizes.setdefault(label, size) != size:
                return None
    return sizes


class _Builder:
    """Emits the lowering of one tf.Einsum, reading unknown dims at run time."""

    def __init__(self, rewriter: PatternRewriter, op: Operation, sizes: dict[str, int]):
        self.rewriter, self.op = rewriter, op
        self.sizes = sizes
        self._shapes: dict[SSAValue, SSAValue] = {}

    def size(self, labels: str) -> int:
        """The static product of the labels' sizes, or DYNAMIC_INDEX."""
        sizes = [self.sizes.get(label, DYNAMIC_INDEX) for label in labels]
        return DYNAMIC_INDEX if DYNAMIC_INDEX in sizes else int(np.prod(sizes, dtype=np.int64))

    def sum_away(self, x: _Operand, keep: set[str]) -> _Operand:
        """`x` summed over its labels not in `keep`."""
        axes = [i for i, label in enumerate(x.labels) if label not in keep]
        if not axes:
            return x
        labels = "".join(label for label in x.labels if label in keep)
        value = emit1(
            self.rewriter, self.op, tfl.SumOp, [x.value, i32_const(self.rewriter, self.op, axes)],
            like(x.value, [self.size(label) for label in labels]), keep_dims=bool_prop(False),
        )
        return _Operand(value, labels)

    def runtime_dims(self, x: _Operand, axes: Sequence[int]) -> SSAValue:
        """A 1-D int32 tensor of `x`'s sizes along `axes`, read at run time."""
        if x.value not in self._shapes:
            rank = tensor_type(x.value).get_num_dims()
            self._shapes[x.value] = emit1(self.rewriter, self.op, tfl.ShapeOp, [x.value], TensorType(i32, [rank]))
        return emit1(
            self.rewriter, self.op, tfl.GatherOp, [self._shapes[x.value], i32_const(self.rewriter, self.op, axes)],
            TensorType(i32, [len(axes)]), axis=i32_prop(0), batch_dims=i32_prop(0),
        )

    def reshape(self, value: SSAValue, groups: Sequence[tuple[_Operand, str]]) -> SSAValue:
        """`value` with one dim per label group: -1 for a single unknown one, else the
        unknown ones read at run time from the operand holding their labels."""
        static = [self.size(labels) for _, labels in groups]
        if static.count(DYNAMIC_INDEX) <= 1:
            return reshape(self.rewriter, self.op, value, static)
        # Runs of known sizes become one constant, runs of one operand's dims one gather.
        runs: list[tuple[_Operand | None, list[int], str]] = []
        for (x, labels), size in zip(groups, static):
            run: tuple[_Operand | None, list[int], str]
            if size != DYNAMIC_INDEX:
                run = (None, [size], "")
            elif len(labels) == 1:
                run = (x, [x.labels.index(labels)], "")
            else:
                run = (x, [x.labels.index(label) for label in labels], "product")
            if runs and not run[2] and not runs[-1][2] and runs[-1][0] is run[0]:
                runs[-1][1].extend(run[1])
            else:
                runs.append(run)
        pieces = []
        for owner, values, kind in runs:
            if owner is None:
                pieces.append(i32_const(self.rewriter, self.op, values))
                continue
            dims = self.runtime_dims(owner, values)
            if kind:
                dims = emit1(
                    self.rewriter, self.op, tfl.ReduceProdOp, [dims, i32_const(self.rewriter, self.op, [0])],
                    TensorType(i32, [1]), keep_dims=bool_prop(True),
                )
            pieces.append(dims)
        shape = pieces[0] if len(pieces) == 1 else emit1(
            self.rewriter, self.op, tfl.ConcatenationOp, pieces, TensorType(i32, [len(static)]),
            axis=i32_prop(0), fused_activation_function=NONE,
        )
        return emit1(self.rewriter, self.op, tfl.ReshapeOp, [value, shape], like(value, static))


class LegalizeEinsum(TFRewrite):
    """One- or two-operand tf.Einsum -> sum, transposes, reshapes and tfl.batch_matmul."""

    OPS = ("tf.Einsum",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op) or len(op.operands) not in (1, 2):
            return
        parsed = _parse(str_attr(op, "equation"), [tensor_type(v).get_num_dims() for v in op.operands])
        if parsed is None:
            return
        terms, out = parsed
        operands = [_Operand(v, t) for v, t in zip(op.operands, terms)]
        sizes = _label_sizes(operands, out, op.results[0])
        if sizes is None:
            return
        build = _Builder(rewriter, op, sizes)
        if len(operands) == 1:
            x = build.sum_away(operands[0], set(out))
            replace_with(rewriter, op, [transpose(rewriter, op, x.value, [x.labels.index(ch) for ch in out])])
            return
        a = build.sum_away(operands[0], set(operands[1].labels) | set(out))
        b = build.sum_away(operands[1], set(a.labels) | set(out))
        batch = [ch for ch in out if ch in a.labels and ch in b.labels]
        contract = "".join(ch for ch in a.labels if ch in b.labels and ch not in out)
        left = "".join(ch for ch in a.labels if ch not in b.labels)
        right = "".join(ch for ch in b.labels if ch not in a.labels)
        x = _Operand(transpose(rewriter, op, a.value, [a.labels.index(ch) for ch in [*batch, *left, *contract]]),
                     "".join(batch) + left + contract)
        y = _Operand(transpose(rewriter, op, b.value, [b.labels.index(ch) for ch in [*batch, *contract, *right]]),
                     "".join(batch) + contract + right)
        x_flat = build.reshape(x.value, [*((x, ch) for ch in batch), (x, left), (x, contract)])
        y_flat = build.reshape(y.value, [*((y, ch) for ch in batch), (y, contract), (y, right)])
        product = emit1(
            rewriter, op, tfl.BatchMatMulOp, [x_flat, y_flat],
            like(a.value, [*(build.size(ch) for ch in batch), build.size(left), build.size(right)]),
            adj_x=bool_prop(False), adj_y=bool_prop(False),
        )
        order = [*batch, *left, *right]
        holder = {**{ch: x for ch in [*batch, *left]}, **{ch: y for ch in right}}
        result = build.reshape(product, [(holder[ch], ch) for ch in order])
        replace_with(rewriter, op, [transpose(rewriter, op, result, [order.index(ch) for ch in out])])


EINSUM_PATTERNS = (LegalizeEinsum,)
