"""Quantization-aware training: FakeQuant ops become quantization parameters.

tfmot `quantize_model` CNN and MLP (test/python/models/qat_models.py) converted by tflc and by
TensorFlow's converter, without and with Optimize.DEFAULT: the same op kinds, outputs within
one quantization step of the QAT Keras model; and each FakeQuant variant against TensorFlow.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tflc
from tflc.backend.model_info import operator_versions
from tflc.errors import ConversionError
from tflc.passes.quantize_calibration import interpreter

NAMES = ("cnn", "mlp")
QDQ = ("QUANTIZE", "DEQUANTIZE")


@pytest.fixture(scope="session")
def qat_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, np.ndarray]]:
    """The QAT SavedModels, TensorFlow's .tflite files for both modes and the test data, made once."""
    out = tmp_path_factory.mktemp("qat")
    script = Path(__file__).parent / "models" / "qat_models.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    with np.load(out / "data.npz") as data:
        return out, dict(data)


def _convert(path: Path, optimized: bool) -> tuple[bytes, tflc.Converter]:
    converter = tflc.Converter.from_saved_model(path)
    if optimized:
        converter.optimizations = [tflc.Optimize.DEFAULT]
    return converter.convert(), converter


def _ops(model: bytes) -> list[str]:
    return [op["op_name"] for op in interpreter(model)._get_ops_details()]


def _run(model: bytes, x: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    """The model's outputs for each row of x (batch 1), and its output's details."""
    runtime = interpreter(model)
    runner = runtime.get_signature_runner()
    (name,) = runner.get_input_details()
    rows = [next(iter(runner(**{name: x[i : i + 1]}).values())) for i in range(len(x))]
    (output,) = runner.get_output_details().values()
    return np.concatenate(rows), output


def _output_step(model: bytes) -> float:
    """The quantization step of the tensor the output DEQUANTIZE reads."""
    runtime = interpreter(model)
    tensors = {t["index"]: t for t in runtime.get_tensor_details()}
    out = runtime.get_output_details()[0]["index"]
    (last,) = [op for op in runtime._get_ops_details() if out in op["outputs"]]
    assert last["op_name"] == "DEQUANTIZE"
    return float(tensors[last["inputs"][0]]["quantization_parameters"]["scales"][0])


def _weight_scales(model: bytes) -> list[tuple[str, int]]:
    """(op, number of weight scales) of each CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED."""
    runtime = interpreter(model)
    tensors = {t["index"]: t for t in runtime.get_tensor_details()}
    return [
        (op["op_name"], len(tensors[op["inputs"][1]]["quantization_parameters"]["scales"]))
        for op in runtime._get_ops_details()
        if op["op_name"] in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")
    ]


def _input_types(model: bytes) -> list[tuple[str, str]]:
    runtime = interpreter(model)
    tensors = {t["index"]: t for t in runtime.get_tensor_details()}
    return [
        (op["op_name"], np.dtype(tensors[op["inputs"][0]]["dtype"]).name)
        for op in runtime._get_ops_details()
        if op["op_name"] not in QDQ
    ]


@pytest.mark.parametrize("name", NAMES)
def test_default_mode_keeps_float_ops_between_quantize_dequantize(qat_models, name: str) -> None:
    """Without optimizations: TF's op kinds, its float ops exactly, QUANTIZE/DEQUANTIZE where the
    FakeQuant ops were (weights as quantized constants + DEQUANTIZE, so fewer QUANTIZE than TF's
    quantize-at-run-time of float weights), the QAT model's outputs to float precision."""
    out, data = qat_models
    model, _ = _convert(out / name, optimized=False)
    reference = (out / f"{name}_tf_default.tflite").read_bytes()
    ours, theirs = Counter(_ops(model)), Counter(_ops(reference))
    assert set(ours) == set(theirs)
    assert {k: v for k, v in ours.items() if k not in QDQ} == {k: v for k, v in theirs.items() if k not in QDQ}
    assert ours["QUANTIZE"] < theirs["QUANTIZE"] and ours["DEQUANTIZE"] == theirs["DEQUANTIZE"]
    assert all(dtype == "float32" for _, dtype in _input_types(model))
    got, _ = _run(model, data[f"{name}/x"])
    np.testing.assert_allclose(got, data[f"{name}/y"], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_optimized_mode_is_full_integer_from_trained_ranges(qat_models, name: str) -> None:
    """Optimize.DEFAULT: TF's op sequence and operator versions, int8 kernels, weights per channel
    where TF has them, outputs within one quantization step of the QAT model (and of TF's)."""
    out, data = qat_models
    model, converter = _convert(out / name, optimized=True)
    reference = (out / f"{name}_tf_optimized.tflite").read_bytes()
    assert _ops(model) == _ops(reference)
    assert operator_versions(model) == operator_versions(reference)
    assert _weight_scales(model) == _weight_scales(reference)
    assert all(dtype == "int8" for _, dtype in _input_types(model))
    assert converter.report.quantization.mode == "qat-int8"
    step = _output_step(model)
    assert step == pytest.approx(_output_step(reference), rel=1e-6)
    got, _ = _run(model, data[f"{name}/x"])
    theirs, _ = _run(reference, data[f"{name}/x"])
    assert np.abs(got - data[f"{name}/y"]).max() <= step * 1.001
    assert np.abs(got - theirs).max() <= step * 1.001


def test_optimized_metadata_and_cli(qat_models, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tflc-convert --quantize int8` without calibration data gives the API's model; with
    --select-tf-ops too (it used to fail asking for the flag it had); CONVERSION_METADATA
    says quantization-aware training, as TF writes it."""
    from tflc.backend import metadata, schema
    from tflc.tools.convert import main

    out, _ = qat_models
    api_model, _ = _convert(out / "cnn", optimized=True)
    for model, modes in (
        (api_model, [metadata.OptimizationMode.QUANTIZATION_AWARE_TRAINING]),
        (_convert(out / "cnn", optimized=False)[0], []),
    ):
        unpacked = schema.unpack_model(model, "cnn")
        entry = next(e for e in unpacked.metadata if schema.decode_name(e.name) == "CONVERSION_METADATA")
        assert metadata.parse(bytes(unpacked.buffers[entry.buffer].data)).optimization_modes == modes
    for extra in ([], ["--select-tf-ops"]):
        path = tmp_path / "cnn.tflite"
        argv = ["--saved-model-dir", str(out / "cnn"), "--output-file", str(path), "--quantize", "int8", *extra]
        assert main(argv) == 0, capsys.readouterr().err
        assert "quantization (qat-int8)" in capsys.readouterr().out
        assert _ops(path.read_bytes()) == _ops(api_model)


def test_int8_inference_types_and_builtins_int8(qat_models) -> None:
    """int8 inputs/outputs and TFLITE_BUILTINS_INT8 alone work on a QAT model without calibration data."""
    out, data = qat_models
    converter = tflc.Converter.from_saved_model(out / "mlp")
    converter.optimizations = [tflc.Optimize.DEFAULT]
    converter.target_spec.supported_ops = [tflc.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = converter.inference_output_type = np.int8
    model = converter.convert()
    assert _ops(model) == ["FULLY_CONNECTED"] * 3
    runner = interpreter(model).get_signature_runner()
    (name, detail), = runner.get_input_details().items()
    (out_detail,) = runner.get_output_details().values()
    scale, zero = detail["quantization"]
    out_scale, out_zero = out_detail["quantization"]
    x = data["mlp/x"]
    q = np.clip(np.round(x / scale) + zero, -128, 127).astype(np.int8)
    got = np.concatenate([next(iter(runner(**{name: q[i : i + 1]}).values())) for i in range(len(q))])
    # The input's own rounding adds at most half an input step times the model's gain; one output step holds it here.
    assert np.abs((got.astype(np.float32) - out_zero) * out_scale - data["mlp/y"]).max() <= 2 * out_scale


def test_full_integer_without_fake_quant_needs_calibration(tmp_path: Path) -> None:
    """A model without FakeQuant ops still needs a representative dataset for int8."""
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec([1, 4], tf.float32)])
    def f(x):  # noqa: ANN001, ANN202
        return tf.nn.relu(x) * 2.0

    converter = tflc.Converter.from_concrete_functions([f.get_concrete_function()])
    converter.optimizations = [tflc.Optimize.DEFAULT]
    converter.target_spec.supported_ops = [tflc.OpsSet.TFLITE_BUILTINS_INT8]
    with pytest.raises(ConversionError, match="needs calibration data.*quantization-aware"):
        converter.convert()


# -- each FakeQuant variant against TensorFlow ---------------------------------------------------

ACTIVATION_CASES = {
    "args": dict(min=-1.3, max=2.1, num_bits=8, narrow_range=False),
    "args_narrow": dict(min=-1.3, max=2.1, num_bits=8, narrow_range=True),
    "args_positive_range": dict(min=0.5, max=3.0, num_bits=8, narrow_range=False),
    "args_4_bits": dict(min=-2.0, max=2.0, num_bits=4, narrow_range=False),
    "vars": dict(min=-0.7, max=1.9, num_bits=8, narrow_range=False, vars=True),
    "vars_narrow": dict(min=-2.5, max=2.5, num_bits=8, narrow_range=True, vars=True),
}


def _fake_quant(x: Any, case: dict[str, Any]) -> Any:
    import tensorflow as tf

    bits, narrow = case["num_bits"], case["narrow_range"]
    if case.get("vars"):
        low, high = tf.constant(case["min"]), tf.constant(case["max"])
        return tf.quantization.fake_quant_with_min_max_vars(x, low, high, num_bits=bits, narrow_range=narrow)
    return tf.quantization.fake_quant_with_min_max_args(
        x, min=case["min"], max=case["max"], num_bits=bits, narrow_range=narrow
    )


def _convert_function(f: Any) -> bytes:
    return tflc.Converter.from_concrete_functions([f.get_concrete_function()]).convert()


def _eval(model: bytes, x: np.ndarray) -> np.ndarray:
    runner = interpreter(model).get_signature_runner()
    (name,) = runner.get_input_details()
    return next(iter(runner(**{name: x}).values()))


@pytest.mark.parametrize("case", sorted(ACTIVATION_CASES))
def test_fake_quant_on_activations_matches_tensorflow(case: str) -> None:
    """FakeQuantWithMinMaxArgs / Vars on an activation: QUANTIZE + DEQUANTIZE computing what TF's op computes."""
    import tensorflow as tf

    params = ACTIVATION_CASES[case]

    @tf.function(input_signature=[tf.TensorSpec([4, 64], tf.float32)])
    def f(x):  # noqa: ANN001, ANN202
        return _fake_quant(x * 1.0, params)

    model = _convert_function(f)
    assert {"QUANTIZE", "DEQUANTIZE"} <= set(_ops(model))
    x = np.linspace(-4.0, 4.0, 256, dtype=np.float32).reshape(4, 64)
    want = f(tf.constant(x)).numpy()
    step = (params["max"] - params["min"]) / (2 ** params["num_bits"] - 1 - params["narrow_range"])
    got = _eval(model, x)
    # Equal up to float rounding, but for inputs at a half-step tie (which may round either way).
    close = np.isclose(got, want, rtol=0, atol=1e-6)
    assert np.mean(close) > 0.98 and np.abs(got - want).max() <= step * 1.001


def test_fake_quant_per_channel_activation_matches_tensorflow() -> None:
    """FakeQuantWithMinMaxVarsPerChannel on an activation: a per-axis QUANTIZE on the last dimension."""
    import tensorflow as tf

    low = np.array([-1.0, -0.5, 0.0, -3.0], np.float32)
    high = np.array([1.0, 2.0, 1.5, 3.0], np.float32)

    @tf.function(input_signature=[tf.TensorSpec([8, 4], tf.float32)])
    def f(x):  # noqa: ANN001, ANN202
        return tf.quantization.fake_quant_with_min_max_vars_per_channel(x + 0.0, low, high)

    model = _convert_function(f)
    x = np.linspace(-3.5, 3.5, 32, dtype=np.float32).reshape(8, 4)
    np.testing.assert_allclose(_eval(model, x), f(tf.constant(x)).numpy(), atol=((high - low) / 255).max() * 1.001)


@pytest.mark.parametrize("narrow_range", [True, False])
@pytest.mark.parametrize("per_channel", [True, False])
def test_fake_quant_on_weights_matches_tensorflow(per_channel: bool, narrow_range: bool) -> None:
    """FakeQuant on constant weights: a quantized constant + DEQUANTIZE reading exactly the
    fake-quantized weights TF computes (the int8 storage is TF's unsigned range shifted by 128)."""
    import tensorflow as tf

    rng = np.random.default_rng(3)
    weights = rng.standard_normal((6, 5)).astype(np.float32)
    peak = np.abs(weights).max(axis=0) * 1.05  # no weight exactly at a half-step tie (TF may round it either way)
    low, high = (-peak, peak) if per_channel else (-peak.max() * 0.8, peak.max() * 0.6)

    @tf.function(input_signature=[tf.TensorSpec([3, 6], tf.float32)])
    def f(x):  # noqa: ANN001, ANN202
        w = tf.constant(weights)
        if per_channel:
            w = tf.quantization.fake_quant_with_min_max_vars_per_channel(w, low, high, narrow_range=narrow_range)
        else:
            w = tf.quantization.fake_quant_with_min_max_vars(w, low, high, narrow_range=narrow_range)
        return tf.matmul(x, w)

    model = _convert_function(f)
    # [-p, p] over 255 steps has no integer zero point (127.5 rounds either way): per channel, a
    # channel with zero point 127 keeps the weights float (fake-quantized), as TFLite's per-channel
    # DEQUANTIZE takes zero points of 0 (128 unsigned) only.
    ops = _ops(model)
    if per_channel and not narrow_range:
        assert ops in (["FULLY_CONNECTED"], ["DEQUANTIZE", "FULLY_CONNECTED"])
    else:
        assert ops == ["DEQUANTIZE", "FULLY_CONNECTED"]
    x = rng.standard_normal((3, 6)).astype(np.float32)
    np.testing.assert_allclose(_eval(model, x), f(tf.constant(x)).numpy(), rtol=1e-5, atol=1e-5)


def test_fake_quant_min_above_max_is_an_error() -> None:
    """min > max: one message naming the op's node and what a FakeQuant needs."""
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec([4], tf.float32)])
    def f(x):  # noqa: ANN001, ANN202
        return tf.quantization.fake_quant_with_min_max_vars(x, tf.constant(2.0), tf.constant(-1.0), name="bad_fq")

    message = r"tf.FakeQuantWithMinMaxVars at node '.*bad_fq.*' has min 2.0 above max -1.0; a FakeQuant op needs"
    with pytest.raises(ConversionError, match=message):
        _convert_function(f)
