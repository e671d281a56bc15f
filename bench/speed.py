"""Conversion speed and memory: tflc-convert against TensorFlow's converter, in the same run.

    python bench/make_models.py            # once
    python bench/speed.py [--runs 3] [MODEL ...]
    python bench/speed.py --scaling      # ms per op at ~100, 1,000 and 10,000 ops

Each conversion runs as a whole process (TensorFlow's import time included, as a user
pays it); the table shows median wall time, peak RSS, and their ratios, plus tflc's
ms per op for the scaling models.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"

TF_CONVERT = """
import sys, tensorflow as tf
converter = tf.lite.TFLiteConverter.from_saved_model(sys.argv[1])
open(sys.argv[2], "wb").write(converter.convert())
"""


def run(cmd: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MB) and exit status of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(proc.stderr.read().decode()[-2000:] if proc.stderr else "")
    return elapsed, usage.ru_maxrss // 1024, proc.returncode


def weight_mb(model: Path) -> float:
    """Size of the checkpoint data files."""
    return sum(f.stat().st_size for f in (model / "variables").glob("variables.data-*")) / 2**20


def op_count(tflite: Path) -> int:
    """Number of operators in a .tflite file."""
    from ai_edge_litert import schema_py_generated as fb

    model = fb.Model.GetRootAsModel(tflite.read_bytes(), 0)
    return sum(model.Subgraphs(i).OperatorsLength() for i in range(model.SubgraphsLength()))


def source_ops(model: Path) -> int:
    """Number of TF ops tflc imports from a SavedModel (the size the scaling table divides by)."""
    import tflc

    module = tflc.Converter.from_saved_model(model).import_module()
    return sum(1 for op in module.walk() if op.name.startswith("tf.") or op.name == "builtin.unregistered")


def scaling(runs: int) -> None:
    """tflc's wall time per source op on dense chains of about 100, 1,000 and 10,000 ops."""
    tflc = str(Path(sys.executable).parent / "tflc-convert")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("dense_chain_20", "dense_chain_200", "dense_chain_2000"):
            model = MODELS / name
            if not (model / "saved_model.pb").exists():
                print(f"{name}: missing, run bench/make_models.py {name}")
                return
            out = Path(tmp) / "m.tflite"
            argv = [tflc, "--saved-model-dir", str(model), "--output-file", str(out), "-q"]
            times = [run(argv)[0] for _ in range(runs)]
            rows.append((name, source_ops(model), statistics.median(times)))
    print(f"{'model':<20}{'tf ops':>8}{'s':>8}{'ms/op':>8}")
    for name, ops, seconds in rows:
        print(f"{name:<20}{ops:>8}{seconds:>8.2f}{1000 * seconds / ops:>8.3f}")
    per_op = [1000 * s / o for _, o, s in rows]
    print(f"ms/op ratio 1,000 vs 100: {per_op[1] / per_op[0]:.2f}; 10,000 vs 1,000: {per_op[2] / per_op[1]:.2f}")


def main() -> None:
    """Measure every model and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("models", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-tf", action="store_true", help="skip TensorFlow's converter")
    parser.add_argument("--scaling", action="store_true", help="print only the ms-per-op scaling table")
    args = parser.parse_args()
    if args.scaling:
        scaling(args.runs)
        return
    names = args.models or sorted(p.name for p in MODELS.iterdir() if (p / "saved_model.pb").exists())
    tflc = str(Path(sys.executable).parent / "tflc-convert")
    print(f"{'model':<20}{'ops':>7}{'weights MB':>11}{'tflc s':>9}{'TF s':>8}{'time x':>8}"
          f"{'tflc MB':>9}{'TF MB':>8}{'mem x':>7}{'ms/op':>8}{'mem limit ok':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            model = MODELS / name
            ours_out, tf_out = Path(tmp) / f"{name}.tflite", Path(tmp) / f"{name}.tf.tflite"
            argv = [tflc, "--saved-model-dir", str(model), "--output-file", str(ours_out), "-q"]
            ours = [run(argv) for _ in range(args.runs)]
            if any(r[2] for r in ours):
                print(f"{name:<20} tflc failed")
                continue
            t_ours = statistics.median(r[0] for r in ours)
            m_ours = max(r[1] for r in ours)
            t_tf = m_tf = float("nan")
            if not args.no_tf:
                theirs = [run([sys.executable, "-c", TF_CONVERT, str(model), str(tf_out)]) for _ in range(args.runs)]
                if not any(r[2] for r in theirs):
                    t_tf = statistics.median(r[0] for r in theirs)
                    m_tf = max(r[1] for r in theirs)
            ops = op_count(ours_out)
            weights = weight_mb(model)
            print(f"{name:<20}{ops:>7}{weights:>11.1f}{t_ours:>9.2f}{t_tf:>8.2f}{t_ours / t_tf:>8.2f}"
                  f"{m_ours:>9}{m_tf:>8.0f}{m_ours / m_tf:>7.2f}{1000 * t_ours / max(ops, 1):>8.2f}"
                  f"{str(m_ours <= 1.5 * weights + 300):>13}")


if __name__ == "__main__":
    main()
