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

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, NoneType, StringAttr, TensorType, bf16
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from tflc.dialects import tfl
from tflc.dialects.tfl_canonicalize import FullyConnectedKeepDims, all_patterns
from tflc.dialects.tfl_traits import (
    Activation,
    AffineWeights,
    Broadcasting,
    FusesActivation,
    NumpyFolder,
    NumpyReducer,
    ReshapeLike,
    activation_fn,
    has_trait,
    max_broadcast_rank,
    trait_of,
)
from tflc.passes import stats
from tflc.passes.common import (
    const,
    constant_array,
    erase_unused_constants,
    release_erased_constants,
    set_operands,
    tensor_type,
)
from tflc.tensors import astype, compact, elementwise, numpy_dtype

FOLD_ALWAYS_BELOW = 1024  # elements: small results are folded even if inputs are smaller
LAZY_REDUCE_LIMIT = 1 << 24  # elements: larger reductions of splats are left to the runtime


class FoldConstants(RewritePattern):
    """An op whose operands are all constants becomes a constant."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        result = self._fold(op)
        if result is None:
            return
        out_type = tensor_type(op.results[0])
        try:
            with np.errstate(invalid="ignore"):  # a cast of inf/nan to int is as undefined as in TFLite
                array = astype(np.asarray(result), numpy_dtype(out_type.element_type))
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
        if has_trait(op, ReshapeLike):
            source = constant_array(op.operands[0])
            return None if source is None else source.reshape(out_shape)
        if (reducer := trait_of(op, NumpyReducer)) is not None:
            source, axes = constant_array(op.operands[0]), constant_array(op.operands[1])
            if source is None or axes is None:
                return None
            if compact(source) is not source and source.size > LAZY_REDUCE_LIMIT:
                return None  # a reduction over a huge splat would visit every element
            axis = tuple(int(a) % max(source.ndim, 1) for a in axes.reshape(-1)) if source.ndim else None
            return reducer.fn(source, axis=axis).reshape(out_shape)
        numpy_folder = trait_of(op, NumpyFolder)
        if numpy_folder is None:
            return None
        if any(isinstance(t, TensorType) and t.element_type == bf16 for t in (*op.operand_types, *op.result_types)):
            return None  # numpy holds bfloat16 as raw bits: arithmetic on them would be wrong
        folder = numpy_folder.fn
        maybe = [constant_array(v) for v in op.operands]
        inputs = [x for x in maybe if x is not None]
        if len(inputs) != len(maybe):
            return None
        size = int(np.prod(tensor_type(op.results[0]).get_shape(), dtype=np.int64))
        if size > FOLD_ALWAYS_BELOW and size > max((x.size for x in inputs), default=0):
            return None
        activation = op.properties.get("fused_activation_function")
        act = activation_fn(activation.data) if isinstance(activation, StringAttr) else None

        def evaluate(*arrays: np.ndarray) -> np.ndarray:
            value = folder(*arrays)
            return value if act is None else act(value)

        with np.errstate(all="ignore"):
            try:
                if numpy_folder.elementwise:  # on the distinct elements: a splat folds to a splat
                    return elementwise(evaluate, *inputs)
                return evaluate(*inputs)
            except (ValueError, IndexError):  # operands the kernel would refuse (a bad permutation): not folded
                return None


def _affine(op: Operation) -> AffineWeights | None:
    """The op's weights trait when mul/add fold into its weights and bias."""
    trait = trait_of(op, AffineWeights)
    return trait if trait is not None and trait.fusable else None


def _operand(op: Operation, name: str) -> SSAValue:
    value = getattr(op, name)
    assert isinstance(value, SSAValue)
    return value


def _operand_index(op: Operation, name: str) -> int:
    return type(op).operand_index(name)  # type: ignore[attr-defined]


def _single_user(value: SSAValue) -> Operation | None:
    uses = list(value.uses)
    return uses[0].operation if len(uses) == 1 else None


def _no_activation(op: Operation) -> bool:
    return op.properties.get("fused_activation_function") == StringAttr("NONE")


def _channel_vector(value: SSAValue, channels: int) -> np.ndarray | None:
    """A constant that broadcasts only along the last (channel) dimension, as a vector."""
    array = constant_array(value)
    if array is None:
        return None
    if array.size == 1:
        return np.broadcast_to(array.reshape(-1)[:1], (channels,))
    if array.shape[-1:] != (channels,) or array.size != channels:
        return None
    return array.reshape(channels)


class FuseInputScale(RewritePattern):
    """affine(x * s, W) with a constant scalar s -> affine(x, W * s) (zero padding commutes)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        trait = _affine(op)
        if trait is None:
            return
        activation = _operand(op, trait.input)
        mul = activation.owner
        if not isinstance(mul, tfl.MulOp) or _single_user(mul.output) is not op or not _no_activation(mul):
            return
        filter_index = _operand_index(op, trait.filter)
        weights = constant_array(op.operands[filter_index])
        for value, other in ((mul.lhs, mul.rhs), (mul.rhs, mul.lhs)):
            scale = constant_array(other)
            if scale is None or scale.size != 1 or value.type != mul.output.type or weights is None:
                continue
            if not np.issubdtype(weights.dtype, np.floating):
                return
            scaled = elementwise(np.multiply, weights, astype(scale.reshape(()), weights.dtype))
            operands = list(op.operands)
            operands[_operand_index(op, trait.input)] = value
            operands[filter_index] = const(rewriter, op, scaled)
            set_operands(rewriter, op, operands)
            rewriter.erase(mul)
            erase_unused_constants(rewriter, [other])
            stats.record(f"folded input scale into {op.name} weights")
            return


class FuseAffine(RewritePattern):
    """`mul`/`add` by a per-channel constant after an affine op goes into its weights/bias."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, tfl.MulOp | tfl.AddOp) or not _no_activation(op):
            return
        for producer_value, other in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
            producer = producer_value.owner
            if not isinstance(producer, Operation) or (trait := _affine(producer)) is None:
                continue
            if not _no_activation(producer):
                continue
            if _single_user(producer_value) is not op or op.output.type != producer_value.type:
                continue
            if self._fuse(op, producer, trait, other, rewriter):
                return

    def _fuse(
        self, op: tfl.MulOp | tfl.AddOp, producer: Operation, trait: AffineWeights, other: SSAValue,
        rewriter: PatternRewriter,
    ) -> bool:
        assert trait.bias is not None
        filter_index, bias_index = _operand_index(producer, trait.filter), _operand_index(producer, trait.bias)
        axis = trait.channel_axis
        out_type = tensor_type(producer.results[0])
        channels = out_type.get_shape()[-1]
        vector = _channel_vector(other, channels)
        weights = constant_array(producer.operands[filter_index])
        if weights is None and vector is not None and channels >= 0 and axis is not None:
            from tflc.passes.quantized_constants import fuse_into_quantized  # QAT weights

            return fuse_into_quantized(op, producer, trait, vector, other, rewriter)
        if vector is None or weights is None or channels < 0 or axis is None:
            return False
        if not np.issubdtype(weights.dtype, np.floating):
            return False
        bias_value = producer.operands[bias_index]
        no_bias = isinstance(bias_value.type, NoneType)
        bias = np.zeros(channels, weights.dtype) if no_bias else constant_array(bias_value)
        if bias is None or weights.shape[axis] != channels:
            return False
        if isinstance(op, tfl.MulOp):
            shape = [1] * weights.ndim
            shape[axis] = channels
            new_weights = elementwise(np.multiply, weights, astype(vector.reshape(shape), weights.dtype))
            new_bias = elementwise(np.multiply, bias, vector)
            stats.record(f"folded mul into {producer.name} weights")
        else:
            new_weights, new_bias = weights, elementwise(np.add, bias, vector)
            stats.record(f"folded add into {producer.name} bias")
        operands = list(producer.operands)
        operands[filter_index] = const(rewriter, producer, astype(new_weights, weights.dtype))
        operands[bias_index] = const(rewriter, producer, astype(new_bias, weights.dtype))
        set_operands(rewriter, producer, operands)
        rewriter.replace(op, [], [producer.results[0]])
        erase_unused_constants(rewriter, [other])
        return True


class FuseActivation(RewritePattern):
    """An activation (`Activation` trait) after an op that `FusesActivation` with
    `fused_activation_function = NONE` is fused into it.

    TANH is not an `Activation`: TFLite's add/mul kernels ignore a fused TANH and
    fully_connected rejects it (measured with ai-edge-litert)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        activation = trait_of(op, Activation)
        if activation is None:
            return
        producer = op.operands[0].owner
        if not isinstance(producer, Operation) or not has_trait(producer, FusesActivation):
            return
        if not _no_activation(producer):
            return
        if _single_user(producer.results[0]) is not op or producer.results[0].type != op.results[0].type:
            return
        producer.properties["fused_activation_function"] = StringAttr(activation.name)
        rewriter.notify_op_modified(producer)
        rewriter.replace(op, [], [producer.results[0]])
        stats.record(f"fused {activation.name} into {producer.name}")


class BypassLeadingSqueeze(RewritePattern):
    """A broadcasting op reads through a squeeze/reshape that only dropped leading 1s."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not has_trait(op, Broadcasting) or not isinstance(op.results[0].type, TensorType):
            return
        rank = tensor_type(op.results[0]).get_num_dims()
        operands = list(op.operands)
        for i, value in enumerate(operands):
            producer = value.owner
            if not isinstance(producer, tfl.SqueezeOp | tfl.ReshapeOp):
                continue
            if not isinstance(producer.input.type, TensorType):
                continue
            source = tensor_type(producer.input).get_shape()
            kept = tensor_type(value).get_shape()
            dropped = len(source) - len(kept)
            if dropped <= 0 or len(source) > rank or source[dropped:] != kept or any(d != 1 for d in source[:dropped]):
                continue
            operands[i] = producer.input
            op.operands = operands
            rewriter.notify_op_modified(op)
            stats.record(f"{op.name} reads through a tfl.squeeze of leading dims")
            return


class ReshapeToKeepDims(RewritePattern):
    """reshape(reduce(x, keep_dims=false)) to the kept-dims shape -> reduce(keep_dims=true)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.ReshapeOp, rewriter: PatternRewriter) -> None:
        reduce = op.input.owner
        if not isinstance(reduce, tfl.ReducerOp):
            return
        if reduce.keep_dims.value.data or _single_user(reduce.output) is not op:
            return
        if _keep_dims_shape(reduce) != tensor_type(op.output).get_shape():
            return
        new = type(reduce)(reduce.input, reduce.axes, op.output.type, keep_dims=True)
        new.location = reduce.location
        rewriter.replace(op, [new])
        rewriter.erase(reduce)
        stats.record(f"merged tfl.reshape into {reduce.name} keep_dims")


class BatchMatMulToFullyConnected(RewritePattern):
    """batch_matmul(x, W) with constant 2-D weights -> fully_connected(keep_num_dims), as TF does."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.BatchMatMulOp, rewriter: PatternRewriter) -> None:
        if op.adj_x.value.data:
            return
        weights = constant_array(op.y)
        if weights is None or weights.ndim < 2 or any(d != 1 for d in weights.shape[:-2]):
            return
        if not np.issubdtype(weights.dtype, np.floating) or tensor_type(op.x).get_num_dims() < 2:
            return
        matrix = weights.reshape(weights.shape[-2:])
        filter_ = matrix if op.adj_y.value.data else np.ascontiguousarray(matrix.T)
        none = tfl.NoValueOp()
        none.location = op.location
        rewriter.insert(none, InsertPoint.before(op))
        fc = tfl.FullyConnectedOp(
            op.x, const(rewriter, op, filter_), none.results[0], op.output.type,
            keep_num_dims=tensor_type(op.x).get_num_dims() > 2,
        )
        fc.location = op.location
        rewriter.replace(op, fc)
        stats.record("converted tfl.batch_matmul with constant weights to tfl.fully_connected")


IMPLICIT_BROADCAST_RANK = 4
"""The rank every broadcasting tfl kernel handles, for op classes that state no limit of their own."""


class FoldBroadcastLike(RewritePattern):
    """A binary op reading `broadcast_to(x)` or `fill(dims, x)` reads `x` when its kernel's
    implicit broadcasting of `x` and the other operand gives the same result shape (static
    shapes, the result within the op's broadcast rank), as TensorFlow's optimize-broadcast-like."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not has_trait(op, Broadcasting) or isinstance(op, tfl.PReluOp):
            return
        if len(op.operands) != 2 or len(op.results) != 1:
            return
        result = op.results[0].type
        if not isinstance(result, TensorType) or not result.has_static_shape():
            return
        limit = max_broadcast_rank(type(op)) or IMPLICIT_BROADCAST_RANK
        if result.get_num_dims() > limit:
            return
        operands = list(op.operands)
        for i, value in enumerate(operands):
            source = _broadcast_source(value)
            other = operands[1 - i].type
            if source is None or not isinstance(source.type, TensorType) or not isinstance(other, TensorType):
                continue
            if not source.type.has_static_shape() or not other.has_static_shape():
                continue
            shapes = [tuple(source.type.get_shape()), tuple(other.get_shape())]
            try:
                joined = np.broadcast_shapes(*shapes)
            except ValueError:
                continue
            if tuple(joined) != tuple(result.get_shape()):
                continue
            operands[i] = source
            set_operands(rewriter, op, operands)
            stats.record(f"read the input of a broadcast in {op.name}")
            return


def _broadcast_source(value: SSAValue) -> SSAValue | None:
    """What a tfl.broadcast_to or tfl.fill broadcasts, or None."""
    owner = value.owner
    if isinstance(owner, tfl.BroadcastToOp):
        return owner.input
    if isinstance(owner, tfl.FillOp):
        return owner.input
    return None


class AddBeforeReshape(RewritePattern):
    """add(reshape(y), c) where the reshape splits y's last dim and c covers only the split
    dims -> reshape(add(y, c)): the add can then join the producer's bias."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.AddOp, rewriter: PatternRewriter) -> None:
        if not _no_activation(op):
            return
        reshape = op.lhs.owner
        constant = constant_array(op.rhs)
        if not isinstance(reshape, tfl.ReshapeOp) or constant is None or _single_user(reshape.output) is not op:
            return
        if not isinstance(reshape.input.type, TensorType):
            return
        source = tensor_type(reshape.input).get_shape()
        split = tensor_type(reshape.output).get_shape()
        if op.output.type != reshape.output.type or not source or any(d < 0 for d in split[len(source) - 1 :]):
            return
        if split[: len(source) - 1] != source[:-1] or int(np.prod(split[len(source) - 1 :])) != source[-1]:
            return
        tail = split[len(source) - 1 :]
        if constant.ndim > len(tail) or any(d != 1 for d in constant.shape[: constant.ndim - len(tail)]):
            return
        trailing = constant.reshape(constant.shape[-len(tail):] if constant.ndim else ())
        vector = np.broadcast_to(trailing, tail).reshape(-1)
        # The constant goes before the reshape, so it dominates the new add (placed there too).
        vector_value = const(rewriter, reshape, np.ascontiguousarray(vector))
        add = tfl.AddOp(reshape.input, vector_value, reshape.input.type)
        add.location = op.location
        rewriter.insert(add, InsertPoint.before(reshape))
        new_reshape = tfl.ReshapeOp(add.output, reshape.shape, op.output.type)
        new_reshape.location = reshape.location
        old_constant = op.rhs
        rewriter.replace(op, new_reshape)
        rewriter.erase(reshape)
        erase_unused_constants(rewriter, [old_constant])
        stats.record("moved tfl.add before a splitting tfl.reshape")


def _keep_dims_shape(reduce: tfl.ReducerOp) -> tuple[int, ...] | None:
    axes = constant_array(reduce.axes)
    if not isinstance(reduce.input.type, TensorType):
        return None
    source = tensor_type(reduce.input).get_shape()
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
        if not isinstance(op, tfl.Conv2DOp | tfl.DepthwiseConv2DOp) or op.padding != StringAttr("VALID"):
            return
        pad = op.input.owner
        if not isinstance(pad, tfl.PadOp) or _single_user(pad.output) is not op:
            return
        if not isinstance(pad.input.type, TensorType) or not isinstance(op.filter.type, TensorType):
            return
        paddings = constant_array(pad.padding)
        source = tensor_type(pad.input).get_shape()
        kernel = tensor_type(op.filter).get_shape()
        if paddings is None or len(source) != 4 or any(d < 0 for d in source[1:3]):
            return
        if paddings[0].any() or paddings[3].any():
            return
        strides = (op.stride_h.value.data, op.stride_w.value.data)
        dilations = (op.dilation_h_factor.value.data, op.dilation_w_factor.value.data)
        for axis in (0, 1):
            same = _same_padding(source[axis + 1], kernel[axis + 1], strides[axis], dilations[axis])
            if tuple(int(p) for p in paddings[axis + 1]) != same:
                return
        op.operands = [pad.input, *op.operands[1:]]
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
        from tflc.passes.fold_structural import FoldDataMovement, FoldSplit
        from tflc.passes.quantized_constants import QUANTIZED_FOLD_PATTERNS

        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [FoldConstants(), FoldDataMovement(), FoldSplit(), *(p() for p in QUANTIZED_FOLD_PATTERNS)]
            ),
            listener=release_erased_constants(),
        ).rewrite_module(op)


@dataclass(frozen=True)
class FuseAffinePass(ModulePass):
    """Fold mul/add by constants into the weights and bias of affine ops (constant-weight
    batch_matmuls become fully_connected first)."""

    name = "tfl-fuse-affine"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [
                    BatchMatMulToFullyConnected(),
                    FullyConnectedKeepDims(),
                    AddBeforeReshape(),
                    FuseInputScale(),
                    FuseAffine(),
                ]
            ),
            listener=release_erased_constants(),
        ).rewrite_module(op)


@dataclass(frozen=True)
class OptimizeBroadcastLikePass(ModulePass):
    """Let binary ops broadcast implicitly instead of reading an explicit broadcast_to / fill."""

    name = "tfl-optimize-broadcast-like"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(FoldBroadcastLike(), listener=release_erased_constants()).rewrite_module(op)


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
        PatternRewriteWalker(
            GreedyRewritePatternApplier([*all_patterns(), ReshapeToKeepDims(), BypassLeadingSqueeze()]),
            listener=release_erased_constants(),
        ).rewrite_module(op)
