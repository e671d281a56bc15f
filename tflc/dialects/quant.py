"""The `quant` dialect: uniform quantized element types, printed as MLIR writes them.

    !quant.uniform<i8:f32, 0.0123>                     per-tensor, zero point 0
    !quant.uniform<i8:f32, 0.0235:-12>                 per-tensor with a zero point
    !quant.uniform<i8<-127:127>:f32:0, {0.1,0.2}>      per-axis (axis 0), narrow storage range
    !quant.uniform<u8:f32, 0.5:128>                    unsigned storage

A value `q` of storage type stands for the real number `scale * (q - zero_point)`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    FloatData,
    IntAttr,
    IntegerType,
    Signedness,
    TensorType,
    f32,
)
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

# Storage keywords as MLIR's quant dialect spells them, with their integer types.
_STORAGE: dict[str, IntegerType] = {
    "i8": IntegerType(8),
    "u8": IntegerType(8, Signedness.UNSIGNED),
    "i16": IntegerType(16),
    "i32": IntegerType(32),
}
_STORAGE_NAMES = {v: k for k, v in _STORAGE.items()}
_DTYPES = {"i8": np.int8, "u8": np.uint8, "i16": np.int16, "i32": np.int32}


def f32_round(value: float) -> float:
    """A scale rounded to float32, as the TFLite FlatBuffer stores it."""
    return float(np.float32(value))


def format_scale(value: float) -> str:
    """The shortest float32 spelling of a scale that the MLIR lexer reads as a float."""
    text = str(np.float32(value))
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    elif "." not in text and "e" not in text:
        text += ".0"
    return text


@irdl_attr_definition
class UniformQuantizedType(ParametrizedAttribute, TypeAttribute):
    """`!quant.uniform`: integer storage for real values `scale * (q - zero_point)`, per tensor or per axis."""

    name = "quant.uniform"

    storage_type: IntegerType
    storage_min: IntAttr
    storage_max: IntAttr
    expressed_type: Attribute
    quantized_dimension: IntAttr  # -1: one scale for the whole tensor
    scales: ArrayAttr[FloatData]
    zero_points: ArrayAttr[IntAttr]

    def __init__(
        self,
        storage: str | IntegerType,
        scales: Sequence[float],
        zero_points: Sequence[int] | None = None,
        *,
        axis: int = -1,
        storage_range: tuple[int, int] | None = None,
        expressed_type: Attribute = f32,
    ):
        storage_type = _STORAGE[storage] if isinstance(storage, str) else storage
        low, high = storage_range if storage_range is not None else full_range(storage_type)
        zero_points = [0] * len(scales) if zero_points is None else zero_points
        super().__init__(
            storage_type,
            IntAttr(int(low)),
            IntAttr(int(high)),
            expressed_type,
            IntAttr(int(axis)),
            ArrayAttr([FloatData(f32_round(s)) for s in scales]),
            ArrayAttr([IntAttr(int(z)) for z in zero_points]),
        )

    # -- accessors ----------------------------------------------------------------

    @property
    def storage_name(self) -> str:
        """The storage keyword (`i8`, `u8`, `i16`, `i32`)."""
        return _STORAGE_NAMES[self.storage_type]

    @property
    def axis(self) -> int | None:
        """The quantized dimension of a per-axis type, None for a per-tensor one."""
        return None if self.quantized_dimension.data < 0 else self.quantized_dimension.data

    @property
    def scale_values(self) -> list[float]:
        """The scales (one per channel for a per-axis type)."""
        return [s.data for s in self.scales.data]

    @property
    def zero_point_values(self) -> list[int]:
        """The zero points (one per channel for a per-axis type)."""
        return [z.data for z in self.zero_points.data]

    @property
    def range(self) -> tuple[int, int]:
        """The storage range, e.g. (-127, 127) for narrow-range weights."""
        return self.storage_min.data, self.storage_max.data

    def storage_dtype(self) -> np.dtype:
        """The numpy dtype of the stored integers."""
        return np.dtype(_DTYPES[self.storage_name])

    # -- text form ----------------------------------------------------------------

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        parser.parse_punctuation("<")
        keyword = parser.parse_identifier("storage type (i8, u8, i16, i32)")
        if keyword not in _STORAGE:
            parser.raise_error(f"unknown quantized storage type '{keyword}'; use one of {', '.join(_STORAGE)}")
        storage = _STORAGE[keyword]
        low, high = full_range(storage)
        if parser.parse_optional_punctuation("<") is not None:
            low = parser.parse_integer(allow_boolean=False)
            parser.parse_punctuation(":")
            high = parser.parse_integer(allow_boolean=False)
            parser.parse_punctuation(">")
        parser.parse_punctuation(":")
        expressed = parser.parse_type()
        axis = -1
        if parser.parse_optional_punctuation(":") is not None:
            axis = parser.parse_integer(allow_boolean=False, allow_negative=False)
        parser.parse_punctuation(",")
        if axis >= 0:
            pairs = parser.parse_comma_separated_list(parser.Delimiter.BRACES, lambda: _parse_scale(parser))
        else:
            pairs = [_parse_scale(parser)]
        parser.parse_punctuation(">")
        return (
            storage,
            IntAttr(low),
            IntAttr(high),
            expressed,
            IntAttr(axis),
            ArrayAttr([FloatData(f32_round(s)) for s, _ in pairs]),
            ArrayAttr([IntAttr(z) for _, z in pairs]),
        )

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<{self.storage_name}")
        if self.range != full_range(self.storage_type):
            printer.print_string(f"<{self.range[0]}:{self.range[1]}>")
        printer.print_string(":")
        printer.print_attribute(self.expressed_type)
        pairs = ",".join(
            format_scale(s) + (f":{z}" if z else "") for s, z in zip(self.scale_values, self.zero_point_values)
        )
        if self.axis is not None:
            printer.print_string(f":{self.axis}, {{{pairs}}}>")
        else:
            printer.print_string(f", {pairs}>")

    def verify(self) -> None:
        if self.storage_type not in _STORAGE_NAMES:
            raise VerifyException(f"quantized storage type must be one of {', '.join(_STORAGE)}")
        low, high = full_range(self.storage_type)
        if not low <= self.range[0] < self.range[1] <= high:
            raise VerifyException(f"storage range {self.range} is outside {self.storage_name}'s range")
        if len(self.scales.data) != len(self.zero_points.data) or not self.scales.data:
            raise VerifyException("a quantized type needs one zero point per scale")
        if self.axis is None and len(self.scales.data) != 1:
            raise VerifyException("a per-tensor quantized type has exactly one scale")
        if any(not s.data > 0 for s in self.scales.data):
            raise VerifyException("quantization scales must be positive")


def _parse_scale(parser: AttrParser) -> tuple[float, int]:
    """`scale` or `scale:zero_point`."""
    scale = parser.parse_float()
    zero_point = 0
    if parser.parse_optional_punctuation(":") is not None:
        zero_point = parser.parse_integer(allow_boolean=False)
    return scale, zero_point


def full_range(storage: IntegerType) -> tuple[int, int]:
    """The full range of an integer storage type."""
    bits = storage.width.data
    if storage.signedness.data == Signedness.UNSIGNED:
        return 0, 2**bits - 1
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def is_storage_type(ty: Attribute) -> bool:
    """Whether an integer type can store quantized values (i8, u8, i16, i32)."""
    return ty in _STORAGE_NAMES


def is_quantized(ty: Attribute) -> bool:
    """Whether an element type (or a tensor type's element type) is quantized."""
    if isinstance(ty, TensorType):
        ty = ty.element_type
    return isinstance(ty, UniformQuantizedType)


def quantized_element(ty: Attribute) -> UniformQuantizedType | None:
    """The quantized element type of a tensor type, or None."""
    element = ty.element_type if isinstance(ty, TensorType) else ty
    return element if isinstance(element, UniformQuantizedType) else None


def _broadcast_shape(qtype: UniformQuantizedType, rank: int) -> list[int]:
    shape = [1] * rank
    if qtype.axis is not None:
        shape[qtype.axis] = -1
    return shape


def quantize(values: np.ndarray, qtype: UniformQuantizedType) -> np.ndarray:
    """Real values to stored integers: round(x / scale) + zero_point, clamped to the storage range."""
    shape = _broadcast_shape(qtype, values.ndim)
    scales = np.asarray(qtype.scale_values, np.float64).reshape(shape)
    zero_points = np.asarray(qtype.zero_point_values, np.float64).reshape(shape)
    low, high = qtype.range
    dtype = qtype.storage_dtype()

    def stored(v: np.ndarray, s: np.ndarray, z: np.ndarray) -> np.ndarray:
        return np.clip(np.round(v.astype(np.float64) / s) + z, low, high).astype(dtype)

    from tflc.tensors import elementwise  # a splat stays a splat

    return elementwise(stored, values, scales, zero_points)


def dequantize(stored: np.ndarray, qtype: UniformQuantizedType) -> np.ndarray:
    """Stored integers to real values (float32)."""
    shape = _broadcast_shape(qtype, stored.ndim)
    scales = np.asarray(qtype.scale_values, np.float64).reshape(shape)
    zero_points = np.asarray(qtype.zero_point_values, np.float64).reshape(shape)

    def real(q: np.ndarray, s: np.ndarray, z: np.ndarray) -> np.ndarray:
        return ((q.astype(np.float64) - z) * s).astype(np.float32)

    from tflc.tensors import elementwise  # a splat stays a splat

    return elementwise(real, stored, scales, zero_points)


def storage_tensor_type(ty: TensorType) -> TensorType:
    """The integer tensor type holding a quantized tensor's values."""
    qtype = quantized_element(ty)
    assert qtype is not None
    return TensorType(qtype.storage_type, ty.get_shape())


QUANT = Dialect("quant", [], [UniformQuantizedType])
