"""`legalize-arith`: the `arith` ops TensorFlow's MLIR uses, as tfl ops.

TensorFlow's tools and tests write tensor constants as `arith.constant dense<...>` and
add tensors with `arith.addf`; tflc's passes and its FlatBuffer export work on
`tfl.pseudo_const` and `tfl.add`. Scalar (non-tensor) arith values have no TFLite
tensor and stay as they are. legalize-tf applies these patterns too.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, ModuleOp, TensorType
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from tflc.dialects import tfl

BINARY: dict[type[Operation], type[tfl.TFLOp]] = {
    arith.AddfOp: tfl.AddOp,
    arith.SubfOp: tfl.SubOp,
    arith.MulfOp: tfl.MulOp,
    arith.DivfOp: tfl.DivOp,
    arith.AddiOp: tfl.AddOp,
    arith.SubiOp: tfl.SubOp,
    arith.MuliOp: tfl.MulOp,
}
"""arith binary ops on tensors and the tfl op (with fused_activation_function) for each."""


class LegalizeArithConstant(RewritePattern):
    """`arith.constant dense<...> : tensor<...>` -> `tfl.pseudo_const`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.ConstantOp, rewriter: PatternRewriter) -> None:
        value = op.value
        if not isinstance(value, DenseIntOrFPElementsAttr) or not isinstance(value.type, TensorType):
            return
        new = tfl.ConstOp(value)
        new.location = op.location
        rewriter.replace(op, new)


class LegalizeArithBinary(RewritePattern):
    """`arith.addf %a, %b : tensor<...>` (and sub, mul, div, integer add/sub/mul) -> tfl."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        new_class = BINARY.get(type(op))
        if new_class is None or not all(isinstance(v.type, TensorType) for v in (*op.operands, *op.results)):
            return
        new = new_class.build(list(op.operands), list(op.result_types))
        new.location = op.location
        rewriter.replace(op, new)


ARITH_PATTERNS: tuple[type[RewritePattern], ...] = (LegalizeArithConstant, LegalizeArithBinary)


@dataclass(frozen=True)
class LegalizeArith(ModulePass):
    """Rewrite arith tensor constants and binary ops to tfl ops."""

    name = "legalize-arith"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier([p() for p in ARITH_PATTERNS]), apply_recursively=False
        ).rewrite_module(op)
