"""A short, fixed-seed fuzz run of every parser (test/fuzz, hypothesis-driven).

Each target (MLIR text in tflc-opt, MLIR to .tflite, .tflite to MLIR, saved_model.pb,
checkpoint, frozen GraphDef, bad options) runs FUZZ_CASES mutated inputs in forked children under a
4 GB memory limit; any traceback, internal error, hang (20 s), MemoryError, crash,
leftover file or model ai-edge-litert refuses fails the test, with hypothesis's
shrunk case in the message. `make fuzz` runs the same harness for longer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parents[1] / "fuzz" / "campaign.py"
FUZZ_CASES = 150


def test_fuzz_every_parser(issue5_models: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(FUZZ),
            "--hypothesis",
            "--count",
            str(FUZZ_CASES),
            "--timeout",
            "20",
            "--seeds-dir",
            str(issue5_models),
            "--findings",
            str(tmp_path / "findings"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-6000:]
    for target in ("mlir-opt", "mlir-to-tflite", "tflite-to-mlir", "saved-model", "checkpoint", "graph-def", "options"):
        assert f"{target}: {FUZZ_CASES} cases, no finding" in report, report[-3000:]


def test_fuzz_regressions_stay_fixed() -> None:
    """Every reproducer the fuzzer found (test/fuzz/regressions) now ends in a clean result."""
    result = subprocess.run(
        [sys.executable, str(FUZZ), "--replay", str(FUZZ.parent / "regressions"), "--timeout", "20"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "replayed 77 reproducers, 0 still failing" in result.stdout, result.stdout


def test_mutators_change_their_input() -> None:
    """The structure-aware mutators decode, edit and re-encode (not a no-op, not always bytes)."""
    import random

    sys.path.insert(0, str(FUZZ.parent))
    from mutators import mutate_checkpoint, mutate_flatbuffer, mutate_mlir, mutate_proto_bytes, write_table

    from tflc.frontend.checkpoint import _read_table
    from tflc.frontend.proto import saved_model_pb2

    root = Path(__file__).resolve().parents[2]
    text = (root / "test" / "filecheck" / "legalize" / "legalize_tf.mlir").read_bytes()
    changed = sum(mutate_mlir(random.Random(i), text) != text for i in range(50))
    assert changed >= 45
    pb = (root / "examples" / "addsub_savedmodel" / "saved_model.pb").read_bytes()
    decoded = 0
    for i in range(30):
        out = mutate_proto_bytes(random.Random(i), pb, saved_model_pb2.SavedModel)
        try:
            saved_model_pb2.SavedModel.FromString(out)
            decoded += 1
        except Exception:  # noqa: BLE001 - a byte-level edit
            pass
    assert decoded >= 20
    index = (root / "examples" / "addsub_savedmodel" / "variables" / "variables.index").read_bytes()
    assert {k: bytes(v) for k, v in _read_table(write_table(list(_read_table(index).items()))).items()} == {
        k: bytes(v) for k, v in _read_table(index).items()
    }
    data = (root / "examples" / "addsub_savedmodel" / "variables" / "variables.data-00000-of-00001").read_bytes()
    assert any(mutate_checkpoint(random.Random(i), index, data) != (index, data) for i in range(10))
    from tflc.converter import Converter

    model = bytes(Converter.from_saved_model(str(root / "examples" / "addsub_savedmodel")).convert())
    assert sum(mutate_flatbuffer(random.Random(i), model)[4:8] == b"TFL3" for i in range(20)) >= 10
