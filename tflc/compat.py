"""TensorFlow compatibility of `tflc.Converter`: the knobs of `tf.lite.TFLiteConverter`.

Scripts written for TensorFlow run with only the converter class replaced:
`tf.lite.OpsSet`, `tf.lite.Optimize`, `tf.lite.RepresentativeDataset`, `tf.lite.TargetSpec`
and TF dtypes (`tf.float16`, `tf.int8`) are accepted wherever TensorFlow accepts them,
without importing TensorFlow. Every attribute of TensorFlow 2.21's `TFLiteConverterV2`
either works as in TensorFlow or raises `UnsupportedOptionError` saying so; assigning
an attribute neither has raises AttributeError naming the closest one.
"""

from __future__ import annotations

import difflib
import enum
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tflc.errors import ConversionError

if TYPE_CHECKING:
    from tflc.backend.metadata import ConversionMetadata
    from tflc.converter import Converter, Optimize, OpsSet


class UnsupportedOptionError(ConversionError, NotImplementedError):
    """A TensorFlow converter option (or value) tflc does not implement."""


class RepresentativeDataset:
    """A calibration data generator, as `tf.lite.RepresentativeDataset`."""

    def __init__(self, input_gen: Callable[[], Iterable[Any]]):
        self.input_gen = input_gen

    def __call__(self) -> Iterable[Any]:
        """The samples (so a RepresentativeDataset is itself a generator function)."""
        return self.input_gen()


@dataclass(frozen=True)
class Option:
    """One TensorFlow converter attribute: its TensorFlow default and how tflc treats it."""

    default: Any
    status: str
    """'supported' (works as in TensorFlow), 'no-effect' (accepted; nothing to do in tflc),
    or 'default-only' (only TensorFlow's default is accepted)."""
    note: str = ""
    shown: str = ""
    """TensorFlow's default as the documentation shows it (when not `default`'s repr)."""


_FIXED = "tflc always behaves as TensorFlow's default"

# The attributes of TensorFlow 2.21's TFLiteConverterV2 (public, then the private ones
# TensorFlow's guides tell users to set), with TensorFlow's defaults.
TF_OPTIONS: dict[str, Option] = {
    "optimizations": Option(set(), "supported"),
    "representative_dataset": Option(None, "supported"),
    "target_spec": Option(None, "supported", shown="TargetSpec()"),
    "inference_input_type": Option(None, "supported", "tflc's default None means float32", shown="tf.float32"),
    "inference_output_type": Option(None, "supported", "tflc's default None means float32", shown="tf.float32"),
    "allow_custom_ops": Option(False, "supported", "ops without a builtin become CUSTOM ops"),
    "exclude_conversion_metadata": Option(False, "supported"),
    "unfold_batchmatmul": Option(False, "supported"),
    "saved_model_dir": Option(None, "supported"),
    "enable_timing": Option(None, "supported", "prints each pass's time"),
    "print_ir_before": Option(None, "supported", "a regex of pass names"),
    "print_ir_after": Option(None, "supported", "a regex of pass names"),
    "print_ir_module_scope": Option(None, "no-effect", "tflc always prints the whole module"),
    "elide_elementsattrs_if_larger": Option(None, "supported"),
    "ir_dump_dir": Option(None, "supported", "writes `NN_pass-name.mlir` after each pass"),
    "ir_dump_pass_regex": Option(None, "supported"),
    "ir_dump_func_regex": Option(None, "default-only", "tflc dumps whole modules"),
    "experimental_new_converter": Option(True, "default-only", "tflc is an MLIR-style converter"),
    "experimental_new_quantizer": Option(True, "default-only"),
    "experimental_new_dynamic_range_quantizer": Option(True, "default-only"),
    "experimental_enable_resource_variables": Option(True, "default-only", "resource variables are lowered"),
    "experimental_lower_to_saved_model": Option(True, "no-effect", "concrete functions are imported directly"),
    "experimental_use_stablehlo_quantizer": Option(False, "default-only"),
    "experimental_stablehlo_quantizer_config": Option(None, "default-only"),
    "legalize_custom_tensor_list_ops": Option(False, "default-only"),
    "serialize_debug_metadata": Option(False, "default-only"),
    "canonicalizing_inf_as_min_max_float": Option(True, "default-only"),
    "model_origin_framework": Option("UNSET", "no-effect"),
    "_experimental_lower_tensor_list_ops": Option(True, "default-only", "TensorLists are always lowered"),
    "_experimental_default_to_single_batch_in_tensor_list_ops": Option(False, "default-only"),
    "_experimental_unfold_large_splat_constant": Option(False, "default-only"),
    "_experimental_disable_per_channel": Option(False, "default-only"),
    "_experimental_disable_per_channel_quantization_for_dense_layers": Option(False, "default-only"),
    "_experimental_full_integer_quantization_bias_type": Option(None, "default-only"),
    "_experimental_calibrate_only": Option(False, "default-only"),
    "_experimental_sparsify_model": Option(False, "default-only"),
    "_experimental_enable_dynamic_update_slice": Option(False, "default-only"),
    "_experimental_preserve_assert_op": Option(False, "default-only"),
    "_experimental_guarantee_all_funcs_one_use": Option(False, "default-only"),
    "_experimental_allow_all_select_tf_ops": Option(False, "default-only"),
    "_experimental_variable_quantization": Option(False, "default-only"),
    "_experimental_disable_fuse_mul_and_fc": Option(False, "default-only"),
    "_experimental_use_buffer_offset": Option(False, "default-only"),
    "_experimental_reduce_type_precision": Option(False, "default-only"),
    "_experimental_qdq_conversion_mode": Option(None, "default-only"),
    "_experimental_low_bit_qat": Option(False, "default-only"),
    "_experimental_enable_composite_direct_lowering": Option(True, "default-only"),
    "_experimental_strict_qdq": Option(False, "default-only"),
    "_experimental_unsafe_fuse_dynamic_shaped_broadcast": Option(False, "default-only"),
    "_experimental_tf_quantization_mode": Option(None, "default-only"),
    "_experimental_quantization_options": Option(None, "default-only"),
}

# TF attributes tflc stores as it finds them (the rest map onto tflc's own attributes).
_STORED = [
    name
    for name, opt in TF_OPTIONS.items()
    if name not in ("optimizations", "representative_dataset", "target_spec", "inference_input_type",
                    "inference_output_type")
]

TF_TARGET_SPEC_OPTIONS: dict[str, Option] = {
    "supported_ops": Option(None, "supported", shown="{OpsSet.TFLITE_BUILTINS}"),
    "supported_types": Option(None, "supported", shown="set()"),
    "experimental_select_user_tf_ops": Option(set(), "default-only", "Select TF ops covers TensorFlow's ops"),
    "experimental_supported_backends": Option(None, "default-only"),
    "_experimental_custom_op_registerers": Option([], "default-only"),
    "_experimental_supported_accumulation_type": Option(None, "default-only"),
}


def init_tf_options(obj: Any, options: dict[str, Option]) -> None:
    """Give a converter (or target spec) TensorFlow's default for every option it stores."""
    for name, opt in options.items():
        if name in _STORED or options is TF_TARGET_SPEC_OPTIONS and name.startswith(("experimental", "_")):
            default = opt.default.copy() if isinstance(opt.default, set | list) else opt.default
            object.__setattr__(obj, name, default)


def _is_default(value: Any, default: Any) -> bool:
    if isinstance(default, set | list):
        return not value
    if default is None:
        return value is None
    return value == default and type(value) is type(default)


def check_option(owner: str, options: dict[str, Option], name: str, value: Any) -> None:
    """Raise UnsupportedOptionError for a value tflc does not implement; type-check the rest."""
    opt = options[name]
    if opt.status == "default-only" and not _is_default(value, opt.default):
        note = f" ({opt.note})" if opt.note else ""
        raise UnsupportedOptionError(
            f"{owner}.{name} = {value!r} is not supported by tflc: {_FIXED} ({name} = {opt.default!r}){note}"
        )
    if isinstance(opt.default, bool) and not isinstance(value, bool) and value is not None:
        raise ConversionError(f"{owner}.{name} must be True or False, not {value!r}")


def unknown_attribute(owner: str, name: str, known: Iterable[str]) -> AttributeError:
    """AttributeError for a misspelled option, naming the closest known one."""
    known = sorted(set(known))
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return AttributeError(f"{owner} has no option '{name}'{hint} (tflc and TensorFlow options: see docs/converting.md)")


def public_names(obj: Any, options: dict[str, Option]) -> set[str]:
    """The attribute names one may assign on `obj`: its own, its class's and TensorFlow's."""
    names = {n for n in vars(obj) if not n.startswith("_")}
    for cls in type(obj).__mro__:
        names.update(n for n in vars(cls) if not n.startswith("_"))
    return names | set(options)


def accepts_private(name: str, options: dict[str, Option]) -> bool:
    """Private names tflc itself uses are free; TensorFlow's `_experimental_*` must be known."""
    return name.startswith("_") and not name.startswith("_experimental") and name not in options


# -- enums and dtypes ---------------------------------------------------------------


def _enum_name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, enum.Enum):
        return value.name
    return None


def to_ops_set(value: Any) -> OpsSet:
    """tflc.OpsSet for tflc's, TensorFlow's (`tf.lite.OpsSet.SELECT_TF_OPS`) or a name."""
    from tflc.converter import OpsSet

    name = _enum_name(value)
    if name is not None and name in OpsSet.__members__:
        return OpsSet[name]
    raise ConversionError(
        f"target_spec.supported_ops has {value!r}; use tflc.OpsSet (or tf.lite.OpsSet) members: "
        + ", ".join(OpsSet.__members__)
    )


def to_optimize(value: Any) -> Optimize:
    """tflc.Optimize for tflc's, TensorFlow's (`tf.lite.Optimize.DEFAULT`) or a name."""
    from tflc.converter import Optimize

    name = _enum_name(value)
    if name is not None and name in Optimize.__members__:
        return Optimize[name]
    raise ConversionError(
        f"optimizations has {value!r}; use tflc.Optimize (or tf.lite.Optimize) members: "
        + ", ".join(Optimize.__members__)
    )


def normalize_supported_ops(values: Any) -> set[OpsSet]:
    """A set of tflc.OpsSet from any iterable of OpsSet values (TensorFlow's lists too)."""
    if values is None:
        from tflc.converter import OpsSet

        return {OpsSet.TFLITE_BUILTINS}
    if isinstance(values, str | enum.Enum):
        values = [values]
    return {to_ops_set(v) for v in values}


def normalize_optimizations(values: Any) -> list[Optimize]:
    """tflc.Optimize members in first-seen order from a list or set (TensorFlow uses sets)."""
    if values is None:
        return []
    if isinstance(values, str | enum.Enum):
        values = [values]
    if isinstance(values, set | frozenset):  # TensorFlow's sets: a deterministic order
        values = sorted(values, key=lambda v: str(_enum_name(v)))
    from tflc.converter import Optimize

    # OPTIMIZE_FOR_SIZE / OPTIMIZE_FOR_LATENCY are deprecated aliases of DEFAULT in TensorFlow.
    aliases = {Optimize.OPTIMIZE_FOR_SIZE: Optimize.DEFAULT, Optimize.OPTIMIZE_FOR_LATENCY: Optimize.DEFAULT}
    return list(dict.fromkeys(aliases.get(o, o) for o in map(to_optimize, values)))


def check_supported(converter: Converter) -> None:
    """Normalize enums set in place (`supported_ops.add(...)`) and reject what tflc cannot do."""
    from tflc.converter import Optimize, OpsSet

    spec = converter.target_spec
    object.__setattr__(spec, "supported_ops", normalize_supported_ops(spec.supported_ops))
    object.__setattr__(converter, "optimizations", normalize_optimizations(converter.optimizations))
    if OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 in spec.supported_ops:
        raise UnsupportedOptionError(
            "OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 (16x8 quantization) is not "
            "supported by tflc: use TFLITE_BUILTINS_INT8 for full integer quantization"
        )
    if spec.supported_ops == {OpsSet.SELECT_TF_OPS}:
        raise UnsupportedOptionError(
            "target_spec.supported_ops = {SELECT_TF_OPS} alone (every op a Flex op, TensorFlow's "
            "'force Select TF ops') is not supported by tflc: tflc lowers to builtins where it can; "
            "use {TFLITE_BUILTINS, SELECT_TF_OPS}"
        )
    if OpsSet.EXPERIMENTAL_STABLEHLO_OPS in spec.supported_ops:
        raise UnsupportedOptionError("OpsSet.EXPERIMENTAL_STABLEHLO_OPS is not supported by tflc")
    if Optimize.EXPERIMENTAL_SPARSITY in converter.optimizations:
        raise UnsupportedOptionError(
            "Optimize.EXPERIMENTAL_SPARSITY is not supported by tflc: use Optimize.DEFAULT"
        )


def representative_generator(value: Any) -> Any:
    """The generator function of a representative dataset (`RepresentativeDataset.input_gen`)."""
    if value is None or callable(value) and not hasattr(value, "input_gen"):
        return value
    gen = getattr(value, "input_gen", None)
    if callable(gen):
        return gen
    if isinstance(value, list | tuple):  # tflc also takes the samples themselves
        return value
    raise ConversionError(
        f"representative_dataset is {type(value).__name__}; give a generator function "
        "(or tf.lite.RepresentativeDataset / tflc.RepresentativeDataset of one)"
    )


# -- conversion metadata and debugging ------------------------------------------------


def conversion_metadata(converter: Converter, quantization_mode: str | None) -> ConversionMetadata | None:
    """The CONVERSION_METADATA TensorFlow's converter would write for these settings (None if excluded)."""
    from tflc import __version__
    from tflc.backend.metadata import ConversionMetadata, ModelType, OptimizationMode
    from tflc.converter import OpsSet

    if converter.exclude_conversion_metadata:
        return None
    modes = {
        "float16": [OptimizationMode.PTQ_FLOAT16],
        "dynamic-range": [OptimizationMode.PTQ_DYNAMIC_RANGE],
        "int8": [OptimizationMode.PTQ_FULL_INTEGER],
        "qat-int8": [OptimizationMode.QUANTIZATION_AWARE_TRAINING],
    }.get(quantization_mode or "", [])
    ops = converter.target_spec.supported_ops
    return ConversionMetadata(
        converter_version=f"tflc {__version__}",
        api_version=2,
        model_type=ModelType(getattr(converter, "model_type", 0)),
        optimization_modes=modes,
        allow_custom_ops=bool(converter.allow_custom_ops),
        enable_select_tf_ops=OpsSet.SELECT_TF_OPS in ops,
        force_select_tf_ops=ops == {OpsSet.SELECT_TF_OPS},
    )


@dataclass
class DebugHooks:
    """TensorFlow's debug options (print_ir_before/after, ir_dump_dir, enable_timing) as pass hooks."""

    converter: Converter
    count: int = 0

    def _matches(self, pattern: str | None, name: str) -> bool:
        return pattern is not None and re.search(pattern, name) is not None

    def _text(self, module: Any) -> str:
        from tflc.ir import module_to_text

        return module_to_text(module, elide_elements_larger=self.converter.elide_elementsattrs_if_larger)

    def before(self, name: str, module: Any) -> None:
        """Print the IR before a pass whose name matches print_ir_before."""
        if self._matches(self.converter.print_ir_before, name):
            print(f"// -----// IR Dump Before {name} //----- //\n{self._text(module)}", file=sys.stderr)

    def after(self, name: str, module: Any, seconds: float) -> None:
        """Print, dump and time a pass as the converter's debug options ask."""
        c = self.converter
        self.count += 1
        if c.enable_timing:
            print(f"// pass {name}: {seconds * 1000:.1f} ms", file=sys.stderr)
        if self._matches(c.print_ir_after, name):
            print(f"// -----// IR Dump After {name} //----- //\n{self._text(module)}", file=sys.stderr)
        if c.ir_dump_dir and (c.ir_dump_pass_regex is None or self._matches(c.ir_dump_pass_regex, name)):
            from pathlib import Path

            directory = Path(c.ir_dump_dir)
            directory.mkdir(parents=True, exist_ok=True)
            (directory / f"{self.count:02d}_{name}.mlir").write_text(self._text(module))
