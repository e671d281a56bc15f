"""Shared fixtures; a skipped test fails the run (CI must not hide missing dependencies)."""

from __future__ import annotations

import pytest

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and session.exitstatus == 0:
        print(f"\n{len(_skipped)} test(s) skipped; every test must run: {_skipped}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def issue5_models(tmp_path_factory: pytest.TempPathFactory):
    """SavedModels for variables, strings and dynamic shapes, made once by TensorFlow in a subprocess."""
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path_factory.mktemp("issue5")
    script = Path(__file__).parent / "models" / "issue5_models.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def jax_models(tmp_path_factory: pytest.TempPathFactory):
    """jax2tf SavedModels of the JAX test models, their test data and TensorFlow's op lists,
    made once in a subprocess (test/python/models/jax_models.py)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    import numpy as np

    out = tmp_path_factory.mktemp("jax_models")
    script = Path(__file__).parent / "models" / "jax_models.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    with np.load(out / "data.npz") as data:
        arrays = dict(data)
    return out, arrays, json.loads((out / "tf_ops.json").read_text())
