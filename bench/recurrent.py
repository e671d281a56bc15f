"""tf-keras recurrent models (test/python/models/rnn_models.py: an LSTM sequence model, two
stacked LSTMs reading backwards, an LSTM whose states are read): tflc against TensorFlow's
converter, measured in the same run.

    make setup            # installs tf-keras (requirements-nodeps.txt)
    python bench/recurrent.py

Prints per model: each converter's op count (all subgraphs), UNIDIRECTIONAL_SEQUENCE_LSTM
and WHILE counts, file size, the largest difference from the Keras outputs, and the
tflc/TF ratios of op count and size. TensorFlow's .tflite files are written by the model
script (TensorFlow's converter, in its own process).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MODELS = ("sequence", "stacked_backwards", "states")


def _ops(model: bytes) -> Counter:
    from ai_edge_litert import schema_py_generated as fb

    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    return Counter(
        names[parsed.operatorCodes[o.opcodeIndex].builtinCode] for sg in parsed.subgraphs for o in sg.operators or []
    )


def _error(model: bytes, name: str, data: dict[str, np.ndarray]) -> float:
    from ai_edge_litert.interpreter import Interpreter

    outputs = Interpreter(model_content=model).get_signature_runner("serving_default")(x=data["x"])
    return max(
        float(np.max(np.abs(outputs[k.split("/", 1)[1]] - v))) for k, v in data.items() if k.startswith(f"{name}/")
    )


def main() -> None:
    """Build the models (TensorFlow converts them too), convert them with tflc, print the table."""
    import tflc

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run([sys.executable, str(ROOT / "test/python/models/rnn_models.py"), tmp], check=True)
        with np.load(out / "data.npz") as npz:
            data = dict(npz)
        print(f"{'model':18} {'tool':5} {'ops':>4} {'lstm':>4} {'while':>5} {'bytes':>7} {'max err':>9}")
        for name in MODELS:
            ours = tflc.Converter.from_saved_model(out / name).convert()
            theirs = (out / f"{name}_tf.tflite").read_bytes()
            for tool, model in (("tflc", ours), ("tf", theirs)):
                ops = _ops(model)
                print(
                    f"{name:18} {tool:5} {sum(ops.values()):4d} {ops['UNIDIRECTIONAL_SEQUENCE_LSTM']:4d} "
                    f"{ops['WHILE']:5d} {len(model):7d} {_error(model, name, data):9.2e}"
                )
            ratio_ops = sum(_ops(ours).values()) / sum(_ops(theirs).values())
            print(f"{name:18} ratio tflc/tf: ops {ratio_ops:.2f}, size {len(ours) / len(theirs):.2f}")


if __name__ == "__main__":
    main()
