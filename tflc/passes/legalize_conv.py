"""legalize-tf patterns for convolutions, pooling and inference batch norm (NHWC only).

TF filters are HWIO; TFLite's conv_2d wants OHWI, depthwise_conv_2d [1, H, W, Cin*M],
transpose_conv OHWI over its own output channels, conv_3d keeps DHWIO. Constant
filters are re-laid at compile time, others through tfl.transpose/tfl.reshape.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import StringAttr, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import bool_attr, str_attr, tf_op_name
from tflc.passes.common import const, constant_array, insert_before, tensor_type
from tflc.passes.legalize_util import (
    NONE,
    TFRewrite,
    all_ranked,
    as_i32,
    binary,
    emit1,
    float_attr,
    i32_prop,
    ints_attr,
    like,
    ranked,
    replace_with,
    reshape,
    transpose,
    zero_bias,
)
from tflc.tensors import numpy_dtype


def _padding(rewriter: PatternRewriter, op: Operation, x: SSAValue, spatial: int) -> tuple[SSAValue, StringAttr] | None:
    """The input and TFLite padding for a TF op's `padding`; EXPLICIT becomes a tfl.pad."""
    mode = str_attr(op, "padding", "VALID")
    if mode in ("SAME", "VALID"):
        return x, StringAttr(mode)
    if mode != "EXPLICIT":
        return None
    pads = ints_attr(op, "explicit_paddings")
    if len(pads) != 2 * (spatial + 2):
        return None
    if any(not 0 <= p < 2**31 for p in pads):
        from tflc.errors import TflcError, describe_location

        raise TflcError(f"{describe_location(op.location)}: explicit_paddings {pads} must be non-negative int32 values")
    ty = ranked(x)
    assert ty is not None
    pairs = np.array(pads, dtype=np.int32).reshape(-1, 2)
    shape = [d if d < 0 else d + int(p.sum()) for d, p in zip(ty.get_shape(), pairs)]
    padded = emit1(rewriter, op, tfl.PadOp, [x, const(rewriter, op, pairs)], like(x, shape))
    return padded, StringAttr("VALID")


def _nhwc_attrs(op: Operation, name: str, rank: int) -> list[int] | None:
    """The spatial entries of a TF `[1, ..., 1]` attribute (strides, dilations, ksize)."""
    values = ints_attr(op, name, [1] * rank)
    if len(values) != rank or values[0] != 1 or values[-1] != 1:
        return None
    return values[1:-1]


def _is_channels_last(op: Operation) -> bool:
    return str_attr(op, "data_format", "NHWC") in ("NHWC", "NDHWC")


class LegalizeConv2D(TFRewrite):
    """tf.Conv2D (NHWC, HWIO) -> tfl.conv_2d with an OHWI filter and a zero bias."""

    OPS = ("tf.Conv2D",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x, w = op.operands
        if not _is_channels_last(op) or not all_ranked(op) or tensor_type(w).get_num_dims() != 4:
            return
        strides, dilations = _nhwc_attrs(op, "strides", 4), _nhwc_attrs(op, "dilations", 4)
        if strides is None or dilations is None:  # checked before _padding emits anything
            return
        padded = _padding(rewriter, op, x, 2)
        if padded is None:
            return
        x, padding = padded
        filt = transpose(rewriter, op, w, [3, 0, 1, 2])
        out_channels = tensor_type(w).get_shape()[3]
        new = tfl.Conv2DOp.build(
            [x, filt, zero_bias(rewriter, op, out_channels, w)],
            [op.results[0].type],
            padding=padding,
            stride_h=i32_prop(strides[0]),
            stride_w=i32_prop(strides[1]),
            dilation_h_factor=i32_prop(dilations[0]),
            dilation_w_factor=i32_prop(dilations[1]),
            fused_activation_function=NONE,
        )
        replace_with(rewriter, op, insert_before(rewriter, op, new).results)


class LegalizeDepthwiseConv2D(TFRewrite):
    """tf.DepthwiseConv2dNative -> tfl.depthwise_conv_2d with a [1, H, W, Cin*M] filter."""

    OPS = ("tf.DepthwiseConv2dNative",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x, w = op.operands
        if not _is_channels_last(op) or not all_ranked(op):
            return
        shape = tensor_type(w).get_shape()
        strides, dilations = _nhwc_attrs(op, "strides", 4), _nhwc_attrs(op, "dilations", 4)
        if strides is None or dilations is None or len(shape) != 4 or min(shape) < 0:
            return
        padded = _padding(rewriter, op, x, 2)
        if padded is None:
            return
        x, padding = padded
        kh, kw, cin, mult = shape
        filt = reshape(rewriter, op, w, [1, kh, kw, cin * mult])
        new = tfl.DepthwiseConv2DOp.build(
            [x, filt, zero_bias(rewriter, op, cin * mult, w)],
            [op.results[0].type],
            padding=padding,
            stride_h=i32_prop(strides[0]),
            stride_w=i32_prop(strides[1]),
            dilation_h_factor=i32_prop(dilations[0]),
            dilation_w_factor=i32_prop(dilations[1]),
            depth_multiplier=i32_prop(mult),
            fused_activation_function=NONE,
        )
        replace_with(rewriter, op, insert_before(rewriter, op, new).results)


class LegalizeConv2DBackpropInput(TFRewrite):
    """tf.Conv2DBackpropInput (a transposed convolution) -> tfl.transpose_conv."""

    OPS = ("tf.Conv2DBackpropInput",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        sizes, w, x = op.operands
        if not _is_channels_last(op) or not all_ranked(op) or str_attr(op, "padding") not in ("SAME", "VALID"):
            return
        strides, dilations = _nhwc_attrs(op, "strides", 4), _nhwc_attrs(op, "dilations", 4)
        if strides is None or dilations != [1, 1]:
            return
        filt = transpose(rewriter, op, w, [2, 0, 1, 3])
        bias = insert_before(rewriter, op, tfl.NoValueOp()).results[0]
        new = tfl.TransposeConvOp.build(
            [as_i32(rewriter, op, sizes), filt, x, bias],
            [op.results[0].type],
            padding=StringAttr(str_attr(op, "padding")),
            stride_h=i32_prop(strides[0]),
            stride_w=i32_prop(strides[1]),
            fused_activation_function=NONE,
        )
        replace_with(rewriter, op, insert_before(rewriter, op, new).results)


class LegalizeConv3D(TFRewrite):
    """tf.Conv3D (NDHWC, DHWIO) -> tfl.conv_3d (same filter layout, no bias)."""

    OPS = ("tf.Conv3D",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x, w = op.operands
        if not _is_channels_last(op) or not all_ranked(op) or str_attr(op, "padding") not in ("SAME", "VALID"):
            return
        strides, dilations = _nhwc_attrs(op, "strides", 5), _nhwc_attrs(op, "dilations", 5)
        if strides is None or dilations is None:
            return
        bias = insert_before(rewriter, op, tfl.NoValueOp()).results[0]
        new = tfl.Conv3DOp.build(
            [x, w, bias],
            [op.results[0].type],
            padding=StringAttr(str_attr(op, "padding")),
            stride_d=i32_prop(strides[0]),
            stride_h=i32_prop(strides[1]),
            stride_w=i32_prop(strides[2]),
            dilation_d_factor=i32_prop(dilations[0]),
            dilation_h_factor=i32_prop(dilations[1]),
            dilation_w_factor=i32_prop(dilations[2]),
            fused_activation_function=NONE,
        )
        replace_with(rewriter, op, insert_before(rewriter, op, new).results)


class LegalizeConv3DBackpropInput(TFRewrite):
    """tf.Conv3DBackpropInputV2 (NDHWC) -> tfl.conv_3d_transpose (TF's filter layout, no
    bias, int32 output shape); a filter whose last dim is not the input's channels is
    left for the report."""

    OPS = ("tf.Conv3DBackpropInputV2",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        sizes, w, x = op.operands
        if not _is_channels_last(op) or not all_ranked(op) or str_attr(op, "padding") not in ("SAME", "VALID"):
            return
        if tensor_type(w).get_num_dims() != 5 or tensor_type(x).get_num_dims() != 5:
            return
        if tensor_type(w).get_shape()[-1] != tensor_type(x).get_shape()[-1]:
            return
        strides, dilations = _nhwc_attrs(op, "strides", 5), _nhwc_attrs(op, "dilations", 5)
        if strides is None or dilations is None:
            return
        bias = insert_before(rewriter, op, tfl.NoValueOp()).results[0]
        operands = [as_i32(rewriter, op, sizes), w, x, bias]
        if not tfl.Conv3DTransposeOp.accepts([v.type for v in operands], [op.results[0].type]):
            return
        new = tfl.Conv3DTransposeOp.build(
            operands,
            [op.results[0].type],
            padding=StringAttr(str_attr(op, "padding")),
            stride_d=i32_prop(strides[0]),
            stride_h=i32_prop(strides[1]),
            stride_w=i32_prop(strides[2]),
            dilation_d_factor=i32_prop(dilations[0]),
            dilation_h_factor=i32_prop(dilations[1]),
            dilation_w_factor=i32_prop(dilations[2]),
            fused_activation_function=NONE,
        )
        replace_with(rewriter, op, insert_before(rewriter, op, new).results)


class LegalizePool2D(TFRewrite):
    """tf.MaxPool / tf.AvgPool -> tfl.max_pool_2d / tfl.average_pool_2d (NCHW between
    transposes to and from NHWC)."""

    OPS = ("tf.MaxPool", "tf.AvgPool")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op) or str_attr(op, "padding") not in ("SAME", "VALID"):
            return
        nchw = str_attr(op, "data_format", "NHWC") == "NCHW"
        if not nchw and not _is_channels_last(op):
            return
        if nchw and tensor_type(op.operands[0]).get_num_dims() != 4:
            return
        to_nhwc = [0, 2, 3, 1]
        ksize_list, strides_list = ints_attr(op, "ksize", [1] * 4), ints_attr(op, "strides", [1] * 4)
        if nchw and len(ksize_list) == 4 and len(strides_list) == 4:
            ksize = [ksize_list[i] for i in to_nhwc] if ksize_list[:2] == [1, 1] else None
            strides = [strides_list[i] for i in to_nhwc] if strides_list[:2] == [1, 1] else None
            ksize, strides = (ksize[1:3] if ksize else None), (strides[1:3] if strides else None)
        else:
            ksize, strides = _nhwc_attrs(op, "ksize", 4), _nhwc_attrs(op, "strides", 4)
        if ksize is None or strides is None:
            return
        op_class = tfl.MaxPool2DOp if tf_op_name(op) == "tf.MaxPool" else tfl.AveragePool2DOp
        x, out_type = op.operands[0], op.results[0].type
        if nchw:
            x = transpose(rewriter, op, x, to_nhwc)
            shape = tensor_type(op.results[0]).get_shape()
            out_type = TensorType(tensor_type(op.results[0]).element_type, [shape[i] for i in to_nhwc])
        new = op_class.create(
            operands=[x],
            result_types=[out_type],
            properties={
                "padding": StringAttr(str_attr(op, "padding")),
                "stride_h": i32_prop(strides[0]),
                "stride_w": i32_prop(strides[1]),
                "filter_height": i32_prop(ksize[0]),
                "filter_width": i32_prop(ksize[1]),
                "fused_activation_function": NONE,
            },
        )
        pooled = insert_before(rewriter, op, new).results[0]
        replace_with(rewriter, op, [transpose(rewriter, op, pooled, [0, 3, 1, 2]) if nchw else pooled])


class LegalizeFusedBatchNorm(TFRewrite):
    """tf.FusedBatchNorm{,V2,V3} in inference mode -> y = x * multiplier + shift.

    multiplier = scale / sqrt(variance + epsilon), shift = offset - mean * multiplier:
    folded to constants when the statistics are constant (the usual case), tfl ops
    otherwise. The batch mean/variance outputs forward the running statistics.
    """

    OPS = ("tf.FusedBatchNorm", "tf.FusedBatchNormV2", "tf.FusedBatchNormV3")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if bool_attr(op, "is_training", True) or not _is_channels_last(op):
            return
        if not all(ranked(v) is not None for v in (*op.operands, op.results[0])):
            return
        x, scale, offset, mean, variance = op.operands
        stats = [mean, variance, mean, variance]
        if any(r.uses for r in op.results[5:]) or any(
            r.uses and r.type != s.type for r, s in zip(op.results[1:5], stats)
        ):
            return
        eps = float_attr(op, "epsilon", 1e-4)
        values = [constant_array(v) for v in (scale, offset, mean, variance)]
        if all(v is not None for v in values):
            s, o, m, v = (np.asarray(a, dtype=np.float32) for a in values)
            multiplier = (s / np.sqrt(v + np.float32(eps))).astype(np.float32)
            shift = (o - m * multiplier).astype(np.float32)
            element = tensor_type(x).element_type
            dtype = numpy_dtype(element)
            mul_c = const(rewriter, op, multiplier.astype(dtype), element)
            add_c = const(rewriter, op, shift.astype(dtype), element)
        else:
            eps_c = const(rewriter, op, np.array(eps, dtype=np.float32))
            std = emit1(rewriter, op, tfl.RsqrtOp, [binary(rewriter, op, tfl.AddOp, variance, eps_c)], variance.type)
            mul_c = binary(rewriter, op, tfl.MulOp, scale, std)
            add_c = binary(rewriter, op, tfl.SubOp, offset, binary(rewriter, op, tfl.MulOp, mean, mul_c))
        y = binary(rewriter, op, tfl.MulOp, x, mul_c, op.results[0].type)
        y = binary(rewriter, op, tfl.AddOp, y, add_c, op.results[0].type)
        unused = [y] * (len(op.results) - 5)
        replace_with(rewriter, op, [y, *(s if r.uses else y for r, s in zip(op.results[1:5], stats)), *unused])


CONV_PATTERNS = (
    LegalizeConv2D,
    LegalizeDepthwiseConv2D,
    LegalizeConv2DBackpropInput,
    LegalizeConv3D,
    LegalizeConv3DBackpropInput,
    LegalizePool2D,
    LegalizeFusedBatchNorm,
)
