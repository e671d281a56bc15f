"""Helpers shared by tflc's passes: constants as numpy, building tfl constants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, IntegerType, TensorType, UnrankedTensorType, i32
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriterListener
from xdsl.rewriter import InsertPoint

from tflc.dialects import tf, tfl
from tflc.tensors import astype, compact, dense_to_numpy, has_numpy_dtype, numpy_to_dense


def constant_array(value: SSAValue) -> np.ndarray | None:
    """The numpy value of a tfl.pseudo_const or tf.Const result, or None."""
    owner = value.owner
    if isinstance(owner, tfl.ConstOp | tf.ConstOp):
        attr = owner.value
        if isinstance(attr, DenseIntOrFPElementsAttr) and has_numpy_dtype(attr.get_element_type()):
            return dense_to_numpy(attr)  # (i4 and other types numpy lacks: not a known constant)
    return None


def int32_values(anchor: Operation, values: Sequence[int] | np.ndarray | int) -> np.ndarray:
    """`values` as int32 (TFLite's type for shapes, axes, sizes and counts), refusing a value
    that does not fit it, with the op it came from."""
    array = np.asarray(values)
    if array.dtype == np.int32:
        return array
    distinct = compact(array)
    if distinct.size and (
        not np.issubdtype(distinct.dtype, np.integer) and distinct.dtype != object
        or distinct.min() < -(1 << 31)
        or distinct.max() >= 1 << 31
    ):
        from tflc.errors import ConversionError, describe_location, op_display_name

        low, high = distinct.min(), distinct.max()
        got = f"{low}" if low == high else f"values from {low} to {high}"
        raise ConversionError(
            f"{describe_location(anchor.location)}: '{op_display_name(anchor)}' needs int32 values here "
            f"(TFLite's type for shapes, axes and sizes), got {got}"
        )
    return astype(array, np.dtype(np.int32))


def insert_before(
    rewriter: PatternRewriter, anchor: Operation, new: Operation
) -> Operation:
    """Insert `new` before `anchor`, giving it the anchor's location."""
    new.location = anchor.location
    rewriter.insert(new, InsertPoint.before(anchor))
    return new


def const(
    rewriter: PatternRewriter, anchor: Operation, array: np.ndarray, element: Attribute | None = None
) -> SSAValue:
    """A tfl.pseudo_const holding `array`, inserted before `anchor`."""
    return insert_before(rewriter, anchor, tfl.ConstOp(numpy_to_dense(array, element))).results[0]


def erase_unused_constants(rewriter: PatternRewriter, values: Iterable[SSAValue]) -> None:
    """Erase the constants among `values`' producers that lost their last use, so their
    data goes now rather than at the next DCE (a pass never holds old and new weights)."""
    owners = dict.fromkeys(v.owner for v in values if isinstance(v.owner, tfl.ConstOp | tf.ConstOp))
    for owner in owners:
        if not owner.results[0].uses:
            rewriter.erase(owner)


def set_operands(rewriter: PatternRewriter, op: Operation, operands: Sequence[SSAValue]) -> None:
    """Give `op` new operands, erasing constants it alone used."""
    old = list(op.operands)
    op.operands = operands
    rewriter.notify_op_modified(op)
    erase_unused_constants(rewriter, old)


def as_i32(rewriter: PatternRewriter, anchor: Operation, value: SSAValue) -> SSAValue:
    """`value` as an int32 tensor, as TFLite wants for shapes, axes and permutations."""
    ty = value.type
    assert isinstance(ty, TensorType | UnrankedTensorType)
    if ty.element_type == i32:
        return value
    if not isinstance(ty.element_type, IntegerType) or ty.element_type.width.data == 1:
        from tflc.errors import ConversionError, describe_location, op_display_name

        raise ConversionError(
            f"{describe_location(anchor.location)}: '{op_display_name(anchor)}' takes an integer tensor "
            f"(int32 or int64) for this operand, got {ty}"
        )
    array = constant_array(value)
    if array is not None:
        return const(rewriter, anchor, int32_values(anchor, array))
    wanted = TensorType(i32, ty.get_shape()) if isinstance(ty, TensorType) else UnrankedTensorType(i32)
    cast = tfl.CastOp.build([value], [wanted])
    return insert_before(rewriter, anchor, cast).results[0]


def tensor_type(value: SSAValue) -> TensorType:
    """The tensor type of a value."""
    ty = value.type
    assert isinstance(ty, TensorType)
    return ty


def is_tflite_numeric(ty: Attribute) -> bool:
    """Whether a type is a ranked tensor of numbers (what TFLite's math kernels take)."""
    from xdsl.dialects.builtin import AnyFloat

    return isinstance(ty, TensorType) and isinstance(ty.element_type, AnyFloat | IntegerType)


def release_erased_constants() -> PatternRewriterListener:
    """A listener dropping the data of constants as they are erased.

    Erased ops sit in reference cycles that only Python's cyclic GC frees; releasing
    their data at once keeps a pass from holding old and new weights together.
    """

    def release(op: Operation) -> None:
        if isinstance(op, tfl.ConstOp | tf.ConstOp):
            op.properties.pop("value", None)
            op.attributes.pop("value", None)

    return PatternRewriterListener(operation_removal_handler=[release])
