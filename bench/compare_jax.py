"""tflc against TensorFlow's converter on JAX models saved through jax2tf: ops, size, time, error.

    python bench/compare_jax.py [MODEL ...]

The models are the test suite's (test/python/models/jax_models.py): a jnp MLP, the same
MLP shape-polymorphic in its batch, a lax.conv CNN, a flax.linen CNN and a flax
transformer block (attention, layer norm, GELU), all with random parameters. Each is
saved once with jax2tf (one tf.XlaCallModule holding StableHLO) and converted in this run
by TensorFlow's converter and by tflc (from the SavedModel, and from the JAX function
with Converter.from_jax). The error is the largest absolute difference from JAX.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "test" / "python" / "models"))

import jax_models  # noqa: E402


def _ops(model: bytes) -> list[str]:
    from ai_edge_litert.interpreter import Interpreter

    return [op["op_name"] for op in Interpreter(model_content=model)._get_ops_details()]


def _error(model: bytes, name: str, fn) -> float:
    from ai_edge_litert.interpreter import Interpreter

    worst = 0.0
    for x in jax_models.test_inputs(name):
        runner = Interpreter(model_content=model).get_signature_runner()
        (key,) = runner.get_input_details()
        got = next(iter(runner(**{key: x}).values()))
        worst = max(worst, float(np.max(np.abs(got - np.asarray(fn(x))))))
    return worst


def main(names: list[str]) -> None:
    import tensorflow as tf
    from jax.experimental import jax2tf

    import tflc

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            fn, example, poly = jax_models.build(name)
            module = tf.Module()
            spec = tf.TensorSpec([None if poly and i == 0 else d for i, d in enumerate(example.shape)], tf.float32)
            module.f = tf.function(jax2tf.convert(fn, polymorphic_shapes=poly), autograph=False, input_signature=[spec])
            path = os.path.join(tmp, name)
            tf.saved_model.save(module, path)
            start = time.perf_counter()
            theirs = tf.lite.TFLiteConverter.from_saved_model(path).convert()
            tf_time = time.perf_counter() - start
            start = time.perf_counter()
            ours = tflc.Converter.from_saved_model(path).convert()
            our_time = time.perf_counter() - start
            direct = tflc.Converter.from_jax(fn, [("x", example)], polymorphic_shapes=poly).convert()
            rows.append(
                (
                    name,
                    len(_ops(theirs)),
                    len(_ops(ours)),
                    len(_ops(direct)),
                    len(theirs),
                    len(ours),
                    tf_time,
                    our_time,
                    _error(theirs, name, fn),
                    _error(ours, name, fn),
                    _error(direct, name, fn),
                )
            )
    header = ("model", "TF ops", "tflc ops", "from_jax ops", "TF bytes", "tflc bytes", "TF s", "tflc s", "TF err", "tflc err", "from_jax err")
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(f"{v:.2e}" if isinstance(v, float) and v < 0.01 else f"{v:.2f}" if isinstance(v, float) else str(v) for v in row))


if __name__ == "__main__":
    main(sys.argv[1:] or list(jax_models.NAMES))
