"""The documentation: its code examples run as written, its generated parts are up to date,
it builds with `mkdocs build --strict`, and it names every option.

A fenced block right after `<!-- test -->` runs (python with this interpreter, sh with bash
and the venv's tools on PATH); after `<!-- test: file=NAME -->` it is written to NAME for
the blocks after it. Each page runs in a fresh directory holding the example SavedModel as
`model/` (README.md: a copy of `examples/`, so its paths work as written).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
PAGES = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in DOCS.glob("*.md"))]
BLOCK = re.compile(r"<!-- test(?::\s*(?P<options>[^>]*?))?\s*-->\n```(?P<lang>[\w-]*)\n(?P<code>.*?)^```", re.M | re.S)


def marked_blocks(text: str) -> list[tuple[str, dict[str, str], str]]:
    """(language, options, code) of every block marked as tested, in page order."""
    blocks = []
    for match in BLOCK.finditer(text):
        options = dict(o.split("=", 1) for o in (match["options"] or "").split() if "=" in o)
        blocks.append((match["lang"], options, match["code"]))
    return blocks


def _workdir(tmp_path: Path, page: str) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    if page == "README.md":
        shutil.copytree(ROOT / "examples", work / "examples")
    else:
        shutil.copytree(ROOT / "examples" / "addsub_savedmodel", work / "model")
    return work


@pytest.mark.parametrize("page", PAGES)
def test_examples_run(page, tmp_path):
    blocks = marked_blocks((ROOT / page).read_text())
    if page in ("docs/supported-ops.md", "docs/index.md", "docs/visualizing.md") and not blocks:
        return  # pages without examples
    assert blocks, f"{page} has no tested example"
    work = _workdir(tmp_path, page)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(work))
    for number, (lang, options, code) in enumerate(blocks, 1):
        where = f"{page}, tested block {number} ({lang})"
        if "file" in options:
            (work / options["file"]).write_text(code)
            continue
        if lang == "python":
            command = [sys.executable, "-c", code]
        elif lang == "sh":
            command = ["bash", "-e", "-o", "pipefail", "-c", code]
        else:
            raise AssertionError(f"{where}: cannot run a {lang} block (use file=NAME)")
        result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (
            f"{where} failed:\n{code}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )


def test_every_page_with_code_tests_some():
    """Pages that show Python or shell code run at least one example."""
    for page in PAGES:
        text = (ROOT / page).read_text()
        if re.search(r"^```(python|sh)$", text, re.M) and page != "docs/index.md":
            assert marked_blocks(text), page


def test_generated_docs_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_supported_ops_table_comes_from_the_registry():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_docs
    finally:
        sys.path.pop(0)
    ops = gen_docs.supported_ops()
    assert ops["tf.MatMul"] == {"FULLY_CONNECTED"}
    assert ops["tf.AddV2"] == {"ADD"}
    assert ops["tf.Mean"] == {"MEAN"}
    assert ops["tf.While"] == {"WHILE"}
    assert "tf.AsString" not in ops  # no builtin: Flex or custom only
    text = (DOCS / "supported-ops.md").read_text()
    assert "| `MatMul` | `FULLY_CONNECTED` |" in text


def test_mkdocs_build_strict(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "converting" / "index.html").exists()


def test_converting_page_names_every_option():
    from tflc.compat import TF_OPTIONS, TF_TARGET_SPEC_OPTIONS
    from tflc.converter import Converter

    text = (DOCS / "converting.md").read_text()
    converter = Converter.from_module(__import__("tflc").parse_module("builtin.module {}"))
    own = {n for n in vars(converter) if not n.startswith("_")} - set(TF_OPTIONS)
    for name in sorted(own | set(TF_OPTIONS) | {f"target_spec.{n}" for n in TF_TARGET_SPEC_OPTIONS}):
        assert f"`{name}" in text or f".{name}`" in text, name


def test_cli_page_names_every_flag():
    from tflc.tools import convert, opt, translate

    text = (DOCS / "cli.md").read_text()
    for module in (convert, opt, translate):
        for action in module.build_parser()._actions:
            for flag in action.option_strings:
                assert f"`{flag}`" in text, flag


def test_makefile_example_needs_no_test_extra():
    result = subprocess.run(["make", "-n", "-B", "example"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    installs = [line for line in result.stdout.splitlines() if "pip install" in line]
    assert installs and all("[test]" not in line and "tensorflow" not in line for line in installs), installs


def test_types_for_type_checkers(tmp_path):
    """`tflc.Converter` is the class (not Any) for mypy; py.typed ships with the package."""
    from importlib.resources import files

    assert (files("tflc") / "py.typed").is_file()
    use = tmp_path / "use.py"
    use.write_text(
        "import tflc\n"
        "converter = tflc.Converter.from_saved_model('model/')\n"
        "reveal_type(converter)\n"
        "reveal_type(tflc.OpsSet.SELECT_TF_OPS)\n"
        "converter.convert_modul()\n"
    )
    config = tmp_path / "mypy.ini"
    config.write_text(
        "[mypy]\nfollow_imports = silent\nignore_missing_imports = True\n"
        "[mypy-xdsl.*,numpy.*,flatbuffers.*,google.*,ai_edge_litert.*]\nfollow_imports = skip\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--no-incremental",
         "--cache-dir", str(tmp_path / "cache"), str(use)],
        capture_output=True, text=True, env=dict(os.environ, MYPYPATH=str(ROOT)),
    )
    assert 'Revealed type is "tflc.converter.Converter"' in result.stdout, result.stdout
    assert '"Converter" has no attribute "convert_modul"' in result.stdout, result.stdout
