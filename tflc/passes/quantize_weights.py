"""Weight-only quantization passes on the tfl dialect.

- `tfl-quantize-float16`: float32 constants become float16 constants with a
  `tfl.dequantize` in front of their users (as TensorFlow's float16 quantization);
- `tfl-quantize-dynamic-range`: the weights of ops with hybrid kernels
  (fully_connected, conv_2d, depthwise_conv_2d, batch_matmul) become symmetric int8
  `tfl.pseudo_qconst`s, per channel for convolutions; activations stay float and the
  kernels quantize them on the fly (`asymmetric_quantize_inputs` as TensorFlow sets it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import BoolAttr, ModuleOp, TensorType, f16
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from tflc.dialects import tfl
from tflc.dialects.tfl_traits import HybridKernel, has_trait, trait_of
from tflc.passes import stats
from tflc.passes.quantize import float_constant, qconst, symmetric_type, weight_operand
from tflc.tensors import astype, compact, numpy_to_dense

FLOAT16_MAX = 65504.0


@dataclass(frozen=True)
class QuantizeFloat16Pass(ModulePass):
    """Store float32 constants of at least `min_elements` elements as float16 behind a tfl.dequantize."""

    name = "tfl-quantize-float16"
    min_elements: int = 16

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for const in [o for o in op.walk() if isinstance(o, tfl.ConstOp)]:
            value = const.results[0]
            array = float_constant(value)
            if array is None or array.size < self.min_elements or not value.uses:
                continue
            if np.abs(compact(array)).max(initial=0.0) > FLOAT16_MAX:
                stats.record("kept float32 (out of float16 range)")
                continue
            half = tfl.ConstOp(numpy_to_dense(astype(array, np.dtype(np.float16)), f16))
            dequantize = tfl.DequantizeOp.build([half.results[0]], [value.type])
            half.location = const.location  # the dequantized tensor keeps the short name "dequantize"
            Rewriter.insert_op([half, dequantize], InsertPoint.before(const))
            value.replace_all_uses_with(dequantize.results[0])
            Rewriter.erase_op(const)
            stats.record("float16 weights")


@dataclass(frozen=True)
class QuantizeDynamicRangePass(ModulePass):
    """Quantize weights of hybrid-kernel ops to int8 (per channel for convolutions) when large enough."""

    name = "tfl-quantize-dynamic-range"
    min_elements: int = 1024
    per_channel_dense: bool = True
    """Quantize fully_connected weights per output channel too (as TensorFlow 2.16+ does)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for target in [o for o in op.walk() if has_trait(o, HybridKernel)]:
            quantize_weight(target, self.min_elements, self.per_channel_dense)


def quantize_weight(op: Operation, min_elements: int, per_channel_dense: bool = True) -> bool:
    """Give a hybrid op int8 weights; False if its weight is not a large enough float constant."""
    slot = weight_operand(op)
    hybrid = trait_of(op, HybridKernel)
    if slot is None or hybrid is None:
        return False
    weight = op.operands[slot.index]
    array = float_constant(weight)
    if array is None or array.size < min_elements or not isinstance(op.results[0].type, TensorType):
        return False
    axis = slot.channel_axis
    if isinstance(op, tfl.FullyConnectedOp) and not per_channel_dense:
        axis = None
    qtype = symmetric_type(array, axis)
    const = qconst(array, qtype)
    owner = weight.owner
    assert isinstance(owner, Operation)
    const.location = owner.location
    Rewriter.insert_op(const, InsertPoint.before(op))
    op.operands = [const.results[0] if i == slot.index else v for i, v in enumerate(op.operands)]
    if not weight.uses:
        Rewriter.erase_op(owner)
    if hybrid.asymmetric_inputs:
        op.properties["asymmetric_quantize_inputs"] = BoolAttr.from_bool(True)
    stats.record(f"int8 weights ({op.name})")
    return True
