"""A model over 2 GB: tflc-convert writes buffers after the FlatBuffer; ai-edge-litert runs it.

    python bench/make_models.py big_dense     # once (2.5 GB of weights)
    python bench/large_model.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

MODEL = Path(__file__).resolve().parent / "models" / "big_dense"


def main() -> None:
    """Convert the big model, check its layout, run it against numpy, print time and memory."""
    from ai_edge_litert import schema_py_generated as fb
    from ai_edge_litert.interpreter import Interpreter

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "big.tflite"
        start = time.perf_counter()
        proc = subprocess.Popen([str(Path(sys.executable).parent / "tflc-convert"), "--saved-model-dir", str(MODEL),
                                 "--output-file", str(out), "-q"])
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        assert os.waitstatus_to_exitcode(status) == 0, "conversion failed"
        data = out.read_bytes()
        model = fb.Model.GetRootAsModel(data, 0)
        external = sum(1 for i in range(model.BuffersLength()) if model.Buffers(i).Offset() > 1)
        weights = sum(f.stat().st_size for f in (MODEL / "variables").glob("variables.data-*"))
        print(f"file {len(data) / 2**30:.2f} GiB, {external} buffers after the FlatBuffer, "
              f"converted in {seconds:.1f} s, peak RSS {usage.ru_maxrss / 2**20:.2f} GiB "
              f"(limit 1.5 x weights + 300 MB = {(1.5 * weights + 300 * 2**20) / 2**30:.2f} GiB)")
        x = np.random.default_rng(0).standard_normal((1, 8192)).astype(np.float32)
        got = Interpreter(model_path=str(out)).get_signature_runner()(x=x)["y"]
        del data
        expected = x
        from tflc.frontend.checkpoint import Checkpoint

        checkpoint = Checkpoint(MODEL / "variables" / "variables")
        for i in range(10):
            expected = np.maximum(expected @ checkpoint.read(f"ws/{i}/.ATTRIBUTES/VARIABLE_VALUE"), 0)
        error = np.abs(got - expected).max() / max(np.abs(expected).max(), 1e-6)
        print(f"max relative error against numpy: {error:.2e}")


if __name__ == "__main__":
    main()
