"""Third-party passes and dialects: a pip-installed package (tflc.passes and xdsl.universe
entry points) and a module on disk (--load-pass-plugin) are listed and run by tflc-opt and
usable from `Converter.pipeline`; --allow-unregistered-dialect; pass option errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "test" / "fixtures" / "tflc_example_plugin"
BIN = Path(sys.executable).parent

DOUBLE_NEG = """
func.func @main(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tfl.neg"(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
  %1 = "tfl.neg"(%0) : (tensor<2xf32>) -> tensor<2xf32>
  %2 = "example.scale"(%1) <{factor = 2.0 : f32}> : (tensor<2xf32>) -> tensor<2xf32>
  func.return %2 : tensor<2xf32>
}
"""


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory) -> Path:
    """The example plugin package installed with pip into a directory of its own."""
    work = tmp_path_factory.mktemp("plugin")
    source = work / "src"
    shutil.copytree(FIXTURE, source)  # setuptools writes build files next to the sources
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps", "--target",
         str(target), str(source)],
        check=True, capture_output=True,
    )
    assert (target / "tflc_example_plugin-0.1.0.dist-info" / "entry_points.txt").exists()
    return target


def tool(name: str, *args: str, plugin: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if plugin is not None:
        env["PYTHONPATH"] = str(plugin) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([str(BIN / name), *args], input=stdin, capture_output=True, text=True, env=env)


def test_installed_plugin_is_listed(plugin_path):
    result = tool("tflc-opt", "--list-passes", plugin=plugin_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # from the tflc.passes entry point, with the class docstring as description
    i = lines.index("example-remove-double-neg")
    assert lines[i + 1].strip() == "Remove pairs of tfl.neg that cancel out."
    # from the xdsl.universe entry point, with its option
    j = lines.index("example-tag-functions")
    assert lines[j + 1].strip().startswith("Tag every function with its op count")
    assert lines[j + 2].strip() == "--prefix: str = count"
    # without the plugin on the path, the passes are not there
    assert "example-remove-double-neg" not in tool("tflc-opt", "--list-passes").stdout


def test_installed_plugin_runs_in_tflc_opt(plugin_path):
    result = tool("tflc-opt", "-p", "example-remove-double-neg,dce,example-tag-functions{prefix=ops}",
                  plugin=plugin_path, stdin=DOUBLE_NEG)
    assert result.returncode == 0, result.stderr
    assert "tfl.neg" not in result.stdout
    assert '"example.scale"(%arg0)' in result.stdout  # the plugin's dialect parsed and printed
    assert 'example.ops = "ops 2"' in result.stdout


def test_installed_plugin_in_converter_pipeline(plugin_path):
    """`Converter.pipeline` takes the plugin's pass by name; the converted model computes x."""
    code = """
import numpy as np, tflc
from ai_edge_litert.interpreter import Interpreter
from tflc.passes import get_pass
text = '''
func.func @main(%arg0: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "tf.Neg"(%arg0) : (tensor<3xf32>) -> tensor<3xf32>
  %1 = "tf.Neg"(%0) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %1 : tensor<3xf32>
}
'''
plain = tflc.Converter.from_module(tflc.parse_module(text))
plain.convert()
assert plain.report.op_histogram == {"neg": 2}, plain.report.op_histogram  # without the plugin's pass
converter = tflc.Converter.from_module(tflc.parse_module(text))
at = [p.name for p in converter.pipeline].index("legalize-tf") + 1
converter.pipeline.insert(at, get_pass("example-remove-double-neg")())
model = converter.convert()
assert "neg" not in converter.report.op_histogram, converter.report.op_histogram
x = np.array([1.0, -2.0, 3.0], np.float32)
interpreter = Interpreter(model_content=model)
((key, sig),) = interpreter.get_signature_list().items()
out = interpreter.get_signature_runner(key)(**{sig["inputs"][0]: x})
np.testing.assert_array_equal(next(iter(out.values())), x)
print("ok")
"""
    env = dict(os.environ, PYTHONPATH=str(plugin_path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


PLUGIN_FILE = '''
from dataclasses import dataclass
from xdsl.passes import ModulePass
from xdsl.dialects.builtin import UnitAttr


@dataclass(frozen=True)
class MarkModule(ModulePass):
    """Mark the module with a unit attribute."""

    name = "mark-module"
    attribute: str = "marked"

    def apply(self, ctx, op):
        op.attributes[self.attribute] = UnitAttr()
'''


def test_load_pass_plugin_file(tmp_path):
    plugin = tmp_path / "my_passes.py"
    plugin.write_text(PLUGIN_FILE)
    listing = tool("tflc-opt", "--load-pass-plugin", str(plugin), "--list-passes")
    assert "mark-module\n    Mark the module with a unit attribute.\n    --attribute: str = marked" in listing.stdout
    result = tool("tflc-opt", "--load-pass-plugin", str(plugin), "-p", "mark-module{attribute=seen}",
                  stdin="builtin.module {}")
    assert result.returncode == 0, result.stderr
    assert "module attributes {seen}" in result.stdout


def test_load_pass_plugin_errors(tmp_path):
    result = tool("tflc-opt", "--load-pass-plugin", "no_such_plugin_module", stdin="builtin.module {}")
    assert result.returncode == 1
    assert "no module named 'no_such_plugin_module'" in result.stderr and "Traceback" not in result.stderr
    empty = tmp_path / "empty.py"
    empty.write_text("X = 1\n")
    result = tool("tflc-opt", "--load-pass-plugin", str(empty), stdin="builtin.module {}")
    assert result.returncode == 1 and "defines no new pass or dialect" in result.stderr


def test_register_pass_in_process():
    from dataclasses import dataclass

    from xdsl.passes import ModulePass

    import tflc
    from tflc.pipeline import parse_pipeline

    @dataclass(frozen=True)
    class Nothing(ModulePass):
        """Do nothing."""

        name = "test-nothing"

        def apply(self, ctx, op) -> None:
            pass

    tflc.register_pass("test-nothing", lambda: Nothing)
    assert [p.name for p in parse_pipeline("test-nothing,cse")] == ["test-nothing", "cse"]


def test_allow_unregistered_dialect():
    text = '"mydialect.frob"() {level = 3 : i32} : () -> ()\n'
    refused = tool("tflc-opt", stdin=text)
    assert refused.returncode == 1 and "mydialect.frob" in refused.stderr
    accepted = tool("tflc-opt", "--allow-unregistered-dialect", stdin=text)
    assert accepted.returncode == 0, accepted.stderr
    assert '"mydialect.frob"() {level = 3 : i32} : () -> ()' in accepted.stdout


@pytest.mark.parametrize(
    "spec, message",
    [
        ("legalize-tf{bogus=true}", "pass 'legalize-tf' has no option 'bogus'; its options: allow-unsupported: bool"),
        ("legalize-tf{allow_unsupportd=true}", "no option 'allow_unsupportd' (did you mean 'allow-unsupported'?)"),
        ("legalize-tf{allow-unsupported=3}", "option 'allow-unsupported' of pass 'legalize-tf' expects bool, got '3'"),
        ("legalise-tf", "unknown pass 'legalise-tf' (did you mean 'legalize-tf'?)"),
    ],
)
def test_pass_option_errors_spelled_as_the_spec(spec, message):
    result = tool("tflc-opt", "-p", spec, stdin="builtin.module {}")
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_option_spelled_either_way_works():
    for spec in ("legalize-tf{allow-unsupported=true}", "legalize-tf{allow_unsupported=true}"):
        result = tool("tflc-opt", "-p", spec, stdin='"tf.Foo"() : () -> ()')
        assert result.returncode == 0, result.stderr


def test_fixture_left_clean(plugin_path):
    """Installing the plugin builds in a copy: the repository's fixture stays as committed."""
    assert not (FIXTURE / "build").exists()
    assert not list((FIXTURE / "src").glob("*.egg-info"))
