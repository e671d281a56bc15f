"""`legalize-stablehlo`: rewrite stablehlo ops (JAX models, via tf.XlaCallModule) into tfl ops.

TensorFlow's converter (its stablehlo-to-tfl legalization) is the behavioural reference.
Explicit broadcasts become `tfl.broadcast_to`, which `tfl-absorb-broadcasts` (run in the
same pass) folds into TFLite's implicitly broadcasting binary ops; reductions and
windows whose body is one add/max/min/mul become TFLite reducers and pools;
`dot_general` becomes `tfl.batch_matmul` (the optimizer turns constant weights into
`tfl.fully_connected`) and `convolution` becomes `tfl.conv_2d`/`tfl.depthwise_conv_2d`.
JAX's idioms (softmax, mean, average pooling, relu as max(x, 0)) are recognized after
lowering, so models come out as lean as TensorFlow's. Ops left in the stablehlo dialect
are reported in one grouped list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    DenseIntOrFPElementsAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
    TensorType,
    bf16,
    i1,
    i32,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import IRDLOperation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from tflc.dialects import stablehlo as hlo
from tflc.dialects import tfl
from tflc.errors import ConversionError, describe_location, unsupported_ops_report
from tflc.passes.common import constant_array, const, release_erased_constants, tensor_type
from tflc.passes.legalize_util import (
    NONE,
    CleanDeclineApplier,
    binary,
    bool_prop,
    emit1,
    i32_const,
    i32_prop,
    like,
    ranked,
    replace_with,
    reshape,
    scalar,
    transpose,
    unary,
)
from tflc.tensors import compact, elementwise, has_numpy_dtype, numeric_array, numpy_dtype, storage_array

# stablehlo op -> tfl op, same operands and result (the op classes own the pairing).
BINARY: dict[type[Operation], type[IRDLOperation]] = {
    hlo.AddOp: tfl.AddOp,
    hlo.SubtractOp: tfl.SubOp,
    hlo.MultiplyOp: tfl.MulOp,
    hlo.MaximumOp: tfl.MaximumOp,
    hlo.MinimumOp: tfl.MinimumOp,
    hlo.PowerOp: tfl.PowOp,
}
FLOAT_BINARY: dict[type[Operation], type[IRDLOperation]] = {hlo.DivideOp: tfl.DivOp, hlo.Atan2Op: tfl.Atan2Op}
BOOL_BINARY: dict[type[Operation], type[IRDLOperation]] = {hlo.AndOp: tfl.LogicalAndOp, hlo.OrOp: tfl.LogicalOrOp}
UNARY: dict[type[Operation], type[Operation]] = {
    hlo.NegateOp: tfl.NegOp,
    hlo.ExponentialOp: tfl.ExpOp,
    hlo.LogOp: tfl.LogOp,
    hlo.SqrtOp: tfl.SqrtOp,
    hlo.RsqrtOp: tfl.RsqrtOp,
    hlo.TanhOp: tfl.TanhOp,
    hlo.LogisticOp: tfl.LogisticOp,
    hlo.AbsOp: tfl.AbsOp,
    hlo.FloorOp: tfl.FloorOp,
    hlo.CeilOp: tfl.CeilOp,
    hlo.SineOp: tfl.SinOp,
    hlo.CosineOp: tfl.CosOp,
    hlo.SignOp: tfl.SignOp,
    hlo.RoundNearestEvenOp: tfl.RoundOp,
    hlo.ConvertOp: tfl.CastOp,
}
COMPARISONS: dict[hlo.ComparisonDirection, type[IRDLOperation]] = {
    hlo.ComparisonDirection.EQ: tfl.EqualOp,
    hlo.ComparisonDirection.NE: tfl.NotEqualOp,
    hlo.ComparisonDirection.LT: tfl.LessOp,
    hlo.ComparisonDirection.LE: tfl.LessEqualOp,
    hlo.ComparisonDirection.GT: tfl.GreaterOp,
    hlo.ComparisonDirection.GE: tfl.GreaterEqualOp,
}
# A reducer body's single op -> (TFLite reducer, its identity element as a function of dtype).
REDUCERS: dict[type[Operation], type[Operation]] = {
    hlo.AddOp: tfl.SumOp,
    hlo.MaximumOp: tfl.ReduceMaxOp,
    hlo.MinimumOp: tfl.ReduceMinOp,
    hlo.MultiplyOp: tfl.ReduceProdOp,
    hlo.AndOp: tfl.ReduceAllOp,
    hlo.OrOp: tfl.ReduceAnyOp,
}
# The tfl op that applies a reducer's body op to two tensors (to fold in a non-identity init).
REDUCER_COMBINE: dict[type[Operation], type[IRDLOperation]] = {
    hlo.AddOp: tfl.AddOp,
    hlo.MaximumOp: tfl.MaximumOp,
    hlo.MinimumOp: tfl.MinimumOp,
    hlo.MultiplyOp: tfl.MulOp,
    hlo.AndOp: tfl.LogicalAndOp,
    hlo.OrOp: tfl.LogicalOrOp,
}


def _identity(body_op: type[Operation], element: Attribute) -> float | int | None:
    """The identity element of a reducer body op for elements of `element`."""
    if body_op is hlo.AddOp or body_op is hlo.OrOp:
        return 0
    if body_op is hlo.MultiplyOp or body_op is hlo.AndOp:
        return 1
    if element == bf16 or np.issubdtype(numpy_dtype(element), np.floating):
        return -np.inf if body_op is hlo.MaximumOp else np.inf
    dtype = numpy_dtype(element)
    if not np.issubdtype(dtype, np.integer):
        return None
    info = np.iinfo(dtype)
    return int(info.min if body_op is hlo.MaximumOp else info.max)


def _shape(value: SSAValue) -> list[int]:
    ty = ranked(value)
    assert ty is not None
    return list(ty.get_shape())


def _check_element_types(module: ModuleOp) -> None:
    """Refuse stablehlo ops on element types the lowerings cannot compute with (i4, f8E4M3FN, ...)."""
    for o in module.walk():
        if not isinstance(o, hlo.StableHLOOp):
            continue
        for value in (*o.operands, *o.results):
            ty = value.type
            if isinstance(ty, TensorType) and not has_numpy_dtype(ty.element_type):
                raise ConversionError(
                    f"{describe_location(o.location)}: '{o.name}' computes on {ty.element_type}, an element "
                    f"type tflc does not lower to TFLite; fix: convert to f32, f16 or a 8- to 64-bit integer first"
                )


def _dtype(value: SSAValue) -> np.dtype:
    ty = ranked(value)
    assert ty is not None
    return np.dtype(numpy_dtype(ty.element_type))


def _is_float(value: SSAValue) -> bool:
    ty = ranked(value)
    return ty is not None and not isinstance(ty.element_type, IntegerType)


def _is_bool(value: SSAValue) -> bool:
    ty = ranked(value)
    return ty is not None and ty.element_type == i1


def _static(value: SSAValue) -> bool:
    return DYNAMIC_INDEX not in _shape(value)


def body_op(region) -> type[Operation] | None:
    """The class of the single binary op of a reducer region `(a, b) -> op(a, b)`, else None."""
    block = region.block
    ops = list(block.ops)
    if len(ops) != 2 or not isinstance(ops[1], hlo.ReturnOp) or len(block.args) != 2:
        return None
    op = ops[0]
    if type(op) not in REDUCERS or set(op.operands) != set(block.args) or list(ops[1].operands) != [op.results[0]]:
        return None
    return type(op)


def scalar_constant(value: SSAValue) -> object | None:
    """The value of a constant with a single distinct element (splat or scalar), else None."""
    array = constant_array(value)
    if array is None or array.size == 0:
        owner = value.owner
        if isinstance(owner, hlo.ConstantOp) and isinstance(owner.value, DenseIntOrFPElementsAttr):
            from tflc.tensors import dense_to_numpy

            array = dense_to_numpy(owner.value)
        else:
            return None
    flat = numeric_array(compact(array).reshape(-1), tensor_type(value).element_type)  # a splat is one element
    if flat.size == 0:
        return None
    if flat.dtype.kind == "f":
        same = (flat == flat[0]) | (np.isnan(flat) & np.isnan(flat[0]))
    else:
        same = flat == flat[0]
    if not np.all(same):
        return None
    return flat[0].item()


# -- emitting (kept in a few helpers, to switch to typed builders in one place) -----------


def broadcast_to(
    rewriter: PatternRewriter, anchor: Operation, value: SSAValue, shape: SSAValue, result: Attribute
) -> SSAValue:
    """`tfl.broadcast_to(value, shape)`."""
    return emit1(rewriter, anchor, tfl.BroadcastToOp, [value, shape], result)


def reducer(
    rewriter: PatternRewriter,
    anchor: Operation,
    op_class: type[Operation],
    x: SSAValue,
    axes: Sequence[int],
    result: Attribute,
) -> SSAValue:
    """A TFLite reducer over `axes` without keep_dims."""
    axes_value = i32_const(rewriter, anchor, list(axes))
    return emit1(rewriter, anchor, op_class, [x, axes_value], result, keep_dims=bool_prop(False))


def as_i32_tensor(rewriter: PatternRewriter, anchor: Operation, value: SSAValue) -> SSAValue:
    """An integer tensor as int32 (folded for constants)."""
    if tensor_type(value).element_type == i32:
        return value
    array = constant_array(value)
    if array is not None:
        return i32_const(rewriter, anchor, array.astype(np.int32))
    return emit1(rewriter, anchor, tfl.CastOp, [value], like(value, element=i32))


def pack_indices(rewriter: PatternRewriter, anchor: Operation, scalars: Sequence[SSAValue]) -> SSAValue:
    """Scalar index tensors as one int32 vector (a constant when all are constants)."""
    arrays = [a for a in (constant_array(s) for s in scalars) if a is not None]
    if len(arrays) == len(scalars):
        return i32_const(rewriter, anchor, [int(a) for a in arrays])
    values = [as_i32_tensor(rewriter, anchor, s) for s in scalars]
    return emit1(
        rewriter,
        anchor,
        tfl.PackOp,
        values,
        TensorType(i32, [len(values)]),
        axis=i32_prop(0),
        values_count=i32_prop(len(values)),
    )


# -- elementwise ---------------------------------------------------------------------------


class LegalizeConstant(RewritePattern):
    """stablehlo.constant -> tfl.pseudo_const."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ConstantOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, tfl.ConstOp(op.value))


class LegalizeElementwise(RewritePattern):
    """Elementwise stablehlo ops -> their tfl counterparts (division and logic by element type)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if isinstance(op, hlo.ConvertOp) and self._convert(op, rewriter):
            return
        if type(op) in BINARY:
            new_class = BINARY[type(op)]
            lhs, rhs = op.operands[0], op.operands[1]
            replace_with(rewriter, op, [binary(rewriter, op, new_class, lhs, rhs, op.results[0].type)])
        elif type(op) in FLOAT_BINARY and _is_float(op.results[0]):
            new_class = FLOAT_BINARY[type(op)]
            lhs, rhs = op.operands[0], op.operands[1]
            replace_with(rewriter, op, [binary(rewriter, op, new_class, lhs, rhs, op.results[0].type)])
        elif type(op) in BOOL_BINARY and _is_bool(op.results[0]):
            new_class = BOOL_BINARY[type(op)]
            lhs, rhs = op.operands[0], op.operands[1]
            replace_with(rewriter, op, [binary(rewriter, op, new_class, lhs, rhs, op.results[0].type)])
        elif isinstance(op, hlo.NotOp) and _is_bool(op.results[0]):
            replace_with(rewriter, op, [emit1(rewriter, op, tfl.LogicalNotOp, [op.operand], op.result.type)])
        elif type(op) in UNARY:
            replace_with(rewriter, op, [emit1(rewriter, op, UNARY[type(op)], [op.operands[0]], op.results[0].type)])
        elif isinstance(op, hlo.LogPlusOneOp) and _is_float(op.result):
            one = scalar(rewriter, op, 1, op.result)
            shifted = binary(rewriter, op, tfl.AddOp, op.operand, one, op.result.type)
            replace_with(rewriter, op, [unary(rewriter, op, tfl.LogOp, shifted)])
        elif isinstance(op, hlo.XorOp) and _is_bool(op.result):
            replace_with(rewriter, op, [binary(rewriter, op, tfl.NotEqualOp, op.lhs, op.rhs, op.result.type)])
        elif type(op) in COMPOSED and _is_float(op.operands[0]):
            replace_with(rewriter, op, [COMPOSED[type(op)](rewriter, op)])
        elif isinstance(op, hlo.ExponentialMinusOneOp) and _is_float(op.result):
            one = scalar(rewriter, op, 1, op.result)
            exp = unary(rewriter, op, tfl.ExpOp, op.operand)
            replace_with(rewriter, op, [binary(rewriter, op, tfl.SubOp, exp, one, op.result.type)])


    @staticmethod
    def _convert(op: hlo.ElementwiseUnaryOp, rewriter: PatternRewriter) -> bool:
        """A convert to the same type is its operand; a convert of a constant folds."""
        if op.operand.type == op.result.type:
            replace_with(rewriter, op, [op.operand])
            return True
        array = constant_array(op.operand)
        if array is None:
            return False
        source, target = tensor_type(op.operand).element_type, tensor_type(op.result).element_type
        with np.errstate(all="ignore"):  # on the distinct elements: a splat converts to a splat
            value = elementwise(lambda a: storage_array(numeric_array(a, source), target), array)
        replace_with(rewriter, op, [const(rewriter, op, value, target)])
        return True


def _tan(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    """tan x = sin x / cos x."""
    x = op.operands[0]
    return binary(rewriter, op, tfl.DivOp, unary(rewriter, op, tfl.SinOp, x), unary(rewriter, op, tfl.CosOp, x), x.type)


def _trunc(rewriter: PatternRewriter, op: Operation, x: SSAValue) -> SSAValue:
    """Rounding toward zero: sign(x) * floor(|x|)."""
    magnitude = unary(rewriter, op, tfl.FloorOp, unary(rewriter, op, tfl.AbsOp, x))
    return binary(rewriter, op, tfl.MulOp, unary(rewriter, op, tfl.SignOp, x), magnitude, x.type)


def _round_afz(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    """Half away from zero: sign(x) * floor(|x| + 0.5)."""
    x = op.operands[0]
    half = scalar(rewriter, op, 0.5, x)
    shifted = binary(rewriter, op, tfl.AddOp, unary(rewriter, op, tfl.AbsOp, x), half, x.type)
    sign = unary(rewriter, op, tfl.SignOp, x)
    return binary(rewriter, op, tfl.MulOp, sign, unary(rewriter, op, tfl.FloorOp, shifted), x.type)


def _cbrt(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    """Real cube root: sign(x) * |x| ** (1/3)."""
    x = op.operands[0]
    third = scalar(rewriter, op, 1.0 / 3.0, x)
    root = binary(rewriter, op, tfl.PowOp, unary(rewriter, op, tfl.AbsOp, x), third, x.type)
    return binary(rewriter, op, tfl.MulOp, unary(rewriter, op, tfl.SignOp, x), root, x.type)


def _remainder(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    """Float remainder with the dividend's sign: x - y * trunc(x / y)."""
    x, y = op.operands
    quotient = _trunc(rewriter, op, binary(rewriter, op, tfl.DivOp, x, y, x.type))
    return binary(rewriter, op, tfl.SubOp, x, binary(rewriter, op, tfl.MulOp, y, quotient, x.type), x.type)


def _is_finite(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    """x - x is 0 exactly for finite x (NaN for inf and NaN)."""
    x = op.operands[0]
    zero = scalar(rewriter, op, 0, x)
    return binary(rewriter, op, tfl.EqualOp, binary(rewriter, op, tfl.SubOp, x, x, x.type), zero, op.results[0].type)


# Float ops TFLite has no kernel for, composed from ones it has.
COMPOSED: dict[type[Operation], Callable[[PatternRewriter, Operation], SSAValue]] = {
    hlo.TanOp: _tan,
    hlo.RoundNearestAfzOp: _round_afz,
    hlo.CbrtOp: _cbrt,
    hlo.RemainderOp: _remainder,
    hlo.IsFiniteOp: _is_finite,
}


class LegalizeCompare(RewritePattern):
    """stablehlo.compare -> tfl.less/greater/equal/... (TOTALORDER is not TFLite's order)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.CompareOp, rewriter: PatternRewriter) -> None:
        if op.compare_type is not None and op.compare_type.data == hlo.ComparisonType.TOTALORDER:
            return
        new_class = COMPARISONS[op.comparison_direction.data]
        replace_with(rewriter, op, [binary(rewriter, op, new_class, op.lhs, op.rhs, op.result.type)])


class LegalizeSelect(RewritePattern):
    """stablehlo.select -> tfl.select_v2 (a scalar predicate broadcasts)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.SelectOp, rewriter: PatternRewriter) -> None:
        pred, on_true, on_false = (constant_array(v) for v in op.operands)
        if pred is not None and on_true is not None and on_false is not None:  # index arithmetic of jnp indexing folds
            value = np.where(pred, on_true, on_false).astype(_dtype(op.result))
            element_type = tensor_type(op.result).element_type
            replace_with(rewriter, op, [const(rewriter, op, np.ascontiguousarray(value), element_type)])
            return
        select = emit1(rewriter, op, tfl.SelectV2Op, [op.pred, op.on_true, op.on_false], op.result.type)
        replace_with(rewriter, op, [select])


class FoldSelect(RewritePattern):
    """tfl.select_v2 of constants (jnp indexing's negative-index fix-ups) -> a constant."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tfl.SelectV2Op, rewriter: PatternRewriter) -> None:
        pred, on_true, on_false = (constant_array(v) for v in op.operands)
        if pred is not None and on_true is not None and on_false is not None and _static(op.output):
            value = np.ascontiguousarray(np.broadcast_to(np.where(pred, on_true, on_false), _shape(op.output)))
            element_type = tensor_type(op.output).element_type
            replace_with(rewriter, op, [const(rewriter, op, value.astype(_dtype(op.output)), element_type)])


class LegalizeClamp(RewritePattern):
    """stablehlo.clamp -> minimum(maximum(x, lo), hi)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ClampOp, rewriter: PatternRewriter) -> None:
        low = binary(rewriter, op, tfl.MaximumOp, op.operand, op.min, op.result.type)
        replace_with(rewriter, op, [binary(rewriter, op, tfl.MinimumOp, low, op.max, op.result.type)])


# -- shapes ----------------------------------------------------------------------------------


def _broadcast_operand(
    rewriter: PatternRewriter, anchor: Operation, value: SSAValue, dims: Sequence[int], rank: int
) -> SSAValue:
    """`value` transposed and reshaped so that numpy broadcasting puts its dims at `dims`
    of a rank-`rank` result (leading dims left for broadcasting to add)."""
    order = sorted(range(len(dims)), key=lambda i: dims[i])
    value = transpose(rewriter, anchor, value, order)
    dims = sorted(dims)
    shape = _shape(value)
    if not dims:
        return value
    target = [1] * (rank - dims[0])
    for size, d in zip(shape, dims):
        target[d - dims[0]] = size
    if target == shape:
        return value
    if target.count(DYNAMIC_INDEX) > 1:
        raise ConversionError(
            f"broadcast_in_dim of a tensor with several unknown dims ({ranked(value)}) is not supported"
        )
    return reshape(rewriter, anchor, value, target)


class LegalizeBroadcastInDim(RewritePattern):
    """broadcast_in_dim -> reshape (and transpose) + tfl.broadcast_to; constants fold when small."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, hlo.BroadcastInDimOp | hlo.DynamicBroadcastInDimOp):
            return
        result = op.results[0]
        rank = len(_shape(result))
        value = _broadcast_operand(rewriter, op, op.operand, hlo.array_values(op.broadcast_dimensions), rank)
        if _static(result) and _static(value) and np.prod(_shape(value)) == np.prod(_shape(result)):
            replace_with(rewriter, op, [reshape(rewriter, op, value, _shape(result))])  # only adds 1s
            return
        if isinstance(op, hlo.BroadcastInDimOp):
            shape = i32_const(rewriter, op, _shape(result))
        else:
            shape = as_i32_tensor(rewriter, op, op.output_dimensions)
        replace_with(rewriter, op, [broadcast_to(rewriter, op, value, shape, result.type)])


class LegalizeReshape(RewritePattern):
    """reshape / dynamic_reshape -> tfl.reshape."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if isinstance(op, hlo.ReshapeOp):
            replace_with(rewriter, op, [reshape(rewriter, op, op.operand, _shape(op.result))])
        elif isinstance(op, hlo.DynamicReshapeOp):
            shape = as_i32_tensor(rewriter, op, op.output_shape)
            replace_with(rewriter, op, [emit1(rewriter, op, tfl.ReshapeOp, [op.operand, shape], op.result.type)])


class LegalizeTranspose(RewritePattern):
    """transpose -> tfl.transpose (constants fold)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.TransposeOp, rewriter: PatternRewriter) -> None:
        replace_with(rewriter, op, [transpose(rewriter, op, op.operand, hlo.array_values(op.permutation))])


class LegalizeGetDimensionSize(RewritePattern):
    """get_dimension_size -> the static size, or tfl.shape + slice + reshape to a scalar."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.GetDimensionSizeOp, rewriter: PatternRewriter) -> None:
        dim = op.dimension.value.data
        size = _shape(op.operand)[dim]
        dtype = _dtype(op.result)
        if size != DYNAMIC_INDEX:
            replace_with(rewriter, op, [const(rewriter, op, np.array(size, dtype))])
            return
        rank = len(_shape(op.operand))
        shape = emit1(rewriter, op, tfl.ShapeOp, [op.operand], TensorType(i32, [rank]))
        piece = emit1(
            rewriter,
            op,
            tfl.SliceOp,
            [shape, i32_const(rewriter, op, [dim]), i32_const(rewriter, op, [1])],
            TensorType(i32, [1]),
        )
        value = reshape(rewriter, op, piece, [])
        if dtype != np.int32:
            value = emit1(rewriter, op, tfl.CastOp, [value], op.result.type)
        replace_with(rewriter, op, [value])


class LegalizeConcatenate(RewritePattern):
    """concatenate -> tfl.concatenation."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ConcatenateOp, rewriter: PatternRewriter) -> None:
        if len(op.inputs) == 1:
            replace_with(rewriter, op, [op.inputs[0]])
            return
        arrays = [a for a in (constant_array(v) for v in op.inputs) if a is not None]
        if len(arrays) == len(op.inputs):
            value = np.concatenate(arrays, axis=op.dimension.value.data)
            replace_with(rewriter, op, [const(rewriter, op, value, tensor_type(op.result).element_type)])
            return
        new = emit1(
            rewriter, op, tfl.ConcatenationOp, list(op.inputs), op.result.type,
            axis=i32_prop(op.dimension.value.data), fused_activation_function=NONE,
        )
        replace_with(rewriter, op, [new])


class LegalizeIota(RewritePattern):
    """iota (static shape) -> a constant."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.IotaOp, rewriter: PatternRewriter) -> None:
        shape = _shape(op.output)
        if not _static(op.output):
            return
        dim = op.iota_dimension.value.data
        line_shape = [-1 if i == dim else 1 for i in range(len(shape))]
        element = tensor_type(op.output).element_type
        line = storage_array(np.arange(shape[dim]), element).reshape(line_shape)
        value = np.ascontiguousarray(np.broadcast_to(line, shape))
        replace_with(rewriter, op, [const(rewriter, op, value, element)])


class LegalizeSlice(RewritePattern):
    """slice -> tfl.slice (unit strides) or tfl.strided_slice."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.SliceOp, rewriter: PatternRewriter) -> None:
        start = hlo.array_values(op.start_indices)
        limit = hlo.array_values(op.limit_indices)
        strides = hlo.array_values(op.strides)
        array = constant_array(op.operand)
        if array is not None:
            index = tuple(slice(a, b, s) for a, b, s in zip(start, limit, strides))
            element_type = tensor_type(op.result).element_type
            replace_with(rewriter, op, [const(rewriter, op, np.ascontiguousarray(array[index]), element_type)])
            return
        if all(s == 1 for s in strides):
            sizes = [b - a for a, b in zip(start, limit)]
            new = emit1(
                rewriter,
                op,
                tfl.SliceOp,
                [op.operand, i32_const(rewriter, op, start), i32_const(rewriter, op, sizes)],
                op.result.type,
            )
        else:
            new = emit1(
                rewriter, op, tfl.StridedSliceOp,
                [
                    op.operand,
                    i32_const(rewriter, op, start),
                    i32_const(rewriter, op, limit),
                    i32_const(rewriter, op, strides),
                ],
                op.result.type,
                begin_mask=i32_prop(0), end_mask=i32_prop(0), ellipsis_mask=i32_prop(0),
                new_axis_mask=i32_prop(0), shrink_axis_mask=i32_prop(0), offset=bool_prop(False),
            )
        replace_with(rewriter, op, [new])


class LegalizeDynamicSlice(RewritePattern):
    """dynamic_slice -> tfl.slice at start indices clamped to [0, dim - size], as StableHLO clamps."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.DynamicSliceOp, rewriter: PatternRewriter) -> None:
        sizes = hlo.array_values(op.slice_sizes)
        dims = _shape(op.operand)
        if DYNAMIC_INDEX in dims:
            return
        begin = pack_indices(rewriter, op, list(op.start_indices))
        array = constant_array(begin)
        high = [d - s for d, s in zip(dims, sizes)]
        if array is not None:
            begin = i32_const(rewriter, op, np.clip(array, 0, high))
        else:
            begin = binary(rewriter, op, tfl.MaximumOp, begin, i32_const(rewriter, op, [0] * len(dims)), begin.type)
            begin = binary(rewriter, op, tfl.MinimumOp, begin, i32_const(rewriter, op, high), begin.type)
        new = emit1(rewriter, op, tfl.SliceOp, [op.operand, begin, i32_const(rewriter, op, sizes)], op.result.type)
        replace_with(rewriter, op, [new])


class LegalizeDynamicUpdateSlice(RewritePattern):
    """dynamic_update_slice -> tfl.dynamic_update_slice (which clamps start indices as StableHLO does)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.DynamicUpdateSliceOp, rewriter: PatternRewriter) -> None:
        indices = pack_indices(rewriter, op, list(op.start_indices))
        new = emit1(rewriter, op, tfl.DynamicUpdateSliceOp, [op.operand, op.update, indices], op.result.type)
        replace_with(rewriter, op, [new])


class LegalizePad(RewritePattern):
    """pad without interior padding -> tfl.pad / tfl.padv2 (negative edges slice)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.PadOp, rewriter: PatternRewriter) -> None:
        low = hlo.array_values(op.edge_padding_low)
        high = hlo.array_values(op.edge_padding_high)
        if any(hlo.array_values(op.interior_padding)):
            return
        value = op.operand
        if any(p < 0 for p in (*low, *high)):
            dims = _shape(value)
            if DYNAMIC_INDEX in dims:
                return
            begin = [max(-p, 0) for p in low]
            sizes = [d - b - max(-h, 0) for d, b, h in zip(dims, begin, high)]
            value = emit1(
                rewriter,
                op,
                tfl.SliceOp,
                [value, i32_const(rewriter, op, begin), i32_const(rewriter, op, sizes)],
                like(value, sizes),
            )
            low = [max(p, 0) for p in low]
            high = [max(p, 0) for p in high]
        if not any(low) and not any(high):
            replace_with(rewriter, op, [value])
            return
        paddings = i32_const(rewriter, op, np.array([low, high], dtype=np.int32).T)
        pad_value = scalar_constant(op.padding_value)
        if pad_value == 0:
            new = emit1(rewriter, op, tfl.PadOp, [value, paddings], op.result.type)
        else:
            new = emit1(rewriter, op, tfl.PadV2Op, [value, paddings, op.padding_value], op.result.type)
        replace_with(rewriter, op, [new])


class LegalizeReverse(RewritePattern):
    """reverse -> tfl.reverse_v2."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ReverseOp, rewriter: PatternRewriter) -> None:
        axes = hlo.array_values(op.dimensions)
        if not axes:
            replace_with(rewriter, op, [op.operand])
            return
        new = emit1(rewriter, op, tfl.ReverseV2Op, [op.operand, i32_const(rewriter, op, axes)], op.result.type)
        replace_with(rewriter, op, [new])


class DropShapeAssertions(RewritePattern):
    """custom_call @shape_assertion (jax2tf's shape checks) has no TFLite form and is dropped, as TF does."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.CustomCallOp, rewriter: PatternRewriter) -> None:
        if op.call_target_name.data == "shape_assertion" and not op.results:
            operands = list(op.operands)
            rewriter.erase(op)
            for value in operands:
                _erase_if_dead(rewriter, value)
        elif (
            op.call_target_name.data in ("Sharding", "SPMDFullToShardShape", "SPMDShardToFullShape")
            and len(op.operands) == 1
        ):
            replace_with(rewriter, op, [op.operands[0]])


def _erase_if_dead(rewriter: PatternRewriter, value: SSAValue) -> None:
    """Erase the pure producer of `value` (and its dead inputs) once nothing uses it."""
    owner = value.owner
    if (
        isinstance(owner, Operation)
        and not any(r.uses for r in owner.results)
        and isinstance(owner, hlo.StableHLOOp | tfl.TFLOp)
    ):
        if isinstance(owner, hlo.CustomCallOp | hlo.WhileOp):
            return
        operands = list(owner.operands)
        rewriter.erase(owner)
        for v in operands:
            _erase_if_dead(rewriter, v)


class ForwardBarrier(RewritePattern):
    """optimization_barrier forwards its operands."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.OptimizationBarrierOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, [], list(op.operands))


# -- linear algebra ------------------------------------------------------------------------


def _matrix_operand(
    rewriter: PatternRewriter, anchor: Operation, value: SSAValue, batch: list[int], first: list[int], second: list[int]
) -> SSAValue:
    """`value` as [batch..., prod(first), prod(second)] (transposed and reshaped as needed)."""
    value = transpose(rewriter, anchor, value, [*batch, *first, *second])
    shape = _shape(value)
    nb = len(batch)
    rows = shape[nb : nb + len(first)]
    cols = shape[nb + len(first) :]

    def product(dims: list[int]) -> int:
        return DYNAMIC_INDEX if DYNAMIC_INDEX in dims else int(np.prod(dims, dtype=np.int64))

    return reshape(rewriter, anchor, value, [*shape[:nb], product(rows), product(cols)])


class LegalizeDotGeneral(RewritePattern):
    """dot_general / dot -> tfl.batch_matmul on [batch, M, K] x [batch, K, N] (then reshaped);
    the optimizer turns constant 2-D weights into tfl.fully_connected."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if isinstance(op, hlo.DotGeneralOp):
            numbers = op.dot_dimension_numbers
            lb, rb = numbers.dims("lhs_batching_dimensions"), numbers.dims("rhs_batching_dimensions")
            lc, rc = numbers.dims("lhs_contracting_dimensions"), numbers.dims("rhs_contracting_dimensions")
        elif isinstance(op, hlo.DotOp):
            lb, rb, lc, rc = [], [], [len(_shape(op.lhs)) - 1], [0]
        else:
            return
        lhs, rhs, result = op.operands[0], op.operands[1], op.results[0]
        if not _is_float(result):
            return
        lhs_rank, rhs_rank = len(_shape(lhs)), len(_shape(rhs))
        lf = [d for d in range(lhs_rank) if d not in lb and d not in lc]
        rf = [d for d in range(rhs_rank) if d not in rb and d not in rc]
        lhs_shape, rhs_shape = _shape(lhs), _shape(rhs)
        batch_shape = [lhs_shape[d] for d in lb]
        if any(d == DYNAMIC_INDEX for d in [*(lhs_shape[d] for d in lc), *(rhs_shape[d] for d in rf)]):
            return  # contracting and weight dims must be known
        if not lf:
            lhs = reshape(rewriter, op, lhs, [*lhs_shape, 1])
            lf = [lhs_rank]
        if not rf:
            rhs = reshape(rewriter, op, rhs, [*rhs_shape, 1])
            rf = [rhs_rank]
        if sum(_shape(lhs)[d] == DYNAMIC_INDEX for d in lf) > 1 or DYNAMIC_INDEX in batch_shape:
            return
        if not lb:
            # [free..., K] x [K, N]: free dims stay, so a constant rhs becomes a fully_connected
            # with keep_num_dims and later reshapes of its output can take the bias.
            x = transpose(rewriter, op, lhs, [*lf, *lc])
            free = _shape(x)[: len(lf)]
            k = int(np.prod([_shape(x)[i] for i in range(len(lf), len(_shape(x)))], dtype=np.int64))
            x = reshape(rewriter, op, x, [*free, k])
            y = _matrix_operand(rewriter, op, rhs, [], list(rc), rf)
            product = emit1(
                rewriter, op, tfl.BatchMatMulOp, [x, y], like(result, [*free, _shape(y)[-1]]),
                adj_x=bool_prop(False), adj_y=bool_prop(False),
            )
            replace_with(rewriter, op, [reshape(rewriter, op, product, _shape(result))])
            return
        x = _matrix_operand(rewriter, op, lhs, list(lb), lf, list(lc))
        # rhs as [batch, N, K] when that needs no transpose of a non-constant, else [batch, K, N].
        adj_y = list(rc) == [max(rf) + 1] if rc and max(rf) < min(rc) and constant_array(rhs) is None else False
        if adj_y:
            y = _matrix_operand(rewriter, op, rhs, list(rb), rf, list(rc))
        else:
            y = _matrix_operand(rewriter, op, rhs, list(rb), list(rc), rf)
        m, n = _shape(x)[-2], _shape(y)[-2 if adj_y else -1]
        product = emit1(
            rewriter, op, tfl.BatchMatMulOp, [x, y], like(result, [*batch_shape, m, n]),
            adj_x=bool_prop(False), adj_y=bool_prop(adj_y),
        )
        replace_with(rewriter, op, [reshape(rewriter, op, product, _shape(result))])


# -- convolution ---------------------------------------------------------------------------


def _explicit_padding(op: hlo.ConvolutionOp | hlo.ReduceWindowOp, spatial: int) -> list[tuple[int, int]]:
    if op.padding is None:
        return [(0, 0)] * spatial
    values = hlo.array_values(op.padding)
    return [(values[2 * i], values[2 * i + 1]) for i in range(len(values) // 2)]


def same_padding(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """TensorFlow's SAME padding (low, high) for one spatial dim."""
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def tfl_padding(
    sizes: Sequence[int],
    kernels: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
    pads: Sequence[tuple[int, int]],
) -> str | None:
    """"VALID" or "SAME" when explicit paddings equal one of them, else None."""
    if all(p == (0, 0) for p in pads):
        return "VALID"
    if any(s == DYNAMIC_INDEX for s in sizes):
        return None
    if all(tuple(p) == same_padding(s, k, st, d) for s, k, st, d, p in zip(sizes, kernels, strides, dilations, pads)):
        return "SAME"
    return None


class LegalizeConvolution(RewritePattern):
    """2-D convolution -> tfl.conv_2d or tfl.depthwise_conv_2d (NHWC; other layouts transposed)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ConvolutionOp, rewriter: PatternRewriter) -> None:
        numbers = op.dimension_numbers
        in_b, in_f, in_s = numbers.layout(0)
        k_i, k_o, k_s = numbers.layout(1)
        out_b, out_f, out_s = numbers.layout(2)
        if len(in_s) != 2 or op.batch_group_count.value.data != 1 or not _is_float(op.result):
            return
        if any(d != 1 for d in hlo.array_values(op.lhs_dilation, [1, 1])):
            return
        if any(hlo.array_values(op.window_reversal, [0, 0])):
            return
        strides = hlo.array_values(op.window_strides, [1, 1])
        dilations = hlo.array_values(op.rhs_dilation, [1, 1])
        pads = _explicit_padding(op, 2)
        x = transpose(rewriter, op, op.lhs, [in_b, *in_s, in_f])
        kernel_shape = _shape(op.rhs)
        kh, kw = (kernel_shape[d] for d in k_s)
        in_channels = _shape(x)[3]
        out_channels = kernel_shape[k_o]
        groups = op.feature_group_count.value.data
        out_shape = _shape(op.result)
        nhwc = [out_shape[d] for d in (out_b, *out_s, out_f)]
        padding = tfl_padding(_shape(x)[1:3], [kh, kw], strides, dilations, pads)
        if padding is None:
            paddings = i32_const(rewriter, op, np.array([[0, 0], list(pads[0]), list(pads[1]), [0, 0]], np.int32))
            padded = [s + lo + hi if s != DYNAMIC_INDEX else s for s, (lo, hi) in zip(_shape(x)[1:3], pads)]
            x = emit1(rewriter, op, tfl.PadOp, [x, paddings], like(x, [_shape(x)[0], *padded, in_channels]))
            padding = "VALID"
        bias = const(rewriter, op, np.zeros(out_channels, _dtype(op.result)))
        common = dict(
            padding=StringAttr(padding), stride_h=i32_prop(strides[0]), stride_w=i32_prop(strides[1]),
            dilation_h_factor=i32_prop(dilations[0]), dilation_w_factor=i32_prop(dilations[1]),
            fused_activation_function=NONE,
        )
        if groups == 1:
            w = transpose(rewriter, op, op.rhs, [k_o, *k_s, k_i])  # OHWI
            y = emit1(rewriter, op, tfl.Conv2DOp, [x, w, bias], like(op.result, nhwc), **common)
        elif groups == in_channels and kernel_shape[k_i] == 1:
            w = transpose(rewriter, op, op.rhs, [k_i, *k_s, k_o])  # 1HWO
            y = emit1(
                rewriter, op, tfl.DepthwiseConv2DOp, [x, w, bias], like(op.result, nhwc),
                depth_multiplier=i32_prop(out_channels // in_channels), **common,
            )
        else:
            return
        inverse = [0] * 4
        for position, d in enumerate((out_b, *out_s, out_f)):
            inverse[d] = position
        replace_with(rewriter, op, [transpose(rewriter, op, y, inverse)])


# -- reductions and windows ----------------------------------------------------------------


class LegalizeReduce(RewritePattern):
    """reduce with an add/max/min/mul/and/or body -> tfl.sum/reduce_max/...; an init value
    that is not the identity is combined afterwards. Two-input max/min reduces with an
    index (jnp.argmax) become tfl.arg_max/arg_min."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ReduceOp, rewriter: PatternRewriter) -> None:
        if len(op.inputs) == 4:
            self._arg_reduce(op, rewriter)
            return
        kind = body_op(op.body)
        if kind is None or len(op.inputs) != 2:
            return
        x, init = op.inputs[0], op.inputs[1]
        axes = hlo.array_values(op.dimensions)
        result = op.outputs[0]
        if not axes:
            value = x
        else:
            value = reducer(rewriter, op, REDUCERS[kind], x, axes, result.type)
        identity = _identity(kind, tensor_type(result).element_type)
        init_value = scalar_constant(init)
        if init_value is None or identity is None or init_value != identity:
            value = binary(rewriter, op, REDUCER_COMBINE[kind], value, init, result.type)
        replace_with(rewriter, op, [value])

    def _arg_reduce(self, op: hlo.ReduceOp, rewriter: PatternRewriter) -> None:
        """reduce((values, iota), (init, init_index)) picking max/min value and its index."""
        values, indices, _, _ = op.inputs
        axes = hlo.array_values(op.dimensions)
        if len(axes) != 1 or not _is_iota(indices, axes[0]):
            return
        direction = _arg_direction(op.body)
        if direction is None:
            return
        arg_class = tfl.ArgMaxOp if direction == "max" else tfl.ArgMinOp
        value_class = tfl.ReduceMaxOp if direction == "max" else tfl.ReduceMinOp
        value = reducer(rewriter, op, value_class, values, axes, op.outputs[0].type)
        index = emit1(rewriter, op, arg_class, [values, i32_const(rewriter, op, axes)], op.outputs[1].type)
        replace_with(rewriter, op, [value, index])


def _is_iota(value: SSAValue, dim: int) -> bool:
    """Whether `value` counts 0, 1, 2, ... along `dim` (a stablehlo.iota, or its folded constant)."""
    owner = value.owner
    if isinstance(owner, hlo.IotaOp):
        return owner.iota_dimension.value.data == dim
    array = constant_array(value)
    if array is None or dim >= array.ndim:
        return False
    line = np.arange(array.shape[dim]).reshape([-1 if i == dim else 1 for i in range(array.ndim)])
    return bool(np.array_equal(array, np.broadcast_to(line, array.shape)))


def _arg_direction(region) -> str | None:
    """"max"/"min" when a two-value reducer body keeps the larger/smaller value with its index."""
    compares = [o for o in region.block.walk() if isinstance(o, hlo.CompareOp)]
    for compare in compares:
        args = list(region.block.args)
        if list(compare.operands) == [args[0], args[2]] or list(compare.operands) == [args[2], args[0]]:
            direction = compare.comparison_direction.data
            flipped = list(compare.operands) == [args[2], args[0]]
            if direction in (hlo.ComparisonDirection.GT, hlo.ComparisonDirection.GE):
                return "min" if flipped else "max"
            if direction in (hlo.ComparisonDirection.LT, hlo.ComparisonDirection.LE):
                return "max" if flipped else "min"
    return None


class LegalizeReduceWindow(RewritePattern):
    """reduce_window over H and W of NHWC -> tfl.max_pool_2d, or sum pooling as
    tfl.average_pool_2d times the window size (padding made explicit when TFLite's differs)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ReduceWindowOp, rewriter: PatternRewriter) -> None:
        kind = body_op(op.body)
        if len(op.inputs) != 2 or kind not in (hlo.MaximumOp, hlo.AddOp) or not _is_float(op.outputs[0]):
            return
        x, init = op.inputs
        window = hlo.array_values(op.window_dimensions)
        rank = len(window)
        strides = hlo.array_values(op.window_strides, [1] * rank)
        if any(hlo.array_values(op.base_dilations, [1] * rank)[i] != 1 for i in range(rank)):
            return
        if any(hlo.array_values(op.window_dilations, [1] * rank)[i] != 1 for i in range(rank)):
            return
        if rank != 4 or window[0] != 1 or window[3] != 1 or strides[0] != 1 or strides[3] != 1:
            return
        pads = _explicit_padding(op, 4)
        if pads[0] != (0, 0) or pads[3] != (0, 0):
            return
        identity = _identity(kind, tensor_type(x).element_type)
        if identity is None or scalar_constant(init) != identity:
            return
        result = op.outputs[0]
        padding = tfl_padding(_shape(x)[1:3], window[1:3], strides[1:3], [1, 1], pads[1:3])
        if kind is hlo.AddOp and padding == "SAME":
            padding = None  # TFLite's SAME average excludes the padding from the count
        if padding is None:
            paddings = i32_const(rewriter, op, np.array([list(p) for p in pads], np.int32))
            shape = [s + lo + hi if s != DYNAMIC_INDEX else s for s, (lo, hi) in zip(_shape(x), pads)]
            if kind is hlo.AddOp:
                x = emit1(rewriter, op, tfl.PadOp, [x, paddings], like(x, shape))
            else:
                lowest = scalar(rewriter, op, identity, x)  # the max identity: -inf, or the integer minimum
                x = emit1(rewriter, op, tfl.PadV2Op, [x, paddings, lowest], like(x, shape))
            padding = "VALID"
        props = dict(
            padding=StringAttr(padding), stride_h=i32_prop(strides[1]), stride_w=i32_prop(strides[2]),
            filter_height=i32_prop(window[1]), filter_width=i32_prop(window[2]), fused_activation_function=NONE,
        )
        if kind is hlo.MaximumOp:
            replace_with(rewriter, op, [emit1(rewriter, op, tfl.MaxPool2DOp, [x], result.type, **props)])
            return
        mean = emit1(rewriter, op, tfl.AveragePool2DOp, [x], result.type, **props)
        size = scalar(rewriter, op, window[1] * window[2], x)
        replace_with(rewriter, op, [binary(rewriter, op, tfl.MulOp, mean, size, result.type)])


def _index_vectors(
    rewriter: PatternRewriter, anchor: Operation, indices: SSAValue, index_vector_dim: int, limits: Sequence[int] | None
) -> SSAValue:
    """Indices as int32 [..., k] (index vectors last), clamped to [0, limit] per component
    as StableHLO clamps gather start indices (not when `limits` is None)."""
    shape = _shape(indices)
    if index_vector_dim == len(shape):
        indices = reshape(rewriter, anchor, indices, [*shape, 1])
    else:
        order = [d for d in range(len(shape)) if d != index_vector_dim] + [index_vector_dim]
        indices = transpose(rewriter, anchor, indices, order)
    indices = as_i32_tensor(rewriter, anchor, indices)
    if limits is None:
        return indices
    array = constant_array(indices)
    high = np.array(limits, np.int32)
    if array is not None:
        return i32_const(rewriter, anchor, np.clip(array, 0, high))
    zeros = i32_const(rewriter, anchor, np.zeros_like(high))
    low = binary(rewriter, anchor, tfl.MaximumOp, indices, zeros, indices.type)
    return binary(rewriter, anchor, tfl.MinimumOp, low, i32_const(rewriter, anchor, high), indices.type)


class LegalizeGather(RewritePattern):
    """gather of whole slices at k start indices (jnp.take, x[idx], embedding lookups) ->
    transpose so the indexed dims lead, tfl.gather_nd, transpose the result into place."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.GatherOp, rewriter: PatternRewriter) -> None:
        numbers = op.dimension_numbers
        index_map = numbers.dims("start_index_map")
        collapsed = numbers.dims("collapsed_slice_dims")
        offset_dims = numbers.dims("offset_dims")
        if numbers.dims("operand_batching_dims") or set(collapsed) != set(index_map):
            return
        dims = _shape(op.operand)
        sizes = hlo.array_values(op.slice_sizes)
        rest = [d for d in range(len(dims)) if d not in index_map]
        if DYNAMIC_INDEX in dims or any(sizes[d] != 1 for d in index_map) or any(sizes[d] != dims[d] for d in rest):
            return
        operand = transpose(rewriter, op, op.operand, [*index_map, *rest])
        limits = [dims[d] - 1 for d in index_map]
        indices = _index_vectors(rewriter, op, op.start_indices, numbers.dim("index_vector_dim"), limits)
        batch = _shape(indices)[:-1]
        gathered_type = like(op.result, [*batch, *(dims[d] for d in rest)])
        gathered = emit1(rewriter, op, tfl.GatherNdOp, [operand, indices], gathered_type)
        result_rank = len(_shape(op.result))
        order, next_batch = [], 0
        for position in range(result_rank):
            if position in offset_dims:
                order.append(len(batch) + offset_dims.index(position))
            else:
                order.append(next_batch)
                next_batch += 1
        replace_with(rewriter, op, [transpose(rewriter, op, gathered, order)])


def _scatter_kind(region) -> str | None:
    """"add" for an add body, "set" for a body returning the update, else None."""
    block = region.block
    ops = list(block.ops)
    if len(block.args) != 2:
        return None
    if len(ops) == 1 and isinstance(ops[0], hlo.ReturnOp) and list(ops[0].operands) == [block.args[1]]:
        return "set"
    return "add" if body_op(region) is hlo.AddOp else None


def _unique_index_vectors(indices: SSAValue, index_vector_dim: int) -> bool:
    """Whether constant scatter indices name every position once (False if not constant)."""
    array = constant_array(indices)
    if array is None or not np.issubdtype(array.dtype, np.integer) or not 0 <= index_vector_dim <= array.ndim:
        return False
    if array.size > 1 << 20:  # too many to compare: decline, as for unknown indices
        return False
    array = array.astype(np.int32)  # as the lowering passes them to TFLite
    vectors = array[..., None] if index_vector_dim == array.ndim else np.moveaxis(array, index_vector_dim, -1)
    rows = vectors.reshape(-1, vectors.shape[-1]) if vectors.shape[-1] else vectors.reshape(-1, 0)
    return len({tuple(r) for r in rows.tolist()}) == len(rows)


class LegalizeScatter(RewritePattern):
    """scatter of whole slices (x.at[idx].add(v) / .set(v)) -> tfl.scatter_nd, added to the
    operand, or selected over it where written (set: only with indices known unique).
    TFLite's scatter_nd rejects out-of-range indices, where StableHLO skips those updates."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: hlo.ScatterOp, rewriter: PatternRewriter) -> None:
        if len(op.inputs) != 3:
            return
        operand, indices, updates = op.inputs
        numbers = op.scatter_dimension_numbers
        index_map = numbers.dims("scatter_dims_to_operand_dims")
        inserted = numbers.dims("inserted_window_dims")
        window = numbers.dims("update_window_dims")
        kind = _scatter_kind(op.update_computation)
        if kind is None or numbers.dims("input_batching_dims") or set(inserted) != set(index_map):
            return
        dims = _shape(operand)
        rest = [d for d in range(len(dims)) if d not in index_map]
        update_shape = _shape(updates)
        if DYNAMIC_INDEX in dims or [update_shape[d] for d in window] != [dims[d] for d in rest]:
            return
        vector_dim = numbers.dim("index_vector_dim")
        unique = op.unique_indices is not None and op.unique_indices.value.data
        if kind == "set" and not unique and not _unique_index_vectors(indices, vector_dim):
            return  # checked before any op is built: a pattern that declines must leave the IR as it was
        index_vectors = _index_vectors(rewriter, op, indices, vector_dim, None)
        order = [*index_map, *rest]
        inverse = [order.index(d) for d in range(len(dims))]
        operand_t = transpose(rewriter, op, operand, order)
        scatter_dims = [d for d in range(len(update_shape)) if d not in window]
        updates_t = transpose(rewriter, op, updates, [*scatter_dims, *window])
        shape = i32_const(rewriter, op, _shape(operand_t))
        scattered = emit1(rewriter, op, tfl.ScatterNdOp, [index_vectors, updates_t, shape], operand_t.type)
        if kind == "add":
            value = binary(rewriter, op, tfl.AddOp, operand_t, scattered, operand_t.type)
        else:
            element = tensor_type(updates).element_type
            ones = const(rewriter, op, storage_array(np.ones(_shape(updates_t)), element), element)
            written = emit1(rewriter, op, tfl.ScatterNdOp, [index_vectors, ones, shape], operand_t.type)
            zero = scalar(rewriter, op, 0, updates)
            mask = binary(rewriter, op, tfl.GreaterOp, written, zero, like(operand_t, element=i1))
            value = emit1(rewriter, op, tfl.SelectV2Op, [mask, scattered, operand_t], operand_t.type)
        replace_with(rewriter, op, [transpose(rewriter, op, value, inverse)])


LOWERINGS: tuple[RewritePattern, ...] = (
    FoldSelect(),
    LegalizeConstant(),
    LegalizeElementwise(),
    LegalizeCompare(),
    LegalizeSelect(),
    LegalizeClamp(),
    LegalizeBroadcastInDim(),
    LegalizeReshape(),
    LegalizeTranspose(),
    LegalizeGetDimensionSize(),
    LegalizeConcatenate(),
    LegalizeIota(),
    LegalizeSlice(),
    LegalizeDynamicSlice(),
    LegalizeDynamicUpdateSlice(),
    LegalizePad(),
    LegalizeReverse(),
    DropShapeAssertions(),
    ForwardBarrier(),
    LegalizeDotGeneral(),
    LegalizeConvolution(),
    LegalizeReduce(),
    LegalizeReduceWindow(),
    LegalizeGather(),
    LegalizeScatter(),
)


def _walk(module: ModuleOp, patterns: Sequence[RewritePattern]) -> None:
    walker = PatternRewriteWalker(
        CleanDeclineApplier(list(patterns)), apply_recursively=True, listener=release_erased_constants()
    )
    walker.rewrite_module(module)


def _inline_calls(module: ModuleOp) -> None:
    """Inline `func.call`s (StableHLO text from jax calls private helpers such as @relu) and
    drop the private functions no longer called."""
    from xdsl.dialects.func import CallOp, FuncOp

    from tflc.passes.inline import _drop_unused_private_functions, inline_call

    funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}
    for _ in range(64):  # calls inside inlined bodies: another round (no recursion in StableHLO)
        calls = [o for o in module.walk() if isinstance(o, CallOp) and o.callee.root_reference.data in funcs]
        if not calls:
            break
        for call in calls:
            inline_call(call, funcs[call.callee.root_reference.data])
    public = [f for f in funcs.values() if f.sym_visibility is None or f.sym_visibility.data != "private"]
    _drop_unused_private_functions(module, funcs, public)


@dataclass(frozen=True)
class LegalizeStableHLO(ModulePass):
    """Rewrite stablehlo ops into tfl ops, then fold JAX's idioms into TFLite's fused ops."""

    name = "legalize-stablehlo"

    allow_unsupported: bool = False
    """Leave ops without a lowering in place instead of reporting them."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not any(isinstance(o, hlo.StableHLOOp) for o in op.walk()):
            return
        _check_element_types(op)
        _inline_calls(op)
        from tflc.passes.legalize_stablehlo_control import lower_control_flow

        lower_control_flow(op)
        from tflc.passes.optimize import FoldConstants

        from tflc.passes.stablehlo_idioms import IDIOMS, FoldSmallBroadcast

        for _ in range(3):  # again for ops that wait for operands to fold (scatter indices of jnp indexing)
            _walk(op, (*LOWERINGS, FoldConstants()))
            _walk(op, (FoldConstants(), *IDIOMS))
            if not any(isinstance(o, hlo.StableHLOOp) for o in op.walk()):
                break
        _walk(op, (FoldSmallBroadcast(),))
        # Tokens and dead shape computations (jax2tf's dimension variables) go.
        for o in reversed(list(op.walk())):
            if isinstance(o, hlo.CreateTokenOp | hlo.AfterAllOp) and not o.results[0].uses:
                o.detach()
                o.erase()
        left = [o for o in op.walk() if isinstance(o, hlo.StableHLOOp)]
        if left and not self.allow_unsupported:
            raise ConversionError(
                unsupported_ops_report(
                    left,
                    "have no TFLite builtin lowering",
                    "fix: express the computation with ops tflc lowers (see tflc-opt -p legalize-stablehlo), "
                    "or register a custom lowering pass for them",
                )
            )
