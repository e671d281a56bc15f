"""Canonicalization patterns of tfl ops (run by `canonicalize` and `tfl-remove-redundant`).

- `x * 1`, `x / 1`, `x + 0`, `x - 0` (no activation, no broadcast) are `x` (`RightIdentity`);
- a reshape or cast to its operand's type goes; a reshape of a reshape reads the source;
- a transpose by the identity permutation goes;
- a dynamic_update_slice whose update covers the whole (static) operand is the update;
- a fully_connected between a flattening and a restoring reshape keeps its dims;
- a division by a float32 constant is a multiplication by its reciprocal.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, BoolAttr, StringAttr, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint, Rewriter

from tflc.dialects import tfl
from tflc.dialects.tfl_traits import RightIdentity, trait_of


def _constant(value: SSAValue) -> np.ndarray | None:
    from xdsl.dialects.builtin import DenseIntOrFPElementsAttr

    from tflc.tensors import dense_to_numpy

    owner = value.owner
    if isinstance(owner, tfl.ConstOp) and isinstance(owner.value, DenseIntOrFPElementsAttr):
        return dense_to_numpy(owner.value)
    return None


def _record(what: str) -> None:
    from tflc.passes import stats

    stats.record(what)


def _unknown_dims(value: SSAValue) -> int:
    ty = value.type
    return sum(d == DYNAMIC_INDEX for d in ty.get_shape()) if isinstance(ty, TensorType) else 99


def _single_user(value: SSAValue) -> Operation | None:
    uses = list(value.uses)
    return uses[0].operation if len(uses) == 1 else None


class RemoveIdentityOperand(RewritePattern):
    """`op(x, identity)` (and `op(identity, x)` for commutative ops) -> x."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        trait = trait_of(op, RightIdentity)
        if trait is None or not isinstance(op, tfl.BinaryOp):
            return
        if op.properties.get("fused_activation_function", StringAttr("NONE")) != StringAttr("NONE"):
            return
        pairs = [(op.lhs, op.rhs)] + ([(op.rhs, op.lhs)] if trait.commutative else [])
        for value, other in pairs:
            if value.type != op.output.type:
                continue
            constant = _constant(other)
            from tflc.tensors import compact

            if constant is not None and constant.size and bool(np.all(compact(constant) == trait.identity)):
                rewriter.replace(op, [], [value])
                _record(f"removed identity {op.name}")
                return


class RemoveNoOpReshape(RewritePattern):
    """A reshape to its operand's type goes (unless two unknown dims could swap sizes)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.ReshapeOp, rewriter: PatternRewriter) -> None:
        if op.input.type == op.output.type and _unknown_dims(op.input) <= 1:
            rewriter.replace(op, [], [op.input])
            _record("removed no-op tfl.reshape")


class MergeReshapeChain(RewritePattern):
    """reshape(reshape(x)) -> reshape(x)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.ReshapeOp, rewriter: PatternRewriter) -> None:
        source = op.input.owner
        if isinstance(source, tfl.ReshapeOp):
            op.operands = [source.input, op.shape]
            rewriter.notify_op_modified(op)
            _record("merged tfl.reshape chain")


class RemoveNoOpCast(RewritePattern):
    """A cast to its operand's type goes."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.CastOp, rewriter: PatternRewriter) -> None:
        if op.x.type == op.y.type:
            rewriter.replace(op, [], [op.x])
            _record("removed no-op tfl.cast")


class RemoveIdentityTranspose(RewritePattern):
    """A transpose by the identity permutation goes."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.TransposeOp, rewriter: PatternRewriter) -> None:
        perm = _constant(op.perm)
        if perm is not None and list(perm.reshape(-1)) == list(range(perm.size)) and op.input.type == op.output.type:
            rewriter.replace(op, [], [op.input])
            _record("removed identity tfl.transpose")


class RemoveIdentityStridedSlice(RewritePattern):
    """A strided slice of the whole (static) tensor, from 0 by steps of 1, goes."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.StridedSliceOp, rewriter: PatternRewriter) -> None:
        if op.input.type != op.output.type or _unknown_dims(op.input) != 0:
            return
        masks = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")
        if any(op.properties[m].value.data for m in masks):  # type: ignore[attr-defined]
            return
        if op.properties.get("offset") == BoolAttr.from_bool(True):
            return
        begin, end, strides = _constant(op.begin), _constant(op.end), _constant(op.strides)
        shape = list(op.input.type.get_shape())  # type: ignore[attr-defined]
        if begin is None or end is None or strides is None or begin.size != len(shape):
            return
        if list(begin.reshape(-1)) == [0] * len(shape) and list(end.reshape(-1)) == shape and not np.any(strides != 1):
            rewriter.replace(op, [], [op.input])
            _record("removed whole-tensor tfl.strided_slice")


class RemoveWholeUpdateSlice(RewritePattern):
    """An update as large as the (static) operand: start indices clamp to 0, the result is the update."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.DynamicUpdateSliceOp, rewriter: PatternRewriter) -> None:
        if op.update.type == op.operand.type and _unknown_dims(op.operand) == 0:
            rewriter.replace(op, [], [op.update])
            _record("removed whole-tensor tfl.dynamic_update_slice")


class FullyConnectedKeepDims(RewritePattern):
    """reshape(fully_connected(reshape(x, [-1, K])), [..., N]) -> fully_connected(x, keep_num_dims)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.FullyConnectedOp, rewriter: PatternRewriter) -> None:
        if op.keep_num_dims.value.data:
            return
        flatten = op.input.owner
        user = _single_user(op.output)
        if not isinstance(flatten, tfl.ReshapeOp) or not isinstance(user, tfl.ReshapeOp):
            return
        if _single_user(flatten.output) is not op:
            return
        source_type, restored_type, out_type = flatten.input.type, user.output.type, op.output.type
        if not all(isinstance(t, TensorType) for t in (source_type, restored_type, out_type)):
            return
        assert isinstance(source_type, TensorType) and isinstance(restored_type, TensorType)
        assert isinstance(out_type, TensorType)
        source, restored = source_type.get_shape(), restored_type.get_shape()
        units = out_type.get_shape()[-1]
        if len(source) < 2 or any(d < 0 for d in source) or restored != (*source[:-1], units):
            return
        fc = op.clone()
        fc.operands = [flatten.input, *op.operands[1:]]
        fc.properties["keep_num_dims"] = BoolAttr.from_bool(True)
        Rewriter.replace_value_with_new_type(fc.results[0], restored_type)
        rewriter.insert(fc, InsertPoint.before(op))
        rewriter.replace(user, [], [fc.results[0]])
        rewriter.erase(op)
        rewriter.erase(flatten)
        _record("folded reshapes around tfl.fully_connected into keep_num_dims")


@cache
class DivByConstantToMul(RewritePattern):
    """`x / c` with a float32 constant `c` is `x * (1 / c)`, as TensorFlow's converter writes
    it (a multiplication is cheaper; the reciprocal is rounded once, within an ulp or so)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.DivOp, rewriter: PatternRewriter) -> None:
        divisor = _constant(op.rhs)
        if divisor is None or divisor.dtype != np.float32:
            return
        from tflc.passes.common import const

        with np.errstate(divide="ignore"):
            reciprocal = const(rewriter, op, (np.float32(1) / divisor).astype(np.float32))
        mul = tfl.MulOp(op.lhs, reciprocal, op.output.type, fused_activation_function=op.fused_activation_function)
        rewriter.replace(op, mul)
        _record("division by a constant became a multiplication")


def patterns_for(op_class: type[Operation]) -> tuple[RewritePattern, ...]:
    """The canonicalization patterns of a tfl op class."""
    if issubclass(op_class, tfl.ReshapeOp):
        return (RemoveNoOpReshape(), MergeReshapeChain())
    if issubclass(op_class, tfl.CastOp):
        return (RemoveNoOpCast(),)
    if issubclass(op_class, tfl.TransposeOp):
        return (RemoveIdentityTranspose(),)
    if issubclass(op_class, tfl.DynamicUpdateSliceOp):
        return (RemoveWholeUpdateSlice(),)
    if issubclass(op_class, tfl.StridedSliceOp):
        return (RemoveIdentityStridedSlice(),)
    if issubclass(op_class, tfl.FullyConnectedOp):
        return (FullyConnectedKeepDims(),)
    if issubclass(op_class, tfl.DivOp):
        return (RemoveIdentityOperand(), DivByConstantToMul())
    if op_class.has_trait(RightIdentity):
        return (RemoveIdentityOperand(),)
    return ()


def all_patterns() -> list[RewritePattern]:
    """The canonicalization patterns of every tfl op, once each."""
    seen: dict[type[RewritePattern], RewritePattern] = {}
    for cls in tfl.op_classes():
        for pattern in patterns_for(cls):
            seen.setdefault(type(pattern), pattern)
    return list(seen.values())
