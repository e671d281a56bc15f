"""tflc against TensorFlow's converter on the same SavedModels: ops, size, latency, error, signatures.

    python bench/make_models.py            # once
    python bench/compare.py [MODEL ...]

TensorFlow's reference output is its best working path for each model:
`from_saved_model` unless its outputs are wrong (Keras models wrapped in a tf.Module get
uninitialized variables in TF 2.21), else `from_concrete_functions` on the loaded signatures.
Latency is the median of 101 invokes of each model in ai-edge-litert, in this process,
the two models invoked alternately.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"
DEFAULT = ["mobilenet_v2", "resnet50", "efficientnet_b0", "transformer_encoder", "lstm_classifier", "mixed_ops"]


def _inputs(signature, rng) -> dict[str, np.ndarray]:
    inputs = {}
    for name, spec in signature.structured_input_signature[1].items():
        shape = [d or 1 for d in spec.shape]
        if spec.dtype.is_integer:
            inputs[name] = rng.integers(0, 3, shape).astype(spec.dtype.as_numpy_dtype)
        else:
            inputs[name] = rng.standard_normal(shape).astype(spec.dtype.as_numpy_dtype)
    return inputs


def _latency_ratio(ours: bytes, theirs: bytes, keys: tuple[str, str], inputs: dict[str, np.ndarray],
                   runs: int = 101) -> float:
    """Median invoke time of our model over TensorFlow's, the two invoked alternately in
    this process so that machine noise falls on both alike."""
    from ai_edge_litert.interpreter import Interpreter

    runners = [Interpreter(model_content=m).get_signature_runner(k) for m, k in zip((ours, theirs), keys)]
    times: tuple[list[float], list[float]] = ([], [])
    for runner in runners:
        runner(**inputs)
    for _ in range(runs):
        for runner, spent in zip(runners, times):
            start = time.perf_counter()
            runner(**inputs)
            spent.append(time.perf_counter() - start)
    return statistics.median(times[0]) / statistics.median(times[1])


def _ops(model: bytes) -> int:
    from ai_edge_litert import schema_py_generated as fb

    m = fb.Model.GetRootAsModel(model, 0)
    return sum(m.Subgraphs(i).OperatorsLength() for i in range(m.SubgraphsLength()))


def _max_error(model: bytes, key: str, inputs, expected) -> float:
    from ai_edge_litert.interpreter import Interpreter

    got = Interpreter(model_content=model).get_signature_runner(key)(**inputs)
    errors = []
    for name, value in expected.items():
        value = np.asarray(value)
        scale = max(float(np.abs(value).max()), 1e-6)
        errors.append(float(np.abs(got[name].astype(np.float64) - value).max()) / scale)
    return max(errors)


def _tf_best(path: Path, key: str, inputs, expected) -> bytes:
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_saved_model(str(path))
    model = converter.convert()
    try:
        if _max_error(model, key, inputs, expected) < 1e-3:
            return model
    except Exception:  # noqa: BLE001 - fall through to the other path
        pass
    loaded = tf.saved_model.load(str(path))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([loaded.signatures[key]], loaded)
    return converter.convert()


def main() -> None:
    """Print the comparison table."""
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    import tflc

    names = sys.argv[1:] or DEFAULT
    rng = np.random.default_rng(0)
    print(f"{'model':<22}{'ops ours/TF':>13}{'size x':>8}{'latency x':>10}{'max rel err':>13}{'signatures equal':>18}")
    for name in names:
        path = MODELS / name
        if not (path / "saved_model.pb").exists():
            print(f"{name:<22} missing: run bench/make_models.py {name}")
            continue
        loaded = tf.saved_model.load(str(path))
        key = next(iter(loaded.signatures))
        signature = loaded.signatures[key]
        inputs = _inputs(signature, rng)
        expected = {k: v.numpy() for k, v in signature(**{k: tf.constant(v) for k, v in inputs.items()}).items()}
        try:
            ours = tflc.Converter.from_saved_model(path).convert()
        except tflc.TflcError as err:
            print(f"{name:<22} tflc failed: {str(err).splitlines()[0]}")
            continue
        theirs = _tf_best(path, key, inputs, expected)
        ours_sigs = Interpreter(model_content=ours).get_signature_list()
        saved_sigs = {k: sorted(s.structured_input_signature[1]) for k, s in loaded.signatures.items()}
        equal = {k: sorted(v["inputs"]) for k, v in ours_sigs.items()} == saved_sigs
        their_key = next(iter(Interpreter(model_content=theirs).get_signature_list()))
        latency = _latency_ratio(ours, theirs, (key, their_key), inputs)
        print(f"{name:<22}{_ops(ours):>6}/{_ops(theirs):<6}{len(ours) / len(theirs):>8.3f}{latency:>10.2f}"
              f"{_max_error(ours, key, inputs, expected):>13.2e}{str(equal):>18}")


if __name__ == "__main__":
    main()
