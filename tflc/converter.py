"""`tflc.Converter`: the Python API, shaped like `tf.lite.TFLiteConverter`.

    converter = tflc.Converter.from_saved_model("model_dir")
    converter.pipeline.insert(2, MyLoweringPass())   # users' own passes
    tflite_bytes = converter.convert()

Beyond TensorFlow's converter: `import_module()` returns the tf-dialect module,
`pipeline` is an editable list of passes, `convert_module(module)` finishes any
module, and `report` describes the last conversion.
"""

from __future__ import annotations

import enum
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.passes import ModulePass


class OpsSet(enum.Enum):
    """Which ops a converted model may use (as `tf.lite.OpsSet`)."""

    TFLITE_BUILTINS = "TFLITE_BUILTINS"
    SELECT_TF_OPS = "SELECT_TF_OPS"
    TFLITE_BUILTINS_INT8 = "TFLITE_BUILTINS_INT8"


class Optimize(enum.Enum):
    """Optimization goals (as `tf.lite.Optimize`)."""

    DEFAULT = "DEFAULT"


@dataclass
class TargetSpec:
    """What the target runtime supports (as `tf.lite.TargetSpec`)."""

    supported_ops: set[OpsSet] = field(default_factory=lambda: {OpsSet.TFLITE_BUILTINS})
    supported_types: list[Any] = field(default_factory=list)


@dataclass
class ConversionReport:
    """What a conversion did: its stages with timings, signatures, ops and size."""

    stages: list[tuple[str, float]] = field(default_factory=list)
    signatures: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    op_histogram: dict[str, int] = field(default_factory=dict)
    size: int = 0
    warnings: list[str] = field(default_factory=list)
    optimizations: dict[str, int] = field(default_factory=dict)
    quantization: Any = None
    """A `QuantizationReport` when post-training quantization ran."""

    def summary(self) -> str:
        """A human-readable summary: signatures, op histogram and size."""
        lines = []
        for key, sig in self.signatures.items():
            lines.append(f"signature '{key}': inputs {sig['inputs']} -> outputs {sig['outputs']}")
        ops = ", ".join(f"{name} x{count}" for name, count in sorted(self.op_histogram.items()))
        lines.append(f"ops ({sum(self.op_histogram.values())}): {ops or 'none'}")
        lines.append(f"size: {self.size} bytes")
        lines.extend(f"{what}: {count}" for what, count in sorted(self.optimizations.items()))
        lines.extend(f"warning: {w}" for w in self.warnings)
        if self.quantization is not None:
            lines.append(self.quantization.summary())
        return "\n".join(lines)


def default_pipeline() -> list[ModulePass]:
    """The passes that take an imported tf module to TFLite-ready tfl ops."""
    from tflc.passes import get_pass

    return [
        get_pass(name)()
        for name in (
            "tf-inline",
            "freeze-variables",
            "lower-variables",
            "tf-shape-inference",
            "prepare-tf",
            "lower-control-flow",
            "legalize-stablehlo",
            "legalize-tf",
            "canonicalize",
            "tfl-fold-constants",
            "tfl-remove-redundant",
            "tfl-fuse-pad",
            "tfl-fuse-affine",
            "cse",  # duplicate activations merged first, so each fuses into its producer
            "tfl-fuse-activations",
            "cse",
            "dce",
        )
    ]


class Converter:
    """Converts traced TensorFlow functions to TFLite FlatBuffers, keeping every signature."""

    def __init__(self, importer: Callable[[], ModuleOp], source: str = "<module>"):
        self._importer = importer
        self.source = source
        self.optimizations: list[Optimize] = []
        self.target_spec = TargetSpec()
        self.pipeline: list[ModulePass] = default_pipeline()
        self.print_ir_after_all = False
        self.verify_each_pass = False
        """Verify the module after every pass (always verified before export)."""
        self.on_stage: Callable[[str, float], None] | None = None
        self.report = ConversionReport()
        from tflc.passes.quantize_options import QuantizationOptions

        self.representative_dataset: Any = None
        """A generator function of calibration inputs (dicts, lists, or (signature_key, dict) pairs)."""
        self.inference_input_type: Any = None
        self.inference_output_type: Any = None
        self.quantization = QuantizationOptions()

    # -- constructors -------------------------------------------------------------

    @classmethod
    def from_saved_model(
        cls,
        saved_model_dir: str | os.PathLike[str],
        signature_keys: Sequence[str] | None = None,
        tags: Iterable[str] | None = None,
    ) -> Converter:
        """Convert the signatures of a SavedModel directory (never imports TensorFlow)."""

        def load() -> ModuleOp:
            from tflc.frontend.saved_model import import_saved_model

            return import_saved_model(saved_model_dir, signature_keys, tags)

        return cls(load, os.fspath(saved_model_dir))

    @classmethod
    def from_frozen_graph(
        cls,
        graph_def_file: str | os.PathLike[str],
        input_arrays: Sequence[str],
        output_arrays: Sequence[str],
        input_shapes: dict[str, Sequence[int] | None] | None = None,
    ) -> Converter:
        """Convert a TF1 frozen GraphDef file, as TF's v1 `TFLiteConverter.from_frozen_graph` (no TensorFlow needed).

        `input_shapes` maps input array names to shapes (None dims stay dynamic); v1
        control flow (Switch/Merge/Enter/Exit/NextIteration) becomes While/If.
        """

        def load() -> ModuleOp:
            from tflc.frontend.graph_def import import_frozen_graph

            return import_frozen_graph(graph_def_file, input_arrays, output_arrays, input_shapes)

        return cls(load, os.fspath(graph_def_file))

    @classmethod
    def from_concrete_functions(cls, funcs: Sequence[Any], trackable_obj: Any = None) -> Converter:
        """Convert TensorFlow concrete functions; keys come from the function names."""

        def load() -> ModuleOp:
            from tflc.frontend.concrete import import_concrete_functions

            return import_concrete_functions(funcs, trackable_obj)

        return cls(load, "<concrete functions>")

    @classmethod
    def from_keras_model(cls, model: Any) -> Converter:
        """Convert a Keras model as the `serving_default` signature."""

        def load() -> ModuleOp:
            from tflc.frontend.concrete import import_keras_model

            return import_keras_model(model)

        return cls(load, "<keras model>")

    @classmethod
    def from_jax(
        cls,
        serving_funcs: Callable[..., Any] | Sequence[Callable[..., Any]],
        inputs: Sequence[Any],
        polymorphic_shapes: Sequence[Any] | None = None,
    ) -> Converter:
        """Convert JAX functions (as `TFLiteConverter.experimental_from_jax`): one function and
        its example inputs (`[x]` or `[("x", x)]`), or lists of both; needs jax."""

        def load() -> ModuleOp:
            from tflc.frontend.jax_export import import_jax_functions

            return import_jax_functions(serving_funcs, inputs, polymorphic_shapes)

        return cls(load, "<jax functions>")

    @classmethod
    def from_module(cls, module: ModuleOp) -> Converter:
        """Convert an already imported (or hand-written) tf- or tfl-dialect module."""
        return cls(lambda: module, "<module>")

    # -- conversion -----------------------------------------------------------------

    def import_module(self) -> ModuleOp:
        """The imported tf-dialect module, before any pass."""
        start = time.perf_counter()
        module = self._importer()
        self._stage("import", time.perf_counter() - start)
        return module

    def convert(self) -> bytes:
        """Import, run the pipeline and export: the .tflite bytes."""
        self.report = ConversionReport()
        return self.convert_module(self.import_module())

    def convert_module(self, module: ModuleOp) -> bytes:
        """Run the pipeline on `module` and export it."""
        from tflc.backend.export import export_module

        self.run_pipeline(module)
        self._quantize(module)
        start = time.perf_counter()
        data = export_module(module, select_tf_ops=OpsSet.SELECT_TF_OPS in self.target_spec.supported_ops)
        self._stage("export", time.perf_counter() - start)
        self._describe(module, len(data))
        return data

    def convert_module_to_file(self, module: ModuleOp, path: str) -> int:
        """Run the pipeline on `module` and stream the model into `path`; returns its size."""
        from tflc.backend.export import write_model

        self.run_pipeline(module)
        self._quantize(module)
        start = time.perf_counter()
        size = write_model(module, path, select_tf_ops=OpsSet.SELECT_TF_OPS in self.target_spec.supported_ops)
        self._stage("export", time.perf_counter() - start)
        self._describe(module, size)
        return size

    def run_pipeline(self, module: ModuleOp) -> None:
        """Run the (effective) pipeline on `module` and verify the result."""
        import sys

        from tflc.ir import verify_module
        from tflc.passes import stats
        from tflc.pipeline import run_passes

        self._check_options()
        verify_module(module)
        stats.take()
        run_passes(
            module,
            self.effective_pipeline(),
            verify_each=self.verify_each_pass,
            print_ir_after_all=self.print_ir_after_all,
            ir_stream=sys.stdout,
            on_pass=self._stage,
        )
        if not self.verify_each_pass:
            verify_module(module)

    def effective_pipeline(self) -> list[ModulePass]:
        """The pipeline as it runs under the current target_spec."""
        from tflc.passes.legalize_tf import LegalizeTF

        select = OpsSet.SELECT_TF_OPS in self.target_spec.supported_ops
        return [LegalizeTF(allow_unsupported=select) if isinstance(p, LegalizeTF) else p for p in self.pipeline]

    # -- helpers --------------------------------------------------------------------

    def _check_options(self) -> None:
        from tflc.errors import ConversionError

        unknown_ops = [o for o in self.target_spec.supported_ops if not isinstance(o, OpsSet)]
        if unknown_ops:
            raise ConversionError(
                f"target_spec.supported_ops has {unknown_ops}; use tflc.OpsSet.TFLITE_BUILTINS "
                "or tflc.OpsSet.SELECT_TF_OPS"
            )
        unknown_opt = [o for o in self.optimizations if not isinstance(o, Optimize)]
        if unknown_opt:
            raise ConversionError(f"optimizations has {unknown_opt}; use tflc.Optimize.DEFAULT")
        from tflc.quantization import quantization_mode

        quantization_mode(self)  # raises on inconsistent quantization settings

    def _quantize(self, module: ModuleOp) -> None:
        """Post-training quantization as `optimizations` and `target_spec` ask (see tflc.quantization)."""
        from tflc.quantization import quantize_module

        self.report.quantization = quantize_module(self, module, on_stage=self._stage)

    def _stage(self, name: str, seconds: float) -> None:
        self.report.stages.append((name, seconds))
        if self.on_stage is not None:
            self.on_stage(name, seconds)

    def _describe(self, module: ModuleOp, size: int) -> None:
        from xdsl.dialects.func import FuncOp, ReturnOp

        from tflc.dialects import tfl
        from tflc.passes import stats

        from tflc.dialects.tf_saved_model import module_signatures

        self.report.signatures = {
            sig.key: {"inputs": list(sig.inputs), "outputs": list(sig.outputs)}
            for _, sig in module_signatures(module)
        }
        ops: Counter[str] = Counter()
        for func in module.ops:
            if isinstance(func, FuncOp):
                for op in func.body.walk():
                    if not isinstance(op, tfl.ConstOp | tfl.QConstOp | tfl.NoValueOp | ReturnOp):
                        ops[op.name.removeprefix("tfl.")] += 1
        self.report.op_histogram = dict(ops)
        self.report.size = size
        self.report.warnings = static_shape_warnings(module)
        self.report.optimizations = stats.take()


def static_shape_warnings(module: ModuleOp) -> list[str]:
    """Ops that force a static shape on a dynamic tensor (a constant reshape target)."""
    from xdsl.dialects.builtin import TensorType

    from tflc.dialects import tfl
    from tflc.errors import describe_location
    from tflc.passes.common import constant_array

    warnings = []
    for op in module.walk():
        if not isinstance(op, tfl.ReshapeOp):
            continue
        source = op.input.type
        target = constant_array(op.shape)
        if not isinstance(source, TensorType) or target is None or -1 in target:
            continue
        if any(d < 0 for d in source.get_shape()):
            warnings.append(
                f"tfl.reshape at {describe_location(op.location)} fixes the dynamic shape "
                f"{source} to {list(int(d) for d in target.reshape(-1))}; "
                "resizing the input will fail: trace with tf.reshape(x, [-1, ...])"
            )
    return warnings
