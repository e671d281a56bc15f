"""Folding through quantized constants (`tfl.dequantize` of a `tfl.pseudo_qconst`), as the
weights of quantization-aware trained models are: a transpose or reshape of one is a
re-laid quantized constant (the quantized axis follows), and a per-channel `mul` after an
affine op whose weights are one scales the weights' scales (the stored integers stay, a
negative factor mirrors them around the zero point), so the trained quantization is kept
exactly. Used by `tfl-fold-constants` and `tfl-fuse-affine`.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import NoneType, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from tflc.dialects import tfl
from tflc.dialects.quant import UniformQuantizedType, quantized_element
from tflc.dialects.tfl_traits import AffineWeights
from tflc.passes import stats
from tflc.passes.common import const, constant_array, erase_unused_constants, insert_before, set_operands, tensor_type
from tflc.tensors import dense_to_numpy, numpy_to_dense


def dequantized_constant(value: SSAValue) -> tuple[np.ndarray, UniformQuantizedType] | None:
    """(stored integers, their type) when `value` is `tfl.dequantize` of a `tfl.pseudo_qconst`."""
    dequantize = value.owner
    if not isinstance(dequantize, tfl.DequantizeOp):
        return None
    qconst = dequantize.input.owner
    if not isinstance(qconst, tfl.QConstOp):
        return None
    qtype = quantized_element(qconst.output.type)
    if qtype is None:
        return None
    return dense_to_numpy(qconst.value), qtype


def dequantized(
    rewriter: PatternRewriter, anchor: Operation, stored: np.ndarray, qtype: UniformQuantizedType
) -> SSAValue:
    """`tfl.dequantize` of a new `tfl.pseudo_qconst` holding `stored`, inserted before `anchor`."""
    data = numpy_to_dense(np.ascontiguousarray(stored), qtype.storage_type)
    qconst = insert_before(rewriter, anchor, tfl.QConstOp(TensorType(qtype, stored.shape), data))
    result_type = TensorType(qtype.expressed_type, stored.shape)
    return insert_before(rewriter, anchor, tfl.DequantizeOp.build([qconst.results[0]], [result_type])).results[0]


def _with_axis(qtype: UniformQuantizedType, axis: int | None) -> UniformQuantizedType:
    return UniformQuantizedType(
        qtype.storage_type,
        qtype.scale_values,
        qtype.zero_point_values,
        axis=-1 if axis is None else axis,
        storage_range=qtype.range,
        expressed_type=qtype.expressed_type,
    )


def _erase_dead_dequantize(rewriter: PatternRewriter, value: SSAValue) -> None:
    """Erase a dequantize and its qconst once nothing reads them."""
    dequantize = value.owner
    if isinstance(dequantize, tfl.DequantizeOp) and not dequantize.output.uses:
        qconst = dequantize.input.owner
        rewriter.erase(dequantize)
        if isinstance(qconst, tfl.QConstOp) and not qconst.output.uses:
            rewriter.erase(qconst)


class FoldTransposeOfQuantized(RewritePattern):
    """transpose(dequantize(qconst), perm) -> dequantize(qconst transposed), the quantized axis permuted."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.TransposeOp, rewriter: PatternRewriter) -> None:
        source = dequantized_constant(op.input)
        perm = constant_array(op.perm)
        if source is None or perm is None:
            return
        stored, qtype = source
        order = [int(p) for p in perm.reshape(-1)]
        if sorted(order) != list(range(stored.ndim)):
            return
        axis = None if qtype.axis is None else order.index(qtype.axis)
        value = dequantized(rewriter, op, np.transpose(stored, order), _with_axis(qtype, axis))
        old = op.input
        rewriter.replace(op, [], [value])
        _erase_dead_dequantize(rewriter, old)
        stats.record("folded tfl.transpose of a quantized constant")


class FoldReshapeOfQuantized(RewritePattern):
    """reshape(dequantize(qconst)) -> dequantize(qconst reshaped) when the quantized axis keeps its place."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.ReshapeOp, rewriter: PatternRewriter) -> None:
        source = dequantized_constant(op.input)
        if source is None or not isinstance(op.output.type, TensorType):
            return
        shape = tuple(op.output.type.get_shape())
        stored, qtype = source
        if any(d < 0 for d in shape) or int(np.prod(shape)) != stored.size:
            return
        axis = None
        if qtype.axis is not None and len(qtype.scale_values) > 1:  # one channel: per tensor
            axis = _same_axis(stored.shape, shape, qtype.axis)
            if axis is None:
                return
        value = dequantized(rewriter, op, stored.reshape(shape), _with_axis(qtype, axis))
        old = op.input
        rewriter.replace(op, [], [value])
        _erase_dead_dequantize(rewriter, old)
        stats.record("folded tfl.reshape of a quantized constant")


def _same_axis(old: tuple[int, ...], new: tuple[int, ...], axis: int) -> int | None:
    """The axis of `new` that indexes the same elements as `axis` of `old`, if there is one."""
    before, size = int(np.prod(old[:axis])), old[axis]
    for i, d in enumerate(new):
        if d == size and int(np.prod(new[:i])) == before:
            return i
    return None


def fuse_into_quantized(
    op: tfl.MulOp | tfl.AddOp,
    producer: Operation,
    trait: AffineWeights,
    vector: np.ndarray,
    other: SSAValue,
    rewriter: PatternRewriter,
) -> bool:
    """affine(x, dequantize(W)) * f per output channel -> affine with W's scales times |f|
    (stored integers mirrored around the zero point where f < 0) and the bias times f;
    affine(x, dequantize(W)) + c -> the bias plus c."""
    assert trait.bias is not None and trait.channel_axis is not None
    filter_index = type(producer).operand_index(trait.filter)  # type: ignore[attr-defined]
    bias_index = type(producer).operand_index(trait.bias)  # type: ignore[attr-defined]
    source = dequantized_constant(producer.operands[filter_index])
    if source is None:
        return False
    stored, qtype = source
    axis = trait.channel_axis
    channels = vector.size
    if stored.ndim <= axis or stored.shape[axis] != channels:
        return False
    if qtype.expressed_type != tensor_type(op.output).element_type:
        return False
    if qtype.axis is not None and qtype.axis != axis:
        return False
    bias_value = producer.operands[bias_index]
    if isinstance(bias_value.type, NoneType):
        bias = np.zeros(channels, np.float32)
    else:
        maybe = constant_array(bias_value)
        if maybe is None:
            return False
        bias = maybe
    old_weights = producer.operands[filter_index]
    if isinstance(op, tfl.AddOp):
        new_weights, new_bias = old_weights, bias + vector
        stats.record(f"folded add into {producer.name} bias")
    else:
        built = _scaled(rewriter, producer, stored, qtype, axis, vector)
        if built is None:
            return False
        new_weights, new_bias = built, bias * vector
        stats.record(f"folded mul into {producer.name} quantized weights")
    operands = list(producer.operands)
    operands[filter_index] = new_weights
    operands[bias_index] = const(rewriter, producer, np.ascontiguousarray(new_bias.astype(np.float32)))
    set_operands(rewriter, producer, operands)
    rewriter.replace(op, [], [producer.results[0]])
    erase_unused_constants(rewriter, [other, bias_value])
    if old_weights is not new_weights:
        _erase_dead_dequantize(rewriter, old_weights)
    return True


def _scaled(
    rewriter: PatternRewriter,
    producer: Operation,
    stored: np.ndarray,
    qtype: UniformQuantizedType,
    axis: int,
    vector: np.ndarray,
) -> SSAValue | None:
    """dequantize(W) * f along `axis` as a new quantized constant (None if it would not fit)."""
    channels = vector.size
    factor = vector.astype(np.float64)
    scales = np.broadcast_to(np.asarray(qtype.scale_values, np.float64), (channels,))
    zeros = np.broadcast_to(np.asarray(qtype.zero_point_values, np.int64), (channels,))
    new_scales = np.where(factor == 0, scales, scales * np.abs(factor))
    shape = [1] * stored.ndim
    shape[axis] = channels
    wide = stored.astype(np.int64)
    zero_b = zeros.reshape(shape)
    new_stored = np.where(factor.reshape(shape) < 0, 2 * zero_b - wide, wide)
    new_stored = np.where(factor.reshape(shape) == 0, np.broadcast_to(zero_b, wide.shape), new_stored)
    low, high = qtype.range
    if new_stored.min(initial=low) < low or new_stored.max(initial=high) > high:
        return None  # a mirrored value leaves the storage range: keep the mul
    per_tensor = qtype.axis is None and np.all(new_scales == new_scales[0])
    new_type = UniformQuantizedType(
        qtype.storage_type,
        [float(new_scales[0])] if per_tensor else [float(s) for s in new_scales],
        [int(zeros[0])] if per_tensor else [int(z) for z in zeros],
        axis=-1 if per_tensor else axis,
        storage_range=qtype.range,
        expressed_type=qtype.expressed_type,
    )
    return dequantized(rewriter, producer, new_stored.astype(stored.dtype), new_type)


QUANTIZED_FOLD_PATTERNS = (FoldTransposeOfQuantized, FoldReshapeOfQuantized)
