"""Post-training quantization, the converter's stage: choose the mode from the
converter's settings (as TensorFlow's converter does), configure the quantization
passes through their options, run them with the one pass runner, report.

- `optimizations=[DEFAULT]` with `supported_types=[float16]`: `tfl-quantize-float16`;
- `optimizations=[DEFAULT]` with a `representative_dataset`: calibration, then
  `tfl-quantize-int8` (`supported_ops=[TFLITE_BUILTINS_INT8]` alone: no float fallback);
- `optimizations=[DEFAULT]` alone: `tfl-quantize-dynamic-range`, or for a
  quantization-aware trained model (FakeQuant ops, now quantize/dequantize pairs)
  `tfl-quantize-int8` from the trained parameters: a full-integer model, as TensorFlow
  writes it (mode `qat-int8`). Full integer quantization (TFLITE_BUILTINS_INT8, int8
  types or integer inference types) needs a `representative_dataset` unless the model
  is quantization-aware trained.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from tflc.errors import ConversionError

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.passes import ModulePass

    from tflc.converter import Converter

IO_TYPE_NAMES = {"float32": "float32", "int8": "int8", "uint8": "uint8"}


@dataclass
class QuantizationReport:
    """What quantization did: sizes, each op quantized or kept float, error on the calibration data."""

    mode: str
    size_before: int = 0
    size_after: int = 0
    ops: dict[str, dict[str, int]] = field(default_factory=dict)
    """op name -> {"int8": n, "int8 weights (hybrid)": n, "float16 weights": n, "float": n}"""
    kept_float: list[str] = field(default_factory=list)
    """Ops left float, with their locations."""
    error: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    """signature -> output -> {max_abs, max_relative, mean_abs[, top1_agreement]} over the calibration data"""
    samples: int = 0

    @property
    def ratio(self) -> float:
        """Quantized size over float size."""
        return self.size_after / self.size_before if self.size_before else 1.0

    def summary(self) -> str:
        """Human-readable lines for the conversion summary."""
        lines = [
            f"quantization ({self.mode}): {self.size_before} -> {self.size_after} bytes ({self.ratio:.2f}x)"
        ]
        for name, kinds in sorted(self.ops.items()):
            lines.append(f"  {name}: " + ", ".join(f"{kind} x{n}" for kind, n in sorted(kinds.items())))
        for key, outputs in self.error.items():
            for output, metrics in outputs.items():
                text = ", ".join(f"{k} {v:.4g}" for k, v in metrics.items())
                lines.append(f"  error on {self.samples} calibration samples, {key}/{output}: {text}")
        return "\n".join(lines)


# -- options ------------------------------------------------------------------------


def _type_name(value: Any) -> str | None:
    """'float16', 'int8', ... for numpy dtypes, TF dtypes (by name) and strings."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    name = getattr(value, "name", None)  # tf.DType
    if isinstance(name, str) and not isinstance(value, type):
        return name
    try:
        return np.dtype(value).name
    except TypeError:
        return str(value)


def quantization_mode(converter: Converter) -> str | None:
    """'float16', 'int8', 'dynamic-range' or None, checking the converter's options."""
    from tflc.converter import Optimize, OpsSet

    types = [_type_name(t) for t in converter.target_spec.supported_types]
    unknown = [t for t in types if t not in ("float16", "int8", "float32")]
    if unknown:
        raise ConversionError(
            f"target_spec.supported_types has {unknown}; tflc supports numpy.float16 (tf.float16) and int8"
        )
    io_types = {
        "inference_input_type": _type_name(converter.inference_input_type) or "float32",
        "inference_output_type": _type_name(converter.inference_output_type) or "float32",
    }
    for what, name in io_types.items():
        if name not in IO_TYPE_NAMES:
            raise ConversionError(f"{what} is {name}; use numpy.float32, numpy.int8 or numpy.uint8")
    int8_ops = OpsSet.TFLITE_BUILTINS_INT8 in converter.target_spec.supported_ops
    if Optimize.DEFAULT not in converter.optimizations:
        if types or int8_ops or set(io_types.values()) != {"float32"}:
            raise ConversionError(
                "quantization settings (supported_types, TFLITE_BUILTINS_INT8, integer inference types) "
                "need converter.optimizations = [tflc.Optimize.DEFAULT]"
            )
        return None
    integer_io = set(io_types.values()) != {"float32"}
    if "float16" in types and "int8" not in types and not int8_ops:
        mode = "float16"
    elif converter.representative_dataset is not None or int8_ops or "int8" in types or integer_io:
        mode = "int8"  # without calibration data only for quantization-aware trained models (checked later)
    else:
        mode = "dynamic-range"
    if mode != "int8" and integer_io:
        raise ConversionError(
            "integer inference_input_type/inference_output_type need full integer quantization "
            "(set converter.representative_dataset)"
        )
    return mode


def has_trained_parameters(module: ModuleOp) -> bool:
    """Whether a tfl module carries quantization-aware training parameters (quantize/dequantize pairs)."""
    from tflc.dialects import tfl

    return any(isinstance(op, tfl.DequantizeOp) and isinstance(op.input.owner, tfl.QuantizeOp) for op in module.walk())


# -- running ------------------------------------------------------------------------


def _ignore_stage(name: str, seconds: float) -> None:
    """Stage callback that records nothing."""


def quantize_module(
    converter: Converter, module: ModuleOp, on_stage: Callable[[str, float], None] | None = None
) -> QuantizationReport | None:
    """Quantize a tfl module as the converter's settings ask; None when they ask for nothing.

    `on_stage(name, seconds)` is told of each step (calibration, each pass, error measurement)."""
    from tflc.backend.export import export_module
    from tflc.converter import OpsSet
    from tflc.passes import quantize_calibration as calibration
    from tflc.pipeline import run_passes
    from tflc.passes.quantize_int8 import QuantizeInt8Pass
    from tflc.passes.quantize_weights import QuantizeDynamicRangePass, QuantizeFloat16Pass

    mode = quantization_mode(converter)
    if mode is None:
        return None
    trained = mode in ("int8", "dynamic-range") and has_trained_parameters(module)
    if trained and converter.representative_dataset is None:
        mode = "qat-int8"
    elif mode == "int8" and converter.representative_dataset is None:
        raise ConversionError(
            "full integer quantization (TFLITE_BUILTINS_INT8, int8 or integer inference types) needs "
            "calibration data to find activation ranges: set converter.representative_dataset "
            "(tflc-convert: --representative-data FILE.npz), or convert a quantization-aware trained "
            "model (FakeQuant ops carry its ranges)"
        )
    if on_stage is None:
        on_stage = _ignore_stage
    options = converter.quantization
    start = time.perf_counter()
    float_model = export_module(module, **converter._export_options(quantized=False))
    report = QuantizationReport(mode, size_before=len(float_model))
    samples = []
    if converter.representative_dataset is not None and (mode == "int8" or options.measure_error):
        samples = calibration.collect_samples(converter.representative_dataset, module, options.max_calibration_samples)
        report.samples = len(samples)
    passes: list[ModulePass]
    if mode in ("int8", "qat-int8"):
        if mode == "int8":
            export = converter._export_options(quantized=False)
            ranges = calibration.calibrate(
                module, samples, select_tf_ops=export["select_tf_ops"], allow_custom_ops=export["allow_custom_ops"]
            )
            calibration.annotate(module, ranges)
            on_stage("calibrate", time.perf_counter() - start)
        start = time.perf_counter()
        passes = [
            QuantizeInt8Pass(
                inference_input_type=_type_name(converter.inference_input_type) or "float32",
                inference_output_type=_type_name(converter.inference_output_type) or "float32",
                per_channel_dense=options.per_channel_dense,
                allow_float=bool(set(converter.target_spec.supported_ops) - {OpsSet.TFLITE_BUILTINS_INT8}),
            )
        ]
    elif mode == "float16":
        passes = [QuantizeFloat16Pass(min_elements=options.float16_min_elements)]
    else:
        passes = [
            QuantizeDynamicRangePass(
                min_elements=options.min_weight_elements, per_channel_dense=options.per_channel_dense
            )
        ]
    run_passes(module, passes, on_pass=on_stage)
    start = time.perf_counter()
    quantized_model = export_module(module, **converter._export_options())
    report.size_after = len(quantized_model)
    report.ops, report.kept_float = classify_ops(module)
    if samples and options.measure_error:
        report.error = measure_error(float_model, quantized_model, samples)
        on_stage("measure-error", time.perf_counter() - start)
    return report


def classify_ops(module: ModuleOp) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Each op of the module as int8, hybrid, float16 weights or float (by op name)."""
    from xdsl.dialects.builtin import Float16Type, TensorType
    from xdsl.dialects.func import FuncOp, ReturnOp

    from tflc.dialects import tfl
    from tflc.dialects.quant import quantized_element
    from tflc.errors import describe_location

    skip = (tfl.ConstOp, tfl.QConstOp, tfl.NoValueOp, tfl.QuantizeOp, tfl.DequantizeOp, ReturnOp)
    counts: dict[str, Counter[str]] = {}
    kept: list[str] = []
    for func in module.ops:
        if not isinstance(func, FuncOp):
            continue
        for op in func.body.walk():
            if isinstance(op, skip) or isinstance(op, FuncOp):
                continue
            results_q = any(quantized_element(r.type) is not None for r in op.results)
            operands_q = any(quantized_element(v.type) is not None for v in op.operands)
            half = any(
                isinstance(v.owner, tfl.DequantizeOp)
                and isinstance(v.owner.input.type, TensorType)
                and isinstance(v.owner.input.type.element_type, Float16Type)
                for v in op.operands
            )
            float_results = any(isinstance(r.type, TensorType) and _is_float(r.type) for r in op.results)
            if results_q or (operands_q and not float_results):  # arg_max, comparisons: int8 in, index/bool out
                kind = "int8"
            elif operands_q:
                kind = "int8 weights (hybrid)"
            elif half:
                kind = "float16 weights"
            else:
                kind = "float"
                if any(isinstance(v.type, TensorType) and _is_float(v.type) for v in (*op.operands, *op.results)):
                    kept.append(f"{op.name} at {describe_location(op.location)}")
            counts.setdefault(op.name.removeprefix("tfl."), Counter())[kind] += 1
    return {k: dict(v) for k, v in counts.items()}, kept


def _is_float(ty: Any) -> bool:
    from xdsl.dialects.builtin import f32

    return ty.element_type == f32


def measure_error(float_model: bytes, quantized_model: bytes, samples: list) -> dict[str, dict[str, dict[str, float]]]:
    """Per signature output: max/mean absolute and max relative error of the quantized model."""
    from tflc.passes.quantize_calibration import interpreter

    reference = interpreter(float_model)
    candidate = interpreter(quantized_model)
    diffs: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
    for key, inputs in samples:
        runner = candidate.get_signature_runner(key)
        details = runner.get_input_details()
        feed = {name: _to_input(value, details[name]) for name, value in inputs.items()}
        expected = reference.get_signature_runner(key)(**inputs)
        got = runner(**feed)
        out_details = runner.get_output_details()
        for name, value in expected.items():
            diffs.setdefault((key, name), []).append((value, _from_output(got[name], out_details[name])))
    error: dict[str, dict[str, dict[str, float]]] = {}
    for (key, name), pairs in diffs.items():
        want = np.stack([p[0] for p in pairs]).astype(np.float64)
        have = np.stack([p[1] for p in pairs]).astype(np.float64)
        delta = np.abs(have - want)
        scale = float(np.abs(want).max()) or 1.0
        metrics = {
            "max_abs": float(delta.max()),
            "mean_abs": float(delta.mean()),
            "max_relative": float(delta.max()) / scale,
        }
        if want.ndim >= 2 and want.shape[-1] > 1:
            metrics["top1_agreement"] = float((want.argmax(-1) == have.argmax(-1)).mean())
        error.setdefault(key, {})[name] = metrics
    return error


def _to_input(value: np.ndarray, detail: dict) -> np.ndarray:
    dtype = detail["dtype"]
    if np.issubdtype(dtype, np.floating) or value.dtype == dtype:
        return value.astype(dtype, copy=False)
    scale, zero_point = detail["quantization"]
    if not scale:
        return value.astype(dtype)
    info = np.iinfo(dtype)
    return np.clip(np.round(value / scale + zero_point), info.min, info.max).astype(dtype)


def _from_output(value: np.ndarray, detail: dict) -> np.ndarray:
    if np.issubdtype(value.dtype, np.floating):
        return value
    scale, zero_point = detail["quantization"]
    return (value.astype(np.float32) - zero_point) * scale if scale else value


# -- command line -------------------------------------------------------------------


def configure_from_cli(converter: Converter, mode: str | None, data_path: str | None, inference_type: str) -> None:
    """Set a converter up for `tflc-convert --quantize MODE [--representative-data FILE.npz]`."""
    from tflc.converter import Optimize

    if mode is None:
        raise ConversionError("--representative-data needs --quantize int8")
    if mode != "int8" and inference_type != "float32":
        raise ConversionError("--inference-type int8/uint8 needs --quantize int8")
    converter.optimizations = [Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [np.float16]
    if mode == "int8":
        converter.target_spec.supported_types = [np.int8]  # full integer, also without calibration data (QAT)
        if data_path is not None:
            converter.representative_dataset = npz_dataset(data_path)
        converter.inference_input_type = converter.inference_output_type = inference_type


def npz_dataset(path: str) -> list[Any]:
    """Calibration samples from an .npz: arrays named by input (`x`) or by `signature_key/input`,
    the first axis indexing samples."""
    import zipfile
    import zlib

    fix = "write it with numpy.savez, one array per input, the first axis indexing samples"
    try:
        loaded = np.load(path)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ConversionError(f"{path}: holds one array, not an .npz of arrays named by input; {fix}")
        with loaded as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, KeyError) as err:
        raise ConversionError(f"{path}: cannot read representative data ({err}); {fix}") from None
    for name, array in arrays.items():
        if array.ndim == 0:
            raise ConversionError(f"{path}: array '{name}' is a scalar; its first axis must index samples")
    groups: dict[str | None, dict[str, np.ndarray]] = {}
    for name, array in arrays.items():
        prefix, _, input_name = name.rpartition("/")
        groups.setdefault(prefix or None, {})[input_name] = array
    samples: list[Any] = []
    for key, inputs in groups.items():
        counts = {len(a) for a in inputs.values()}
        if len(counts) != 1:
            raise ConversionError(f"{path}: inputs {sorted(inputs)} have different sample counts {sorted(counts)}")
        for n in range(counts.pop()):
            item = {name: a[n] for name, a in inputs.items()}
            samples.append(item if key is None else (key, item))
    return samples
