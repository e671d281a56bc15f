"""Unranked tensors in legalization: ops with them are left alone and reported.

TensorFlow graphs may carry `tensor<*xf32>` values (unknown rank); tflc's tfl ops and
the lowerings that compute shapes need a rank. `RankedOnlyApplier` applies its patterns
only to ops whose tensors are all ranked, so no lowering sees an unranked tensor, and
`left_ops_report` tells such ops apart from ops that have no lowering at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import UnrankedTensorType
from xdsl.ir import Operation
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriter

from tflc.dialects.tf import IdentityOp, is_tf_op
from tflc.errors import unsupported_ops_report

UNRANKED_FIX = (
    "fix: give the function static input shapes (or run tf-shape-inference) so that every "
    "tensor has a rank; TFLite kernels need one"
)


def has_unranked(op: Operation) -> bool:
    """Whether an operand or a used result of `op` is an unranked tensor (resources and
    variants excepted: their handles carry no data shape; unused results, such as
    FusedBatchNorm's reserve spaces, no lowering produces)."""
    from tflc.dialects.tf import ResourceType, VariantType

    for value in (*op.operands, *(r for r in op.results if r.uses)):
        ty = value.type
        if isinstance(ty, UnrankedTensorType) and not isinstance(ty.element_type, ResourceType | VariantType):
            return True
    return False


@dataclass(eq=False, repr=False)
class RankedOnlyApplier(GreedyRewritePatternApplier):
    """A greedy applier that leaves tf ops with unranked tensors to the report."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if is_tf_op(op) and not isinstance(op, IdentityOp) and has_unranked(op):
            # Only patterns that declare they need no ranks (`UNRANKED = True`) see it.
            for pattern in self.rewrite_patterns:
                if getattr(pattern, "UNRANKED", False):
                    pattern.match_and_rewrite(op, rewriter)
                    if rewriter.has_done_action:
                        return
            return
        super().match_and_rewrite(op, rewriter)


def left_ops_report(left: Sequence[Operation], what: str, fix: str) -> str:
    """One report of the tf ops a lowering left: those without a lowering, then those it
    skipped because of unranked tensors."""
    unranked = [o for o in left if has_unranked(o)]
    other = [o for o in left if not has_unranked(o)]
    parts = []
    if other:
        parts.append(unsupported_ops_report(other, what, fix))
    if unranked:
        parts.append(unsupported_ops_report(unranked, "have unranked tensors and were left alone", UNRANKED_FIX))
    return "\n".join(parts)
