"""Real models end to end: Keras MobileNetV2, ResNet50, EfficientNetB0 (small inputs,
seeded weights, randomized batch-norm statistics), a transformer encoder block and
LSTM / GRU classifiers, the transformer block and the RNNs also traced with unknown batch
and length (While loops over TensorLists),
saved by TensorFlow as SavedModels, converted by tflc and run in ai-edge-litert."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parent / "models" / "legalize_models.py"
# Two builder processes (the CNNs dominate), so that both cores work.
GROUPS = (
    ("efficientnet_b0", "transformer", "transformer_dynamic", "lstm", "gru"),
    ("resnet50", "mobilenet_v2", "lstm_dynamic", "gru_sequences_dynamic"),
)
MODELS = [name for group in GROUPS for name in group]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SavedModels with reference I/O, built by TensorFlow in subprocesses."""
    out = tmp_path_factory.mktemp("legalize_models")
    procs = [
        subprocess.Popen(
            [sys.executable, str(SCRIPT), str(out), *group], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for group in GROUPS
    ]
    for proc in procs:
        _, err = proc.communicate()
        assert proc.returncode == 0, err.decode()[-3000:]
    return out


@pytest.mark.parametrize("name", MODELS)
def test_real_model_matches_tensorflow(model_dir: Path, name: str) -> None:
    from ai_edge_litert.interpreter import Interpreter

    from tflc import Converter

    converter = Converter.from_saved_model(model_dir / name)
    model = converter.convert()
    reference = np.load(model_dir / name / "reference.npz")
    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    got = runner(x=reference["x"])["y"]
    expected = reference["y"]
    assert got.shape == expected.shape
    relative = np.abs(got - expected).max() / np.abs(expected).max()
    assert relative < 1e-4, f"{name}: max error {relative:.2e} relative to the output's scale"
    assert not any(op.startswith("tf.") for op in converter.report.op_histogram)
    # RNN weights the loop only reads are frozen, not kept as resource variables
    assert "var_handle" not in converter.report.op_histogram


def test_control_flow_model_roundtrips_through_mlir(model_dir: Path) -> None:
    """A While-loop model: .tflite -> tfl MLIR -> .tflite runs the same (subgraph references kept)."""
    from ai_edge_litert.interpreter import Interpreter

    from tflc import Converter, export_module, import_model, module_to_text, parse_module

    model = Converter.from_saved_model(model_dir / "lstm").convert()
    text = module_to_text(import_model(model, "lstm.tflite"))
    assert "tfl.while" in text
    again = export_module(parse_module(text))
    x = np.load(model_dir / "lstm" / "reference.npz")["x"]
    first = Interpreter(model_content=model).get_signature_runner("serving_default")(x=x)["y"]
    second = Interpreter(model_content=again).get_signature_runner("serving_default")(x=x)["y"]
    np.testing.assert_array_equal(first, second)


def test_int8_rnn_calibrates_through_the_loop(model_dir: Path) -> None:
    """Full-integer quantization of an LSTM model: the loop stays float, the ops around it go
    int8, calibration skips While results nothing reads, and the numbers stay close."""
    from ai_edge_litert.interpreter import Interpreter

    from tflc import Converter, Optimize

    reference = np.load(model_dir / "lstm" / "reference.npz")
    rng = np.random.default_rng(3)
    converter = Converter.from_saved_model(model_dir / "lstm")
    converter.optimizations = [Optimize.DEFAULT]
    shape = reference["x"].shape
    converter.representative_dataset = lambda: ([rng.standard_normal(shape).astype(np.float32)] for _ in range(20))
    model = converter.convert()
    got = Interpreter(model_content=model).get_signature_runner("serving_default")(x=reference["x"])["y"]
    expected = reference["y"]
    assert np.abs(got - expected).max() < 0.05 * np.abs(expected).max()
    quantized = converter.report.quantization
    assert quantized is not None and "int8" in str(quantized)
