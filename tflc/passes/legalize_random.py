"""legalize-tf patterns for TensorFlow's stateful random ops, as TensorFlow's converter
lowers them: tf.RandomUniform -> tfl.random_uniform, tf.RandomStandardNormal ->
tfl.random_standard_normal, tf.Multinomial -> tfl.multinomial, with the ops' `seed` and
`seed2` attributes as int64 `RandomOptions`.

TFLite's kernels draw from the same Philox generator as TensorFlow's, seeded by (seed,
seed2); both 0 (TensorFlow's "no seed") seeds each interpreter from /dev/urandom. The
kernels compute the output shape at run time, so the results may be unranked.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import IntegerAttr, TensorType, UnrankedTensorType, i32, i64
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter

from tflc.dialects import tfl
from tflc.dialects.tf import tf_op_name
from tflc.passes.common import as_i32
from tflc.passes.legalize_util import TFRewrite, emit, int_attr, replace_with

RANDOM_OPS: dict[str, type[tfl.TFLOp]] = {
    "tf.RandomUniform": tfl.RandomUniformOp,
    "tf.RandomStandardNormal": tfl.RandomStandardNormalOp,
    "tf.Multinomial": tfl.MultinomialOp,
}


class LegalizeRandom(TFRewrite):
    """tf.RandomUniform / tf.RandomStandardNormal / tf.Multinomial -> their tfl ops (seed, seed2 kept)."""

    UNRANKED: ClassVar[bool] = True
    OPS = tuple(RANDOM_OPS)

    def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        op_class = RANDOM_OPS[tf_op_name(op)]
        if len(op.operands) != (2 if op_class is tfl.MultinomialOp else 1):
            return
        *logits, count = op.operands  # the samples' count or shape; TF's may be int64
        types = [r.type for r in op.results]
        count_type = count.type
        if isinstance(count_type, TensorType):
            count_type = TensorType(i32, count_type.get_shape())
        elif isinstance(count_type, UnrankedTensorType):
            count_type = UnrankedTensorType(i32)
        if not op_class.accepts([*(v.type for v in logits), count_type], types):
            return  # float16/float64 draws or logits: left for the report (or Flex), nothing built
        operands = [*logits, as_i32(rewriter, op, count)]
        seeds = {k: IntegerAttr(int_attr(op, k), i64) for k in ("seed", "seed2")}
        replace_with(rewriter, op, emit(rewriter, op, op_class, operands, types, **seeds).results)


RANDOM_PATTERNS = (LegalizeRandom,)
