"""The tools as drop-ins: tflite_convert's spellings, Keras model files, --version,
tflc-translate's export options, quiet broken pipes, op graphs as DOT, and tf/tfl MLIR
that Model Explorer's MLIR adapter loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pydot
import pytest
from ai_edge_litert.interpreter import Interpreter

import tflc

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pydot")

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "addsub_savedmodel"
BIN = Path(sys.executable).parent


def tool(name: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / name), *map(str, args)], input=stdin, capture_output=True, text=True)


def test_tflite_convert_spellings(tmp_path):
    ours = tmp_path / "ours.tflite"
    theirs = tmp_path / "theirs.tflite"
    a = tool("tflc-convert", "--saved-model-dir", EXAMPLE, "--output-file", ours, "--signature-keys", "add",
             "--tags", "serve", "-q")
    b = tool("tflc-convert", "--saved_model_dir", EXAMPLE, "--output_file", theirs, "--saved_model_signature_key",
             "add", "--saved_model_tag_set", "serve", "-q")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert ours.read_bytes() == theirs.read_bytes()
    assert Interpreter(model_path=str(theirs)).get_signature_list() == {
        "add": {"inputs": ["input1", "input2"], "outputs": ["result"]}
    }


def test_target_ops_and_custom_ops_flags(tmp_path):
    out = tmp_path / "m.tflite"
    result = tool("tflc-convert", "--saved_model_dir", EXAMPLE, "--output_file", out,
                  "--target_ops", "TFLITE_BUILTINS,SELECT_TF_OPS", "--allow_custom_ops", "-q")
    assert result.returncode == 0, result.stderr
    from tflc.backend import metadata, schema

    m = schema.unpack_model(out.read_bytes(), str(out))
    entry = next(e for e in m.metadata if schema.decode_name(e.name) == "CONVERSION_METADATA")
    parsed = metadata.parse(bytes(m.buffers[entry.buffer].data))
    assert parsed.enable_select_tf_ops and parsed.allow_custom_ops
    bare = tmp_path / "bare.tflite"
    assert tool("tflc-convert", "--saved_model_dir", EXAMPLE, "--output_file", bare, "--exclude-conversion-metadata",
                "-q").returncode == 0
    assert "CONVERSION_METADATA" not in [schema.decode_name(e.name) for e in schema.unpack_model(
        bare.read_bytes(), "bare").metadata]


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_keras_model_file(tmp_path, suffix):
    import keras

    keras.utils.set_random_seed(3)
    inp = keras.Input((4,), name="features")
    model = keras.Model(inp, keras.layers.Dense(3, activation="tanh")(inp))
    path = tmp_path / f"model{suffix}"
    model.save(path)
    out = tmp_path / "model.tflite"
    result = tool("tflc-convert", "--keras_model_file", path, "--output_file", out, "-q")
    assert result.returncode == 0, result.stderr
    interpreter = Interpreter(model_path=str(out))
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["features"], "outputs": ["output_0"]}}
    x = np.random.default_rng(0).standard_normal((2, 4)).astype(np.float32)
    got = interpreter.get_signature_runner("serving_default")(features=x)["output_0"]
    np.testing.assert_allclose(got, model(x).numpy(), rtol=1e-5, atol=1e-6)


def test_keras_model_file_errors(tmp_path):
    missing = tool("tflc-convert", "--keras_model_file", tmp_path / "nope.keras", "--output_file", tmp_path / "o")
    assert missing.returncode == 1 and "nope.keras: no such file" in missing.stderr
    wrong = tmp_path / "model.bin"
    wrong.write_bytes(b"x")
    result = tool("tflc-convert", "--keras_model_file", wrong, "--output_file", tmp_path / "o")
    assert result.returncode == 1 and ".keras or .h5" in result.stderr
    both = tool("tflc-convert", "--keras_model_file", wrong, "--saved_model_dir", EXAMPLE)
    assert both.returncode == 2 and "not allowed with" in both.stderr


@pytest.mark.parametrize("name", ["tflc-convert", "tflc-opt", "tflc-translate"])
def test_version(name):
    result = tool(name, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"{name} (tflc) {tflc.__version__}, xDSL 0.74.0"


FLEX_MLIR = """
builtin.module {
  func.func @main(%arg0: tensor<3xf32>) -> tensor<3x!tf_type.string> {
    %0 = "tf.AsString"(%arg0) {T = f32} : (tensor<3xf32>) -> tensor<3x!tf_type.string>
    func.return %0 : tensor<3x!tf_type.string>
  }
}
"""


def test_translate_export_options(tmp_path):
    from tflc.backend import schema

    source = tmp_path / "m.mlir"
    source.write_text(FLEX_MLIR)
    refused = tool("tflc-translate", "--mlir-to-tflite", source, "-o", tmp_path / "no.tflite")
    assert refused.returncode == 1 and "--select-tf-ops" in refused.stderr and "--allow-custom-ops" in refused.stderr
    codes = {}
    for flag in ("--select-tf-ops", "--allow-custom-ops"):
        out = tmp_path / f"{flag}.tflite"
        result = tool("tflc-translate", "--mlir-to-tflite", source, "-o", out, flag)
        assert result.returncode == 0, result.stderr
        model = schema.unpack_model(out.read_bytes(), str(out))
        codes[flag] = [schema.decode_name(c.customCode) for c in model.operatorCodes]
    assert codes == {"--select-tf-ops": ["FlexAsString"], "--allow-custom-ops": ["AsString"]}


class _ClosedPipe:
    """A stdout whose reader went away (what `| head` leaves): every write raises EPIPE."""

    def __init__(self, real):
        self.real = real

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.real.fileno()


def test_broken_pipe_is_quiet(tmp_path, monkeypatch, capfd):
    """`tflc-opt big.mlir | head`: exit 141 (as a writer killed by SIGPIPE), nothing on stderr.

    (Simulated in-process: this machine's pipes never report EPIPE to the writer.)"""
    from tflc.tools import opt, translate

    source = tmp_path / "m.mlir"
    source.write_text(FLEX_MLIR)
    model = tmp_path / "m.tflite"
    model.write_bytes(tflc.Converter.from_saved_model(EXAMPLE).convert())
    import os

    saved = os.dup(1)
    try:
        for main, argv in ((opt.main, [str(source)]), (opt.main, ["--list-passes"]),
                           (translate.main, ["--tflite-to-mlir", str(model)])):
            monkeypatch.setattr(sys, "stdout", _ClosedPipe(sys.__stdout__))
            assert main(argv) == 141
            monkeypatch.undo()
            os.dup2(saved, 1)  # the handler pointed fd 1 at /dev/null
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    assert capfd.readouterr().err == ""


# -- op graphs ------------------------------------------------------------------------

WHILE_MLIR = """
builtin.module {
  func.func @main(%arg0: tensor<i32>, %arg1: tensor<2xf32>) -> tensor<2xf32> {
    %0:2 = "tfl.while"(%arg0, %arg1) <{cond = @cond, body = @body}>
        : (tensor<i32>, tensor<2xf32>) -> (tensor<i32>, tensor<2xf32>)
    func.return %0#1 : tensor<2xf32>
  }
  func.func private @cond(%a: tensor<i32>, %b: tensor<2xf32>) -> tensor<i1> {
    %c = "tfl.pseudo_const"() <{value = dense<10> : tensor<i32>}> : () -> tensor<i32>
    %lt = "tfl.less"(%a, %c) : (tensor<i32>, tensor<i32>) -> tensor<i1>
    func.return %lt : tensor<i1>
  }
  func.func private @body(%a: tensor<i32>, %b: tensor<2xf32>) -> (tensor<i32>, tensor<2xf32>) {
    %one = "tfl.pseudo_const"() <{value = dense<1> : tensor<i32>}> : () -> tensor<i32>
    %n = tfl.add %a, %one {fused_activation_function = "NONE"} : tensor<i32>
    %d = tfl.add %b, %b {fused_activation_function = "NONE"} : tensor<2xf32>
    func.return %n, %d : tensor<i32>, tensor<2xf32>
  }
}
"""


def _walk(graph):
    yield graph
    for sub in graph.get_subgraphs():
        yield from _walk(sub)


def test_op_graph_dot(tmp_path):
    source = tmp_path / "while.mlir"
    source.write_text(WHILE_MLIR)
    dot_file = tmp_path / "g.dot"
    result = tool("tflc-opt", source, "--op-graph-file", dot_file)
    assert result.returncode == 0, result.stderr
    assert "tfl.while" in result.stdout  # the IR is still printed
    (graph,) = pydot.graph_from_dot_data(dot_file.read_text())
    nodes = [n for g in _walk(graph) for n in g.get_nodes() if n.get_name() not in ("node", "edge", "graph")]
    edges = [e for g in _walk(graph) for e in g.get_edges()]
    labels = [n.get_label().strip('"') for n in nodes]
    # main: 2 inputs, while, return; cond: 2 inputs, const, less, return; body: 2 inputs, const, 2 adds, return
    assert len(nodes) == 4 + 5 + 6
    (while_label,) = [label for label in labels if label.startswith("tfl.while")]
    assert "body: @body" in while_label and "cond: @cond" in while_label
    assert sum(label.startswith("tfl.add") for label in labels) == 2
    # one edge per operand use: main 2 + 1, cond 2 + 1, body 2 + 2 + 2
    assert len(edges) == 12
    clusters = sorted(g.get_label().strip('"') for g in _walk(graph) if g.get_name().startswith("cluster"))
    assert clusters == ["@body", "@cond", "@main"]
    stderr = tool("tflc-opt", source, "--view-op-graph", "--op-graph-function", "body")
    (body,) = pydot.graph_from_dot_data(stderr.stderr)
    assert [g.get_label().strip('"') for g in _walk(body) if g.get_name().startswith("cluster")] == ["@body"]
    everything = tool("tflc-opt", source, "--view-op-graph")
    assert everything.stderr == dot_file.read_text()
    missing = tool("tflc-opt", source, "--view-op-graph", "--op-graph-function", "nope")
    assert missing.returncode == 1 and "no function @nope" in missing.stderr and "main" in missing.stderr


def test_op_graph_is_deterministic():
    from tflc.graph import op_graph_dot

    assert op_graph_dot(tflc.parse_module(WHILE_MLIR)) == op_graph_dot(tflc.parse_module(WHILE_MLIR))


# -- Model Explorer -------------------------------------------------------------------


@pytest.fixture(scope="module")
def variables_model(tmp_path_factory) -> Path:
    import tensorflow as tf

    class M(tf.Module):
        def __init__(self):
            self.v = tf.Variable([1.0, 2.0])
            self.w = tf.Variable([3.0, 4.0])

        @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
        def f(self, x):
            self.w.assign_add(x)
            return {"y": x * self.v + self.w, "s": tf.strings.as_string(x)}

    path = tmp_path_factory.mktemp("me") / "variables"
    m = M()
    tf.saved_model.save(m, str(path), signatures={"f": m.f.get_concrete_function()})
    return path


def _load_in_model_explorer(path: Path) -> dict:
    import json

    import ai_edge_model_explorer_adapter as adapter

    graphs = json.loads(adapter.ConvertMlirToJson(adapter.VisualizeConfig(), str(path)))
    return {sub["id"]: sub for g in graphs for sub in g["subgraphs"]}


@pytest.mark.parametrize(
    "model, args",
    [
        ("example", ["--emit-mlir", "tf"]),
        ("example", ["--emit-mlir", "tfl"]),
        ("variables", ["--emit-mlir", "tfl", "--select-tf-ops"]),
        ("variables", ["--emit-mlir", "tf"]),
        ("wrapper", ["--emit-mlir", "tf"]),
        ("keras_functional", ["--emit-mlir", "tf"]),
    ],
)
def test_model_explorer_loads_printed_mlir(tmp_path, variables_model, model, args):
    fixtures = ROOT / "test" / "fixtures" / "savedmodels"
    saved = {"example": EXAMPLE, "variables": variables_model}.get(model, fixtures / model)
    result = tool("tflc-convert", "--saved-model-dir", saved, "-q", *args)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "m.mlir"
    path.write_text(result.stdout)
    subgraphs = _load_in_model_explorer(path)
    expected = {"example": {"add", "sub"}, "variables": {"f"}, "wrapper": {"sample_method_name"},
                "keras_functional": {"serving_default"}}[model]
    assert expected <= set(subgraphs), sorted(subgraphs)


def test_model_explorer_loads_resource_types(tmp_path, variables_model):
    """tf-dialect text with !tf_type.resource in function signatures (the variables inlined)."""
    tf_text = tool("tflc-convert", "--saved-model-dir", variables_model, "--emit-mlir", "tf", "-q").stdout
    inlined = tool("tflc-opt", "-p", "tf-inline", stdin=tf_text)
    assert inlined.returncode == 0, inlined.stderr
    assert "!tf_type.resource" in inlined.stdout.split("\n", 3)[1] + inlined.stdout
    path = tmp_path / "inlined.mlir"
    path.write_text(inlined.stdout)
    subgraphs = _load_in_model_explorer(path)
    ops = {n["label"] for n in subgraphs["f"]["nodes"]}
    assert {"tf.ReadVariableOp", "tf.AssignAddVariableOp"} <= ops or {"ReadVariableOp", "AssignAddVariableOp"} <= ops


def test_empty_input_is_an_empty_module():
    """As mlir-opt: no ops (blank or comments only) is an empty module, not a parse error."""
    for text in ("", "\n\n", "// only a comment\n"):
        result = tool("tflc-opt", "-p", "canonicalize", stdin=text)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "module {\n}\n"
