"""Build the fuzzer's extra seed corpus: the test suite's TensorFlow-made models.

`python test/fuzz/build_seeds.py OUT` (or `make fuzz-seeds`) runs each model script of
test/python/models/ that makes SavedModels and TensorFlow-converted .tflite files
(variables, strings, lookup tables, tf-keras LSTMs, QAT, TF1 graphs) into OUT/<script>/,
each in its own process. `make fuzz` passes OUT as --seeds-dir when it exists. Needs the
test extra (TensorFlow, tf-keras, tensorflow-model-optimization).
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MODELS = Path(__file__).resolve().parents[1] / "python" / "models"
SCRIPTS = ("issue5_models", "lookup_models", "rnn_models", "qat_models", "tf1_models")


def build(script: str, out: Path) -> str | None:
    """Run one model script into out/<script>; the error text if it failed."""
    target = out / script
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, str(MODELS / f"{script}.py"), str(target)], capture_output=True, text=True
    )
    return None if result.returncode == 0 else f"{script}: {result.stderr.strip().splitlines()[-1:]}"


def main(argv: list[str]) -> int:
    """Build every seed set; exit 1 if a script failed."""
    if len(argv) != 1:
        print("usage: build_seeds.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    with ThreadPoolExecutor(max_workers=2) as pool:
        errors = [e for e in pool.map(lambda s: build(s, out), SCRIPTS) if e]
    for error in errors:
        print(f"build_seeds: {error}", file=sys.stderr)
    models = len(list(out.rglob("saved_model.pb")))
    tflites = len(list(out.rglob("*.tflite")))
    print(f"{out}: {models} SavedModels, {tflites} .tflite files")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
