"""`legalize-tf`: rewrite tf ops into tfl (TFLite builtin) ops.

Each pattern handles one op family. Ops left in the tf dialect after the rewrite
are reported in one grouped list, unless `allow-unsupported` is set (Select TF ops
exports them as Flex custom ops).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import (
    BoolAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    f32,
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
from tflc.dialects.tf import bool_attr, is_tf_op, str_attr
from tflc.errors import ConversionError
from tflc.passes.common import (
    as_i32,
    constant_array,
    insert_before,
    is_tflite_numeric,
    release_erased_constants,
)
from tflc.passes.legalize_util import transpose
from tflc.passes.unranked import RankedOnlyApplier, left_ops_report

NONE = StringAttr("NONE")

# tf op -> (tfl op, whether it takes fused_activation_function)
ELEMENTWISE: dict[type[Operation], tuple[type[Operation], bool]] = {
    tf.AddV2Op: (tfl.AddOp, True),
    tf.AddOp: (tfl.AddOp, True),
    tf.SubOp: (tfl.SubOp, True),
    tf.MulOp: (tfl.MulOp, True),
    tf.RealDivOp: (tfl.DivOp, True),
    tf.PowOp: (tfl.PowOp, False),
    tf.MaximumOp: (tfl.MaximumOp, False),
    tf.MinimumOp: (tfl.MinimumOp, False),
    tf.NegOp: (tfl.NegOp, False),
    tf.SquareOp: (tfl.SquareOp, False),
    tf.SqrtOp: (tfl.SqrtOp, False),
    tf.RsqrtOp: (tfl.RsqrtOp, False),
    tf.ExpOp: (tfl.ExpOp, False),
    tf.LogOp: (tfl.LogOp, False),
    tf.TanhOp: (tfl.TanhOp, False),
    tf.SigmoidOp: (tfl.LogisticOp, False),
    tf.ReluOp: (tfl.ReluOp, False),
    tf.Relu6Op: (tfl.Relu6Op, False),
    tf.CastOp: (tfl.CastOp, False),
}


class LegalizeConst(RewritePattern):
    """tf.Const with numeric or string data -> tfl.pseudo_const."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.ConstOp, rewriter: PatternRewriter) -> None:
        value = op.value
        is_string = isinstance(value, tf.TensorProtoAttr) and isinstance(value.type.element_type, tf.StringType)
        if not isinstance(value, DenseIntOrFPElementsAttr) and not is_string:
            return
        rewriter.replace(op, tfl.ConstOp(op.value))


class RemoveIdentity(RewritePattern):
    """tf.Identity forwards its input."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.IdentityOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, [], [op.input])


class LegalizeElementwise(RewritePattern):
    """Elementwise tf ops -> their tfl counterparts (same operands, same result)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        entry = ELEMENTWISE.get(type(op))
        if entry is None or not all(is_tflite_numeric(v.type) for v in (*op.operands, *op.results)):
            return
        new_class, fused = entry
        props = {"fused_activation_function": NONE} if fused else {}
        new = new_class.create(
            operands=list(op.operands), result_types=list(op.result_types), properties=props
        )
        new.location = op.location
        rewriter.replace(op, new)


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
        new = tfl.FullyConnectedOp.create(
            operands=[lhs, rhs, bias],
            result_types=[op.product.type],
            properties={
                "fused_activation_function": NONE,
                "weights_format": StringAttr("DEFAULT"),
                "keep_num_dims": BoolAttr.from_bool(False),
                "asymmetric_quantize_inputs": BoolAttr.from_bool(False),
            },
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeBatchMatMul(RewritePattern):
    """tf.BatchMatMulV2 -> tfl.batch_matmul."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.BatchMatMulV2Op, rewriter: PatternRewriter) -> None:
        new = tfl.BatchMatMulOp.create(
            operands=[op.x, op.y],
            result_types=[op.output.type],
            properties={
                "adj_x": BoolAttr.from_bool(bool_attr(op, "adj_x")),
                "adj_y": BoolAttr.from_bool(bool_attr(op, "adj_y")),
                "asymmetric_quantize_inputs": BoolAttr.from_bool(False),
            },
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeBiasAdd(RewritePattern):
    """tf.BiasAdd (NHWC) -> tfl.add, the bias broadcasting over the last dimension."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.BiasAddOp, rewriter: PatternRewriter) -> None:
        if str_attr(op, "data_format", "NHWC") != "NHWC":
            return
        new = tfl.AddOp.create(
            operands=[op.value, op.bias],
            result_types=[op.output.type],
            properties={"fused_activation_function": NONE},
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeShapeOps(RewritePattern):
    """tf.Reshape and tf.Transpose -> tfl.reshape / tfl.transpose with int32 shape operands."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
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


REDUCTIONS: dict[type[Operation], type[Operation]] = {
    tf.MeanOp: tfl.MeanOp,
    tf.SumOp: tfl.SumOp,
    tf.ProdOp: tfl.ReduceProdOp,
}


class LegalizeReduction(RewritePattern):
    """tf.Mean / tf.Sum / tf.Prod -> tfl.mean / tfl.sum / tfl.reduce_prod with int32 axes."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.ReductionOp, rewriter: PatternRewriter) -> None:
        new_class = REDUCTIONS[type(op)]
        axes = as_i32(rewriter, op, op.reduction_indices)
        new = new_class.create(
            operands=[op.input, axes],
            result_types=[op.output.type],
            properties={"keep_dims": BoolAttr.from_bool(bool_attr(op, "keep_dims"))},
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeConcat(RewritePattern):
    """tf.ConcatV2 with a constant axis -> tfl.concatenation."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.ConcatV2Op, rewriter: PatternRewriter) -> None:
        axis = constant_array(op.axis)
        if axis is None or axis.size != 1:
            return
        new = tfl.ConcatenationOp.create(
            operands=list(op.values),
            result_types=[op.output.type],
            properties={
                "axis": tfl.i32_attr(int(axis.reshape(-1)[0])),
                "fused_activation_function": NONE,
            },
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizePack(RewritePattern):
    """tf.Pack -> tfl.pack."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.PackOp, rewriter: PatternRewriter) -> None:
        axis = op.attributes.get("axis")
        new = tfl.PackOp.create(
            operands=list(op.values),
            result_types=[op.output.type],
            properties={
                "axis": tfl.i32_attr(axis.value.data if isinstance(axis, IntegerAttr) else 0),
                "values_count": tfl.i32_attr(len(op.values)),
            },
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeShape(RewritePattern):
    """tf.Shape -> tfl.shape (the result type carries out_type)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.ShapeOp, rewriter: PatternRewriter) -> None:
        if not isinstance(op.input.type, TensorType):
            return
        new = tfl.ShapeOp.create(operands=[op.input], result_types=[op.output.type])
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
        new = tfl.GatherOp.create(
            operands=[op.params, op.indices],
            result_types=[op.output.type],
            properties={
                "axis": tfl.i32_attr(int(axis.reshape(-1)[0])),
                "batch_dims": tfl.i32_attr(batch_dims.value.data if isinstance(batch_dims, IntegerAttr) else 0),
            },
        )
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeSoftmax(RewritePattern):
    """tf.Softmax -> tfl.softmax with beta 1."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: tf.SoftmaxOp, rewriter: PatternRewriter) -> None:
        new = tfl.SoftmaxOp.create(
            operands=[op.x], result_types=[op.y.type], properties={"beta": FloatAttr(1.0, f32)}
        )
        new.location = op.location
        rewriter.replace(op, new)


def _family_patterns() -> tuple[type[RewritePattern], ...]:
    from tflc.passes.legalize_conv import CONV_PATTERNS
    from tflc.passes.legalize_einsum import EINSUM_PATTERNS
    from tflc.passes.legalize_elementwise import ELEMENTWISE_PATTERNS
    from tflc.passes.legalize_reduce import REDUCE_PATTERNS
    from tflc.passes.legalize_arith import ARITH_PATTERNS
    from tflc.passes.legalize_shape import SHAPE_PATTERNS

    return (
        *CONV_PATTERNS, *ELEMENTWISE_PATTERNS, *REDUCE_PATTERNS, *SHAPE_PATTERNS, *EINSUM_PATTERNS, *ARITH_PATTERNS
    )


LEGALIZE_PATTERNS: tuple[type[RewritePattern], ...] = (
    LegalizeConst,
    RemoveIdentity,
    *_family_patterns(),
    LegalizeElementwise,
    LegalizeMatMul,
    LegalizeBatchMatMul,
    LegalizeBiasAdd,
    LegalizeShapeOps,
    LegalizeReduction,
    LegalizeConcat,
    LegalizeSoftmax,
    LegalizePack,
    LegalizeShape,
    LegalizeGather,
)


@dataclass(frozen=True)
class LegalizeTF(ModulePass):
    """Rewrite tf ops to tfl ops; report the ones without a TFLite builtin."""

    name = "legalize-tf"

    allow_unsupported: bool = False
    """Keep tf ops without a lowering (for Select TF ops) instead of failing."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from tflc.passes.legalize_control_flow import lower_control_flow
        from tflc.passes.prepare_tf import prepare

        prepare(op)
        lower_control_flow(op)
        # Applied recursively so that constants a rewrite leaves dead (e.g. filters it
        # re-laid) are erased at once rather than all kept until the end of the pass.
        PatternRewriteWalker(
            RankedOnlyApplier([p() for p in LEGALIZE_PATTERNS]), listener=release_erased_constants()
        ).rewrite_module(op)
        if self.allow_unsupported:
            return
        left = [o for o in op.walk() if is_tf_op(o)]
        if left:
            raise ConversionError(
                left_ops_report(
                    left,
                    "have no TFLite builtin lowering",
                    "fix: enable Select TF ops (--select-tf-ops, or "
                    "target_spec.supported_ops with tflc.OpsSet.SELECT_TF_OPS), or "
                    "register a custom lowering pass for them",
                )
            )
