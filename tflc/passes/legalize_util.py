"""Building blocks of the legalize-tf patterns: matching tf ops by name, reading TF
attributes, and emitting tfl ops and constants before the op being rewritten."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    ArrayAttr,
    BoolAttr,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    i32,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import IRDLOperation
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriter, RewritePattern

from tflc.dialects import tfl
from tflc.dialects.tf import tf_op_name
from tflc.passes.common import (
    as_i32,
    const,
    constant_array,
    erase_unused_constants,
    insert_before,
    int32_values,
    tensor_type,
)
from tflc.tensors import numpy_dtype, storage_array

NONE = StringAttr("NONE")


def declined_cleanly(op: Operation, rewriter: PatternRewriter, rewrite: Callable[[], None]) -> None:
    """Run `rewrite` on `op`; if all it did was build ops nothing uses (it declined after
    building), erase those and report no change. A pattern that built and then declined
    would otherwise count as a change, and the greedy driver would run it without end."""
    built: list[Operation] = []
    changed: list[object] = []
    handlers: tuple[tuple[list[Any], Callable[..., None]], ...] = (
        (rewriter.operation_insertion_handler, built.append),
        (rewriter.operation_removal_handler, changed.append),
        (rewriter.operation_modification_handler, changed.append),
        (rewriter.operation_replacement_handler, lambda old, new: changed.append(old)),
        (rewriter.block_creation_handler, changed.append),
    )
    done_before = rewriter.has_done_action
    for handler_list, handler in handlers:
        handler_list.append(handler)
    try:
        rewrite()
    finally:
        for handler_list, handler in handlers:
            handler_list.remove(handler)
    if done_before or changed or not built:
        return
    inside = set(built)
    if any(new.parent is None for new in built):
        return
    if any(use.operation not in inside for new in built for result in new.results for use in result.uses):
        return  # something uses what was built: a real change
    for new in reversed(built):  # users before what they use
        rewriter.erase(new)
    rewriter.has_done_action = False


@dataclass(eq=False, repr=False)
class CleanDeclineApplier(GreedyRewritePatternApplier):
    """A greedy applier whose patterns may build ops and then decline (see `declined_cleanly`)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        from xdsl.transforms.dead_code_elimination import is_trivially_dead

        if self.dce_enabled and is_trivially_dead(op):  # as the greedy applier does
            rewriter.erase(op)
            return
        for pattern in self.rewrite_patterns:
            declined_cleanly(op, rewriter, lambda: pattern.match_and_rewrite(op, rewriter))  # noqa: B023
            if rewriter.has_done_action:
                return


class TFRewrite(RewritePattern):
    """A pattern for the tf ops named in OPS, registered or not (`tf.Conv2D`)."""

    OPS: ClassVar[tuple[str, ...]] = ()

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.name in self.OPS or tf_op_name(op) in self.OPS:
            declined_cleanly(op, rewriter, lambda: self.rewrite(op, rewriter))

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        """Rewrite `op`, or return without changes to leave it for the report."""
        raise NotImplementedError


# -- TF attributes --------------------------------------------------------------------


def ints_attr(op: Operation, name: str, default: Sequence[int] = ()) -> list[int]:
    """A TF `list(int)` attribute (`strides = [1, 2, 2, 1]`)."""
    attr = op.attributes.get(name)
    if isinstance(attr, ArrayAttr):
        return [a.value.data for a in attr.data if isinstance(a, IntegerAttr)]
    return list(default)


def int_attr(op: Operation, name: str, default: int = 0) -> int:
    """A TF `int` attribute."""
    attr = op.attributes.get(name)
    return attr.value.data if isinstance(attr, IntegerAttr) else default


def float_attr(op: Operation, name: str, default: float = 0.0) -> float:
    """A TF `float` attribute."""
    attr = op.attributes.get(name)
    return float(attr.value.data) if isinstance(attr, FloatAttr) else default


def i32_prop(value: int) -> IntegerAttr:
    """An i32 property, as TFLite's integer options are."""
    return tfl.i32_attr(int(value))


def bool_prop(value: bool) -> BoolAttr:
    """A bool property."""
    return BoolAttr.from_bool(bool(value))


# -- types -----------------------------------------------------------------------------


def ranked(value: SSAValue) -> TensorType | None:
    """The ranked tensor type of a value, or None."""
    ty = value.type
    return ty if isinstance(ty, TensorType) else None


def static_shape(value: SSAValue) -> tuple[int, ...] | None:
    """The shape of a value when fully static, else None."""
    ty = ranked(value)
    if ty is None or DYNAMIC_INDEX in ty.get_shape():
        return None
    return tuple(ty.get_shape())


def all_ranked(op: Operation) -> bool:
    """Whether every operand and result of `op` is a ranked tensor."""
    return all(isinstance(v.type, TensorType) for v in (*op.operands, *op.results))


def like(value: SSAValue, shape: Sequence[int] | None = None, element: Attribute | None = None) -> TensorType:
    """A tensor type like `value`'s with another shape and/or element type."""
    ty = ranked(value)
    assert ty is not None
    return TensorType(element or ty.element_type, list(ty.get_shape()) if shape is None else list(shape))


# -- emitting --------------------------------------------------------------------------


def emit(
    rewriter: PatternRewriter,
    anchor: Operation,
    op_class: type[Operation],
    operands: Sequence[SSAValue],
    result_types: Sequence[Attribute],
    **props: Attribute,
) -> Operation:
    """Create a tfl op before `anchor` (at its location) and return it."""
    if issubclass(op_class, tfl.TFLOp):
        new: Operation = op_class.build(list(operands), list(result_types), **props)
    else:
        new = op_class.create(operands=list(operands), result_types=list(result_types), properties=props)
    return insert_before(rewriter, anchor, new)


def emit1(
    rewriter: PatternRewriter,
    anchor: Operation,
    op_class: type[Operation],
    operands: Sequence[SSAValue],
    result_type: Attribute,
    **props: Attribute,
) -> SSAValue:
    """Like `emit`, for ops with one result: the result value."""
    return emit(rewriter, anchor, op_class, operands, [result_type], **props).results[0]


def replace_with(rewriter: PatternRewriter, op: Operation, values: Sequence[SSAValue]) -> None:
    """Replace `op`'s results with `values` and erase it (and constants it alone used)."""
    operands = list(op.operands)
    rewriter.replace(op, [], list(values))
    erase_unused_constants(rewriter, operands)


def scalar(rewriter: PatternRewriter, anchor: Operation, value: float | int, like_value: SSAValue) -> SSAValue:
    """A rank-0 constant of `like_value`'s element type."""
    ty = ranked(like_value)
    assert ty is not None
    return const(rewriter, anchor, storage_array(value, ty.element_type), ty.element_type)


def i32_const(rewriter: PatternRewriter, anchor: Operation, values: Sequence[int] | np.ndarray) -> SSAValue:
    """An int32 constant (shapes, axes, permutations)."""
    return const(rewriter, anchor, int32_values(anchor, values))


def axis_i32(rewriter: PatternRewriter, anchor: Operation, value: SSAValue) -> SSAValue:
    """An axis/shape operand as int32 (folded for constants)."""
    return as_i32(rewriter, anchor, value)


def transpose(rewriter: PatternRewriter, anchor: Operation, value: SSAValue, perm: Sequence[int]) -> SSAValue:
    """`value` transposed by `perm`: folded for constants, skipped for the identity."""
    if list(perm) == list(range(len(perm))):
        return value
    ty = ranked(value)
    assert ty is not None
    if sorted(perm) != list(range(ty.get_num_dims())):
        from tflc.errors import TflcError, describe_location, op_display_name

        raise TflcError(
            f"{describe_location(anchor.location)}: '{op_display_name(anchor)}' has an operand of type {ty}, "
            f"but needs rank {len(perm)}"
        )
    array = constant_array(value)
    if array is not None:
        return const(rewriter, anchor, np.ascontiguousarray(np.transpose(array, perm)), ty.element_type)
    shape = [ty.get_shape()[p] for p in perm]
    return emit1(rewriter, anchor, tfl.TransposeOp, [value, i32_const(rewriter, anchor, perm)], like(value, shape))


def reshape(rewriter: PatternRewriter, anchor: Operation, value: SSAValue, shape: Sequence[int]) -> SSAValue:
    """`value` reshaped (dynamic dims as -1): folded for constants, skipped when equal."""
    ty = ranked(value)
    assert ty is not None
    shape = [DYNAMIC_INDEX if d < 0 else int(d) for d in shape]
    if list(ty.get_shape()) == shape:
        return value
    array = constant_array(value)
    if array is not None and DYNAMIC_INDEX not in shape:
        return const(rewriter, anchor, np.ascontiguousarray(array.reshape(shape)), ty.element_type)
    target = i32_const(rewriter, anchor, [-1 if d == DYNAMIC_INDEX else d for d in shape])
    return emit1(rewriter, anchor, tfl.ReshapeOp, [value, target], like(value, shape))


def binary(
    rewriter: PatternRewriter,
    anchor: Operation,
    op_class: type[IRDLOperation],
    lhs: SSAValue,
    rhs: SSAValue,
    result_type: Attribute | None = None,
) -> SSAValue:
    """A tfl binary op (fused_activation_function NONE where it has one)."""
    props: dict[str, Attribute] = {}
    if "fused_activation_function" in op_class.get_irdl_definition().properties:
        props["fused_activation_function"] = NONE
    return emit1(rewriter, anchor, op_class, [lhs, rhs], result_type or broadcast_type(lhs, rhs), **props)


def unary(rewriter: PatternRewriter, anchor: Operation, op_class: type[Operation], x: SSAValue) -> SSAValue:
    """A tfl unary op with the operand's type."""
    return emit1(rewriter, anchor, op_class, [x], x.type)


def broadcast_type(lhs: SSAValue, rhs: SSAValue) -> TensorType:
    """The result type of a broadcasting binary op on `lhs` and `rhs`."""
    return tfl.broadcast_shape(tensor_type(lhs), tensor_type(rhs))


def zero_bias(rewriter: PatternRewriter, anchor: Operation, channels: int, like_value: SSAValue) -> SSAValue:
    """A zero bias vector of `channels` elements of `like_value`'s element type."""
    ty = ranked(like_value)
    assert ty is not None
    return const(rewriter, anchor, np.zeros((channels,), dtype=numpy_dtype(ty.element_type)), ty.element_type)


__all__ = [
    "NONE",
    "TFRewrite",
    "i32",
]
