#!/usr/bin/env python
"""The bundled example: a SavedModel with two signatures, `add` and `sub`.

Each signature takes two float32 tensors `input1` and `input2` of shape [1, 4]
and returns a dict with one output, `result`.  Expected TFLite signature list:

    {'add': {'inputs': ['input1', 'input2'], 'outputs': ['result']},
     'sub': {'inputs': ['input1', 'input2'], 'outputs': ['result']}}

Regenerate examples/addsub_savedmodel/ (SavedModel + reference.json/.npz with
TensorFlow's outputs) with either of

    /work/venv/bin/python examples/make_example.py
    /work/venv/bin/python test/fixtures/make_savedmodels.py --only example_addsub

or save the bare SavedModel elsewhere with

    /work/venv/bin/python examples/make_example.py OUT_DIR

Then convert it with tflc:

    tflc-convert --saved-model-dir examples/addsub_savedmodel --output-file addsub.tflite
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def save_example(export_dir: str) -> None:
    """Build the add/sub module and save it as a SavedModel in export_dir."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    spec = [
        tf.TensorSpec(shape=[1, 4], dtype=tf.float32, name="input1"),
        tf.TensorSpec(shape=[1, 4], dtype=tf.float32, name="input2"),
    ]

    class AddSub(tf.Module):
        @tf.function(input_signature=spec)
        def add(self, input1, input2):
            return {"result": input1 + input2}

        @tf.function(input_signature=spec)
        def sub(self, input1, input2):
            return {"result": input1 - input2}

    module = AddSub()
    tf.saved_model.save(module, export_dir, signatures={"add": module.add, "sub": module.sub})


def main(argv: list[str]) -> int:
    if argv:
        save_example(argv[0])
        print(f"saved {argv[0]}")
        return 0
    script = HERE.parent / "test" / "fixtures" / "make_savedmodels.py"
    return subprocess.call([sys.executable, str(script), "--only", "example_addsub"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
