"""Quantization-aware training: `tf.FakeQuantWithMinMax{Args,Vars,VarsPerChannel}` become
quantization parameters on the tensors they guard, as TensorFlow's converter writes them.

- on an activation: `tfl.quantize` to `!quant.uniform<u8...>` then `tfl.dequantize` (TF's
  unsigned form; `tfl-quantize-int8` turns the pairs into int8 parameters);
- on a constant (trained weights): a `tfl.pseudo_qconst` of signed storage (the unsigned
  range shifted by 2^(num_bits-1), so symmetric narrow-range weights have zero point 0)
  then `tfl.dequantize`: the float model reads exactly the fake-quantized weights.
  Per-channel weights with a zero point other than 0 (an asymmetric range) become the
  float constant of their fake-quantized values: TFLite's per-channel DEQUANTIZE kernel
  assumes zero points of 0.

The scale and zero point are TensorFlow's FakeQuant kernel's: the range [min, max] is
nudged so that 0.0 is exactly representable (`nudged_parameters`). `num_bits` 2..8 and
`narrow_range` are kept in the storage range; a range narrower than the storage type's
(narrow_range, num_bits < 8) gets a clamp before the quantize so the values outside
[min, max] saturate as the FakeQuant op does. min/max must be constants (after
`freeze-variables`); otherwise the op is left for the unsupported-ops report.

`tf.QuantizeAndDequantizeV4` (and V2, which TensorFlow canonicalizes to V4) with constant
per-tensor min/max lowers the same way, as TensorFlow's converter does: the FakeQuant
parameters of [min, max], `num_bits` and `narrow_range` on uint8 storage; `signed_input`,
`range_given` and `round_mode` are not read (TF's pattern ignores them too). A per-axis
one (`axis` other than -1) is left for the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.quant import UniformQuantizedType
from tflc.dialects.tf import bool_attr
from tflc.errors import ConversionError, describe_location, op_display_name
from tflc.passes.common import const, constant_array, insert_before, tensor_type
from tflc.passes.legalize_util import TFRewrite, float_attr, int_attr, replace_with
from tflc.tensors import numpy_to_dense

NEAR_ZERO_RANGE = 1.0e-6
"""Ranges narrower than this are widened around 0 (TF's converter does, against huge quantized values)."""


@dataclass(frozen=True)
class FakeQuantParameters:
    """The nudged quantization of a FakeQuant op: per tensor (one entry) or per channel (last axis)."""

    scales: np.ndarray  # float32
    zero_points: np.ndarray  # int64, in the unsigned range [quant_min, quant_max]
    quant_min: int
    quant_max: int
    num_bits: int
    per_channel: bool

    @property
    def nudged_min(self) -> np.ndarray:
        """The lowest representable value of each channel."""
        return ((np.float32(self.quant_min) - self.zero_points.astype(np.float32)) * self.scales).astype(np.float32)

    @property
    def nudged_max(self) -> np.ndarray:
        """The highest representable value of each channel."""
        return ((np.float32(self.quant_max) - self.zero_points.astype(np.float32)) * self.scales).astype(np.float32)

    @property
    def full_range(self) -> bool:
        """Whether the storage range is all of uint8 (no clamp needed before a quantize)."""
        return self.quant_min == 0 and self.quant_max == 255

    def qtype(self, signed: bool, axis: int | None = None) -> UniformQuantizedType:
        """The `!quant.uniform` type: u8 (TF's form for activations) or i8 (shifted by 2^(bits-1))."""
        offset = 2 ** (self.num_bits - 1) if signed else 0
        storage = "i8" if signed else "u8"
        return UniformQuantizedType(
            storage,
            [float(s) for s in self.scales],
            [int(z) - offset for z in self.zero_points],
            axis=-1 if axis is None else axis,
            storage_range=(self.quant_min - offset, self.quant_max - offset),
        )


def nudged_parameters(
    low: np.ndarray, high: np.ndarray, num_bits: int, narrow_range: bool, per_channel: bool
) -> FakeQuantParameters:
    """TensorFlow's FakeQuant nudging, in float32 as its kernel computes it: scale = (max - min) /
    (quant_max - quant_min), zero point = round(quant_min - min / scale) clamped to the range."""
    quant_min, quant_max = (1 if narrow_range else 0), 2**num_bits - 1
    low = np.asarray(low, np.float32).reshape(-1)
    high = np.asarray(high, np.float32).reshape(-1)
    tiny = (high - low) <= NEAR_ZERO_RANGE
    low = np.where(tiny, np.minimum(low, np.float32(-NEAR_ZERO_RANGE / 2)), low).astype(np.float32)
    high = np.where(tiny, np.maximum(high, np.float32(NEAR_ZERO_RANGE / 2)), high).astype(np.float32)
    scales = ((high - low) / np.float32(quant_max - quant_min)).astype(np.float32)
    from_min = (np.float32(quant_min) - low / scales).astype(np.float32)
    rounded = np.sign(from_min) * np.floor(np.abs(from_min) + np.float32(0.5))  # std::round: half away from 0
    zero_points = np.clip(rounded, quant_min, quant_max).astype(np.int64)
    return FakeQuantParameters(scales, zero_points, quant_min, quant_max, num_bits, per_channel)


def quantized_steps(x: np.ndarray, params: FakeQuantParameters) -> np.ndarray:
    """The FakeQuant op's quantization of `x`: steps above the nudged minimum (0 .. quant_max - quant_min)."""
    scale = params.scales.astype(np.float32)
    low, high = params.nudged_min, params.nudged_max
    clamped = np.clip(x.astype(np.float32), low, high)
    inverse = (np.float32(1.0) / scale).astype(np.float32)  # TF's kernel multiplies by 1/scale (ties round alike)
    return np.floor((clamped - low) * inverse + np.float32(0.5)).astype(np.int64)


def fake_quant(x: np.ndarray, params: FakeQuantParameters) -> np.ndarray:
    """What the FakeQuant op computes (the numpy reference of the tests)."""
    steps = quantized_steps(x, params).astype(np.float32)
    return (steps * params.scales.astype(np.float32) + params.nudged_min).astype(np.float32)


QUANTIZE_DEQUANTIZE_OPS = ("tf.QuantizeAndDequantizeV2", "tf.QuantizeAndDequantizeV4")
"""The QuantizeAndDequantize versions TensorFlow's converter lowers as a FakeQuant (V2 via its canonical V4)."""


class LegalizeFakeQuant(TFRewrite):
    """tf.FakeQuantWithMinMax{Args,Vars,VarsPerChannel} and tf.QuantizeAndDequantizeV2/V4 ->
    tfl.quantize + tfl.dequantize (activations) or tfl.pseudo_qconst + tfl.dequantize (constants)."""

    OPS = (
        "tf.FakeQuantWithMinMaxArgs",
        "tf.FakeQuantWithMinMaxVars",
        "tf.FakeQuantWithMinMaxVarsPerChannel",
        *QUANTIZE_DEQUANTIZE_OPS,
    )

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x = op.operands[0]
        if not isinstance(x.type, TensorType) or x.type.element_type != f32:
            return
        if not isinstance(op.results[0].type, TensorType):
            return
        params = self.parameters(op)
        if params is None:
            return
        rank = x.type.get_num_dims()
        axis = rank - 1 if params.per_channel else None
        if params.per_channel and (rank == 0 or x.type.get_shape()[-1] != len(params.scales)):
            raise _bad(op, f"has {len(params.scales)} min/max values for a last dimension of {x.type.get_shape()[-1:]}")
        array = constant_array(x)
        if array is not None and params.per_channel and np.any(params.zero_points != 2 ** (params.num_bits - 1)):
            # TFLite's per-channel DEQUANTIZE takes zero points 0 only: asymmetric per-channel weights
            # become the float constant of their fake-quantized values (exact, unquantized).
            replace_with(rewriter, op, [const(rewriter, op, fake_quant(array, params))])
            return
        if array is not None:
            qtype = params.qtype(signed=True, axis=axis)
            offset = 2 ** (params.num_bits - 1)
            stored = (quantized_steps(array, params) + (params.quant_min - offset)).astype(np.int8)
            qconst = insert_before(
                rewriter, op, tfl.QConstOp(TensorType(qtype, array.shape), numpy_to_dense(stored, qtype.storage_type))
            )
            source = qconst.results[0]
        else:
            qtype = params.qtype(signed=False, axis=axis)
            if not params.full_range:
                x = _clamp(rewriter, op, x, params)
            quantize = tfl.QuantizeOp.build([x], [TensorType(qtype, tensor_type(x).get_shape())])
            source = insert_before(rewriter, op, quantize).results[0]
        dequantize = insert_before(rewriter, op, tfl.DequantizeOp.build([source], [op.results[0].type]))
        replace_with(rewriter, op, dequantize.results)

    @staticmethod
    def parameters(op: Operation) -> FakeQuantParameters | None:
        """The op's nudged parameters; None when min/max are not constants."""
        num_bits = int_attr(op, "num_bits", 8)
        narrow_range = bool_attr(op, "narrow_range", False)
        per_channel = op_display_name(op).endswith("PerChannel")
        if op_display_name(op) in QUANTIZE_DEQUANTIZE_OPS and int_attr(op, "axis", -1) != -1:
            return None  # per-axis: TF's pattern takes per-tensor ranges only
        low: np.ndarray
        high: np.ndarray
        if op_display_name(op).endswith("Args"):
            low = np.array(float_attr(op, "min", -6.0), np.float32)
            high = np.array(float_attr(op, "max", 6.0), np.float32)
        else:
            if len(op.operands) != 3:
                return None
            maybe_low, maybe_high = constant_array(op.operands[1]), constant_array(op.operands[2])
            if maybe_low is None or maybe_high is None:
                return None
            low, high = maybe_low, maybe_high
            if low.shape != high.shape or (not per_channel and low.size != 1):
                raise _bad(op, f"has min of shape {list(low.shape)} and max of shape {list(high.shape)}")
        if not 2 <= num_bits <= 8:
            return None  # 9..16 bits have no uint8 storage: left for the report (or Flex)
        if np.any(np.asarray(low) > np.asarray(high)):
            raise _bad(op, f"has min {np.asarray(low).tolist()} above max {np.asarray(high).tolist()}")
        if not (np.all(np.isfinite(low)) and np.all(np.isfinite(high))):
            raise _bad(op, "has a min or max that is not finite")
        return nudged_parameters(np.asarray(low), np.asarray(high), num_bits, narrow_range, per_channel)


def _clamp(rewriter: PatternRewriter, op: Operation, x: SSAValue, params: FakeQuantParameters) -> SSAValue:
    """x clamped to the nudged range (the storage range is narrower than uint8's)."""
    ty = tensor_type(x)
    shape = ty.get_shape()
    bound_shape = (shape[-1],) if params.per_channel else ()
    low = const(rewriter, op, params.nudged_min.reshape(bound_shape))
    high = const(rewriter, op, params.nudged_max.reshape(bound_shape))
    floor = insert_before(rewriter, op, tfl.MaximumOp.build([x, low], [ty])).results[0]
    return insert_before(rewriter, op, tfl.MinimumOp.build([floor, high], [ty])).results[0]


def _bad(op: Operation, problem: str) -> ConversionError:
    return ConversionError(
        f"{op_display_name(op)} at {describe_location(op.location)} {problem}; "
        "a FakeQuant op needs min <= max (one value each, or one per channel of the last dimension)"
    )


FAKE_QUANT_PATTERNS = (LegalizeFakeQuant,)
