"""Shared pieces of tflc's post-training quantization passes.

- which operand of which op is a weight, and on which axis it is quantized per channel;
- symmetric int8 weights and asymmetric int8 activations as `!quant.uniform` types;
- building `tfl.pseudo_qconst` constants.

The passes: `tfl-quantize-float16` and `tfl-quantize-dynamic-range`
(`quantize_weights.py`), `tfl-quantize-int8` (`quantize_int8.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Operation, SSAValue

from tflc.dialects import tfl
from tflc.dialects.quant import UniformQuantizedType, quantize
from tflc.dialects.tfl_traits import AffineWeights, trait_of
from tflc.tensors import compact, numpy_to_dense

INT8_NARROW = (-127, 127)  # symmetric weights: TFLite's int8 kernels expect zero point 0 and no -128


@dataclass(frozen=True)
class WeightOperand:
    """A weight operand of an op: its index and its per-channel axis (None: per tensor)."""

    index: int
    channel_axis: int | None


def weight_operand(op: Operation) -> WeightOperand | None:
    """The weight operand of an op (`AffineWeights` trait) and its per-channel axis, if it has one."""
    trait = trait_of(op, AffineWeights)
    if trait is None:
        return None
    return WeightOperand(_index(op, trait.filter), trait.channel_axis)


def bias_index(op: Operation) -> int | None:
    """The index of an op's bias operand (int32 in integer models), if it has one."""
    trait = trait_of(op, AffineWeights)
    return None if trait is None or trait.bias is None else _index(op, trait.bias)


def _index(op: Operation, name: str) -> int:
    return type(op).operand_index(name)  # type: ignore[attr-defined]


def float_constant(value: SSAValue) -> np.ndarray | None:
    """The array of a float32 tfl.pseudo_const, else None."""
    owner = value.owner
    if not isinstance(owner, tfl.ConstOp) or not isinstance(value.type, TensorType):
        return None
    if value.type.element_type != f32:
        return None
    from tflc.passes.common import constant_array

    return constant_array(value)


def symmetric_type(weights: np.ndarray, axis: int | None, bits: int = 8) -> UniformQuantizedType:
    """A symmetric narrow-range type for weights: scale = max|w| / 127 (per channel on `axis`)."""
    high = 2 ** (bits - 1) - 1
    distinct = compact(weights)  # a splat's peaks are its one element's
    if axis is None:
        peak = np.array([np.abs(distinct).max(initial=0.0)])
    else:
        other = tuple(d for d in range(weights.ndim) if d != axis)
        peak = np.abs(distinct).max(axis=other, initial=0.0).reshape(-1)
        peak = np.broadcast_to(peak, (weights.shape[axis],))
    scales = np.where(peak > 0, peak / high, 1.0)
    storage = {8: "i8", 16: "i16"}[bits]
    return UniformQuantizedType(
        storage, [float(s) for s in scales], axis=-1 if axis is None else axis, storage_range=(-high, high)
    )


def asymmetric_type(low: float, high: float, storage: str = "i8") -> UniformQuantizedType:
    """An activation type covering [low, high] (extended to contain 0) with an exact zero."""
    qmin, qmax = (-128, 127) if storage == "i8" else (0, 255)
    low, high = min(float(low), 0.0), max(float(high), 0.0)
    if high - low < 1e-9:
        high = low + 1e-3
    scale = float(np.float32((high - low) / (qmax - qmin)))
    zero_point = int(np.clip(np.round(qmin - low / scale), qmin, qmax))
    return UniformQuantizedType(storage, [scale], [zero_point])


def qconst(array: np.ndarray, qtype: UniformQuantizedType) -> tfl.QConstOp:
    """A tfl.pseudo_qconst holding `array` quantized to `qtype`."""
    stored = quantize(array, qtype)
    return tfl.QConstOp(TensorType(qtype, array.shape), numpy_to_dense(stored, qtype.storage_type))


