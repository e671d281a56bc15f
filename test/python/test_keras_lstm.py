"""tf-keras LSTM layers fuse into TFLite's UNIDIRECTIONAL_SEQUENCE_LSTM as TensorFlow's
converter fuses them (prepare-composite-functions), computing the Keras model's numbers;
a layer whose final states are read keeps its loop and still converts.

The models (test/python/models/rnn_models.py) and TensorFlow's conversions of them are
made once per session in their own process (tf-keras needs TF_USE_LEGACY_KERAS=1).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

import tflc


@pytest.fixture(scope="session")
def rnn_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, np.ndarray]]:
    """The tf-keras SavedModels, TensorFlow's .tflite files and the test data, made once."""
    out = tmp_path_factory.mktemp("rnn")
    script = Path(__file__).parent / "models" / "rnn_models.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    with np.load(out / "data.npz") as data:
        return out, dict(data)


def _ops(model: bytes) -> Counter:
    interpreter = Interpreter(model_content=model)
    return Counter(op["op_name"] for op in interpreter._get_ops_details())


def _check_outputs(model: bytes, name: str, data: dict[str, np.ndarray]) -> None:
    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    outputs = runner(x=data["x"])
    expected = {k.split("/", 1)[1]: v for k, v in data.items() if k.startswith(f"{name}/")}
    assert sorted(outputs) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(outputs[key], value, rtol=1e-5, atol=1e-5, err_msg=f"{name}: {key}")


@pytest.mark.parametrize("name", ["sequence", "stacked_backwards"])
def test_keras_lstm_fuses_and_matches_keras(rnn_models, name: str) -> None:
    """Each LSTM layer is one UNIDIRECTIONAL_SEQUENCE_LSTM, no WHILE, the Keras outputs within
    1e-5, and no more ops than TensorFlow's converter writes."""
    root, data = rnn_models
    model = tflc.Converter.from_saved_model(root / name).convert()
    ours, theirs = _ops(model), _ops((root / f"{name}_tf.tflite").read_bytes())
    layers = 2 if name == "stacked_backwards" else 1
    assert ours["UNIDIRECTIONAL_SEQUENCE_LSTM"] == layers and "WHILE" not in ours, ours
    assert theirs["UNIDIRECTIONAL_SEQUENCE_LSTM"] == layers  # TensorFlow fuses them too
    assert sum(ours.values()) <= sum(theirs.values()), (ours, theirs)
    _check_outputs(model, name, data)


def test_keras_lstm_with_its_states_read_keeps_the_loop(rnn_models) -> None:
    """return_state: the fused op cannot give the final states, so the layer stays a WHILE
    loop and computes the Keras outputs and states."""
    root, data = rnn_models
    model = tflc.Converter.from_saved_model(root / "states").convert()
    ops = _ops(model)
    assert "UNIDIRECTIONAL_SEQUENCE_LSTM" not in ops and "WHILE" in ops, ops
    _check_outputs(model, "states", data)
