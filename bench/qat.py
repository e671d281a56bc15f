"""Quantization-aware trained models (tfmot `quantize_model` CNN and MLP, test/python/models/qat_models.py):
tflc against TensorFlow's converter, without and with Optimize.DEFAULT.

    make setup            # installs tf-keras and tensorflow-model-optimization (requirements-nodeps.txt)
    python bench/qat.py

Prints per model and mode: each converter's op count and op kinds, and the largest difference
from the QAT Keras model's outputs in quantization steps of the output (the scale of the tensor
the output DEQUANTIZE reads).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _details(model: bytes, x: np.ndarray) -> tuple[list[str], np.ndarray, float]:
    """(op names, outputs for each row of x, output quantization step)."""
    from tflc.passes.quantize_calibration import interpreter

    runtime = interpreter(model)
    ops = [op["op_name"] for op in runtime._get_ops_details()]
    tensors = {t["index"]: t for t in runtime.get_tensor_details()}
    out = runtime.get_output_details()[0]["index"]
    (last,) = [op for op in runtime._get_ops_details() if out in op["outputs"]]
    step = float(tensors[last["inputs"][0]]["quantization_parameters"]["scales"][0])
    runner = runtime.get_signature_runner()
    (name,) = runner.get_input_details()
    rows = [next(iter(runner(**{name: x[i : i + 1]}).values())) for i in range(len(x))]
    return ops, np.concatenate(rows), step


def _kinds(ops: list[str]) -> str:
    return ", ".join(f"{k} x{v}" for k, v in sorted(Counter(ops).items()))


def main() -> None:
    """Build the models with TensorFlow, convert them with tflc, print the table."""
    import tflc

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run([sys.executable, str(ROOT / "test/python/models/qat_models.py"), tmp], check=True)
        with np.load(out / "data.npz") as data:
            arrays = dict(data)
        for name in ("cnn", "mlp"):
            for mode in ("default", "optimized"):
                converter = tflc.Converter.from_saved_model(out / name)
                if mode == "optimized":
                    converter.optimizations = [tflc.Optimize.DEFAULT]
                x, y = arrays[f"{name}/x"], arrays[f"{name}/y"]
                for tool, model in (
                    ("tensorflow", (out / f"{name}_tf_{mode}.tflite").read_bytes()),
                    ("tflc", converter.convert()),
                ):
                    ops, got, step = _details(model, x)
                    error = float(np.abs(got - y).max())
                    print(
                        f"{name:4} {mode:9} {tool:10} {len(ops):3} ops, max error {error:.3g} "
                        f"({error / step:.3f} steps of {step:.4g}): {_kinds(ops)}"
                    )


if __name__ == "__main__":
    main()
