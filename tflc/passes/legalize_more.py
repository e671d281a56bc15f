"""legalize-tf patterns for the TF ops TensorFlow's converter lowers that the other
families do not: reciprocal and safe division, log1p, softsign, local response
normalization, XLA dynamic slices (cached LLM decoding), band matrices, diagonals,
segment reductions, sparse-to-dense, one-hot, reverse-sequence and the older
Gather / BatchMatMul versions.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import BoolAttr, FloatAttr, NoneType, StringAttr, TensorType, f32, i1, i32
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import bool_attr, tf_op_name
from tflc.passes.common import as_i32, const, constant_array, insert_before, int32_values, tensor_type
from tflc.passes.legalize_util import (
    TFRewrite,
    all_ranked,
    binary,
    bool_prop,
    emit1,
    float_attr,
    int_attr,
    ints_attr,
    like,
    ranked,
    replace_with,
    scalar,
    static_shape,
    unary,
)


def _float_tensor(value: SSAValue) -> bool:
    ty = ranked(value)
    return ty is not None and ty.element_type == f32


class LegalizeReciprocal(TFRewrite):
    """tf.Reciprocal / tf.Inv -> tfl.div(1, x), as TensorFlow writes it (int32: TF's
    truncating integer division, as DIV's int32 kernel computes it)."""

    OPS = ("tf.Reciprocal", "tf.Inv")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x = op.operands[0]
        if not all_ranked(op) or not (_float_tensor(x) or tensor_type(x).element_type == i32):
            return
        one = scalar(rewriter, op, 1, x)
        replace_with(rewriter, op, [binary(rewriter, op, tfl.DivOp, one, x, x.type)])


class LegalizeDivNoNan(TFRewrite):
    """tf.DivNoNan -> select_v2(y == 0, 0, x / y)."""

    OPS = ("tf.DivNoNan",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x, y = op.operands
        if not all_ranked(op) or not _float_tensor(x):
            return
        out = op.results[0].type
        zero = scalar(rewriter, op, 0.0, x)
        is_zero = binary(rewriter, op, tfl.EqualOp, y, zero, TensorType(i1, ranked(y).get_shape()))  # type: ignore[union-attr]
        quotient = binary(rewriter, op, tfl.DivOp, x, y, out)
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.SelectV2Op, [is_zero, zero, quotient], out)])


class LegalizeLog1pSoftsign(TFRewrite):
    """tf.Log1p -> log(x + 1); tf.Softsign -> x / (|x| + 1) (TensorFlow's lowerings)."""

    OPS = ("tf.Log1p", "tf.Softsign")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        x = op.operands[0]
        if not all_ranked(op) or not _float_tensor(x):
            return
        one = scalar(rewriter, op, 1.0, x)
        if tf_op_name(op) == "tf.Log1p":
            out = unary(rewriter, op, tfl.LogOp, binary(rewriter, op, tfl.AddOp, x, one, x.type))
        else:
            denominator = binary(rewriter, op, tfl.AddOp, unary(rewriter, op, tfl.AbsOp, x), one, x.type)
            out = binary(rewriter, op, tfl.DivOp, x, denominator, x.type)
        replace_with(rewriter, op, [out])


class LegalizeLRN(TFRewrite):
    """tf.LRN -> tfl.local_response_normalization (same four options)."""

    OPS = ("tf.LRN",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op) or not tfl.LocalResponseNormalizationOp.accepts(
            [op.operands[0].type], [op.results[0].type]
        ):
            return
        new = emit1(
            rewriter,
            op,
            tfl.LocalResponseNormalizationOp,
            [op.operands[0]],
            op.results[0].type,
            radius=tfl.i32_attr(int_attr(op, "depth_radius", 5)),
            bias=_f32(float_attr(op, "bias", 1.0)),
            alpha=_f32(float_attr(op, "alpha", 1.0)),
            beta=_f32(float_attr(op, "beta", 0.5)),
        )
        replace_with(rewriter, op, [new])


def _f32(value: float):
    from xdsl.dialects.builtin import FloatAttr, f32

    return FloatAttr(value, f32)


def _index_operand(rewriter: PatternRewriter, op: Operation, value: SSAValue) -> SSAValue:
    """Start indices as int32 when constant or int32 already (every DYNAMIC_UPDATE_SLICE version takes them)."""
    if constant_array(value) is not None:
        return as_i32(rewriter, op, value)
    return value


class LegalizeXlaDynamicUpdateSlice(TFRewrite):
    """tf.XlaDynamicUpdateSlice -> tfl.dynamic_update_slice (both clamp the start indices)."""

    OPS = ("tf.XlaDynamicUpdateSlice",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        operand, update, indices = op.operands
        indices = _index_operand(rewriter, op, indices)
        if not tfl.DynamicUpdateSliceOp.accepts([operand.type, update.type, indices.type], [op.results[0].type]):
            return
        replace_with(
            rewriter,
            op,
            [emit1(rewriter, op, tfl.DynamicUpdateSliceOp, [operand, update, indices], op.results[0].type)],
        )


class LegalizeXlaDynamicSlice(TFRewrite):
    """tf.XlaDynamicSlice (constant sizes) -> tfl.slice at start indices clamped into the input, as XLA does."""

    OPS = ("tf.XlaDynamicSlice",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, start, sizes = op.operands
        size = constant_array(sizes)
        shape = static_shape(x)
        if size is None or shape is None:
            return
        size = size.astype(np.int64).reshape(-1)
        highest = np.maximum(np.asarray(shape, np.int64) - size, 0).astype(np.int32)
        begin_const = constant_array(start)
        if begin_const is not None:
            begin = const(rewriter, op, np.clip(begin_const.astype(np.int64).reshape(-1), 0, highest).astype(np.int32))
        else:
            begin = as_i32(rewriter, op, start)
            begin = binary(
                rewriter, op, tfl.MaximumOp, begin, const(rewriter, op, np.zeros(len(shape), np.int32)), begin.type
            )
            begin = binary(rewriter, op, tfl.MinimumOp, begin, const(rewriter, op, highest), begin.type)
        size_i32 = const(rewriter, op, size.astype(np.int32))
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.SliceOp, [x, begin, size_i32], op.results[0].type)])


def band_mask(rows: int, cols: int, num_lower: int, num_upper: int) -> np.ndarray:
    """The [rows, cols] mask of tf.linalg.band_part (negative bounds keep the whole triangle)."""
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    keep = np.ones((rows, cols), dtype=bool)
    if num_lower >= 0:
        keep &= i - j <= num_lower
    if num_upper >= 0:
        keep &= j - i <= num_upper
    return keep


class LegalizeMatrixBandPart(TFRewrite):
    """tf.MatrixBandPart (static matrix dims, constant bounds) -> select_v2(band mask, x, 0); a constant input folds."""

    OPS = ("tf.MatrixBandPart",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, lower, upper = op.operands
        ty = ranked(x)
        lo, up = constant_array(lower), constant_array(upper)
        assert ty is not None
        dims = ty.get_shape()
        if lo is None or up is None or len(dims) < 2 or min(dims[-2:]) < 0:
            return
        mask = band_mask(dims[-2], dims[-1], int(lo), int(up))
        data = constant_array(x)
        if data is not None:
            replace_with(
                rewriter, op, [const(rewriter, op, np.where(mask, data, np.zeros((), data.dtype)), ty.element_type)]
            )
            return
        mask_value = const(rewriter, op, mask)
        zero = scalar(rewriter, op, 0, x)
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.SelectV2Op, [mask_value, x, zero], op.results[0].type)])


class LegalizeMatrixSetDiag(TFRewrite):
    """tf.MatrixSetDiag / V2 / V3 (main diagonal, k = 0; any align) -> tfl.matrix_set_diag.

    A diagonal of another element type than the input (TensorFlow's converter passes it
    through; its tests write int64 matrices with int32 diagonals) is cast to the input's
    type first: MATRIX_SET_DIAG's kernel reads the diagonal as the input's type."""

    OPS = ("tf.MatrixSetDiag", "tf.MatrixSetDiagV2", "tf.MatrixSetDiagV3")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, diagonal, *k = op.operands
        if k and (constant_array(k[0]) is None or np.any(constant_array(k[0]) != 0)):
            return
        x_type, diagonal_type = ranked(x), ranked(diagonal)
        assert x_type is not None and diagonal_type is not None
        if not tfl.MatrixSetDiagOp.accepts([x.type, like(diagonal, element=x_type.element_type)], [op.results[0].type]):
            return
        if diagonal_type.element_type != x_type.element_type:
            cast_type = like(diagonal, element=x_type.element_type)
            if not tfl.CastOp.accepts([diagonal.type], [cast_type]):
                return
            diagonal = emit1(rewriter, op, tfl.CastOp, [diagonal], cast_type)
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.MatrixSetDiagOp, [x, diagonal], op.results[0].type)])


class LegalizeMatrixDiagV2V3(TFRewrite):
    """tf.MatrixDiagV2 / V3 (main diagonal, square, zero padding) -> tfl.matrix_diag."""

    OPS = ("tf.MatrixDiagV2", "tf.MatrixDiagV3")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        diagonal, k, num_rows, num_cols, padding = op.operands
        maybe = [constant_array(v) for v in (k, num_rows, num_cols, padding)]
        values = [v for v in maybe if v is not None]
        if len(values) != len(maybe):
            return
        k_value, rows, cols, pad = values
        if rows.size != 1 or cols.size != 1:
            return  # not TF's form (scalars, or one-element vectors as TF's tests write them)
        n = ranked(diagonal).get_shape()[-1]  # type: ignore[union-attr]
        rows_n, cols_n = int(rows.reshape(-1)[0]), int(cols.reshape(-1)[0])
        if np.any(k_value != 0) or rows_n not in (-1, n) or cols_n not in (-1, n) or np.any(pad != 0):
            return
        if not tfl.MatrixDiagOp.accepts([diagonal.type], [op.results[0].type]):
            return
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.MatrixDiagOp, [diagonal], op.results[0].type)])


SEGMENT_OPS: dict[str, type[tfl.TFLOp]] = {
    "tf.UnsortedSegmentSum": tfl.UnsortedSegmentSumOp,
    "tf.UnsortedSegmentProd": tfl.UnsortedSegmentProdOp,
    "tf.UnsortedSegmentMax": tfl.UnsortedSegmentMaxOp,
    "tf.UnsortedSegmentMin": tfl.UnsortedSegmentMinOp,
}


class LegalizeUnsortedSegment(TFRewrite):
    """tf.UnsortedSegmentSum/Prod/Max/Min -> tfl.unsorted_segment_* (int32 ids and count)."""

    OPS = tuple(SEGMENT_OPS)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        data, ids, count = op.operands
        ids = as_i32(rewriter, op, ids)  # int64 ids are cast, as TensorFlow's converter does
        count = as_i32(rewriter, op, count)
        op_class = SEGMENT_OPS[tf_op_name(op)]
        if not op_class.accepts([data.type, ids.type, count.type], [op.results[0].type]):
            return
        replace_with(rewriter, op, [emit1(rewriter, op, op_class, [data, ids, count], op.results[0].type)])


class LegalizeSegmentSum(TFRewrite):
    """tf.SegmentSum -> tfl.segment_sum; with constant ids, tfl.unsorted_segment_sum of
    ids[-1] + 1 segments, which also takes ids that skip segments (SEGMENT_SUM's kernel does not)."""

    OPS = ("tf.SegmentSum",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        data, ids = op.operands
        known = constant_array(ids)
        out = op.results[0].type
        if known is not None and known.size:
            operands = [
                data,
                as_i32(rewriter, op, ids),
                const(rewriter, op, int32_values(op, int(known.reshape(-1)[-1]) + 1)),
            ]
            op_class: type[tfl.TFLOp] = tfl.UnsortedSegmentSumOp
        else:  # int64 ids are cast to int32, as TensorFlow's converter does
            operands, op_class = [data, as_i32(rewriter, op, ids)], tfl.SegmentSumOp
        if not op_class.accepts([v.type for v in operands], [out]):
            return
        replace_with(rewriter, op, [emit1(rewriter, op, op_class, operands, out)])


class LegalizeSparseToDense(TFRewrite):
    """tf.SparseToDense -> tfl.sparse_to_dense."""

    OPS = ("tf.SparseToDense",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        operands = list(op.operands)
        if not tfl.SparseToDenseOp.accepts([v.type for v in operands], [op.results[0].type]):
            return
        replace_with(rewriter, op, [emit1(rewriter, op, tfl.SparseToDenseOp, operands, op.results[0].type)])


class LegalizeOneHot(TFRewrite):
    """tf.OneHot -> tfl.one_hot (same axis; -1 is the last)."""

    OPS = ("tf.OneHot",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        indices, depth, on, off = op.operands
        depth = as_i32(rewriter, op, depth)
        if not tfl.OneHotOp.accepts([indices.type, depth.type, on.type, off.type], [op.results[0].type]):
            return
        new = emit1(
            rewriter,
            op,
            tfl.OneHotOp,
            [indices, depth, on, off],
            op.results[0].type,
            axis=tfl.i32_attr(int_attr(op, "axis", -1)),
        )
        replace_with(rewriter, op, [new])


class LegalizeReverseSequence(TFRewrite):
    """tf.ReverseSequence -> tfl.reverse_sequence (seq_dim, batch_dim)."""

    OPS = ("tf.ReverseSequence",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, lengths = op.operands
        if not tfl.ReverseSequenceOp.accepts([x.type, lengths.type], [op.results[0].type]):
            return
        new = emit1(
            rewriter,
            op,
            tfl.ReverseSequenceOp,
            [x, lengths],
            op.results[0].type,
            seq_dim=tfl.i32_attr(int_attr(op, "seq_dim")),
            batch_dim=tfl.i32_attr(int_attr(op, "batch_dim")),
        )
        replace_with(rewriter, op, [new])


class LegalizeGatherV1(TFRewrite):
    """tf.Gather (the first version, axis 0) -> tfl.gather."""

    OPS = ("tf.Gather",)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        params, indices = op.operands
        if not tfl.GatherOp.accepts([params.type, indices.type], [op.results[0].type]):
            return
        new = emit1(
            rewriter,
            op,
            tfl.GatherOp,
            [params, indices],
            op.results[0].type,
            axis=tfl.i32_attr(0),
            batch_dims=tfl.i32_attr(0),
        )
        replace_with(rewriter, op, [new])


class LegalizeBatchMatMulOther(TFRewrite):
    """tf.BatchMatMul / tf.BatchMatMulV3 (one element type in and out) -> tfl.batch_matmul."""

    OPS = ("tf.BatchMatMul", "tf.BatchMatMulV3")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not all_ranked(op):
            return
        x, y = op.operands
        if not tfl.BatchMatMulOp.accepts([x.type, y.type], [op.results[0].type]):
            return
        new = emit1(
            rewriter,
            op,
            tfl.BatchMatMulOp,
            [x, y],
            op.results[0].type,
            adj_x=bool_prop(bool_attr(op, "adj_x")),
            adj_y=bool_prop(bool_attr(op, "adj_y")),
        )
        replace_with(rewriter, op, [new])


class LegalizeUnidirectionalSequence(TFRewrite):
    """tf.UnidirectionalSequenceLstm / Rnn (TF's fused recurrent ops, `_tflite_input_indices`
    naming the TFLite operand positions given) -> tfl.unidirectional_sequence_lstm / rnn:
    tanh, time major, operands not given as tfl.no_value; the result is the tf op's
    sequence output (its third result for the LSTM, its second for the RNN), the others unused."""

    OPS = ("tf.UnidirectionalSequenceLstm", "tf.UnidirectionalSequenceRnn")

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        from tflc.dialects.tfl_rnn import UnidirectionalSequenceLstmOp, UnidirectionalSequenceRnnOp

        lstm = tf_op_name(op) == "tf.UnidirectionalSequenceLstm"
        op_class: type[tfl.TFLOp] = UnidirectionalSequenceLstmOp if lstm else UnidirectionalSequenceRnnOp
        kept = 2 if lstm else 1
        given = ints_attr(op, "_tflite_input_indices", [])
        count = len(op_class.get_irdl_definition().operands)
        if not given or len(op.results) <= kept or any(r.uses for i, r in enumerate(op.results) if i != kept):
            return
        if not lstm and len(op.operands) != count:
            return
        if any(not 0 <= i < min(count, len(op.operands)) for i in given):
            return
        result = op.results[kept].type
        if not op_class.accepts([op.operands[i].type if i in given else NoneType() for i in range(count)], [result]):
            return  # checked before the tfl.no_value is built
        none = insert_before(rewriter, op, tfl.NoValueOp()).results[0] if len(set(given)) < count else None
        operands: list[SSAValue] = []
        for i in range(count):
            value = op.operands[i] if i in given else none
            assert value is not None  # a position not given has the tfl.no_value
            operands.append(value)
        props: dict[str, Attribute] = {
            "fused_activation_function": StringAttr("TANH"), "time_major": BoolAttr(True, i1)
        }
        if lstm:
            props |= {"cell_clip": FloatAttr(0.0, f32), "proj_clip": FloatAttr(0.0, f32)}
        new = emit1(rewriter, op, op_class, operands, result, **props)
        rewriter.replace(op, [], [new if i == kept else None for i in range(len(op.results))])


MORE_PATTERNS = (
    LegalizeReciprocal,
    LegalizeDivNoNan,
    LegalizeLog1pSoftsign,
    LegalizeLRN,
    LegalizeXlaDynamicUpdateSlice,
    LegalizeXlaDynamicSlice,
    LegalizeMatrixBandPart,
    LegalizeMatrixSetDiag,
    LegalizeMatrixDiagV2V3,
    LegalizeUnsortedSegment,
    LegalizeSegmentSum,
    LegalizeSparseToDense,
    LegalizeOneHot,
    LegalizeReverseSequence,
    LegalizeGatherV1,
    LegalizeBatchMatMulOther,
    LegalizeUnidirectionalSequence,
)
