"""legalize-tf patterns for real FFTs: tf.RFFT2D -> tfl.rfft2d, and tf.RFFT as TensorFlow's
converter writes it (the signal given a unit row, a 2-D FFT of length [1, n], the row
dropped again). ComplexAbs, Real and Imag are one to one (`ONE_TO_ONE`).

TFLite's RFFT2D kernel takes float32 signals and power-of-two lengths only: an FFT of
float64, or of a constant length that is not a power of two, is left for the
unsupported-ops report (or Flex, whose kernel takes any length).
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, ArrayAttr, IntegerAttr, TensorType, i64
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from tflc.dialects import tf, tfl
from tflc.dialects.tfl_complex import is_power_of_two
from tflc.errors import describe_location
from tflc.passes.common import constant_array, insert_before
from tflc.passes.legalize_util import emit1, i32_const, like, ranked, replace_with


def _lengths_fit(lengths: SSAValue, count: int) -> bool:
    """Whether an fft_length operand holds `count` int32 lengths TFLite's kernel takes
    (powers of two when constant; a computed length is checked by the kernel)."""
    ty = ranked(lengths)
    if ty is None or ty.element_type != tfl.i32 or ty.get_shape() != (count,):
        return False
    array = constant_array(lengths)
    return array is None or all(is_power_of_two(int(n)) for n in array.reshape(-1))


def declined_fft(op: Operation) -> str | None:
    """Why a tf.RFFT/RFFT2D was left: a float64 signal or constant lengths not powers of two."""
    if not isinstance(op, tf.RealFFTOp):
        return None
    where = f"{op.name} at {describe_location(op.location)}"
    source = ranked(op.input)
    if source is not None and source.element_type != tfl.f32:
        return f"TFLite's RFFT2D kernel takes float32 signals, {where} has {source.element_type} (cast it)"
    lengths = constant_array(op.fft_length)
    if lengths is None or all(is_power_of_two(int(n)) for n in lengths.reshape(-1)):
        return None
    given = [int(n) for n in lengths.reshape(-1)]
    wanted = [1 << max(n - 1, 0).bit_length() for n in given]
    return (
        f"TFLite's RFFT2D kernel takes power-of-two FFT lengths, {where} has {given} "
        f"(fft_length {wanted} zero-pads the signal to the next ones)"
    )


class LegalizeRFFT2D(RewritePattern):
    """tf.RFFT2D -> tfl.rfft2d (float32 signals, power-of-two lengths)."""

    declined = staticmethod(declined_fft)

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.RFFT2DOp, rewriter: PatternRewriter) -> None:
        types = [op.input.type, op.fft_length.type]
        if not _lengths_fit(op.fft_length, 2) or not tfl.RFFT2dOp.accepts(types, [op.output.type]):
            return
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.RFFT2dOp, [op.input, op.fft_length], op.output.type)])


class LegalizeRFFT(RewritePattern):
    """tf.RFFT (1-D) -> tfl.rfft2d of the signal with a unit row before its last dim, of
    length [1, n], and that row dropped (a reshape when shapes are static)."""

    declined = staticmethod(declined_fft)

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.RFFTOp, rewriter: PatternRewriter) -> None:
        source, result = ranked(op.input), ranked(op.output)
        if source is None or result is None or not _lengths_fit(op.fft_length, 1):
            return
        signal_dims, spectrum_dims = _with_unit_row(source), _with_unit_row(result)
        if not tfl.RFFT2dOp.accepts(
            [like(op.input, signal_dims), op.fft_length.type], [like(op.output, spectrum_dims)]
        ):
            return
        signal = _insert_unit_row(rewriter, op, op.input, signal_dims)
        length = constant_array(op.fft_length)
        if length is not None:
            lengths = i32_const(rewriter, op, np.concatenate([[1], length.reshape(-1)]))
        else:
            unit = i32_const(rewriter, op, [1])
            concat = tfl.ConcatenationOp.build([unit, op.fft_length], [TensorType(tfl.i32, [2])], axis=0)
            lengths = insert_before(rewriter, op, concat).results[0]
        spectrum = emit1(rewriter, op, tfl.RFFT2dOp, [signal, lengths], like(op.output, spectrum_dims))
        replace_with(rewriter, op, [_drop_unit_row(rewriter, op, spectrum, result)])


def _with_unit_row(ty: TensorType) -> list[int]:
    """`ty`'s dims with a 1 inserted before the last one."""
    dims = list(ty.get_shape())
    return [*dims[:-1], 1, *dims[-1:]]


def _insert_unit_row(rewriter: PatternRewriter, op: Operation, value: SSAValue, dims: list[int]) -> SSAValue:
    """`value` with a unit dim before its last: a reshape when static, else an expand_dims."""
    if DYNAMIC_INDEX not in dims:
        return emit1(rewriter, op, tfl.ReshapeOp, [value, i32_const(rewriter, op, dims)], like(value, dims))
    return emit1(rewriter, op, tfl.ExpandDimsOp, [value, i32_const(rewriter, op, np.array(-2))], like(value, dims))


def _drop_unit_row(rewriter: PatternRewriter, op: Operation, value: SSAValue, result: TensorType) -> SSAValue:
    """`value` without the unit dim before its last: a reshape when static, else a squeeze."""
    dims = list(result.get_shape())
    if DYNAMIC_INDEX not in dims:
        return emit1(rewriter, op, tfl.ReshapeOp, [value, i32_const(rewriter, op, dims)], result)
    squeeze_dims = ArrayAttr([IntegerAttr(-2, i64)])
    return emit1(rewriter, op, tfl.SqueezeOp, [value], result, squeeze_dims=squeeze_dims)


COMPLEX_PATTERNS = (LegalizeRFFT2D, LegalizeRFFT)
