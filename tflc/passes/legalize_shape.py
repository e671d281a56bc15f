"""legalize-tf patterns for shape ops: padding, slicing, splitting, tiling, gather and
scatter, resizing, space/depth and shape queries (folded when static).

Index-like operands (paddings, axes, begin/end, multiples) become int32 as TFLite's
kernels want; constant ones are converted at compile time.
"""

from __future__ import annotations

import math

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, ArrayAttr, IntegerAttr, StringAttr, TensorType, i64
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.errors import ConversionError, describe_location, op_display_name
from tflc.dialects.tf import bool_attr, str_attr, tf_op_name
from tflc.passes.common import as_i32, const, constant_array, tensor_type
from tflc.passes.legalize_util import (
    TFRewrite,
    all_ranked,
    bool_prop,
    emit,
    emit1,
    i32_const,
    i32_prop,
    int_attr,
    ints_attr,
    like,
    ranked,
    replace_with,
    reshape,
    static_shape,
)
from tflc.tensors import has_numpy_dtype, numpy_dtype

# Above this many elements a static Fill stays a tfl.fill instead of a constant buffer.
FOLD_FILL_LIMIT = 4096


def _replace_single(rewriter: PatternRewriter, op: Operation, op_class: type[Operation], operands, **props) -> None:
    replace_with(rewriter, op, [emit1(rewriter, op, op_class, operands, op.results[0].type, **props)])


class LegalizePad(TFRewrite):
    """tf.Pad / tf.PadV2 / tf.MirrorPad -> tfl.pad / tfl.padv2 / tfl.mirror_pad."""

    OPS = ("tf.Pad", "tf.PadV2", "tf.MirrorPad")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        name = tf_op_name(op)
        x, pads = op.operands[0], as_i32(rewriter, op, op.operands[1])
        if name == "tf.Pad":
            _replace_single(rewriter, op, tfl.PadOp, [x, pads])
        elif name == "tf.PadV2":
            _replace_single(rewriter, op, tfl.PadV2Op, [x, pads, op.operands[2]])
        else:
            mode = str_attr(op, "mode", "REFLECT")
            _replace_single(rewriter, op, tfl.MirrorPadOp, [x, pads], mode=StringAttr(mode))


def _fold_reshape(rewriter: PatternRewriter, op: Operation) -> bool:
    """Fold a shape-only op (Squeeze, ExpandDims) of a constant into a constant."""
    array = constant_array(op.operands[0])
    shape = static_shape(op.results[0])
    if array is None or shape is None:
        return False
    _fold(rewriter, op, np.asarray(array).reshape(shape))
    return True


class LegalizeSqueeze(TFRewrite):
    """tf.Squeeze -> tfl.squeeze (squeeze_dims kept)."""

    OPS = ("tf.Squeeze",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        if _fold_reshape(rewriter, op):
            return
        dims = ArrayAttr([IntegerAttr(d, i64) for d in ints_attr(op, "squeeze_dims")])
        _replace_single(rewriter, op, tfl.SqueezeOp, [op.operands[0]], squeeze_dims=dims)


class LegalizeExpandDims(TFRewrite):
    """tf.ExpandDims -> tfl.expand_dims with an int32 axis."""

    OPS = ("tf.ExpandDims",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        if _fold_reshape(rewriter, op):
            return
        _replace_single(rewriter, op, tfl.ExpandDimsOp, [op.operands[0], as_i32(rewriter, op, op.operands[1])])


class LegalizeSlice(TFRewrite):
    """tf.Slice -> tfl.slice (int32 begin and size; size -1 means to the end)."""

    OPS = ("tf.Slice",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, begin, size = op.operands
        _replace_single(rewriter, op, tfl.SliceOp, [x, as_i32(rewriter, op, begin), as_i32(rewriter, op, size)])


class LegalizeStridedSlice(TFRewrite):
    """tf.StridedSlice -> tfl.strided_slice, every mask supported.

    Ellipsis and new-axis entries (which TFLite's kernel does not take) are expanded
    at compile time when begin/end/strides are constant: the ellipsis becomes full
    ranges, new axes are restored by a reshape to the result type. Otherwise the masks
    go to the kernel, which takes them from version 6 (as TensorFlow's converter writes).
    """

    OPS = ("tf.StridedSlice",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, begin, end, strides = op.operands
        mask_names = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")
        masks = {k: int_attr(op, k) for k in mask_names}
        spec = [constant_array(v) for v in (begin, end, strides)]
        if (not masks["ellipsis_mask"] and not masks["new_axis_mask"]) or any(s is None for s in spec):
            props = {k: i32_prop(v) for k, v in masks.items()}
            operands = [x, *(as_i32(rewriter, op, v) for v in (begin, end, strides))]
            _replace_single(rewriter, op, tfl.StridedSliceOp, operands, **props, offset=bool_prop(False))
            return
        out_shape = tensor_type(op.results[0]).get_shape()
        if list(out_shape).count(DYNAMIC_INDEX) > 1:
            return
        b, e, s = (np.asarray(a, dtype=np.int64).reshape(-1) for a in spec)
        rank = tensor_type(x).get_num_dims()
        dense_b: list[int] = []
        dense_e: list[int] = []
        dense_s: list[int] = []
        bm = em = sm = 0
        consumed = sum(
            1 for i in range(len(b)) if not (masks["new_axis_mask"] >> i) & 1 and not (masks["ellipsis_mask"] >> i) & 1
        )
        for i in range(len(b)):
            bit = 1 << i
            if masks["ellipsis_mask"] & bit:
                for _ in range(rank - consumed):
                    j = len(dense_b)
                    dense_b.append(0)
                    dense_e.append(0)
                    dense_s.append(1)
                    bm |= 1 << j
                    em |= 1 << j
                continue
            if masks["new_axis_mask"] & bit:
                continue
            j = len(dense_b)
            dense_b.append(int(b[i]))
            dense_e.append(int(e[i]))
            dense_s.append(int(s[i]))
            bm |= (1 << j) if masks["begin_mask"] & bit else 0
            em |= (1 << j) if masks["end_mask"] & bit else 0
            sm |= (1 << j) if masks["shrink_axis_mask"] & bit else 0
        while len(dense_b) < rank:
            j = len(dense_b)
            dense_b.append(0)
            dense_e.append(0)
            dense_s.append(1)
            bm |= 1 << j
            em |= 1 << j
        if 0 in dense_s:
            raise ConversionError(
                f"{describe_location(op.location)}: '{op_display_name(op)}' has a stride of 0 "
                f"(strides {[int(v) for v in s]}); TensorFlow refuses it too"
            )
        shape = _sliced_shape(tensor_type(x).get_shape(), dense_b, dense_e, dense_s, bm, em, sm)
        if shape is None:
            return
        sliced = emit1(
            rewriter,
            op,
            tfl.StridedSliceOp,
            [x, i32_const(rewriter, op, dense_b), i32_const(rewriter, op, dense_e), i32_const(rewriter, op, dense_s)],
            like(x, shape),
            begin_mask=i32_prop(bm),
            end_mask=i32_prop(em),
            ellipsis_mask=i32_prop(0),
            new_axis_mask=i32_prop(0),
            shrink_axis_mask=i32_prop(sm),
            offset=bool_prop(False),
        )
        replace_with(rewriter, op, [reshape(rewriter, op, sliced, out_shape)])


def _sliced_shape(shape, begin, end, strides, bm, em, sm) -> list[int] | None:
    """The result shape of a strided slice without ellipsis/new axes (None if unknown)."""
    out = []
    for i, dim in enumerate(shape):
        if (sm >> i) & 1:
            continue
        if dim == DYNAMIC_INDEX:
            out.append(DYNAMIC_INDEX)
            continue
        lo = None if (bm >> i) & 1 else begin[i]
        hi = None if (em >> i) & 1 else end[i]
        out.append(len(range(dim)[slice(lo, hi, strides[i])]))
    return out


class LegalizeSplit(TFRewrite):
    """tf.Split / tf.SplitV / tf.Unpack -> tfl.split / tfl.split_v / tfl.unpack."""

    OPS = ("tf.Split", "tf.SplitV", "tf.Unpack")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        name = tf_op_name(op)
        types = [r.type for r in op.results]
        count = i32_prop(len(types))
        if name == "tf.Split":
            axis, value = op.operands
            new = emit(rewriter, op, tfl.SplitOp, [as_i32(rewriter, op, axis), value], types, num_splits=count)
        elif name == "tf.SplitV":
            value, sizes, axis = op.operands
            operands = [value, as_i32(rewriter, op, sizes), as_i32(rewriter, op, axis)]
            new = emit(rewriter, op, tfl.SplitVOp, operands, types, num_splits=count)
        else:
            unpack_axis = i32_prop(int_attr(op, "axis"))
            new = emit(rewriter, op, tfl.UnpackOp, [op.operands[0]], types, num=count, axis=unpack_axis)
        replace_with(rewriter, op, new.results)


class LegalizeIndexedOps(TFRewrite):
    """Tile, BroadcastTo, GatherNd, ScatterNd, ReverseV2, SpaceToBatchND, BatchToSpaceND -> tfl (int32 indices)."""

    OPS = (
        "tf.Tile", "tf.BroadcastTo", "tf.GatherNd", "tf.ScatterNd", "tf.ReverseV2",
        "tf.SpaceToBatchND", "tf.BatchToSpaceND",
    )

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        name = tf_op_name(op)
        a, b, *rest = op.operands
        if name == "tf.Tile":
            _replace_single(rewriter, op, tfl.TileOp, [a, as_i32(rewriter, op, b)])
        elif name == "tf.BroadcastTo":
            reshaped = _broadcast_by_reshape(rewriter, op, a)
            if reshaped is not None:
                replace_with(rewriter, op, [reshaped])
            else:
                _replace_single(rewriter, op, tfl.BroadcastToOp, [a, as_i32(rewriter, op, b)])
        elif name == "tf.GatherNd":
            _replace_single(rewriter, op, tfl.GatherNdOp, [a, as_i32(rewriter, op, b)])
        elif name in ("tf.SpaceToBatchND", "tf.BatchToSpaceND"):
            op_class = tfl.SpaceToBatchNdOp if name == "tf.SpaceToBatchND" else tfl.BatchToSpaceNdOp
            _replace_single(rewriter, op, op_class, [a, as_i32(rewriter, op, b), as_i32(rewriter, op, rest[0])])
        elif name == "tf.ReverseV2":
            _replace_single(rewriter, op, tfl.ReverseV2Op, [a, as_i32(rewriter, op, b)])
        else:
            _replace_single(rewriter, op, tfl.ScatterNdOp, [as_i32(rewriter, op, a), b, as_i32(rewriter, op, rest[0])])


def _broadcast_by_reshape(rewriter: PatternRewriter, op: Operation, x):
    """A static broadcast that only adds leading 1s as tfl.reshape; None for a real
    broadcast (tfl.broadcast_to, as TensorFlow lowers it)."""
    source, target = static_shape(x), static_shape(op.results[0])
    if source is None or target is None or len(source) > len(target):
        return None
    if (1,) * (len(target) - len(source)) + tuple(source) != tuple(target):
        return None
    return reshape(rewriter, op, x, target)


class LegalizeResize(TFRewrite):
    """tf.ResizeBilinear / tf.ResizeNearestNeighbor -> tfl.resize_* (same options)."""

    OPS = ("tf.ResizeBilinear", "tf.ResizeNearestNeighbor")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        op_class = tfl.ResizeBilinearOp if tf_op_name(op) == "tf.ResizeBilinear" else tfl.ResizeNearestNeighborOp
        props = {k: bool_prop(bool_attr(op, k)) for k in ("align_corners", "half_pixel_centers")}
        _replace_single(rewriter, op, op_class, [op.operands[0], as_i32(rewriter, op, op.operands[1])], **props)


class LegalizeSpaceDepth(TFRewrite):
    """tf.DepthToSpace / tf.SpaceToDepth (NHWC) -> tfl.depth_to_space / tfl.space_to_depth."""

    OPS = ("tf.DepthToSpace", "tf.SpaceToDepth")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op) or str_attr(op, "data_format", "NHWC") != "NHWC":
            return
        op_class = tfl.DepthToSpaceOp if tf_op_name(op) == "tf.DepthToSpace" else tfl.SpaceToDepthOp
        _replace_single(rewriter, op, op_class, [op.operands[0]], block_size=i32_prop(int_attr(op, "block_size")))


def _fold(rewriter: PatternRewriter, op: Operation, array: np.ndarray) -> None:
    ty = ranked(op.results[0])
    assert ty is not None
    array = np.asarray(array, dtype=numpy_dtype(ty.element_type))
    if array.size != math.prod(ty.get_shape()):
        from tflc.errors import TflcError, describe_location

        raise TflcError(
            f"{describe_location(op.location)}: {tf_op_name(op)} computes {list(array.shape)} values but its result "
            f"type is {ty}"
        )
    value = array.reshape(ty.get_shape())
    replace_with(rewriter, op, [const(rewriter, op, value, ty.element_type)])


class LegalizeShapeQueries(TFRewrite):
    """tf.Shape / tf.Size / tf.Rank: constants when the input shape is static.

    A dynamic Size becomes reduce_prod(shape(x)); a dynamic Shape is left to
    tfl.shape. Rank is always known for ranked inputs.
    """

    OPS = ("tf.Shape", "tf.Size", "tf.Rank")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        ty = ranked(op.operands[0])
        if ty is None or ranked(op.results[0]) is None:
            return
        name = tf_op_name(op)
        shape = static_shape(op.operands[0])
        if name == "tf.Rank":
            _fold(rewriter, op, np.array(ty.get_num_dims()))
        elif shape is not None:
            _fold(rewriter, op, np.array(shape) if name == "tf.Shape" else np.array(int(np.prod(shape))))
        elif name == "tf.Size":
            element = tensor_type(op.results[0]).element_type
            dims = emit1(rewriter, op, tfl.ShapeOp, [op.operands[0]], TensorType(element, [ty.get_num_dims()]))
            axes = i32_const(rewriter, op, [0])
            _replace_single(rewriter, op, tfl.ReduceProdOp, [dims, axes], keep_dims=bool_prop(False))


def _range_length(op: Operation, start: float, limit: float, delta: float) -> int:
    """The element count of a constant tf.Range; a zero or non-finite argument is the user's error."""
    import math

    from tflc.errors import TflcError, describe_location

    if not all(math.isfinite(v) for v in (start, limit, delta)):
        raise TflcError(f"{describe_location(op.location)}: tf.Range has a non-finite start, limit or delta")
    if delta == 0:
        raise TflcError(f"{describe_location(op.location)}: tf.Range has delta 0 (it would never end)")
    return max(0, math.ceil((limit - start) / delta))


def _range_values(op: Operation, start: float, limit: float, delta: float) -> np.ndarray:
    """The values of a constant tf.Range (numpy refuses ranges whose span overflows int64)."""
    from tflc.errors import TflcError, describe_location

    try:
        return np.arange(start, limit, delta)
    except (ValueError, OverflowError):
        raise TflcError(
            f"{describe_location(op.location)}: tf.Range from {start} to {limit} by {delta} spans more "
            "than its element type holds"
        ) from None


class LegalizeRangeFill(TFRewrite):
    """tf.Range / tf.Fill / tf.ZerosLike / tf.OnesLike: constants when static, tfl ops otherwise."""

    OPS = ("tf.Range", "tf.Fill", "tf.ZerosLike", "tf.OnesLike")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        name = tf_op_name(op)
        out = ranked(op.results[0])
        assert out is not None
        if not has_numpy_dtype(out.element_type):
            return  # variants (tensor lists) and other handles: left for the report
        dtype = numpy_dtype(out.element_type)
        if name == "tf.Range":
            start, limit, delta = (constant_array(v) for v in op.operands)
            if start is not None and limit is not None and delta is not None:
                count = _range_length(op, start.item(), limit.item(), delta.item())
                if count <= FOLD_FILL_LIMIT:
                    values = _range_values(op, start.item(), limit.item(), delta.item()) if count else np.empty(0)
                    _fold(rewriter, op, values.astype(dtype))
                else:  # a long range is computed at run time, not stored
                    _replace_single(rewriter, op, tfl.RangeOp, list(op.operands))
            else:
                _replace_single(rewriter, op, tfl.RangeOp, list(op.operands))
            return
        shape = static_shape(op.results[0])
        elements: int | None = int(np.prod(shape)) if shape is not None else None
        if name == "tf.Fill":
            dims, value = op.operands
            v = constant_array(value)
            if v is not None and shape is not None and elements is not None and elements <= FOLD_FILL_LIMIT:
                _fold(rewriter, op, np.broadcast_to(np.array(v.item(), dtype), shape))  # a splat
            else:
                _replace_single(rewriter, op, tfl.FillOp, [as_i32(rewriter, op, dims), value])
            return
        fill = 0 if name == "tf.ZerosLike" else 1
        if shape is not None and elements is not None and elements <= FOLD_FILL_LIMIT:
            _fold(rewriter, op, np.broadcast_to(np.array(fill, dtype), shape))  # a splat
            return
        zeros = emit1(rewriter, op, tfl.ZerosLikeOp, [op.operands[0]], out)
        if fill:
            one = const(rewriter, op, np.array(1, dtype=dtype), out.element_type)
            zeros = emit1(rewriter, op, tfl.AddOp, [zeros, one], out, fused_activation_function=StringAttr("NONE"))
        replace_with(rewriter, op, [zeros])


SHAPE_PATTERNS = (
    LegalizePad,
    LegalizeSqueeze,
    LegalizeExpandDims,
    LegalizeSlice,
    LegalizeStridedSlice,
    LegalizeSplit,
    LegalizeIndexedOps,
    LegalizeResize,
    LegalizeSpaceDepth,
    LegalizeShapeQueries,
    LegalizeRangeFill,
)
