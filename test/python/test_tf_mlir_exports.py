"""TensorFlow's own MLIR exporters' output through tflc-opt and tflc-translate.

For a Dense MLP, a small CNN, Keras MobileNetV2 (96x96, weights=None) and a
two-signature tf.Module with variables, the text of `convert_function` (with and
without debug info), `convert_saved_model`, `convert_saved_model_v1` and
`convert_graph_def` parses in tflc-opt as written, converts through the default
pipeline and tflc-translate, keeps its signatures and runs in ai-edge-litert within
1e-5 of TensorFlow.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

from tflc.converter import default_pipeline
from tflc.tools import opt, translate

MODELS = ("mlp", "cnn", "mnv2", "twosig")
EXPORTERS = ("cf", "cfdbg", "sm", "smv1", "gd", "gddbg")
PIPELINE = ",".join(p.name for p in default_pipeline())
GRAPH_ENTRY = ("cf", "cfdbg", "gd", "gddbg")
"""Exporters whose module is a graph's entry function rather than a SavedModel."""


@pytest.fixture(scope="session")
def tf_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exporters' text and TensorFlow's outputs, written once by TensorFlow in a subprocess."""
    out = tmp_path_factory.mktemp("tf_mlir_exports")
    script = Path(__file__).parent / "models" / "tf_mlir_exports.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    return out


def _convert(path: Path) -> bytes:
    """tflc-opt with the default pipeline, then tflc-translate, as a user runs them."""
    tfl = path.with_suffix(".tfl.mlir")
    tflite = path.with_suffix(".tflite")
    assert opt.main([str(path), "-p", PIPELINE, "-o", str(tfl)]) == 0
    assert translate.main(["--mlir-to-tflite", str(tfl), "-o", str(tflite)]) == 0
    return tflite.read_bytes()


def _expected_signatures(model: str, exporter: str, ref: dict) -> dict[str, tuple[list[str], list[str]]]:
    """Signature keys with input and output names, as TensorFlow's exporters write them."""
    if exporter in ("cf", "cfdbg"):
        return {"serving_default": (["x"], ["identity_RetVal"])}
    if exporter == "gd":
        return {"serving_default": (["placeholder_0"], ["output_0"])}
    if exporter == "gddbg":
        return {"serving_default": (["x"], ["Identity"])}
    if model == "twosig":
        return {"apply": (["x"], ["y"]), "bump": (["v"], ["s"])}
    names = (list(ref["signature_inputs"]), list(ref["signature_outputs"]))
    if exporter == "sm":  # the object graph's function: Keras' `serve` endpoint
        return {"serve": names}
    return {"serve": names, "serving_default": names}  # the SavedModel's SignatureDefs


@pytest.mark.parametrize("exporter", EXPORTERS)
@pytest.mark.parametrize("model", MODELS)
def test_tf_export_converts_and_runs(tf_exports: Path, model: str, exporter: str) -> None:
    data = _convert(tf_exports / f"{model}.{exporter}.mlir")
    ref = np.load(tf_exports / f"{model}.npz")
    interpreter = Interpreter(model_content=data)
    signatures = {k: (v["inputs"], v["outputs"]) for k, v in interpreter.get_signature_list().items()}
    expected = _expected_signatures(model, exporter, ref)
    if exporter in GRAPH_ENTRY:
        # A graph's entry function (tf.entry_function, no SavedModel semantics): as
        # TensorFlow's converter, no SignatureDef; the tensors carry the names.
        [(inputs, outputs)] = expected.values()
        assert signatures == {}
        assert [d["name"] for d in interpreter.get_input_details()] == inputs
        assert [d["name"] for d in interpreter.get_output_details()] == outputs
        interpreter.allocate_tensors()
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], ref["x"])
        interpreter.invoke()
        got = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        np.testing.assert_allclose(got, ref["y"], atol=1e-5, rtol=1e-5)
        return
    assert signatures == expected
    for key, (inputs, outputs) in signatures.items():
        runner = interpreter.get_signature_runner(key)
        if key == "bump":
            for step in ("s1", "s2"):  # the variable persists across invocations
                got = runner(**{inputs[0]: ref["v"]})
                np.testing.assert_allclose(got[outputs[0]], ref[step], atol=1e-5, rtol=1e-5)
            continue
        got = runner(**{inputs[0]: ref["x"]})
        np.testing.assert_allclose(got[outputs[0]], ref["y"], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("model", ("mlp", "twosig"))
def test_graph_def_default_pipeline_is_reported(
    tf_exports: Path, model: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """convert_graph_def's default pipeline prunes every node: one clear error, no empty model."""
    path = tf_exports / f"{model}.gdstd.mlir"
    tfl = path.with_suffix(".tfl.mlir")
    assert opt.main([str(path), "-p", PIPELINE, "-o", str(tfl)]) == 0
    out = path.with_suffix(".tflite")
    assert translate.main(["--mlir-to-tflite", str(tfl), "-o", str(out)]) == 1
    assert not out.exists()
    assert "pass_pipeline=''" in capsys.readouterr().err


def test_debug_info_names_tf_nodes(tf_exports: Path) -> None:
    """Locations of debug-info exports stay on the ops and name the TF nodes."""
    from tflc.errors import location_name
    from tflc.ir import parse_module

    module = parse_module((tf_exports / "mlp.gddbg.mlir").read_bytes(), "mlp.gddbg.mlir")
    names = {location_name(op.location) for op in module.walk() if op.name == "tf.MatMul"}
    assert names == {"sequential_1/dense_1/MatMul", "sequential_1/dense_1_2/MatMul"}


def test_unfrozen_convert_function_is_reported(
    tf_exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """convert_function of a function that still takes variables: the fix is named."""
    import tensorflow as tf

    v = tf.Variable([1.0, 2.0])
    fn = tf.function(lambda x: x * v).get_concrete_function(tf.TensorSpec([2], tf.float32))
    path = tmp_path / "unfrozen.mlir"
    path.write_text(tf.mlir.experimental.convert_function(fn))
    assert opt.main([str(path), "-p", PIPELINE]) == 1
    err = capsys.readouterr().err
    assert "convert_variables_to_constants_v2" in err and "Traceback" not in err


@pytest.mark.parametrize("model", MODELS)
def test_tf_tflite_roundtrips_identically(tf_exports: Path, model: str) -> None:
    """TensorFlow's .tflite of each model imports, prints, parses, re-exports and computes
    the same outputs, bit for bit, signature by signature."""
    from tflc.backend.export import export_module
    from tflc.backend.importer import import_model
    from tflc.ir import module_to_text, parse_module, verify_module

    theirs = (tf_exports / f"{model}.tf.tflite").read_bytes()
    module = parse_module(module_to_text(import_model(theirs, "tf.tflite")), "tf.mlir")
    verify_module(module)
    ours = export_module(module)
    ref = np.load(tf_exports / f"{model}.npz")
    a, b = Interpreter(model_content=theirs), Interpreter(model_content=ours)
    assert a.get_signature_list() == b.get_signature_list()
    for key, sig in a.get_signature_list().items():
        feed = {sig["inputs"][0]: ref["v"] if key == "bump" else ref["x"]}
        run_a, run_b = a.get_signature_runner(key), b.get_signature_runner(key)
        for _ in range(2):  # twice: variables persist
            got_a, got_b = run_a(**feed), run_b(**feed)
            for name in sig["outputs"]:
                np.testing.assert_array_equal(got_b[name], got_a[name])
