"""Shape rules of tf convolution, pooling, normalization and shape-manipulation ops.

Used by `tf-shape-inference`: each rule gives the result dims an op's operand types and
constant operands imply (DYNAMIC_INDEX where they do not tell), or None when it cannot
tell the rank. Frozen TF1 GraphDefs carry no `_output_shapes`, so these ops need them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, ArrayAttr, IntegerAttr, TensorType
from xdsl.ir import Attribute, Operation, SSAValue

from tflc.dialects import tf
from tflc.dialects.tf import bool_attr, str_attr
from tflc.passes.common import constant_array

Dims = tuple[int, ...]

__all__ = ["SHAPE_RULES", "MULTI_RESULT_RULES", "shape_constant"]


# More elements than any shape, axis list or paddings of a real tensor holds (TF allows rank 254).
MAX_SHAPE_CONSTANT = 1 << 12


def shape_constant(value: SSAValue) -> np.ndarray | None:
    """A constant operand a shape rule reads (a shape, axes, paddings), or None when it is not
    constant or holds more elements than any tensor has dimensions (a corrupt model's splat)."""
    array = constant_array(value)
    return array if array is not None and array.size <= MAX_SHAPE_CONSTANT else None


def _dims(ty: Attribute) -> Dims | None:
    return ty.get_shape() if isinstance(ty, TensorType) else None


def _ints(op: Operation, name: str, default: Sequence[int] = ()) -> list[int]:
    """A TF list(int) attribute (`strides = [1, 2, 2, 1]`)."""
    attr = op.attributes.get(name)
    if isinstance(attr, ArrayAttr):
        return [a.value.data for a in attr.data if isinstance(a, IntegerAttr)]
    return list(default)


def _int(op: Operation, name: str, default: int = 0) -> int:
    attr = op.attributes.get(name)
    return attr.value.data if isinstance(attr, IntegerAttr) else default


def _window(size: int, kernel: int, stride: int, dilation: int, padding: str) -> int:
    """The output size of a window along one dim (TF's SAME/VALID rule)."""
    if size == DYNAMIC_INDEX or kernel == DYNAMIC_INDEX:
        return DYNAMIC_INDEX
    if padding == "SAME":
        return -(-size // stride)
    effective = (kernel - 1) * dilation + 1
    return max(0, -(-(size - effective + 1) // stride))


def _spatial(op: Operation, source: Dims, kernel_hw: tuple[int, int], channels: int) -> Dims | None:
    """NHWC output dims of a 2-D window op."""
    padding = str_attr(op, "padding", "VALID")
    if str_attr(op, "data_format", "NHWC") != "NHWC" or len(source) != 4 or padding not in ("SAME", "VALID"):
        return None
    strides = _ints(op, "strides", (1, 1, 1, 1))
    dilations = _ints(op, "dilations", (1, 1, 1, 1))
    if len(strides) != 4 or len(dilations) != 4:
        return None
    height = _window(source[1], kernel_hw[0], strides[1], dilations[1], padding)
    width = _window(source[2], kernel_hw[1], strides[2], dilations[2], padding)
    return (source[0], height, width, channels)


def _conv2d(op: Operation) -> Dims | None:
    source, kernel = _dims(op.operands[0].type), _dims(op.operands[1].type)
    if source is None or kernel is None or len(kernel) != 4:
        return None
    return _spatial(op, source, (kernel[0], kernel[1]), kernel[3])


def _depthwise(op: Operation) -> Dims | None:
    source, kernel = _dims(op.operands[0].type), _dims(op.operands[1].type)
    if source is None or kernel is None or len(kernel) != 4:
        return None
    channels = DYNAMIC_INDEX if DYNAMIC_INDEX in (kernel[2], kernel[3]) else kernel[2] * kernel[3]
    return _spatial(op, source, (kernel[0], kernel[1]), channels)


def _pool(op: Operation) -> Dims | None:
    source = _dims(op.operands[0].type)
    ksize = _ints(op, "ksize")
    if source is None or len(ksize) != 4 or len(source) != 4:
        return None
    saved = op.attributes.get("dilations")
    return _spatial(op, source, (ksize[1], ksize[2]), source[3]) if saved is None else None


def _batch_norm(op: Operation) -> list[Dims | None]:
    x, scale = _dims(op.operands[0].type), _dims(op.operands[1].type)
    return [x, *([scale] * (len(op.results) - 1))]


def _expand_dims(op: Operation) -> Dims | None:
    source, axis = _dims(op.operands[0].type), shape_constant(op.operands[1])
    if source is None or axis is None or axis.size != 1:
        return None
    position = int(axis.reshape(-1)[0])
    if position < 0:
        position += len(source) + 1
    return (*source[:position], 1, *source[position:])


def _squeeze(op: Operation) -> Dims | None:
    source = _dims(op.operands[0].type)
    if source is None:
        return None
    axes = {a % len(source) for a in _ints(op, "squeeze_dims")} if source else set()
    if not axes:
        if DYNAMIC_INDEX in source:
            return None
        axes = {i for i, d in enumerate(source) if d == 1}
    return tuple(d for i, d in enumerate(source) if i not in axes)


def _pad(op: Operation) -> Dims | None:
    source, paddings = _dims(op.operands[0].type), shape_constant(op.operands[1])
    if source is None or paddings is None or paddings.shape != (len(source), 2):
        return None
    return tuple(DYNAMIC_INDEX if d == DYNAMIC_INDEX else d + int(a) + int(b) for d, (a, b) in zip(source, paddings))


def _slice(op: Operation) -> Dims | None:
    source = _dims(op.operands[0].type)
    begin, size = shape_constant(op.operands[1]), shape_constant(op.operands[2])
    if source is None or size is None or size.size != len(source):
        return None
    dims = []
    for i, n in enumerate(int(v) for v in size.reshape(-1)):
        if n >= 0:
            dims.append(n)
        elif begin is None or source[i] == DYNAMIC_INDEX:
            dims.append(DYNAMIC_INDEX)
        else:
            dims.append(source[i] - int(begin.reshape(-1)[i]))
    return tuple(dims)


def _strided_slice(op: Operation) -> Dims | None:
    source = _dims(op.operands[0].type)
    arrays = [shape_constant(v) for v in op.operands[1:]]
    if source is None or any(a is None for a in arrays):
        return None
    if _int(op, "ellipsis_mask") or _int(op, "new_axis_mask"):
        return None
    begin, end, strides = (np.asarray(a).reshape(-1).tolist() for a in arrays)
    begin_mask, end_mask, shrink = _int(op, "begin_mask"), _int(op, "end_mask"), _int(op, "shrink_axis_mask")
    dims: list[int] = []
    for i, size in enumerate(source):
        if i >= len(begin):
            dims.append(size)
            continue
        if shrink & (1 << i):
            continue
        if size == DYNAMIC_INDEX:
            full = begin_mask & (1 << i) and end_mask & (1 << i) and strides[i] == 1
            dims.append(DYNAMIC_INDEX if not full else size)
            continue
        start = None if begin_mask & (1 << i) else int(begin[i])
        stop = None if end_mask & (1 << i) else int(end[i])
        dims.append(len(range(*slice(start, stop, int(strides[i])).indices(size))))
    return tuple(dims)


def _broadcast_all(shapes: list[Dims | None]) -> Dims | None:
    from tflc.passes.shape_inference import _broadcast

    if any(s is None for s in shapes):
        return None
    out: Dims | None = shapes[0]
    for shape in shapes[1:]:
        out = None if out is None else _broadcast(out, shape)  # type: ignore[arg-type]
    return out


def _select_v2(op: Operation) -> Dims | None:
    return _broadcast_all([_dims(v.type) for v in op.operands])


def _tile(op: Operation) -> Dims | None:
    source, multiples = _dims(op.operands[0].type), shape_constant(op.operands[1])
    if source is None or multiples is None or multiples.size != len(source):
        return None
    return tuple(DYNAMIC_INDEX if d == DYNAMIC_INDEX else d * int(m) for d, m in zip(source, multiples.reshape(-1)))


def _fill(op: Operation) -> Dims | None:
    dims = shape_constant(op.operands[0])
    return None if dims is None else tuple(int(d) for d in dims.reshape(-1))


def _resize(op: Operation) -> Dims | None:
    source, size = _dims(op.operands[0].type), shape_constant(op.operands[1])
    if source is None or size is None or len(source) != 4 or size.size != 2:
        return None
    height, width = (int(v) for v in size.reshape(-1))
    return (source[0], height, width, source[3])


def _pack(op: Operation) -> Dims | None:
    shapes = [_dims(v.type) for v in op.operands]
    if not shapes or any(s is None for s in shapes):
        return None
    first = shapes[0]
    assert first is not None
    axis = _int(op, "axis")
    if axis < 0:
        axis += len(first) + 1
    return (*first[:axis], len(shapes), *first[axis:])


def _gather(op: Operation) -> Dims | None:
    params, indices, axis = _dims(op.operands[0].type), _dims(op.operands[1].type), shape_constant(op.operands[2])
    if params is None or indices is None or axis is None or _int(op, "batch_dims"):
        return None
    a = int(axis.reshape(-1)[0]) % len(params) if params else 0
    return (*params[:a], *indices, *params[a + 1:])


def _batch_matmul(op: Operation) -> Dims | None:
    a, b = _dims(op.operands[0].type), _dims(op.operands[1].type)
    if a is None or b is None or len(a) < 2 or len(b) < 2:
        return None
    batch = _broadcast_all([a[:-2], b[:-2]])
    if batch is None:
        return None
    rows = a[-1] if bool_attr(op, "adj_x") else a[-2]
    cols = b[-2] if bool_attr(op, "adj_y") else b[-1]
    return (*batch, rows, cols)


def _real_fft(op: Operation) -> Dims | None:
    """RFFT/RFFT2D: the innermost dims become `fft_length`, the last one halved plus one
    (dynamic for a computed length of known size)."""
    source, lengths, count = _dims(op.operands[0].type), shape_constant(op.operands[1]), _dims(op.operands[1].type)
    if source is None or count is None or len(count) != 1 or not 0 < count[0] <= len(source):
        return None
    outer = source[: len(source) - count[0]]
    if lengths is None:
        return (*outer, *[DYNAMIC_INDEX] * count[0])
    inner = [int(n) for n in lengths.reshape(-1)]
    return (*outer, *inner[:-1], inner[-1] // 2 + 1)


SHAPE_RULES: dict[type[Operation], Callable[[Operation], Dims | None]] = {
    tf.Conv2DOp: _conv2d,
    tf.DepthwiseConv2dNativeOp: _depthwise,
    tf.MaxPoolOp: _pool,
    tf.AvgPoolOp: _pool,
    tf.ExpandDimsOp: _expand_dims,
    tf.SqueezeOp: _squeeze,
    tf.PadOp: _pad,
    tf.MirrorPadOp: _pad,
    tf.PadV2Op: _pad,
    tf.SliceOp: _slice,
    tf.StridedSliceOp: _strided_slice,
    tf.SelectV2Op: _select_v2,
    tf.TileOp: _tile,
    tf.FillOp: _fill,
    tf.ResizeBilinearOp: _resize,
    tf.ResizeNearestNeighborOp: _resize,
    tf.PackOp: _pack,
    tf.GatherV2Op: _gather,
    tf.BatchMatMulV2Op: _batch_matmul,
    tf.RFFTOp: _real_fft,
    tf.RFFT2DOp: _real_fft,
}

MULTI_RESULT_RULES: dict[type[Operation], Callable[[Operation], list[Dims | None]]] = {
    tf.FusedBatchNormOp: _batch_norm,
    tf.FusedBatchNormV3Op: _batch_norm,
}
