"""TFLite's complex-number builtins: `tfl.rfft2d` and the complex_abs, real and imag ops.

TFLite's kernels (`tflite/kernels/rfft2d.cc`, `complex_support.cc`) take:

- RFFT2D: a float32 signal of rank >= 2 and a 2-element int32 `fft_length`, giving the
  complex64 half spectrum of its two innermost dims (`fft_length[1] // 2 + 1` bins in the
  last one); both lengths must be powers of two (checked when the interpreter prepares the
  op, so the lowering only makes the op for such constant lengths);
- REAL, IMAG, COMPLEX_ABS: complex64 to float32 or complex128 to float64, elementwise.

None of them has an options table (TensorFlow writes none).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import ComplexType, TensorType, UnrankedTensorType
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, result_def, traits_def
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from tflc.dialects.tfl import TFLOp
from tflc.dialects.tfl_traits import COMPLEX64, COMPLEX128, F32, F64, I32, NumpyFolder, element_kind, tensor

COMPONENT_KINDS: dict[str, str] = {COMPLEX64: F32, COMPLEX128: F64}
"""The element kind of the real and imaginary parts of each complex kind."""


def _rfft2d(signal: np.ndarray, fft_length: np.ndarray) -> np.ndarray:
    """RFFT2D of a constant: the innermost two dims cropped or zero-padded to `fft_length`."""
    rows, cols = (int(n) for n in fft_length.reshape(-1))
    batch = int(np.prod(signal.shape[:-2], dtype=np.int64))
    if rows <= 0 or cols <= 0 or batch * rows * cols > 1 << 22:
        raise ValueError(f"an RFFT2D of {rows}x{cols} points is left to run time")  # not folded
    return np.fft.rfft2(signal, s=(rows, cols), axes=(-2, -1)).astype(np.complex64)


def is_power_of_two(n: int) -> bool:
    """Whether `n` is a positive power of two (the FFT lengths TFLite's RFFT2D kernel takes)."""
    return n > 0 and n & (n - 1) == 0


class ComplexPartOp(TFLOp):
    """An elementwise map from complex numbers to their real components' type
    (complex64 -> float32, complex128 -> float64), shape unchanged."""

    input = operand_def(tensor(COMPLEX64, COMPLEX128))
    output = result_def(tensor(F32, F64))
    OPTIONS: ClassVar[str | None] = None

    def __init__(self, input: SSAValue | Operation, result_type: Attribute | None = None):
        value = input.results[0] if isinstance(input, Operation) else input
        if result_type is None:
            ty = value.type
            assert isinstance(ty, TensorType) and isinstance(ty.element_type, ComplexType)
            result_type = TensorType(ty.element_type.element_type, ty.get_shape())
        super().__init__(operands=[value], result_types=[result_type])

    def verify_(self) -> None:
        super().verify_()
        source, result = self.input.type, self.output.type
        assert isinstance(source, TensorType | UnrankedTensorType)
        assert isinstance(result, TensorType | UnrankedTensorType)
        source_kind, result_kind = element_kind(source.element_type), element_kind(result.element_type)
        if source_kind is not None and COMPONENT_KINDS.get(source_kind) != result_kind:
            raise VerifyException(
                f"the parts of {source_kind} numbers are {COMPONENT_KINDS.get(source_kind)}, not {result_kind}"
            )
        if isinstance(source, TensorType) and isinstance(result, TensorType):
            if not _compatible_shapes(source.get_shape(), result.get_shape()):
                raise VerifyException(f"result shape {list(result.get_shape())} differs from the operand's")


def _compatible_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return len(a) == len(b) and all(x == y or x < 0 or y < 0 for x, y in zip(a, b))


@irdl_op_definition
class ComplexAbsOp(ComplexPartOp):
    """`tfl.complex_abs`: |x| = sqrt(re(x)^2 + im(x)^2), elementwise."""

    name = "tfl.complex_abs"
    traits = traits_def(Pure(), NumpyFolder(np.abs))


@irdl_op_definition
class RealOp(ComplexPartOp):
    """`tfl.real`: the real part of each element."""

    name = "tfl.real"
    traits = traits_def(Pure(), NumpyFolder(np.real))


@irdl_op_definition
class ImagOp(ComplexPartOp):
    """`tfl.imag`: the imaginary part of each element."""

    name = "tfl.imag"
    traits = traits_def(Pure(), NumpyFolder(np.imag))


@irdl_op_definition
class RFFT2dOp(TFLOp):
    """`tfl.rfft2d`: the 2-D FFT of a real signal over its two innermost dims, keeping the
    `fft_length[1] // 2 + 1` non-negative frequencies of the last (cropped or zero-padded
    to `fft_length` first)."""

    name = "tfl.rfft2d"
    input = operand_def(tensor(F32, min_rank=2))
    fft_length = operand_def(tensor(I32, rank=1))
    output = result_def(tensor(COMPLEX64, min_rank=2))
    traits = traits_def(Pure(), NumpyFolder(_rfft2d, elementwise=False))
    OPTIONS: ClassVar[str | None] = None

    def verify_(self) -> None:
        super().verify_()
        source, lengths, result = self.input.type, self.fft_length.type, self.output.type
        if isinstance(lengths, TensorType) and lengths.get_shape()[0] not in (2, -1):
            raise VerifyException(f"fft_length must hold 2 lengths, got {lengths}")
        if isinstance(source, TensorType) and isinstance(result, TensorType):
            if source.get_num_dims() != result.get_num_dims():
                raise VerifyException(f"result rank {result.get_num_dims()} differs from the input's")
            if not _compatible_shapes(source.get_shape()[:-2], result.get_shape()[:-2]):
                raise VerifyException("result outer dims differ from the input's")


COMPLEX_OPS = (RFFT2dOp, ComplexAbsOp, RealOp, ImagOp)
