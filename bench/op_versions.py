"""Operator versions, tflc against TensorFlow's converter, on the benchmark models.

    python bench/make_models.py            # once
    python bench/op_versions.py [MODEL ...]

For each model in float, float16, dynamic-range and int8 (calibrated on 20 seeded
random inputs): the operators both converters write whose versions differ (expected:
none), the operators only one writes, and both min_runtime_version strings. Exit
status 1 if any version differs. TensorFlow converts the loaded signature
(`from_concrete_functions`, as bench/quantize.py) in a child process.

`dynamic-range/pt` is tflc with `quantization.per_channel_dense = False` (dense weights per
tensor, for older runtimes: an older hybrid FULLY_CONNECTED kernel), compared with
TensorFlow's default output, so its FULLY_CONNECTED version is expected to differ.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
MODELS = Path(__file__).resolve().parent / "models"
DEFAULT = ["mobilenet_v2", "resnet50", "efficientnet_b0", "transformer_encoder", "lstm_classifier",
           "mixed_ops"]
MODES = ("float", "float16", "dynamic-range", "int8")
EXTRA_MODES = ("dynamic-range/pt",)


def _calibration(signature, count: int = 20) -> list[dict[str, np.ndarray]]:
    """Seeded random inputs for every input of a signature."""
    rng = np.random.default_rng(0)
    samples = []
    for _ in range(count):
        sample = {}
        for name, spec in signature.structured_input_signature[1].items():
            shape = [d or 1 for d in spec.shape]
            if spec.dtype.is_integer:
                sample[name] = rng.integers(0, 3, shape).astype(spec.dtype.as_numpy_dtype)
            else:
                sample[name] = rng.standard_normal(shape).astype(np.float32)
        samples.append(sample)
    return samples


def convert_tflc(path: Path, mode: str, samples: list[dict[str, np.ndarray]]) -> bytes:
    """tflc's model in one mode."""
    import tflc

    converter = tflc.Converter.from_saved_model(path)
    if mode != "float":
        converter.optimizations = [tflc.Optimize.DEFAULT]
    if mode == "dynamic-range/pt":
        converter.quantization.per_channel_dense = False
    if mode == "float16":
        converter.target_spec.supported_types = [np.float16]
    if mode == "int8":
        converter.representative_dataset = lambda: iter(samples)
    return converter.convert()


def _convert_tf_here(path: Path, mode: str) -> bytes:
    """TensorFlow's model in one mode, converted in this process: from the loaded signature,
    else (its int8 calibration fails on some models) from the SavedModel."""
    import tensorflow as tf

    loaded = tf.saved_model.load(str(path))
    function = loaded.signatures["serving_default"]
    samples = _calibration(function)
    order = [t.name.split(":")[0] for t in function.inputs if t.dtype != tf.resource]

    def configure(converter, dataset):
        if mode != "float":
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
        if mode == "float16":
            converter.target_spec.supported_types = [tf.float16]
        if mode == "int8":
            converter.representative_dataset = dataset
        return converter

    try:
        converter = tf.lite.TFLiteConverter.from_concrete_functions([function], loaded)
        return configure(converter, lambda: ([s[n] for n in order] for s in samples)).convert()
    except Exception:  # noqa: BLE001 - the other path
        if mode != "int8":
            raise
    converter = tf.lite.TFLiteConverter.from_saved_model(str(path))
    return configure(converter, lambda: iter(samples)).convert()


def convert_tf(path: Path, mode: str) -> bytes:
    """TensorFlow's model in one mode, converted in a child process (its int8 LSTM
    calibration crashes the process)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "model.tflite"
        proc = subprocess.run([sys.executable, __file__, "--tf", str(path), mode, str(out)],
                              capture_output=True, text=True)
        if proc.returncode < 0:
            raise RuntimeError(f"TensorFlow's converter crashed (signal {-proc.returncode})")
        if proc.returncode:
            lines = [line for line in proc.stderr.splitlines() if "rror" in line]
            raise RuntimeError(f"TensorFlow's converter failed: {(lines or ['?'])[-1][:100]}")
        return out.read_bytes()


def compare(ours: bytes, theirs: bytes) -> dict:
    """Differing versions of shared operators, operators only one writes, both runtime versions."""
    from tflc.backend.model_info import min_runtime_version, operator_versions

    a, b = dict(sorted(operator_versions(ours))), dict(sorted(operator_versions(theirs)))
    return {
        "differ": {op: (a[op], b[op]) for op in sorted(a.keys() & b.keys()) if a[op] != b[op]},
        "shared": len(a.keys() & b.keys()),
        "only_tflc": sorted(a.keys() - b.keys()),
        "only_tf": sorted(b.keys() - a.keys()),
        "runtime": (min_runtime_version(ours), min_runtime_version(theirs)),
    }


def main() -> int:
    """Print the table; 1 if any shared operator's version differs."""
    import tensorflow as tf

    names = sys.argv[1:] or DEFAULT
    total_differ = total_shared = runtime_differ = 0
    print(f"{'model':<22}{'mode':<17}{'shared ops':>11}{'differ':>8}  min_runtime tflc/TF   notes")
    for name in names:
        path = MODELS / name
        if not (path / "saved_model.pb").exists():
            print(f"{name:<22} missing: run bench/make_models.py {name}")
            continue
        samples = _calibration(tf.saved_model.load(str(path)).signatures["serving_default"])
        theirs: dict[str, bytes] = {}
        for mode in MODES + EXTRA_MODES:
            base = mode.split("/")[0]
            try:
                if base not in theirs:
                    theirs[base] = convert_tf(path, base)
                result = compare(convert_tflc(path, mode, samples), theirs[base])
            except Exception as err:  # noqa: BLE001 - report and go on with the next model
                print(f"{name:<22}{mode:<17} failed: {str(err).splitlines()[0][:120]}")
                continue
            if mode in MODES:
                total_differ += len(result["differ"])
                total_shared += result["shared"]
                runtime_differ += result["runtime"][0] != result["runtime"][1]
            notes = [f"{op} {a}/{b}" for op, (a, b) in result["differ"].items()]
            notes += [f"only tflc: {','.join(result['only_tflc'])}"] if result["only_tflc"] else []
            notes += [f"only TF: {','.join(result['only_tf'])}"] if result["only_tf"] else []
            runtime = "{}/{}".format(*result["runtime"])
            counts = f"{result['shared']:>11}{len(result['differ']):>8}"
            print(f"{name:<22}{mode:<17}{counts}  {runtime:<20} {'; '.join(notes)}", flush=True)
    print(f"total ({', '.join(MODES)}): {total_differ} differing of {total_shared} shared (operator, version)"
          f" pairs; min_runtime_version differs in {runtime_differ} conversions")
    return 1 if total_differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--tf"]:
        Path(sys.argv[4]).write_bytes(_convert_tf_here(Path(sys.argv[2]), sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
