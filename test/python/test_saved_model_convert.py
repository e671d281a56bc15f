"""The seed SavedModels (test/fixtures) converted by tflc and run in ai-edge-litert.

Signature lists must equal what the SavedModel records, outputs must match
TensorFlow's (recorded by test/fixtures/make_savedmodels.py) within 1e-5.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

import tflc
from tflc.errors import TflcError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "savedmodels"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "addsub_savedmodel"
RUNNABLE = [
    "pow",
    "module_matmul",
    "adder",
    "keras_lambda",
    "keras_two_dense",
    "wrapper",
    "two_signatures",
    "keras_functional",
]
STRING_MODELS = ["adder_concat", "encode_decode"]


def _reference(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    meta = json.loads((path / "reference.json").read_text())
    arrays = dict(np.load(path / "reference.npz", allow_pickle=True))
    return meta, arrays


def _check_model(path: Path, model: bytes) -> None:
    meta, arrays = _reference(path)
    interpreter = Interpreter(model_content=model)
    signatures = interpreter.get_signature_list()
    assert signatures == meta["signature_list"]
    for key, sig in signatures.items():
        inputs = {n: arrays[f"{key}/inputs/{n}"] for n in sig["inputs"]}
        outputs = interpreter.get_signature_runner(key)(**inputs)
        for name in sig["outputs"]:
            expected = arrays[f"{key}/outputs/{name}"]
            np.testing.assert_allclose(outputs[name], expected, rtol=1e-5, atol=1e-6, err_msg=f"{key}/{name}")


@pytest.mark.parametrize("name", RUNNABLE)
def test_seed_saved_model(name: str) -> None:
    path = FIXTURES / name
    converter = tflc.Converter.from_saved_model(path)
    converter.verify_each_pass = True  # every pass keeps the module valid
    _check_model(path, converter.convert())


def test_bundled_example() -> None:
    _check_model(EXAMPLE, tflc.Converter.from_saved_model(EXAMPLE).convert())


@pytest.mark.parametrize("name", STRING_MODELS)
def test_string_model_signatures_are_read(name: str) -> None:
    """String ops need Select TF ops to run; their signatures are already read right."""
    from tflc.dialects.tf_saved_model import module_signatures

    meta, _ = _reference(FIXTURES / name)
    module = tflc.Converter.from_saved_model(FIXTURES / name).import_module()
    found = {s.key: {"inputs": list(s.inputs), "outputs": list(s.outputs)} for _, s in module_signatures(module)}
    assert found == meta["signature_list"]


def test_signature_keys_select_and_keep_names() -> None:
    converter = tflc.Converter.from_saved_model(FIXTURES / "two_signatures", signature_keys=["split"])
    model = converter.convert()
    meta, _ = _reference(FIXTURES / "two_signatures")
    assert Interpreter(model_content=model).get_signature_list() == {"split": meta["signature_list"]["split"]}


def test_wrapper_dynamic_batch_resizes() -> None:
    """The (None, 128, 3) wrapper model runs at other batch sizes: no traced batch baked in."""
    meta, arrays = _reference(FIXTURES / "wrapper")
    interpreter = Interpreter(model_content=tflc.Converter.from_saved_model(FIXTURES / "wrapper").convert())
    runner = interpreter.get_signature_runner("sample_method_name")
    x = arrays["sample_method_name/inputs/x_input"]
    for batch in (1, 5):
        xb = np.concatenate([x] * 5)[:batch]
        out = runner(x_input=xb)
        expected = np.concatenate([arrays["sample_method_name/outputs/my_output_a"]] * 5)[:batch]
        np.testing.assert_allclose(out["my_output_a"], expected, rtol=1e-5, atol=1e-6)


def test_saved_model_path_never_imports_tensorflow(tmp_path: Path) -> None:
    script = (
        "import sys, tflc\n"
        f"data = tflc.Converter.from_saved_model({str(FIXTURES / 'wrapper')!r}).convert()\n"
        f"open({str(tmp_path / 'w.tflite')!r}, 'wb').write(data)\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    assert (tmp_path / "w.tflite").stat().st_size > 0


def _run_convert(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "tflc-convert"
    return subprocess.run([str(exe), *args], capture_output=True, text=True)


def test_cli_converts_and_summarizes(tmp_path: Path) -> None:
    out = tmp_path / "m.tflite"
    result = _run_convert("--saved-model-dir", str(FIXTURES / "two_signatures"), "--output-file", str(out))
    assert result.returncode == 0, result.stderr
    assert "[legalize-tf]" in result.stdout
    assert "signature 'split'" in result.stdout and "size:" in result.stdout
    _check_model(FIXTURES / "two_signatures", out.read_bytes())


def _corrupt_copy(tmp_path: Path, name: str, victim: str, keep: int) -> Path:
    import shutil

    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    path = target / victim
    path.write_bytes(path.read_bytes()[:keep])
    return target


@pytest.mark.parametrize(
    "victim,expected",
    [
        ("saved_model.pb", "saved_model.pb"),
        ("variables/variables.index", "variables.index"),
        ("variables/variables.data-00000-of-00001", "variables.data"),
    ],
)
def test_cli_corrupt_saved_model(tmp_path: Path, victim: str, expected: str) -> None:
    model = _corrupt_copy(tmp_path, "keras_two_dense", victim, 20)
    out = tmp_path / "out.tflite"
    result = _run_convert("--saved-model-dir", str(model), "--output-file", str(out))
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_unsupported_ops_grouped(tmp_path: Path) -> None:
    out = tmp_path / "out.tflite"
    result = _run_convert("--saved-model-dir", str(FIXTURES / "encode_decode"), "--output-file", str(out))
    assert result.returncode == 1
    assert "tf.AsString x1 (first at node" in result.stderr
    assert "tf.StringToNumber x1 (first at node" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_cli_unknown_signature_key(tmp_path: Path) -> None:
    result = _run_convert("--saved-model-dir", str(FIXTURES / "pow"), "--output-file", str(tmp_path / "o"),
                          "--signature-keys", "nope")
    assert result.returncode == 1 and "serving_default" in result.stderr


def test_unsupported_options_are_refused() -> None:
    converter = tflc.Converter.from_saved_model(FIXTURES / "pow")
    converter.target_spec.supported_ops = {"TFLITE_BUILTINS"}  # TensorFlow's names are accepted
    with pytest.raises(TflcError, match="tflc.OpsSet"):
        converter.target_spec.supported_ops = {"TFLITE_BUILTIN"}
    converter.target_spec.supported_ops.add("NOT_AN_OPS_SET")  # in place: checked when converting
    with pytest.raises(TflcError, match="tflc.OpsSet"):
        converter.convert()


def test_user_pass_in_pipeline() -> None:
    """A user's pass inserted into converter.pipeline runs and changes the result."""
    from dataclasses import dataclass

    from xdsl.passes import ModulePass

    from tflc.dialects import tfl

    @dataclass(frozen=True)
    class ReluAfterAdd(ModulePass):
        name = "test-relu-after-add"

        def apply(self, ctx, op) -> None:
            for add in [o for o in op.walk() if isinstance(o, tfl.AddOp)]:
                add.properties["fused_activation_function"] = tflc_string("RELU")

    def tflc_string(s: str):
        from xdsl.dialects.builtin import StringAttr

        return StringAttr(s)

    converter = tflc.Converter.from_saved_model(EXAMPLE, signature_keys=["add"])
    converter.pipeline.append(ReluAfterAdd())
    model = converter.convert()
    x = np.array([[-5.0, 1.0, -1.0, 2.0]], np.float32)
    out = Interpreter(model_content=model).get_signature_runner("add")(input1=x, input2=x)["result"]
    np.testing.assert_array_equal(out, np.maximum(2 * x, 0))


def test_cli_emit_mlir_and_print_ir(tmp_path: Path) -> None:
    tf_ir = _run_convert("--saved-model-dir", str(FIXTURES / "pow"), "--emit-mlir", "tf", "-q")
    assert tf_ir.returncode == 0, tf_ir.stderr
    assert '"tf.Pow"' in tf_ir.stdout and "tf_saved_model.global_tensor" in tf_ir.stdout
    tfl_ir = _run_convert("--saved-model-dir", str(FIXTURES / "pow"), "--emit-mlir", "tfl", "-q")
    assert "tfl.pow" in tfl_ir.stdout and '"tf.' not in tfl_ir.stdout
    dumps = _run_convert("--saved-model-dir", str(FIXTURES / "pow"), "--output-file", str(tmp_path / "p.tflite"),
                         "--print-ir-after-all")
    assert "IR Dump After legalize-tf" in dumps.stdout and (tmp_path / "p.tflite").exists()
    # the tf-dialect dump is valid input for tflc-opt
    opt = Path(sys.executable).parent / "tflc-opt"
    legal = subprocess.run([str(opt), "-p", "tf-inline,freeze-variables,legalize-tf"], input=tf_ir.stdout,
                           capture_output=True, text=True)
    assert legal.returncode == 0, legal.stderr
    assert "tfl.pow" in legal.stdout


def test_internal_errors_are_one_line_unless_asked(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    """A tflc bug (not bad input) still ends in one line and exit 1; TFLC_TRACEBACK=1 re-raises."""
    from tflc.tools.common import run_tool

    def broken() -> int:
        raise RuntimeError("boom")

    monkeypatch.delenv("TFLC_TRACEBACK", raising=False)
    assert run_tool("tflc-convert", broken) == 1
    err = capsys.readouterr().err
    assert err.startswith("tflc-convert: internal error: RuntimeError: boom;") and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("TFLC_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="boom"):
        run_tool("tflc-convert", broken)
