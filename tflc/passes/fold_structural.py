"""Constant folding of the data-movement ops (concatenation, pack, slices, gather, tile,
fill, range, broadcast_to) and of float matrix products (fully_connected, batch_matmul):
with constant operands they become constants, under `tfl-fold-constants`' size rule (a
result over FOLD_ALWAYS_BELOW elements is folded only when no larger than its largest
input), so constant subgraphs such as rotary embedding tables or position buckets fold
whatever ops they are built of."""

from __future__ import annotations

import math

import numpy as np
from xdsl.dialects.builtin import BoolAttr, IntegerAttr, StringAttr, TensorType
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from tflc.dialects import tfl
from tflc.dialects.tfl_traits import activation_fn
from tflc.passes import stats
from tflc.passes.common import const, constant_array, erase_unused_constants, tensor_type
from tflc.tensors import astype, compact, numpy_dtype

from tflc.passes.optimize import FOLD_ALWAYS_BELOW  # noqa: E402  (the same size rule)


def _prop_int(op: Operation, name: str, default: int = 0) -> int:
    attr = op.properties.get(name)
    return attr.value.data if isinstance(attr, IntegerAttr) else default


def _strided_slice(x: np.ndarray, op: tfl.StridedSliceOp, begin, end, strides) -> np.ndarray | None:
    if (
        _prop_int(op, "ellipsis_mask")
        or _prop_int(op, "new_axis_mask")
        or op.properties.get("offset") == BoolAttr.from_bool(True)
    ):
        return None
    bm, em, sm = (_prop_int(op, k) for k in ("begin_mask", "end_mask", "shrink_axis_mask"))
    index: list[slice | int] = []
    for i, (b, e, s) in enumerate(zip(begin.reshape(-1), end.reshape(-1), strides.reshape(-1))):
        if (sm >> i) & 1:
            index.append(int(b))
            continue
        index.append(slice(None if (bm >> i) & 1 else int(b), None if (em >> i) & 1 else int(e), int(s)))
    return x[tuple(index)]


def fold_value(op: Operation) -> np.ndarray | None:
    """The value of a data-movement op whose operands are all constants, or None."""
    if isinstance(op, tfl.FullyConnectedOp):
        return _fully_connected(op)
    maybe = [constant_array(v) for v in op.operands]
    arrays: list[np.ndarray] = [a for a in maybe if a is not None]
    if not arrays or len(arrays) != len(maybe):
        return None
    if isinstance(op, tfl.ConcatenationOp):
        return np.concatenate(arrays, _prop_int(op, "axis"))
    if isinstance(op, tfl.PackOp):
        return np.stack(arrays, _prop_int(op, "axis"))
    if isinstance(op, tfl.BatchMatMulOp):
        x, y = arrays
        if op.properties.get("adj_x") == BoolAttr.from_bool(True):
            x = np.swapaxes(x, -1, -2)
        if op.properties.get("adj_y") == BoolAttr.from_bool(True):
            y = np.swapaxes(y, -1, -2)
        return np.matmul(x, y) if x.dtype == np.float32 else None
    if isinstance(op, tfl.StridedSliceOp):
        return _strided_slice(arrays[0], op, *arrays[1:4])
    if isinstance(op, tfl.SliceOp):
        x, begin, size = arrays
        return x[tuple(slice(int(b), None if s < 0 else int(b) + int(s)) for b, s in zip(begin, size))]
    if isinstance(op, tfl.GatherOp):
        if _prop_int(op, "batch_dims"):
            return None
        params, indices = arrays
        axis = _prop_int(op, "axis")
        if np.any(indices < 0) or np.any(indices >= params.shape[axis]):
            return None  # out of range: left to the runtime's error
        return np.take(params, indices, axis=axis)
    if isinstance(op, tfl.TileOp):
        if compact(arrays[0]).size == 1:  # tiling one value is a splat
            multiples = [int(m) for m in arrays[1].reshape(-1)]
            if len(multiples) != arrays[0].ndim or min(multiples, default=0) < 0:
                return None
            shape = tuple(d * m for d, m in zip(arrays[0].shape, multiples))
            return np.broadcast_to(arrays[0].reshape(-1)[:1].reshape(()), shape)
        return np.tile(arrays[0], arrays[1])
    if isinstance(op, tfl.FillOp):  # one value: a splat (a broadcast view)
        return np.broadcast_to(arrays[1].reshape(()), tuple(int(d) for d in arrays[0].reshape(-1)))
    if isinstance(op, tfl.BroadcastToOp):
        return np.broadcast_to(arrays[0], arrays[1])
    if isinstance(op, tfl.RangeOp):
        start, limit, delta = (a.item() for a in arrays)
        if delta == 0:
            raise ValueError("tfl.range with delta 0")  # TFLite refuses it at run time: not folded
        count = max(0, math.ceil((limit - start) / delta))
        if [count] != list(tensor_type(op.results[0]).get_shape()):
            raise ValueError(f"tfl.range of {count} elements")  # not the declared shape: not folded
        return np.arange(start, limit, delta)
    return None


def _fully_connected(op: tfl.FullyConnectedOp) -> np.ndarray | None:
    x, w = constant_array(op.operands[0]), constant_array(op.operands[1])
    bias = None if isinstance(op.operands[2].owner, tfl.NoValueOp) else constant_array(op.operands[2])
    if x is None or w is None or (bias is None and not isinstance(op.operands[2].owner, tfl.NoValueOp)):
        return None
    if x.dtype != np.float32 or w.dtype != np.float32 or w.ndim != 2:
        return None
    value = x.reshape(-1, w.shape[1]) @ w.T
    if bias is not None:
        value = value + bias
    activation = op.properties.get("fused_activation_function")
    if isinstance(activation, StringAttr):
        value = activation_fn(activation.data)(value)
    return value.reshape(tensor_type(op.results[0]).get_shape())


FOLDED = (
    tfl.ConcatenationOp,
    tfl.PackOp,
    tfl.StridedSliceOp,
    tfl.SliceOp,
    tfl.GatherOp,
    tfl.TileOp,
    tfl.FillOp,
    tfl.BroadcastToOp,
    tfl.RangeOp,
    tfl.FullyConnectedOp,
    tfl.BatchMatMulOp,
)


class FoldDataMovement(RewritePattern):
    """A data-movement op with constant operands becomes a constant (within the size rule)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, FOLDED) or len(op.results) != 1 or not isinstance(op.results[0].type, TensorType):
            return
        if not all(isinstance(v.owner, tfl.ConstOp | tfl.NoValueOp) for v in op.operands):
            return
        out_type = tensor_type(op.results[0])
        shape = out_type.get_shape()
        if any(d < 0 for d in shape):
            return
        size = int(np.prod(shape, dtype=np.int64))
        inputs = [constant_array(v) for v in op.operands]
        if size > FOLD_ALWAYS_BELOW and size > max((a.size for a in inputs if a is not None), default=0):
            return
        try:
            value = fold_value(op)
        except ValueError:  # operands the op would refuse at run time (negative dims, ...)
            return
        if value is None:
            return
        array = astype(np.asarray(value), numpy_dtype(out_type.element_type))
        if array.shape != tuple(shape):
            return
        operands = list(op.operands)
        rewriter.replace(op, [], [const(rewriter, op, array, out_type.element_type)])
        erase_unused_constants(rewriter, operands)
        stats.record(f"folded {op.name}")


def split_values(op: Operation) -> list[np.ndarray] | None:
    """The pieces of a tfl.split / split_v / unpack of a constant, or None."""
    if isinstance(op, tfl.SplitOp):
        value, dim = constant_array(op.value), constant_array(op.split_dim)
        if value is None or dim is None:
            return None
        return np.split(value, _prop_int(op, "num_splits"), axis=int(dim.reshape(-1)[0]))
    if isinstance(op, tfl.SplitVOp):
        value, sizes, dim = constant_array(op.value), constant_array(op.size_splits), constant_array(op.split_dim)
        if value is None or sizes is None or dim is None or np.any(sizes < 0):
            return None  # (a -1 size: the shapes of the results say it; left to the runtime)
        return np.split(value, np.cumsum(sizes)[:-1], axis=int(dim.reshape(-1)[0]))
    if isinstance(op, tfl.UnpackOp):
        value = constant_array(op.input)
        if value is None:
            return None
        axis = _prop_int(op, "axis")
        return [np.take(value, i, axis=axis) for i in range(value.shape[axis])]
    return None


class FoldSplit(RewritePattern):
    """A split, split_v or unpack of a constant becomes one constant per piece (the pieces
    together are the size of the input: always within the size rule)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.SplitOp | tfl.SplitVOp | tfl.UnpackOp):
            return
        types = [r.type for r in op.results]
        if not all(isinstance(t, TensorType) and t.has_static_shape() for t in types):
            return
        try:
            pieces = split_values(op)
        except (ValueError, IndexError):  # operands the op would refuse at run time
            return
        if pieces is None or len(pieces) != len(types):
            return
        values = []
        for piece, ty in zip(pieces, types):
            assert isinstance(ty, TensorType)  # checked above
            if piece.shape != tuple(ty.get_shape()):
                return
            array = astype(np.ascontiguousarray(piece), numpy_dtype(ty.element_type))
            values.append(const(rewriter, op, array, ty.element_type))
        operands = list(op.operands)
        rewriter.replace(op, [], values)
        erase_unused_constants(rewriter, operands)
        stats.record(f"folded {op.name}")
