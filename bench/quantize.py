"""Post-training quantization, tflc against TensorFlow's converter on the same models and data.

    python bench/make_models.py mobilenet_v2 transformer_encoder   # once
    python bench/quantize.py [MODEL ...]

For float16, dynamic-range and full-integer quantization: size relative to each
converter's float model, and the error against the float model on 100 random inputs
(calibration uses 100 other inputs); top-1 agreement for classifiers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
MODELS = Path(__file__).resolve().parent / "models"
MODES = ("float16", "dynamic-range", "int8")


def _run(model: bytes, x: np.ndarray) -> np.ndarray:
    """Run signature serving_default on x (quantizing integer inputs/outputs)."""
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    details = runner.get_input_details()["x"]
    if details["dtype"] != np.float32:
        scale, zero = details["quantization"]
        x = np.clip(np.round(x / scale + zero), -128, 127).astype(details["dtype"])
    y = runner(x=x)["y"]
    out = runner.get_output_details()["y"]
    if out["dtype"] != np.float32:
        scale, zero = out["quantization"]
        y = (y.astype(np.float32) - zero) * scale
    return y


def _tflc(path: Path, mode: str | None, calibration: list[np.ndarray]) -> bytes:
    import tflc

    converter = tflc.Converter.from_saved_model(path)
    if mode:
        converter.optimizations = [tflc.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [np.float16]
    if mode == "int8":
        converter.representative_dataset = lambda: ([x] for x in calibration)
    return converter.convert()


def _tf(path: Path, mode: str | None, calibration: list[np.ndarray]) -> bytes:
    import tensorflow as tf

    loaded = tf.saved_model.load(str(path))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([loaded.signatures["serving_default"]], loaded)
    if mode:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if mode == "int8":
        converter.representative_dataset = lambda: ([x] for x in calibration)
    return converter.convert()


def main() -> None:
    """Print, per model and mode, tflc's and TF's size ratio and errors side by side."""
    import tensorflow as tf

    for name in sys.argv[1:] or ["mobilenet_v2", "transformer_encoder"]:
        path = MODELS / name
        spec = tf.saved_model.load(str(path)).signatures["serving_default"].structured_input_signature[1]["x"]
        rng = np.random.default_rng(0)
        shape = [d or 1 for d in spec.shape]
        calibration = [rng.standard_normal(shape).astype(np.float32) for _ in range(100)]
        test = [rng.standard_normal(shape).astype(np.float32) for _ in range(100)]
        print(f"{name}:  {'mode':<14}{'size x':>8}{'max rel err':>13}{'mean abs err':>14}{'top-1':>7}")
        for converter in (_tflc, _tf):
            floats = converter(path, None, calibration)
            want = np.stack([_run(floats, x) for x in test])
            for mode in MODES:
                model = converter(path, mode, calibration)
                got = np.stack([_run(model, x) for x in test])
                error = np.abs(got - want)
                top1 = float((got.reshape(len(test), -1).argmax(-1) == want.reshape(len(test), -1).argmax(-1)).mean())
                who = "tflc" if converter is _tflc else "TF"
                print(f"  {who:<6}{mode:<14}{len(model) / len(floats):>8.3f}{error.max() / np.abs(want).max():>13.2e}"
                      f"{error.mean():>14.2e}{top1 if 'mobilenet' in name else float('nan'):>7.2f}", flush=True)


if __name__ == "__main__":
    main()
