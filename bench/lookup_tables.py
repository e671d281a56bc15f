"""Lookup-table models: the op kinds TensorFlow's converter and tflc write, and whether they match TF.

    python bench/lookup_tables.py

Builds the SavedModels of test/python/models/lookup_models.py in a temporary directory,
converts each with `tf.lite.TFLiteConverter.from_saved_model` (builtins only) and with
tflc, runs both in ai-edge-litert on the test's batch of keys (missing keys included) and
prints, per model, each converter's operators per subgraph and whether its outputs equal
TF eager's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / "test" / "python" / "models" / "lookup_models.py"
INPUTS = {
    "key_value": ("words", "ids"),
    "text_file": ("words", "ids"),
    "int_table": ("ids",),
    "float_table": ("words",),
}


def _ops(model: bytes) -> str:
    """`OP xN` per subgraph, subgraphs separated by ` | `."""
    from ai_edge_litert import schema_py_generated as fb

    m = fb.ModelT.InitFromPackedBuf(model, 0)
    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    parts = []
    for subgraph in m.subgraphs:
        counts = Counter(
            names[max(m.operatorCodes[o.opcodeIndex].builtinCode, m.operatorCodes[o.opcodeIndex].deprecatedBuiltinCode)]
            for o in subgraph.operators
        )
        parts.append(", ".join(f"{k} x{v}" if v > 1 else k for k, v in counts.items()))
    return " | ".join(parts)


def _matches(model: bytes, inputs: dict[str, np.ndarray], expected: dict[str, np.ndarray], name: str) -> str:
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    try:
        got = runner(**inputs)
    except RuntimeError as err:
        return f"fails to run: {str(err).splitlines()[0][:80]}"
    for key, value in got.items():
        want = expected[f"{name}/{key}"]
        if np.asarray(value).reshape(np.shape(want)).tolist() != want.tolist():
            return "no"
    return "yes"


def main() -> None:
    """Print the table."""
    import tensorflow as tf

    import tflc

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(SCRIPT), tmp], check=True, capture_output=True)
        with np.load(Path(tmp) / "inputs.npz", allow_pickle=True) as f:
            inputs = dict(f)
        with np.load(Path(tmp) / "outputs.npz", allow_pickle=True) as f:
            expected = dict(f)
        names = [*INPUTS, "string_lookup", "string_lookup_inverse", "integer_lookup"]
        print("| model | converter | operators (main | init) | outputs = TF eager |")
        print("|---|---|---|---|")
        for name in names:
            path = str(Path(tmp) / name)
            feed = {k: inputs[k] for k in INPUTS[name]} if name in INPUTS else None
            for label in ("TensorFlow", "tflc"):
                try:
                    if label == "TensorFlow":
                        model = tf.lite.TFLiteConverter.from_saved_model(path).convert()
                    else:
                        model = tflc.Converter.from_saved_model(path).convert()
                except Exception as err:  # noqa: BLE001 - a failed conversion is a row of the table
                    message = str(err).strip().splitlines()
                    short = next((line for line in message if "error" in line.lower()), message[-1] if message else "")
                    print(f"| {name} | {label} | fails: {short[:110]} | - |")
                    continue
                if feed is None:
                    from ai_edge_litert.interpreter import Interpreter

                    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
                    (input_name,) = runner.get_input_details()
                    feed_now = {input_name: inputs[name]}
                else:
                    feed_now = feed
                print(f"| {name} | {label} | {_ops(model)} | {_matches(model, feed_now, expected, name)} |")


if __name__ == "__main__":
    main()
