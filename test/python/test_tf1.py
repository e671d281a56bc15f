"""TF1 models: frozen GraphDefs and SavedModels with v1 control flow, against TensorFlow.

The models are built once per session by `models/tf1_models.py` in a subprocess (v1
behaviour is global in TensorFlow); tflc reads them without TensorFlow, the converted
models run in ai-edge-litert and must match tf.compat.v1.Session within 1e-5, and their
ops are compared with what TensorFlow's own converter writes for the same files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

import tflc
from tflc.errors import TflcError
from tflc.frontend.graph_def import import_frozen_graph
from tflc.frontend.proto import graph_pb2
from tflc.tools import convert

FROZEN = ("while_cond", "nested_while", "cond_top", "training_flag", "growing", "cnn")


@pytest.fixture(scope="session")
def tf1_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Frozen graphs and a TF1 SavedModel with TF's outputs and TF's own conversions."""
    out = tmp_path_factory.mktemp("tf1")
    script = Path(__file__).parent / "models" / "tf1_models.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    return out


def _ops(model: bytes) -> Counter[str]:
    """The operator histogram of a .tflite model, over all subgraphs."""
    from xdsl.dialects.func import FuncOp

    from tflc.backend.importer import import_model

    ops: Counter[str] = Counter()
    for func in import_model(model).ops:
        if isinstance(func, FuncOp):
            for op in func.body.walk():
                if op.name not in ("tfl.pseudo_const", "tfl.no_value", "func.return"):
                    ops[op.name] += 1
    return ops


def _run_graph_model(model: bytes, feed: np.ndarray) -> dict[str, np.ndarray]:
    interpreter = Interpreter(model_content=model)
    (inp,) = interpreter.get_input_details()
    interpreter.resize_tensor_input(inp["index"], feed.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(inp["index"], feed)
    interpreter.invoke()
    return {d["name"]: interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()}


@pytest.mark.parametrize("name", FROZEN)
def test_frozen_graph_matches_tensorflow(tf1_models: Path, name: str) -> None:
    meta = json.loads((tf1_models / f"{name}.json").read_text())
    reference = np.load(tf1_models / f"{name}.npz")
    converter = tflc.Converter.from_frozen_graph(
        str(tf1_models / f"{name}.pb"), meta["inputs"], meta["outputs"], meta["input_shapes"]
    )
    model = converter.convert()
    assert Interpreter(model_content=model).get_signature_list() == {}  # as TF's converter: no SignatureDef
    summary = converter.report.summary()
    assert f"graph: inputs {meta['inputs']} -> outputs {meta['outputs']} (no SignatureDef)" in summary
    for n in range(meta["feeds"]):
        got = _run_graph_model(model, reference[f"x_{n}"])
        assert sorted(got) == sorted(meta["outputs"])
        for key in meta["outputs"]:
            np.testing.assert_allclose(got[key], reference[f"{key}_{n}"], atol=1e-5, rtol=1e-5)
    if name == "growing":  # TF's converter cannot type a loop variable that changes shape
        assert "is incompatible with body result type" in (tf1_models / f"{name}.tf.error").read_text()
        assert _ops(model)["tfl.while"] == 1
        return
    ours, theirs = _ops(model), _ops((tf1_models / f"{name}.tf.tflite").read_bytes())
    if name in ("training_flag", "cnn"):  # conds on the constant training flag keep only their taken branch
        assert not {"tfl.if", "tfl.while"} & set(ours)
    else:
        assert {"tfl.if", "tfl.while"} & set(ours)
    # TF lowers the cond matmuls to batch_matmul where tflc finds fully_connected.
    kinds = {k.replace("batch_matmul", "fully_connected") for k in theirs}
    assert set(ours) == kinds, (ours, theirs)
    assert sum(ours.values()) <= sum(theirs.values()) + 1, (ours, theirs)


@pytest.mark.parametrize("name", ["while_cond", "nested_while", "training_flag"])
def test_loop_ops_equal_tensorflow(tf1_models: Path, name: str) -> None:
    """The same ops, kind for kind and count for count, as TF writes: constant loop invariants
    are copied into the loop functions, computed invariants (the inner loop's `i + 1`) hoisted."""
    meta = json.loads((tf1_models / f"{name}.json").read_text())
    model = tflc.Converter.from_frozen_graph(str(tf1_models / f"{name}.pb"), meta["inputs"], meta["outputs"]).convert()
    assert _ops(model) == _ops((tf1_models / f"{name}.tf.tflite").read_bytes())


def test_functionalized_structure(tf1_models: Path) -> None:
    """No v1 primitive survives; the nested loops become two tf.While, the body's cond a tf.If."""
    from tflc.dialects.tf import tf_op_name
    from tflc.ir import module_to_text

    module = import_frozen_graph(tf1_models / "nested_while.pb", ["x"], ["out", "count"])
    names = Counter(tf_op_name(op) for op in module.walk())
    assert names["tf.While"] == 2
    for primitive in ("Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond"):
        assert f"tf.{primitive}" not in names
    module = import_frozen_graph(tf1_models / "while_cond.pb", ["x"], ["y"])
    names = Counter(tf_op_name(op) for op in module.walk())
    assert (names["tf.While"], names["tf.If"]) == (1, 1)
    text = module_to_text(module)
    assert 'tf.entry_function = {inputs = "x", outputs = "y"}' in text


def test_input_shapes_fix_dynamic_dims(tf1_models: Path) -> None:
    from xdsl.dialects.func import FuncOp

    module = import_frozen_graph(tf1_models / "cond_top.pb", ["x"], ["a"], {"x": [4, 3]})
    main = next(f for f in module.ops if isinstance(f, FuncOp) and f.sym_name.data == "main")
    assert str(main.function_type.inputs.data[0]) == "tensor<4x3xf32>"
    module = import_frozen_graph(tf1_models / "cond_top.pb", ["x"], ["a"])
    main = next(f for f in module.ops if isinstance(f, FuncOp) and f.sym_name.data == "main")
    assert str(main.function_type.inputs.data[0]) == "tensor<?x3xf32>"
    with pytest.raises(TflcError, match=r"input_shapes gives 'x' the shape \[4, 2\]"):
        import_frozen_graph(tf1_models / "cond_top.pb", ["x"], ["a"], {"x": [4, 2]})


def test_deterministic(tf1_models: Path) -> None:
    path = str(tf1_models / "nested_while.pb")
    first = tflc.Converter.from_frozen_graph(path, ["x"], ["out", "count"]).convert()
    assert tflc.Converter.from_frozen_graph(path, ["x"], ["out", "count"]).convert() == first


def test_frozen_graph_path_never_imports_tensorflow(tf1_models: Path) -> None:
    code = (
        "import sys, tflc\n"
        f"tflc.Converter.from_frozen_graph({str(tf1_models / 'while_cond.pb')!r}, ['x'], ['y']).convert()\n"
        f"tflc.Converter.from_saved_model({str(tf1_models / 'v1_saved_model')!r}).convert()\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- TF1 SavedModel


def test_v1_simple_save_matches_tensorflow(tf1_models: Path) -> None:
    """simple_save, ref and resource variables (values from the checkpoint): TF's numbers and ops.

    TF's converter takes its v1 path for a one-signature TF1 SavedModel and writes no
    SignatureDef; tflc writes the SavedModel's signature, as for every SavedModel."""
    reference = np.load(tf1_models / "v1_simple_save.npz")
    model = tflc.Converter.from_saved_model(str(tf1_models / "v1_simple_save")).convert()
    theirs = (tf1_models / "v1_simple_save.tf.tflite").read_bytes()
    interpreter = Interpreter(model_content=model)
    assert Interpreter(model_content=theirs).get_signature_list() == {}
    assert interpreter.get_signature_list() == {
        "serving_default": {"inputs": ["features"], "outputs": ["hidden", "score"]}
    }
    tf_outputs = _run_graph_model(theirs, reference["features"])
    np.testing.assert_allclose(tf_outputs["score"], reference["score"], atol=1e-5, rtol=1e-5)
    got = interpreter.get_signature_runner("serving_default")(features=reference["features"])
    np.testing.assert_allclose(got["hidden"], reference["hidden"], atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(got["score"], reference["score"], atol=1e-5, rtol=1e-5)
    assert _ops(model) == _ops(theirs)


def test_v1_saved_model_matches_tensorflow(tf1_models: Path) -> None:
    """Builder, two signatures, a v1 while loop. TF's converter falls back to its v1 path for
    v1 control flow (serving_default only, no SignatureDef); tflc keeps both signatures."""
    reference = np.load(tf1_models / "v1_saved_model.npz")
    converter = tflc.Converter.from_saved_model(str(tf1_models / "v1_saved_model"))
    model = converter.convert()
    theirs = (tf1_models / "v1_saved_model.tf.tflite").read_bytes()
    interpreter = Interpreter(model_content=model)
    assert interpreter.get_signature_list() == {
        "linear": {"inputs": ["inputs"], "outputs": ["logits"]},
        "serving_default": {"inputs": ["inputs", "steps"], "outputs": ["logits", "probs"]},
    }
    serve = interpreter.get_signature_runner("serving_default")(inputs=reference["inputs"], steps=reference["steps"])
    np.testing.assert_allclose(serve["probs"], reference["probs"], atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(serve["logits"], reference["logits"], atol=1e-5, rtol=1e-5)
    linear = interpreter.get_signature_runner("linear")(inputs=reference["inputs"])
    np.testing.assert_allclose(linear["logits"], reference["logits"], atol=1e-5, rtol=1e-5)
    assert set(_ops(model)) == set(_ops(theirs))


def test_v1_saved_model_signature_keys(tf1_models: Path) -> None:
    converter = tflc.Converter.from_saved_model(str(tf1_models / "v1_saved_model"), ["linear"])
    model = converter.convert()
    assert Interpreter(model_content=model).get_signature_list() == {
        "linear": {"inputs": ["inputs"], "outputs": ["logits"]}
    }
    with pytest.raises(TflcError, match=r"unknown signature key\(s\) \['nope'\]; available: linear, serving_default"):
        tflc.Converter.from_saved_model(str(tf1_models / "v1_saved_model"), ["nope"]).convert()


# --------------------------------------------------------------------------- command line and bad input


def test_cli_graph_def_file(tf1_models: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cond.tflite"
    argv = ["--graph_def_file", str(tf1_models / "cond_top.pb"), "--input_arrays", "x",
            "--output_arrays", "a,b,c", "--input_shapes", "4,3", "--output-file", str(out)]
    assert convert.main(argv) == 0
    reference = np.load(tf1_models / "cond_top.npz")
    got = _run_graph_model(out.read_bytes(), reference["x_0"])
    np.testing.assert_allclose(got["a"], reference["a_0"], atol=1e-5)
    assert Interpreter(model_path=str(out)).get_input_details()[0]["shape"].tolist() == [4, 3]


def _graph(nodes: str) -> bytes:
    """A binary GraphDef from NodeDefs in text format."""
    from google.protobuf import text_format

    return text_format.Parse(nodes, graph_pb2.GraphDef()).SerializeToString()


_PLACEHOLDER = (
    'node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }'
    ' attr { key: "shape" value { shape { dim { size: 2 } } } } }\n'
)
_BOOL = (
    'node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_BOOL } }'
    ' attr { key: "shape" value { shape { } } } }\n'
)
_NEG = 'node { name: "y" op: "Neg" input: "x:0" attr { key: "T" value { type: DT_FLOAT } } }\n'


@pytest.mark.parametrize(
    ("content", "inputs", "outputs", "message"),
    [
        (_PLACEHOLDER, "xx", "x", "input array 'xx' is not a node of the graph (did you mean 'x'?)"),
        (
            'node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }\n' + _NEG,
            "x", "y", "input array 'x' has an unknown shape; give it with input_shapes",
        ),
        (_PLACEHOLDER, "x", "y", "output array 'y' is not a node of the graph"),
        (b"\x0a\xff\xff", "x", "x", "cannot parse the GraphDef (truncated or corrupt)"),
        (
            _PLACEHOLDER + _BOOL
            + 'node { name: "s" op: "Switch" input: "x" input: "p" attr { key: "T" value { type: DT_FLOAT } } }\n'
            + 'node { name: "y" op: "Neg" input: "s:1" attr { key: "T" value { type: DT_FLOAT } } }\n',
            "x,p", "y", "node 's': Switch is part of v1 control flow tflc cannot turn into While/If",
        ),
        (
            _PLACEHOLDER
            + 'node { name: "v" op: "VariableV2" attr { key: "dtype" value { type: DT_FLOAT } } }\n'
            + 'node { name: "y" op: "Mul" input: "x" input: "v" attr { key: "T" value { type: DT_FLOAT } } }\n',
            "x", "y", "node 'v' is a variable (VariableV2); freeze the graph first",
        ),
        (
            _PLACEHOLDER + _BOOL
            + 'node { name: "y" op: "Select" input: "p" input: "x" input: "x" '
            'attr { key: "T" value { type: DT_FLOAT } } }\n',
            "x", "y", "the outputs depend on placeholder 'p', which is not in input_arrays; add it",
        ),
        (
            _PLACEHOLDER
            + 'node { name: "y" op: "Switch" input: "x" attr { key: "T" value { type: DT_FLOAT } } }\n',
            "x", "y", "node 'y': Switch has 1 data inputs but reads 2; the graph is corrupt: re-export it",
        ),
    ],
)
def test_bad_graph_defs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content, inputs: str, outputs: str, message: str
) -> None:
    path = tmp_path / "bad.pb"
    path.write_bytes(content if isinstance(content, bytes) else _graph(content))
    argv = ["--graph_def_file", str(path), "--input_arrays", inputs, "--output_arrays", outputs,
            "--output-file", str(tmp_path / "out.tflite")]
    assert convert.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tflc-convert: error: {path}: ") and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out.tflite").exists()


def test_switch_without_merge_fails_in_place(tmp_path: Path) -> None:
    """An unsupported v1 construct (a loop Merge fed by no NextIteration) names its node."""
    text = (
        _PLACEHOLDER
        + 'node { name: "e" op: "Enter" input: "x" attr { key: "T" value { type: DT_FLOAT } }'
        ' attr { key: "frame_name" value { s: "loop" } } }\n'
        + 'node { name: "m" op: "Merge" input: "e" input: "e" attr { key: "T" value { type: DT_FLOAT } }'
        ' attr { key: "N" value { i: 2 } } }\n'
        + 'node { name: "y" op: "Exit" input: "m" attr { key: "T" value { type: DT_FLOAT } } }\n'
    )
    path = tmp_path / "loop.pb"
    path.write_bytes(_graph(text))
    with pytest.raises(TflcError, match=r"loop.pb: node 'm': expected one NextIteration into the Merge, found 0"):
        import_frozen_graph(path, ["x"], ["y"])


def _edited_saved_model(source: Path, target: Path, edit) -> Path:
    """A copy of a SavedModel whose MetaGraphDef `edit` changed (our protos, no TensorFlow)."""
    import shutil

    from tflc.frontend.proto import lazy_saved_model_pb2

    shutil.copytree(source, target)
    pb = target / "saved_model.pb"
    model = lazy_saved_model_pb2.LazySavedModel.FromString(pb.read_bytes())
    edit(model.meta_graphs[0])
    pb.write_bytes(model.SerializeToString())
    return target


def test_v1_saved_model_bad_signatures(tf1_models: Path, tmp_path: Path) -> None:
    from tflc.frontend.proto import meta_graph_pb2, types_pb2

    def assigning(meta) -> None:
        sig = meta.signature_def["bad"]
        sig.outputs["o"].CopyFrom(meta_graph_pb2.TensorInfo(name="w/Assign:0", dtype=types_pb2.DT_FLOAT))

    path = _edited_saved_model(tf1_models / "v1_simple_save", tmp_path / "assigning", assigning)
    with pytest.raises(TflcError, match=r"saved_model.pb: signature 'bad' assigns variable 'w' \(node 'w/Assign'\)"):
        tflc.Converter.from_saved_model(str(path), ["bad"]).convert()

    def ghost(meta) -> None:
        node = meta.graph_def.node.add(name="ghost", op="VariableV2")
        node.attr["dtype"].type = types_pb2.DT_FLOAT
        read = meta.graph_def.node.add(name="ghost/read", op="Identity", input=["ghost"])
        read.attr["T"].type = types_pb2.DT_FLOAT
        meta.signature_def["bad"].outputs["o"].CopyFrom(
            meta_graph_pb2.TensorInfo(name="ghost/read:0", dtype=types_pb2.DT_FLOAT)
        )

    path = _edited_saved_model(tf1_models / "v1_simple_save", tmp_path / "ghost", ghost)
    message = r"variables.index: signature 'bad' reads variable 'ghost', which the checkpoint"
    with pytest.raises(TflcError, match=message):
        tflc.Converter.from_saved_model(str(path), ["bad"]).convert()
    # The other signature of the same model still converts.
    tflc.Converter.from_saved_model(str(path), ["serving_default"]).convert()


def test_text_graph_def_and_tensor_names(tmp_path: Path) -> None:
    """A text GraphDef is read too (whatever its name), and arrays may be named `node:0`."""
    from google.protobuf import text_format

    path = tmp_path / "graph.pb"
    path.write_text(str(text_format.Parse(_PLACEHOLDER + _NEG, graph_pb2.GraphDef())))
    model = tflc.Converter.from_frozen_graph(str(path), ["x:0"], ["y:0"]).convert()
    interpreter = Interpreter(model_content=model)
    assert [d["name"] for d in interpreter.get_input_details()] == ["x"]
    assert [d["name"] for d in interpreter.get_output_details()] == ["y"]
    got = _run_graph_model(model, np.array([1.5, -2.0], np.float32))
    np.testing.assert_array_equal(got["y"], [-1.5, 2.0])


def test_cli_v1_saved_model(tf1_models: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "v1.tflite"
    argv = [
        "--saved-model-dir", str(tf1_models / "v1_saved_model"), "--signature-keys", "linear", "--output-file", str(out)
    ]
    assert convert.main(argv) == 0
    assert "signature 'linear': inputs ['inputs'] -> outputs ['logits']" in capsys.readouterr().out
    reference = np.load(tf1_models / "v1_saved_model.npz")
    got = Interpreter(model_path=str(out)).get_signature_runner("linear")(inputs=reference["inputs"])
    np.testing.assert_allclose(got["logits"], reference["logits"], atol=1e-5, rtol=1e-5)
    assert convert.main(["--saved-model-dir", "x", "--graph_def_file", "y.pb", "--output-file", str(out)]) == 1
    assert "give either --saved-model-dir or --graph_def_file, not both" in capsys.readouterr().err
