"""`legalize-tf`: rewrite tf ops into tfl (TFLite builtin) ops.

Only legalization: `prepare-tf` (fused activations) and `lower-control-flow` (While,
If, Case, TensorLists) are passes of their own that run before it. Each pattern
handles one op family; one-to-one lowerings share one table (`ONE_TO_ONE`). Ops left in the tf dialect after the rewrite
are reported in one grouped list, unless `allow-unsupported` is set (Select TF ops
exports them as Flex custom ops).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
)
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from tflc.dialects import tf, tfl
from tflc.dialects.tf import bool_attr, is_tf_op, str_attr, tf_op_name
from tflc.errors import ConversionError
from tflc.passes.common import (
    as_i32,
    constant_array,
    insert_before,
    release_erased_constants,
)
from tflc.passes.legalize_util import transpose
from tflc.passes.unranked import RankedOnlyApplier, left_ops_report

NONE = StringAttr("NONE")

# Ops the lower-control-flow pass lowers (named in the report when legalize-tf runs alone).
CONTROL_FLOW_OPS = frozenset(
    {"tf.While", "tf.StatelessWhile", "tf.If", "tf.StatelessIf", "tf.Case", "tf.StatelessCase"}
    | {"tf.TensorListReserve", "tf.TensorListFromTensor", "tf.TensorListGetItem", "tf.TensorListSetItem"}
    | {"tf.TensorListStack"}
)

class LegalizeConst(RewritePattern):
    """tf.Const with numeric or string data -> tfl.pseudo_const."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.ConstOp, rewriter: PatternRewriter) -> None:
        value = op.value
        is_string = isinstance(value, tf.TensorProtoAttr) and isinstance(
            value.tensor_type().element_type, tf.StringType
        )
        if isinstance(value, tf.TensorProtoAttr) and not is_string:
            value = _tensor_proto_as_dense(op, value)
        if not isinstance(value, DenseIntOrFPElementsAttr) and not is_string:
            return
        rewriter.replace(op, tfl.ConstOp(value))


def _tensor_proto_as_dense(op: tf.ConstOp, value: tf.TensorProtoAttr) -> DenseIntOrFPElementsAttr:
    """A numeric constant TF printed as a TensorProto (binary or `tftensor$` text) as dense data."""
    from tflc.errors import TflcError, describe_location
    from tflc.tensors import constant_to_numpy, numpy_to_dense

    ty = value.tensor_type()
    try:
        array = constant_to_numpy(value)
        return numpy_to_dense(array.astype(array.dtype, copy=False), ty.element_type)
    except (TflcError, ValueError, TypeError) as err:
        raise TflcError(
            f"{describe_location(op.location)}: tf.Const's tensor_proto does not hold a {ty} ({err}); "
            "write the constant as dense<...> or fix its TensorProto"
        ) from None


class RemoveIdentity(RewritePattern):
    """tf.Identity forwards its input."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.IdentityOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, [], [op.input])


class LegalizeMatMul(RewritePattern):
    """tf.MatMul -> tfl.fully_connected, transposing the filter to [out, in] when needed."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.MatMulOp, rewriter: PatternRewriter) -> None:
        lhs = op.a
        if bool_attr(op, "transpose_a"):
            lhs = transpose(rewriter, op, lhs, [1, 0])
        rhs = op.b
        if not bool_attr(op, "transpose_b"):
            rhs = transpose(rewriter, op, rhs, [1, 0])
        bias = insert_before(rewriter, op, tfl.NoValueOp()).results[0]
        new = tfl.FullyConnectedOp(lhs, rhs, bias, op.product.type)
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeBatchMatMul(RewritePattern):
    """tf.BatchMatMulV2 -> tfl.batch_matmul."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.BatchMatMulV2Op, rewriter: PatternRewriter) -> None:
        new = tfl.BatchMatMulOp.build(
            [op.x, op.y], [op.output.type], adj_x=bool_attr(op, "adj_x"), adj_y=bool_attr(op, "adj_y")
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeBiasAdd(RewritePattern):
    """tf.BiasAdd (NHWC) -> tfl.add, the bias broadcasting over the last dimension."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.BiasAddOp, rewriter: PatternRewriter) -> None:
        if str_attr(op, "data_format", "NHWC") != "NHWC":
            return
        new = tfl.AddOp(op.value, op.bias, op.output.type)
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeShapeOps(RewritePattern):
    """tf.Reshape and tf.Transpose -> tfl.reshape / tfl.transpose with int32 shape operands."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        new_class: type[tfl.TFLOp]
        if isinstance(op, tf.ReshapeOp):
            new_class, data, shape = tfl.ReshapeOp, op.tensor, op.shape
        elif isinstance(op, tf.TransposeOp):
            new_class, data, shape = tfl.TransposeOp, op.x, op.perm
        else:
            return
        shape = as_i32(rewriter, op, shape)
        new = new_class.create(operands=[data, shape], result_types=list(op.result_types))
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeConcat(RewritePattern):
    """tf.ConcatV2 with a constant axis -> tfl.concatenation."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.ConcatV2Op, rewriter: PatternRewriter) -> None:
        axis = constant_array(op.axis)
        if axis is None or axis.size != 1:
            return
        new = tfl.ConcatenationOp.build(list(op.values), [op.output.type], axis=int(axis.reshape(-1)[0]))
        new.location = op.location
        rewriter.replace(op, new)


class LegalizePack(RewritePattern):
    """tf.Pack -> tfl.pack."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.PackOp, rewriter: PatternRewriter) -> None:
        axis = op.attributes.get("axis")
        new = tfl.PackOp.build(
            list(op.values),
            [op.output.type],
            axis=axis.value.data if isinstance(axis, IntegerAttr) else 0,
            values_count=len(op.values),
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeShape(RewritePattern):
    """tf.Shape -> tfl.shape (the result type carries out_type)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.ShapeOp, rewriter: PatternRewriter) -> None:
        if not isinstance(op.input.type, TensorType):
            return
        new = tfl.ShapeOp.build([op.input], [op.output.type])
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeGather(RewritePattern):
    """tf.GatherV2 with a constant axis -> tfl.gather."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.GatherV2Op, rewriter: PatternRewriter) -> None:
        axis = constant_array(op.axis)
        if axis is None or axis.size != 1:
            return
        batch_dims = op.attributes.get("batch_dims")
        new = tfl.GatherOp.build(
            [op.params, op.indices],
            [op.output.type],
            axis=int(axis.reshape(-1)[0]),
            batch_dims=batch_dims.value.data if isinstance(batch_dims, IntegerAttr) else 0,
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeSoftmax(RewritePattern):
    """tf.Softmax -> tfl.softmax with beta 1."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.SoftmaxOp, rewriter: PatternRewriter) -> None:
        new = tfl.SoftmaxOp.build([op.x], [op.y.type], beta=1.0)
        new.location = op.location
        rewriter.replace(op, new)


def _family_patterns() -> tuple[type[RewritePattern], ...]:
    from tflc.passes.legalize_conv import CONV_PATTERNS
    from tflc.passes.legalize_einsum import EINSUM_PATTERNS
    from tflc.passes.legalize_elementwise import ELEMENTWISE_PATTERNS
    from tflc.passes.legalize_fake_quant import FAKE_QUANT_PATTERNS
    from tflc.passes.legalize_more import MORE_PATTERNS
    from tflc.passes.legalize_random import RANDOM_PATTERNS
    from tflc.passes.legalize_reduce import REDUCE_PATTERNS
    from tflc.passes.legalize_arith import ARITH_PATTERNS
    from tflc.passes.legalize_complex import COMPLEX_PATTERNS
    from tflc.passes.legalize_shape import SHAPE_PATTERNS
    from tflc.passes.legalize_unranked import UNRANKED_PATTERNS
    from tflc.passes.legalize_math import MATH_PATTERNS
    from tflc.passes.legalize_search import SEARCH_PATTERNS

    return (
        *CONV_PATTERNS,
        *ELEMENTWISE_PATTERNS,
        *REDUCE_PATTERNS,
        *SHAPE_PATTERNS,
        *EINSUM_PATTERNS,
        *ARITH_PATTERNS,
        *MORE_PATTERNS,
        *UNRANKED_PATTERNS,
        *MATH_PATTERNS,
        *SEARCH_PATTERNS,
        *FAKE_QUANT_PATTERNS,
        *RANDOM_PATTERNS,
        *COMPLEX_PATTERNS,
    )


LEGALIZE_PATTERNS: tuple[type[RewritePattern], ...] = (
    LegalizeConst,
    RemoveIdentity,
    *_family_patterns(),
    LegalizeMatMul,
    LegalizeBatchMatMul,
    LegalizeBiasAdd,
    LegalizeShapeOps,
    LegalizeConcat,
    LegalizeSoftmax,
    LegalizePack,
    LegalizeShape,
    LegalizeGather,
)


def _declined_hints(left: list[Operation]) -> list[str]:
    """What the patterns that declined some of the left ops say about them (their `declined`)."""
    explain = [p.declined for p in LEGALIZE_PATTERNS if hasattr(p, "declined")]
    return list(dict.fromkeys(h for o in left for e in explain if (h := e(o)) is not None))


@dataclass(frozen=True)
class LegalizeTF(ModulePass):
    """Rewrite tf ops to tfl ops; report the ones without a TFLite builtin."""

    name = "legalize-tf"

    allow_unsupported: bool = False
    """Keep tf ops without a lowering (for Select TF ops) instead of failing."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        # Applied recursively so that constants a rewrite leaves dead (e.g. filters it
        # re-laid) are erased at once rather than all kept until the end of the pass.
        PatternRewriteWalker(
            RankedOnlyApplier([p() for p in LEGALIZE_PATTERNS]), listener=release_erased_constants()
        ).rewrite_module(op)
        # As in TensorFlow's converter, after the other rewrites (which may not need it).
        from tflc.passes.legalize_broadcast import ExplicitBroadcast

        PatternRewriteWalker(ExplicitBroadcast(), apply_recursively=False).rewrite_module(op)
        if self.allow_unsupported:
            return
        left = [o for o in op.walk() if is_tf_op(o)]
        if left:
            control_flow = sorted({tf_op_name(o) for o in left if tf_op_name(o) in CONTROL_FLOW_OPS})
            hint = (
                f"; {', '.join(control_flow)} {'is' if len(control_flow) == 1 else 'are'} lowered by the "
                "lower-control-flow pass, which must run "
                "before legalize-tf (-p lower-control-flow,legalize-tf)"
                if control_flow
                else ""
            )
            hint += "".join(f"; {h}" for h in _declined_hints(left))
            raise ConversionError(
                left_ops_report(
                    left,
                    "have no TFLite builtin lowering",
                    "fix: enable Select TF ops (--select-tf-ops, or "
                    "target_spec.supported_ops with tflc.OpsSet.SELECT_TF_OPS), or "
                    "register a custom lowering pass for them" + hint,
                )
            )
