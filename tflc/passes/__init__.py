"""Pass registry: one table of pass names to lazy factories, shared by the tools and the API."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xdsl.passes import ModulePass


def _legalize_tf() -> type[ModulePass]:
    from tflc.passes.legalize_tf import LegalizeTF

    return LegalizeTF


def _legalize_stablehlo() -> type[ModulePass]:
    from tflc.passes.legalize_stablehlo import LegalizeStableHLO

    return LegalizeStableHLO


def _prepare_tf() -> type[ModulePass]:
    from tflc.passes.prepare_tf import PrepareTF

    return PrepareTF


def _tf_executor_to_functional() -> type[ModulePass]:
    from tflc.passes.executor import TFExecutorToFunctional

    return TFExecutorToFunctional


def _legalize_arith() -> type[ModulePass]:
    from tflc.passes.legalize_arith import LegalizeArith

    return LegalizeArith


def _lower_control_flow() -> type[ModulePass]:
    from tflc.passes.legalize_control_flow import LowerControlFlow

    return LowerControlFlow


def _prepare_composite_functions() -> type[ModulePass]:
    from tflc.passes.composite_functions import PrepareCompositeFunctions

    return PrepareCompositeFunctions


def _sink_loop_constants() -> type[ModulePass]:
    from tflc.passes.legalize_control_flow import SinkLoopConstants

    return SinkLoopConstants


def _tf_inline() -> type[ModulePass]:
    from tflc.passes.inline import InlineTF

    return InlineTF


def _freeze_variables() -> type[ModulePass]:
    from tflc.passes.freeze_variables import FreezeVariables

    return FreezeVariables


def _tf_shape_inference() -> type[ModulePass]:
    from tflc.passes.shape_inference import TFShapeInference

    return TFShapeInference


def _lower_variables() -> type[ModulePass]:
    from tflc.passes.variables import LowerVariables

    return LowerVariables


def _legalize_hashtables() -> type[ModulePass]:
    from tflc.passes.lookup_tables import LegalizeHashtables

    return LegalizeHashtables


def _optimize(name: str) -> Callable[[], type[ModulePass]]:
    def factory() -> type[ModulePass]:
        from tflc.passes import optimize

        return {
            "tfl-fold-constants": optimize.FoldConstantsPass,
            "tfl-fuse-affine": optimize.FuseAffinePass,
            "tfl-fuse-activations": optimize.FuseActivationsPass,
            "tfl-fuse-pad": optimize.FusePadPass,
            "tfl-optimize-broadcast-like": optimize.OptimizeBroadcastLikePass,
            "tfl-remove-redundant": optimize.RemoveRedundantPass,
        }[name]

    return factory


def _quantize(name: str) -> Callable[[], type[ModulePass]]:
    def factory() -> type[ModulePass]:
        if name == "tfl-quantize-int8":
            from tflc.passes.quantize_int8 import QuantizeInt8Pass

            return QuantizeInt8Pass
        from tflc.passes import quantize_weights

        weight_passes: dict[str, type[ModulePass]] = {
            "tfl-quantize-float16": quantize_weights.QuantizeFloat16Pass,
            "tfl-quantize-dynamic-range": quantize_weights.QuantizeDynamicRangePass,
        }
        return weight_passes[name]

    return factory


def _unfold_batch_matmul() -> type[ModulePass]:
    from tflc.passes.unfold_batch_matmul import UnfoldBatchMatMulPass

    return UnfoldBatchMatMulPass


def _canonicalize() -> type[ModulePass]:
    from xdsl.transforms.canonicalize import CanonicalizePass

    return CanonicalizePass


def _cse() -> type[ModulePass]:
    from xdsl.transforms.common_subexpression_elimination import (
        CommonSubexpressionElimination,
    )

    return CommonSubexpressionElimination


def _dce() -> type[ModulePass]:
    from xdsl.transforms.dead_code_elimination import DeadCodeElimination

    return DeadCodeElimination


PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "tf-executor-to-functional": _tf_executor_to_functional,
    "prepare-composite-functions": _prepare_composite_functions,
    "tf-inline": _tf_inline,
    "freeze-variables": _freeze_variables,
    "tf-shape-inference": _tf_shape_inference,
    "lower-variables": _lower_variables,
    "legalize-hashtables": _legalize_hashtables,
    "prepare-tf": _prepare_tf,
    "lower-control-flow": _lower_control_flow,
    "legalize-stablehlo": _legalize_stablehlo,
    "legalize-tf": _legalize_tf,
    "legalize-arith": _legalize_arith,
    "tfl-fold-constants": _optimize("tfl-fold-constants"),
    "tfl-sink-loop-constants": _sink_loop_constants,
    "tfl-fuse-affine": _optimize("tfl-fuse-affine"),
    "tfl-fuse-activations": _optimize("tfl-fuse-activations"),
    "tfl-fuse-pad": _optimize("tfl-fuse-pad"),
    "tfl-optimize-broadcast-like": _optimize("tfl-optimize-broadcast-like"),
    "tfl-remove-redundant": _optimize("tfl-remove-redundant"),
    "tfl-quantize-float16": _quantize("tfl-quantize-float16"),
    "tfl-quantize-dynamic-range": _quantize("tfl-quantize-dynamic-range"),
    "tfl-quantize-int8": _quantize("tfl-quantize-int8"),
    "tfl-unfold-batch-matmul": _unfold_batch_matmul,
    "canonicalize": _canonicalize,
    "cse": _cse,
    "dce": _dce,
}


def register_pass(name: str, factory: Callable[[], type[ModulePass]]) -> None:
    """Make a user's pass available by name to tflc-opt, the converter and pipelines."""
    PASSES[name] = factory


def all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """The registry with the passes of installed plugins (entry points) added."""
    from tflc.plugins import load_entry_points

    load_entry_points()
    return PASSES


# xDSL passes tflc registers whose classes carry no docstring of their own.
_XDSL_SUMMARIES = {
    "cse": "Common subexpression elimination: merge identical pure ops.",
    "dce": "Dead code elimination: erase pure ops whose results are unused.",
}


def pass_summary(cls: type[ModulePass]) -> str:
    """The first paragraph of a pass class's own docstring, as one line."""
    doc = cls.__dict__.get("__doc__") or ""
    if not doc.strip() or doc.startswith(f"{cls.__name__}("):  # dataclass-generated signature
        return _XDSL_SUMMARIES.get(getattr(cls, "name", ""), "")
    paragraph = inspect.cleandoc(doc).split("\n\n")[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def pass_options(cls: type[ModulePass]) -> list[tuple[str, str, str]]:
    """Each option of a pass as it is spelled in a pipeline spec: (kebab-name, type, default)."""
    from xdsl.passes import get_pass_option_infos

    return [
        (info.name.replace("_", "-"), info.expected_type.strip("'\""), info.default_value or "")
        for info in get_pass_option_infos(cls)
        if info.name != "name"
    ]


def describe_passes() -> str:
    """`tflc-opt --list-passes`: each pass, its one-line description and its options."""
    lines = []
    for name, factory in sorted(all_passes().items()):
        try:
            cls = factory()
        except Exception as err:  # a broken plugin must not hide the other passes
            lines.append(f"{name}\n    (cannot be loaded: {type(err).__name__}: {err})")
            continue
        summary = pass_summary(cls)
        lines.append(f"{name}" + (f"\n    {summary}" if summary else ""))
        for option, kind, default in pass_options(cls):
            lines.append(f"    --{option}: {kind}" + (f" = {default}" if default else ""))
    from tflc.plugins import BROKEN

    lines.extend(f"(plugin not loaded: {b})" for b in BROKEN)
    return "\n".join(lines)


def get_pass(name: str) -> type[ModulePass]:
    """The pass class registered under `name`."""
    if name not in PASSES:
        all_passes()
    if name not in PASSES:
        raise KeyError(f"unknown pass '{name}'; available passes: {', '.join(sorted(PASSES))}")
    return PASSES[name]()
