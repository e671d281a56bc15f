"""TFLite optimizations on the tfl dialect, each a named pass:

- `tfl-fold-constants`: evaluate ops whose operands are all constants with numpy,
  unless the result would be larger than its inputs (folding never bloats the file);
- `tfl-fuse-affine`: fold a following `mul`/`add` by constants into the weights and
  bias of fully_connected, conv_2d, depthwise_conv_2d and transpose_conv;
- `tfl-fuse-pad`: drop a zero `pad` before a VALID convolution when it equals SAME;
- `tfl-fuse-activations`: fuse RELU, RELU6 and RELU_N1_TO_1 into their producer's
  `fused_activation_function`;
- `tfl-remove-redundant`: drop reshapes/casts/transposes that do nothing and merge
  chains of reshapes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DYNAMIC_INDEX, BoolAttr, ModuleOp, NoneType, StringAttr, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from tflc.dialects import tfl
from tflc.passes import stats
from tflc.passes.common import (
    const,
    constant_array,
    erase_unused_constants,
    release_erased_constants,
    set_operands,
    tensor_type,
)
from tflc.tensors import numpy_dtype

FOLD_ALWAYS_BELOW = 1024  # elements: small results are folded even if inputs are smaller


def _relu_n1(x: np.ndarray) -> np.ndarray:
    return np.clip(x, -1, 1)


def _axes(value: np.ndarray) -> tuple[int, ...]:
    return tuple(int(a) for a in np.asarray(value).reshape(-1))


FOLDERS: dict[str, Callable[..., np.ndarray]] = {
    "tfl.add": np.add,
    "tfl.sub": np.subtract,
    "tfl.mul": np.multiply,
    "tfl.div": lambda a, b: np.floor_divide(a, b) if np.issubdtype(a.dtype, np.integer) else np.divide(a, b),
    "tfl.pow": np.power,
    "tfl.maximum": np.maximum,
    "tfl.minimum": np.minimum,
    "tfl.neg": np.negative,
    "tfl.square": np.square,
    "tfl.sqrt": np.sqrt,
    "tfl.rsqrt": lambda x: 1 / np.sqrt(x),
    "tfl.exp": np.exp,
    "tfl.log": np.log,
    "tfl.tanh": np.tanh,
    "tfl.logistic": lambda x: 1 / (1 + np.exp(-x)),
    "tfl.relu": lambda x: np.maximum(x, 0),
    "tfl.relu6": lambda x: np.clip(x, 0, 6),
    "tfl.transpose": lambda x, perm: np.transpose(x, _axes(perm)),
}
# Reductions over constant axes: folded with numpy's reducer (keep_dims from the op).
REDUCERS_NUMPY: dict[str, Callable[..., np.ndarray]] = {
    "tfl.sum": np.sum,
    "tfl.mean": np.mean,
    "tfl.reduce_max": np.max,
    "tfl.reduce_min": np.min,
    "tfl.reduce_prod": np.prod,
}
# Ops that only change a tensor's shape: folded by reshaping to the result type.
RESHAPE_LIKE = frozenset({"tfl.reshape", "tfl.squeeze", "tfl.expand_dims"})
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "NONE": lambda x: x,
    "RELU": lambda x: np.maximum(x, 0),
    "RELU6": lambda x: np.clip(x, 0, 6),
    "RELU_N1_TO_1": _relu_n1,
    "TANH": np.tanh,
}


class FoldConstants(RewritePattern):
    """An op whose operands are all constants becomes a constant."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        result = self._fold(op)
        if result is None:
            return
        out_type = tensor_type(op.results[0])
        try:
            array = np.asarray(result).astype(numpy_dtype(out_type.element_type), copy=False)
        except (ValueError, TypeError):
            return
        if array.shape != out_type.get_shape():
            return
        rewriter.replace(op, [], [const(rewriter, op, array, out_type.element_type)])
        stats.record(f"folded {op.name}")

    def _fold(self, op: Operation) -> np.ndarray | None:
        if len(op.results) != 1 or not isinstance(op.results[0].type, TensorType):
            return None
        if any(d < 0 for d in tensor_type(op.results[0]).get_shape()):
            return None
        if isinstance(op, tfl.ShapeOp):
            dims = tensor_type(op.input).get_shape()
            return None if any(d < 0 for d in dims) else np.array(dims)
        out_shape = tensor_type(op.results[0]).get_shape()
        if op.name in RESHAPE_LIKE:
            source = constant_array(op.operands[0])
            return None if source is None else source.reshape(out_shape)
        if op.name in REDUCERS_NUMPY:
            source, axes = constant_array(op.operands[0]), constant_array(op.operands[1])
            if source is None or axes is None:
                return None
            axis = tuple(int(a) % max(source.ndim, 1) for a in axes.reshape(-1)) if source.ndim else None
            return REDUCERS_NUMPY[op.name](source, axis=axis).reshape(out_shape)
        folder = FOLDERS.get(op.name)
        if folder is None:
            return None
        inputs = [constant_array(v) for v in op.operands]
        if any(x is None for x in inputs):
            return None
        size = int(np.prod(tensor_type(op.results[0]).get_shape(), dtype=np.int64))
        if size > FOLD_ALWAYS_BELOW and size > max(x.size for x in inputs):  # type: ignore[union-attr]
            return None
        with np.errstate(all="ignore"):
            value = folder(*inputs)
            activation = op.properties.get("fused_activation_function")
            if isinstance(activation, StringAttr):
                value = ACTIVATIONS[activation.data](value)
        return value


# op name -> (filter operand, bias operand, output-channel axis of the filter)
AFFINE_OPS: dict[str, tuple[int, int, int]] = {
    "tfl.fully_connected": (1, 2, 0),
    "tfl.conv_2d": (1, 2, 0),
    "tfl.depthwise_conv_2d": (1, 2, 3),
    "tfl.transpose_conv": (1, 3, 0),
}


def _single_user(value: SSAValue) -> Operation | None:
    uses = list(value.uses)
    return uses[0].operation if len(uses) == 1 else None


def _channel_vector(value: SSAValue, channels: int) -> np.ndarray | None:
    """A constant that broadcasts only along the last (channel) dimension, as a vector."""
    array = constant_array(value)
    if array is None:
        return None
    if array.size == 1:
        return np.full(channels, array.reshape(-1)[0], dtype=array.dtype)
    if array.shape[-1:] != (channels,) or array.size != channels:
        return None
    return array.reshape(channels)


class FuseAffine(RewritePattern):
    """`mul`/`add` by a per-channel constant after an affine op goes into its weights/bias;
    a scalar `mul` before it goes into its weights."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.name in AFFINE_OPS:
            self._fuse_input_scale(op, rewriter)
            return
        if op.name not in ("tfl.mul", "tfl.add") or op.properties["fused_activation_function"] != StringAttr("NONE"):
            return
        for producer_value, other in ((op.operands[0], op.operands[1]), (op.operands[1], op.operands[0])):
            producer = producer_value.owner
            if not isinstance(producer, Operation) or producer.name not in AFFINE_OPS:
                continue
            if producer.properties.get("fused_activation_function") != StringAttr("NONE"):
                continue
            if _single_user(producer_value) is not op or op.results[0].type != producer_value.type:
                continue
            if self._fuse(op, producer, other, rewriter):
                return

    def _fuse_input_scale(self, op: Operation, rewriter: PatternRewriter) -> None:
        """affine(x * s, W) with a constant scalar s -> affine(x, W * s) (zero padding commutes)."""
        mul = op.operands[0].owner
        if not isinstance(mul, Operation) or mul.name != "tfl.mul" or _single_user(mul.results[0]) is not op:
            return
        if mul.properties["fused_activation_function"] != StringAttr("NONE"):
            return
        filter_index = AFFINE_OPS[op.name][0]
        weights = constant_array(op.operands[filter_index])
        for value, other in ((mul.operands[0], mul.operands[1]), (mul.operands[1], mul.operands[0])):
            scale = constant_array(other)
            if scale is None or scale.size != 1 or value.type != mul.results[0].type or weights is None:
                continue
            if not np.issubdtype(weights.dtype, np.floating):
                return
            scaled = np.ascontiguousarray(weights * scale.reshape(()).astype(weights.dtype))
            operands = list(op.operands)
            operands[0] = value
            operands[filter_index] = const(rewriter, op, scaled)
            set_operands(rewriter, op, operands)
            rewriter.erase(mul)
            erase_unused_constants(rewriter, [other])
            stats.record(f"folded input scale into {op.name} weights")
            return

    def _fuse(self, op: Operation, producer: Operation, other: SSAValue, rewriter: PatternRewriter) -> bool:
        filter_index, bias_index, axis = AFFINE_OPS[producer.name]
        out_type = tensor_type(producer.results[0])
        channels = out_type.get_shape()[-1]
        vector = _channel_vector(other, channels)
        weights = constant_array(producer.operands[filter_index])
        if vector is None or weights is None or channels < 0 or not np.issubdtype(weights.dtype, np.floating):
            return False
        bias_value = producer.operands[bias_index]
        bias = np.zeros(channels, weights.dtype) if isinstance(bias_value.type, NoneType) else constant_array(bias_value)
        if bias is None or weights.shape[axis] != channels:
            return False
        if op.name == "tfl.mul":
            shape = [1] * weights.ndim
            shape[axis] = channels
            new_weights = weights * vector.reshape(shape).astype(weights.dtype)
            new_bias = bias * vector
            stats.record(f"folded mul into {producer.name} weights")
        else:
            new_weights, new_bias = weights, bias + vector
            stats.record(f"folded add into {producer.name} bias")
        operands = list(producer.operands)
        operands[filter_index] = const(rewriter, producer, np.ascontiguousarray(new_weights, weights.dtype))
        operands[bias_index] = const(rewriter, producer, np.ascontiguousarray(new_bias, weights.dtype))
        set_operands(rewriter, producer, operands)
        rewriter.replace(op, [], [producer.results[0]])
        erase_unused_constants(rewriter, [other])
        return True


# TANH is not fused: TFLite's add/mul kernels ignore a fused TANH and fully_connected
# rejects it (measured with ai-edge-litert), so fusing it would change the numbers.
FUSABLE_ACTIVATIONS = {
    "tfl.relu": "RELU",
    "tfl.relu6": "RELU6",
    "tfl.relu_n1_to_1": "RELU_N1_TO_1",
}


# Ops whose TFLite kernels apply a fused RELU/RELU6/RELU_N1_TO_1.
ACTIVATION_PRODUCERS = frozenset(
    {
        "tfl.add",
        "tfl.sub",
        "tfl.mul",
        "tfl.div",
        "tfl.fully_connected",
        "tfl.conv_2d",
        "tfl.depthwise_conv_2d",
        "tfl.max_pool_2d",
        "tfl.average_pool_2d",
    }
)


class FuseActivation(RewritePattern):
    """An activation after an op with `fused_activation_function = NONE` is fused into it."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        activation = FUSABLE_ACTIVATIONS.get(op.name)
        if activation is None:
            return
        producer = op.operands[0].owner
        if not isinstance(producer, Operation) or producer.name not in ACTIVATION_PRODUCERS:
            return
        if producer.properties.get("fused_activation_function") != StringAttr("NONE"):
            return
        if _single_user(producer.results[0]) is not op or producer.results[0].type != op.results[0].type:
            return
        producer.properties["fused_activation_function"] = StringAttr(activation)
        rewriter.notify_op_modified(producer)
        rewriter.replace(op, [], [producer.results[0]])
        stats.record(f"fused {activation} into {producer.name}")


# Binary ops that leave their first operand unchanged when the other is this constant.
IDENTITY_ELEMENTS = {"tfl.mul": 1, "tfl.div": 1, "tfl.add": 0, "tfl.sub": 0}
REDUCERS = frozenset({"tfl.mean", "tfl.sum", "tfl.reduce_max", "tfl.reduce_min", "tfl.reduce_prod"})
BROADCASTING_OPS = frozenset({"tfl.add", "tfl.sub", "tfl.mul", "tfl.div", "tfl.maximum", "tfl.minimum"})


def _identity_operand(op: Operation) -> SSAValue | None:
    """For `x * 1`, `x / 1`, `x + 0`, `x - 0` (no activation, no broadcast): x."""
    neutral = IDENTITY_ELEMENTS.get(op.name)
    if neutral is None or op.properties.get("fused_activation_function") != StringAttr("NONE"):
        return None
    commutes = op.name in ("tfl.mul", "tfl.add")
    for value, other in ((op.operands[0], op.operands[1]), (op.operands[1], op.operands[0]) if commutes else (None, None)):
        if value is None or value.type != op.results[0].type:
            continue
        constant = constant_array(other)
        if constant is not None and constant.size and bool(np.all(constant == neutral)):
            return value
    return None


def _unknown_dims(value: SSAValue) -> int:
    """How many dims of a tensor are unknown."""
    return sum(d == DYNAMIC_INDEX for d in tensor_type(value).get_shape())


def _static(value: SSAValue) -> bool:
    """Whether a tensor's shape is fully known."""
    return _unknown_dims(value) == 0


class RemoveRedundant(RewritePattern):
    """Reshapes and casts to the same type go; a reshape of a reshape reads the source;
    `x * 1` and `x + 0` go; a reshape restoring reduced dims becomes keep_dims."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if (same := _identity_operand(op)) is not None:
            rewriter.replace(op, [], [same])
            stats.record(f"removed identity {op.name}")
            return
        if op.name in BROADCASTING_OPS and self._bypass_leading_squeeze(op, rewriter):
            return
        if op.name == "tfl.dynamic_update_slice" and op.operands[1].type == op.operands[0].type and _static(op.operands[0]):
            # An update as large as the operand: start indices clamp to 0, the result is the update.
            rewriter.replace(op, [], [op.operands[1]])
            stats.record("removed whole-tensor tfl.dynamic_update_slice")
            return
        if op.name == "tfl.reshape" and self._keep_dims(op, rewriter):
            return
        if op.name in ("tfl.reshape", "tfl.cast") and op.operands[0].type == op.results[0].type and (
            op.name == "tfl.cast" or _unknown_dims(op.operands[0]) <= 1  # else ? x ? may swap sizes
        ):
            rewriter.replace(op, [], [op.operands[0]])
            stats.record(f"removed no-op {op.name}")
            return
        if op.name == "tfl.transpose":
            perm = constant_array(op.operands[1])
            if perm is not None and list(perm.reshape(-1)) == list(range(perm.size)):
                rewriter.replace(op, [], [op.operands[0]])
                stats.record("removed identity tfl.transpose")
            return
        if op.name == "tfl.reshape":
            source = op.operands[0].owner
            if isinstance(source, tfl.ReshapeOp):
                op.operands = [source.input, op.operands[1]]
                rewriter.notify_op_modified(op)
                stats.record("merged tfl.reshape chain")

    def _bypass_leading_squeeze(self, op: Operation, rewriter: PatternRewriter) -> bool:
        """A broadcasting op reads through a squeeze/reshape that only dropped leading 1s."""
        rank = tensor_type(op.results[0]).get_num_dims()
        operands = list(op.operands)
        for i, value in enumerate(operands):
            producer = value.owner
            if not isinstance(producer, Operation) or producer.name not in ("tfl.squeeze", "tfl.reshape"):
                continue
            source = tensor_type(producer.operands[0]).get_shape()
            kept = tensor_type(value).get_shape()
            dropped = len(source) - len(kept)
            if dropped <= 0 or len(source) > rank or source[dropped:] != kept or any(d != 1 for d in source[:dropped]):
                continue
            operands[i] = producer.operands[0]
            op.operands = operands
            rewriter.notify_op_modified(op)
            stats.record(f"{op.name} reads through a tfl.squeeze of leading dims")
            return True
        return False

    def _keep_dims(self, op: Operation, rewriter: PatternRewriter) -> bool:
        """reshape(reduce(x, keep_dims=false)) to the kept-dims shape -> reduce(keep_dims=true)."""
        reduce = op.operands[0].owner
        if not isinstance(reduce, Operation) or reduce.name not in REDUCERS:
            return False
        if reduce.properties["keep_dims"].value.data or _single_user(reduce.results[0]) is not op:
            return False
        if _keep_dims_shape(reduce) != tensor_type(op.results[0]).get_shape():
            return False
        new = type(reduce).create(
            operands=list(reduce.operands),
            result_types=[op.results[0].type],
            properties={**reduce.properties, "keep_dims": BoolAttr.from_bool(True)},
        )
        new.location = reduce.location
        rewriter.replace(op, [new])
        rewriter.erase(reduce)
        stats.record(f"merged tfl.reshape into {reduce.name} keep_dims")
        return True


class BatchMatMulToFullyConnected(RewritePattern):
    """batch_matmul(x, W) with constant 2-D weights -> fully_connected(keep_num_dims), as TF does."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.name != "tfl.batch_matmul" or op.properties["adj_x"].value.data:
            return
        weights = constant_array(op.operands[1])
        if weights is None or weights.ndim < 2 or any(d != 1 for d in weights.shape[:-2]):
            return
        if not np.issubdtype(weights.dtype, np.floating) or tensor_type(op.operands[0]).get_num_dims() < 2:
            return
        matrix = weights.reshape(weights.shape[-2:])
        filter_ = matrix if op.properties["adj_y"].value.data else np.ascontiguousarray(matrix.T)
        none = tfl.NoValueOp()
        none.location = op.location
        rewriter.insert(none, InsertPoint.before(op))
        fc = tfl.FullyConnectedOp.create(
            operands=[op.operands[0], const(rewriter, op, filter_), none.results[0]],
            result_types=[op.results[0].type],
            properties={
                "fused_activation_function": StringAttr("NONE"),
                "weights_format": StringAttr("DEFAULT"),
                "keep_num_dims": BoolAttr.from_bool(tensor_type(op.operands[0]).get_num_dims() > 2),
                "asymmetric_quantize_inputs": BoolAttr.from_bool(False),
            },
        )
        fc.location = op.location
        rewriter.replace(op, fc)
        stats.record("converted tfl.batch_matmul with constant weights to tfl.fully_connected")


class FullyConnectedKeepDims(RewritePattern):
    """reshape(fully_connected(reshape(x, [-1, K])), [..., N]) -> fully_connected(x, keep_num_dims)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.name != "tfl.fully_connected" or op.properties["keep_num_dims"].value.data:
            return
        flatten = op.operands[0].owner
        user = _single_user(op.results[0])
        if not isinstance(flatten, tfl.ReshapeOp) or not isinstance(user, tfl.ReshapeOp):
            return
        if _single_user(flatten.results[0]) is not op:
            return
        source = tensor_type(flatten.input).get_shape()
        restored = tensor_type(user.results[0]).get_shape()
        units = tensor_type(op.results[0]).get_shape()[-1]
        if len(source) < 2 or any(d < 0 for d in source) or restored != (*source[:-1], units):
            return
        fc = op.clone()
        fc.operands = [flatten.input, *op.operands[1:]]
        fc.properties["keep_num_dims"] = BoolAttr.from_bool(True)
        Rewriter.replace_value_with_new_type(fc.results[0], user.results[0].type)
        rewriter.insert(fc, InsertPoint.before(op))
        rewriter.replace(user, [], [fc.results[0]])
        rewriter.erase(op)
        rewriter.erase(flatten)
        stats.record("folded reshapes around tfl.fully_connected into keep_num_dims")


class AddBeforeReshape(RewritePattern):
    """add(reshape(y), c) where the reshape splits y's last dim and c covers only the split
    dims -> reshape(add(y, c)): the add can then join the producer's bias."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.name != "tfl.add" or op.properties["fused_activation_function"] != StringAttr("NONE"):
            return
        reshape = op.operands[0].owner
        constant = constant_array(op.operands[1])
        if not isinstance(reshape, tfl.ReshapeOp) or constant is None or _single_user(reshape.results[0]) is not op:
            return
        source = tensor_type(reshape.input).get_shape()
        split = tensor_type(reshape.results[0]).get_shape()
        if op.results[0].type != reshape.results[0].type or not source or any(d < 0 for d in split[len(source) - 1 :]):
            return
        if split[: len(source) - 1] != source[:-1] or int(np.prod(split[len(source) - 1 :])) != source[-1]:
            return
        tail = split[len(source) - 1 :]
        if constant.ndim > len(tail) or any(d != 1 for d in constant.shape[: constant.ndim - len(tail)]):
            return
        vector = np.broadcast_to(constant.reshape(constant.shape[-len(tail):] if constant.ndim else ()), tail).reshape(-1)
        add = tfl.AddOp.create(
            operands=[reshape.input, const(rewriter, op, np.ascontiguousarray(vector))],
            result_types=[reshape.input.type],
            properties={"fused_activation_function": StringAttr("NONE")},
        )
        add.location = op.location
        rewriter.insert(add, InsertPoint.before(reshape))
        new_reshape = tfl.ReshapeOp.create(operands=[add.results[0], reshape.shape], result_types=[op.results[0].type])
        new_reshape.location = reshape.location
        rewriter.replace(op, new_reshape)
        rewriter.erase(reshape)
        stats.record("moved tfl.add before a splitting tfl.reshape")


def _keep_dims_shape(reduce: Operation) -> tuple[int, ...] | None:
    axes = constant_array(reduce.operands[1])
    source = tensor_type(reduce.operands[0]).get_shape()
    if axes is None or not source:
        return None
    reduced = {int(a) % len(source) for a in axes.reshape(-1)}
    return tuple(1 if i in reduced else d for i, d in enumerate(source))


def _same_padding(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """The (before, after) padding TFLite's SAME padding uses along one dimension."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


class FusePadIntoConv(RewritePattern):
    """A zero `pad` feeding a VALID conv_2d/depthwise_conv_2d that equals SAME padding goes."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.name not in ("tfl.conv_2d", "tfl.depthwise_conv_2d") or op.properties["padding"] != StringAttr("VALID"):
            return
        pad = op.operands[0].owner
        if not isinstance(pad, Operation) or pad.name != "tfl.pad" or _single_user(pad.results[0]) is not op:
            return
        paddings = constant_array(pad.operands[1])
        source = tensor_type(pad.operands[0]).get_shape()
        kernel = tensor_type(op.operands[1]).get_shape()
        if paddings is None or len(source) != 4 or any(d < 0 for d in source[1:3]):
            return
        if paddings[0].any() or paddings[3].any():
            return
        for axis, (size_index, kernel_index) in enumerate(((1, 1), (2, 2))):
            stride = op.properties["stride_h" if axis == 0 else "stride_w"].value.data
            dilation = op.properties["dilation_h_factor" if axis == 0 else "dilation_w_factor"].value.data
            same = _same_padding(source[size_index], kernel[kernel_index], stride, dilation)
            if tuple(int(p) for p in paddings[size_index]) != same:
                return
        op.operands = [pad.operands[0], *op.operands[1:]]
        op.properties["padding"] = StringAttr("SAME")
        rewriter.notify_op_modified(op)
        rewriter.erase(pad)
        stats.record(f"fused tfl.pad into {op.name} as SAME padding")


def _rewrite(module: ModuleOp, pattern: RewritePattern) -> None:
    PatternRewriteWalker(GreedyRewritePatternApplier([pattern]), listener=release_erased_constants()).rewrite_module(
        module
    )


@dataclass(frozen=True)
class FoldConstantsPass(ModulePass):
    """Fold ops whose operands are all constants (never growing the file)."""

    name = "tfl-fold-constants"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        _rewrite(op, FoldConstants())


@dataclass(frozen=True)
class FuseAffinePass(ModulePass):
    """Fold mul/add by constants into the weights and bias of affine ops (constant-weight
    batch_matmuls become fully_connected first)."""

    name = "tfl-fuse-affine"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [BatchMatMulToFullyConnected(), FullyConnectedKeepDims(), AddBeforeReshape(), FuseAffine()]
            ),
            listener=release_erased_constants(),
        ).rewrite_module(op)


@dataclass(frozen=True)
class FusePadPass(ModulePass):
    """Fold explicit zero padding into convolutions when it equals SAME padding."""

    name = "tfl-fuse-pad"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        _rewrite(op, FusePadIntoConv())


@dataclass(frozen=True)
class FuseActivationsPass(ModulePass):
    """Fuse RELU, RELU6 and RELU_N1_TO_1 into their producers."""

    name = "tfl-fuse-activations"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        _rewrite(op, FuseActivation())


@dataclass(frozen=True)
class RemoveRedundantPass(ModulePass):
    """Drop reshapes, casts and transposes that do nothing; merge reshape chains."""

    name = "tfl-remove-redundant"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        _rewrite(op, RemoveRedundant())
