"""TFLite's random builtins: `tfl.random_uniform`, `tfl.random_standard_normal` and
`tfl.multinomial`.

They share one options table, `RandomOptions` (`seed`, `seed2`, int64 as TensorFlow's
attributes are). TFLite's kernels (`tflite/kernels/random_ops.cc`) draw from a Philox
generator seeded with (seed, seed2) once per interpreter; both 0 means a seed taken from
/dev/urandom, so the output differs from one interpreter to the next. The ops are not
`Pure`: two draws are two different tensors, so CSE must not merge them and DCE keeps
them as it keeps any op with an effect.

The constraints are TensorFlow's op definitions (`tfl_ops.td`): an int32 shape and float32
results; float32 logits, an int32 sample count and int32 or int64 samples. The kernels'
ranks (a 1-D shape, 2-D logits, a scalar count) are what every TensorFlow graph has.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import I64, IntegerAttr
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from tflc.dialects.tfl import TFLOp
from tflc.dialects.tfl_traits import F32, I32, I64 as I64_KIND, tensor


class _RandomOp(TFLOp):
    """Base of the random ops: the (seed, seed2) pair of `RandomOptions`."""

    seed = prop_def(IntegerAttr[I64])
    seed2 = prop_def(IntegerAttr[I64])
    OPTIONS: ClassVar[str | None] = "RandomOptions"


@irdl_op_definition
class RandomUniformOp(_RandomOp):
    """`tfl.random_uniform`: float32 values uniform in [0, 1), of the shape `shape` holds."""

    name = "tfl.random_uniform"
    shape = operand_def(tensor(I32))
    out = result_def(tensor(F32))


@irdl_op_definition
class RandomStandardNormalOp(_RandomOp):
    """`tfl.random_standard_normal`: float32 values of mean 0 and standard deviation 1."""

    name = "tfl.random_standard_normal"
    shape = operand_def(tensor(I32))
    out = result_def(tensor(F32))


@irdl_op_definition
class MultinomialOp(_RandomOp):
    """`tfl.multinomial`: `num_samples` class indices per row of `logits` (unnormalized log-probabilities)."""

    name = "tfl.multinomial"
    logits = operand_def(tensor(F32))
    num_samples = operand_def(tensor(I32))
    out = result_def(tensor(I32, I64_KIND))


RANDOM_OPS = (RandomUniformOp, RandomStandardNormalOp, MultinomialOp)
