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
from contextlib import AbstractContextManager
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
    EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 = (
        "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"
    )
    """Not supported by tflc (converting raises UnsupportedOptionError)."""
    EXPERIMENTAL_STABLEHLO_OPS = "EXPERIMENTAL_STABLEHLO_OPS"
    """Not supported by tflc (converting raises UnsupportedOptionError)."""


class Optimize(enum.Enum):
    """Optimization goals (as `tf.lite.Optimize`)."""

    DEFAULT = "DEFAULT"
    OPTIMIZE_FOR_SIZE = "OPTIMIZE_FOR_SIZE"
    """Deprecated in TensorFlow: the same as DEFAULT."""
    OPTIMIZE_FOR_LATENCY = "OPTIMIZE_FOR_LATENCY"
    """Deprecated in TensorFlow: the same as DEFAULT."""
    EXPERIMENTAL_SPARSITY = "EXPERIMENTAL_SPARSITY"
    """Not supported by tflc (converting raises UnsupportedOptionError)."""


@dataclass
class TargetSpec:
    """What the target runtime supports (as `tf.lite.TargetSpec`; TensorFlow's enums and lists work)."""

    supported_ops: set[OpsSet] = field(default_factory=lambda: {OpsSet.TFLITE_BUILTINS})
    supported_types: list[Any] = field(default_factory=list)
    experimental_select_user_tf_ops: set[str] = field(default_factory=set)
    experimental_supported_backends: list[str] | None = None

    # -- TensorFlow compatibility (tflc/compat.py) ----------------------------------

    def __post_init__(self) -> None:
        from tflc.compat import TF_TARGET_SPEC_OPTIONS, init_tf_options

        init_tf_options(self, {k: v for k, v in TF_TARGET_SPEC_OPTIONS.items() if k.startswith("_")})

    def __setattr__(self, name: str, value: Any) -> None:
        from tflc import compat

        options = compat.TF_TARGET_SPEC_OPTIONS
        if name == "supported_ops":
            value = compat.normalize_supported_ops(value)
        elif name == "supported_types":
            value = [] if value is None else list(value)
        elif name in options:
            compat.check_option("target_spec", options, name, value)
        elif not compat.accepts_private(name, options) and name not in compat.public_names(self, options):
            raise compat.unknown_attribute("target_spec", name, compat.public_names(self, options))
        object.__setattr__(self, name, value)


@dataclass
class ConversionReport:
    """What a conversion did: its stages with timings, signatures, ops and size."""

    stages: list[tuple[str, float]] = field(default_factory=list)
    signatures: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    graph_entries: set[str] = field(default_factory=set)
    """Keys of `signatures` that are a GraphDef's entry: the model has no SignatureDef for them."""
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
            if key in self.graph_entries:  # as TensorFlow's converter: tensors, no SignatureDef
                lines.append(f"graph: inputs {sig['inputs']} -> outputs {sig['outputs']} (no SignatureDef)")
            else:
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
            "tf-executor-to-functional",
            "prepare-composite-functions",
            "tf-inline",
            "freeze-variables",
            "lower-variables",
            "legalize-hashtables",
            "tf-shape-inference",
            "prepare-tf",
            "lower-control-flow",
            "legalize-stablehlo",
            "legalize-tf",
            "canonicalize",
            "tfl-fold-constants",
            "tfl-sink-loop-constants",
            "tfl-fold-constants",  # what the loop bodies read from the moved constants
            "tfl-remove-redundant",
            "tfl-optimize-broadcast-like",
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

    model_type: int = 0
    """Where the model came from (a `tflc.backend.metadata.ModelType`, for CONVERSION_METADATA)."""

    # TensorFlow's converter options, set with TF's defaults by `_init_tf_options` (tflc/compat.py).
    allow_custom_ops: bool
    unfold_batchmatmul: bool
    exclude_conversion_metadata: bool
    elide_elementsattrs_if_larger: int | None
    print_ir_before: str | None
    print_ir_after: str | None
    enable_timing: bool
    ir_dump_dir: str | None
    ir_dump_pass_regex: str | None

    def __init__(self, importer: Callable[[], ModuleOp], source: str = "<module>"):
        object.__setattr__(self, "_ready", False)
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
        from tflc.limits import DEFAULT_MAX_MODEL_BYTES

        self.max_model_bytes: int = DEFAULT_MAX_MODEL_BYTES
        """The most constant data a model may hold (2 GiB, FlatBuffers' limit); raise it to
        write larger models (their buffers after the FlatBuffer). Checked before export allocates."""
        self._init_tf_options()

    # -- TensorFlow compatibility (tflc/compat.py) ----------------------------------

    def _init_tf_options(self) -> None:
        """TensorFlow's converter attributes with TensorFlow's defaults; later assignments are checked."""
        from tflc.compat import TF_OPTIONS, init_tf_options

        init_tf_options(self, TF_OPTIONS)
        object.__setattr__(self, "_ready", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_ready", False):
            value = self._checked_option(name, value)
        object.__setattr__(self, name, value)

    def _checked_option(self, name: str, value: Any) -> Any:
        from tflc import compat

        options = compat.TF_OPTIONS
        if name == "optimizations":
            return compat.normalize_optimizations(value)
        if name == "representative_dataset":
            return compat.representative_generator(value)
        if name == "target_spec" and not isinstance(value, TargetSpec):
            spec = TargetSpec()
            spec.supported_ops = getattr(value, "supported_ops", None)  # type: ignore[assignment]  # checked later
            spec.supported_types = getattr(value, "supported_types", None)  # type: ignore[assignment]
            return spec
        if name in options:
            compat.check_option("converter", options, name, value)
        elif not compat.accepts_private(name, options) and name not in compat.public_names(self, options):
            raise compat.unknown_attribute("converter", name, compat.public_names(self, options))
        return value

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

        converter = cls(load, os.fspath(saved_model_dir))
        converter.model_type = 1  # TF_SAVED_MODEL
        converter.saved_model_dir = os.fspath(saved_model_dir)
        return converter

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

        converter = cls(load, os.fspath(graph_def_file))
        converter.model_type = 4  # TF_GRAPH_DEF
        return converter

    @classmethod
    def from_concrete_functions(cls, funcs: Sequence[Any], trackable_obj: Any = None) -> Converter:
        """Convert TensorFlow concrete functions; keys come from the function names."""

        def load() -> ModuleOp:
            from tflc.frontend.concrete import import_concrete_functions

            return import_concrete_functions(funcs, trackable_obj)

        converter = cls(load, "<concrete functions>")
        converter.model_type = 3  # TF_CONCRETE_FUNCTIONS
        return converter

    @classmethod
    def from_keras_model(cls, model: Any) -> Converter:
        """Convert a Keras model as the `serving_default` signature."""

        def load() -> ModuleOp:
            from tflc.frontend.concrete import import_keras_model

            return import_keras_model(model)

        converter = cls(load, "<keras model>")
        converter.model_type = 2  # KERAS_MODEL
        return converter

    @classmethod
    def experimental_from_jax(cls, serving_funcs: Sequence[Any], inputs: Sequence[Any]) -> Converter:
        """TensorFlow's spelling of `from_jax` (same arguments)."""
        return cls.from_jax(serving_funcs, inputs)

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
        with self._export_errors():
            self._quantize(module)
            start = time.perf_counter()
            data = export_module(module, **self._export_options())
        self._stage("export", time.perf_counter() - start)
        self._describe(module, len(data))
        return data

    def convert_module_to_file(self, module: ModuleOp, path: str) -> int:
        """Run the pipeline on `module` and stream the model into `path`; returns its size."""
        from tflc.backend.export import write_model

        self.run_pipeline(module)
        with self._export_errors():
            self._quantize(module)
            start = time.perf_counter()
            size = write_model(module, path, **self._export_options())
        self._stage("export", time.perf_counter() - start)
        self._describe(module, size)
        return size

    def _export_errors(self) -> AbstractContextManager[None]:
        """Export's refusals of the model (not of the output path) name the user's input file."""
        from tflc.errors import ConversionError
        from tflc.pipeline import pass_errors

        return pass_errors(None, self.source_file(), kinds=(ConversionError,))

    def run_pipeline(self, module: ModuleOp) -> None:
        """Run the (effective) pipeline on `module` and verify the result."""
        import sys

        from tflc.ir import verify_module
        from tflc.passes import stats
        from tflc.pipeline import pass_errors, run_passes

        self._check_options()
        with pass_errors(None, self.source_file()):  # the imported model, before any pass
            verify_module(module)
        stats.take()
        from tflc.compat import DebugHooks

        hooks = DebugHooks(self)  # TensorFlow's print_ir_before/after, ir_dump_dir, enable_timing
        run_passes(
            module,
            self.effective_pipeline(),
            verify_each=self.verify_each_pass,
            print_ir_after_all=self.print_ir_after_all,
            ir_stream=sys.stdout,
            on_pass=self._stage,
            before_pass=hooks.before,
            after_pass=hooks.after,
            source=self.source_file(),
        )
        if not self.verify_each_pass:
            with pass_errors(None, self.source_file()):
                verify_module(module)

    def source_file(self) -> str | None:
        """The user's input file errors name: a SavedModel's saved_model.pb, a GraphDef file."""
        if self.source.startswith("<"):
            return None
        if os.path.isdir(self.source):
            return os.path.join(self.source, "saved_model.pb")
        return self.source

    def effective_pipeline(self) -> list[ModulePass]:
        """The pipeline as it runs under the current target_spec."""
        from tflc.passes.legalize_tf import LegalizeTF

        select = OpsSet.SELECT_TF_OPS in self.target_spec.supported_ops or self.allow_custom_ops
        passes = [LegalizeTF(allow_unsupported=select) if isinstance(p, LegalizeTF) else p for p in self.pipeline]
        return self._compat_passes(passes)

    def _compat_passes(self, passes: list[ModulePass]) -> list[ModulePass]:
        """`unfold_batchmatmul`: batch_matmul unfolded into fully_connected ops after legalize-tf."""
        if not self.unfold_batchmatmul:
            return passes
        from tflc.passes import get_pass
        from tflc.passes.legalize_tf import LegalizeTF

        at = next((i + 1 for i, p in enumerate(passes) if isinstance(p, LegalizeTF)), len(passes))
        return [*passes[:at], get_pass("tfl-unfold-batch-matmul")(), *passes[at:]]

    def _export_options(self, quantized: bool = True) -> dict[str, Any]:
        """The exporter's options: Flex ops, custom ops and CONVERSION_METADATA (tflc/compat.py);
        `quantized=False` for the float model quantization starts from."""
        from tflc.compat import conversion_metadata

        return {
            "select_tf_ops": OpsSet.SELECT_TF_OPS in self.target_spec.supported_ops,
            "allow_custom_ops": bool(self.allow_custom_ops),
            "conversion_metadata": conversion_metadata(self, self._quantized_mode() if quantized else None),
            "max_model_bytes": self.max_model_bytes,
        }

    def _quantized_mode(self) -> str | None:
        """The quantization mode the last conversion ran (the settings' before it runs)."""
        from tflc.quantization import quantization_mode

        done = self.report.quantization
        return done.mode if done is not None else quantization_mode(self)

    # -- helpers --------------------------------------------------------------------

    def _check_options(self) -> None:
        from tflc.compat import check_supported
        from tflc.errors import ConversionError

        check_supported(self)
        limit = self.max_model_bytes
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise ConversionError(f"max_model_bytes must be a positive number of bytes, not {self.max_model_bytes!r}")

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

        from tflc.dialects.tf_saved_model import is_graph_entry, module_signatures

        signatures = module_signatures(module)
        self.report.signatures = {
            sig.key: {"inputs": list(sig.inputs), "outputs": list(sig.outputs)} for _, sig in signatures
        }
        self.report.graph_entries = {sig.key for func, sig in signatures if is_graph_entry(module, func)}
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
