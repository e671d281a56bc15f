"""Lookup tables (StaticHashTable, Keras StringLookup/IntegerLookup) run in ai-edge-litert as in TF.

The SavedModels and TF eager outputs come from test/python/models/lookup_models.py (run
once per session); ai-edge-litert's default op resolver runs TFLite's hashtable builtins.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as fb
from ai_edge_litert.interpreter import Interpreter

import tflc
from tflc.errors import TflcError

MODELS = Path(__file__).parent / "models" / "lookup_models.py"


@pytest.fixture(scope="session")
def lookup_models(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The lookup-table SavedModels, their inputs and TF's outputs."""
    out = tmp_path_factory.mktemp("lookup")
    subprocess.run([sys.executable, str(MODELS), str(out)], check=True, capture_output=True)
    with (
        np.load(out / "inputs.npz", allow_pickle=True) as inputs,
        np.load(out / "outputs.npz", allow_pickle=True) as outputs,
    ):
        return out, dict(inputs), dict(outputs)


def _operators(model: bytes) -> list[list[str]]:
    """The builtin operator names of each subgraph, in order."""
    m = fb.ModelT.InitFromPackedBuf(model, 0)
    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    return [
        [
            names[max(m.operatorCodes[o.opcodeIndex].builtinCode, m.operatorCodes[o.opcodeIndex].deprecatedBuiltinCode)]
            for o in s.operators
        ]
        for s in m.subgraphs
    ]


def _run(model: bytes, **inputs: np.ndarray) -> dict[str, Any]:
    return Interpreter(model_content=model).get_signature_runner("serving_default")(**inputs)


def _check(got: dict[str, Any], expected: dict[str, np.ndarray], name: str) -> None:
    keys = sorted(k.split("/", 1)[1] for k in expected if k.startswith(name + "/"))
    assert sorted(got) == keys
    for key in keys:
        want = expected[f"{name}/{key}"]
        assert np.shape(got[key]) == np.shape(want), key
        np.testing.assert_array_equal(np.asarray(got[key]), want, err_msg=key)


def test_key_value_tables_match_tf(lookup_models) -> None:
    out, inputs, expected = lookup_models
    model = tflc.Converter.from_saved_model(out / "key_value").convert()
    ops = _operators(model)
    assert ops[0] == [
        "CALL_ONCE",
        "HASHTABLE",
        "HASHTABLE",
        "HASHTABLE_FIND",
        "HASHTABLE_FIND",
        "HASHTABLE_SIZE",
        "RESHAPE",
    ]
    assert ops[1] == ["HASHTABLE", "HASHTABLE_IMPORT", "HASHTABLE", "HASHTABLE_IMPORT"]
    interpreter = Interpreter(model_content=model)
    runner = interpreter.get_signature_runner("serving_default")
    for _ in range(2):  # the tables are filled once and keep their contents
        _check(runner(words=inputs["words"], ids=inputs["ids"]), expected, "key_value")


def test_text_file_tables_read_the_saved_models_assets(lookup_models) -> None:
    out, inputs, expected = lookup_models
    assert not (out / "vocab.txt").exists()  # only the copy in assets/ is left
    model = tflc.Converter.from_saved_model(out / "text_file").convert()
    _check(_run(model, words=inputs["words"], ids=inputs["ids"]), expected, "text_file")


def test_int64_to_int64_table_becomes_two_supported_tables(lookup_models) -> None:
    out, inputs, expected = lookup_models
    model = tflc.Converter.from_saved_model(out / "int_table").convert()
    assert _operators(model)[0].count("HASHTABLE_FIND") == 2
    _check(_run(model, ids=inputs["ids"]), expected, "int_table")


@pytest.mark.parametrize("name", ["string_lookup", "string_lookup_inverse", "integer_lookup"])
def test_keras_lookup_layers_exported_saved_models(lookup_models, name: str) -> None:
    out, inputs, expected = lookup_models
    model = tflc.Converter.from_saved_model(out / name).convert()
    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    (input_name,) = runner.get_input_details()
    _check(runner(**{input_name: inputs[name]}), expected, name)


def test_unsupported_key_value_types_are_one_clear_error(lookup_models, tmp_path: Path) -> None:
    out, _, _ = lookup_models
    with pytest.raises(
        TflcError,
        match=r"maps string -> float32; TFLite's hashtable kernels support string -> int64 and int64 -> string",
    ):
        tflc.Converter.from_saved_model(out / "float_table").convert()
    target = tmp_path / "m.tflite"
    tool = Path(sys.executable).parent / "tflc-convert"
    result = subprocess.run(
        [str(tool), "--saved-model-dir", str(out / "float_table"), "--output-file", str(target), "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "lookup table" in result.stderr and "string -> float32" in result.stderr
    assert not target.exists()


def test_mutable_hash_tables_hold_the_checkpoints_contents(lookup_models) -> None:
    """MutableHashTables filled (and changed) before saving: what TF returns after restore."""
    out, inputs, expected = lookup_models
    model = tflc.Converter.from_saved_model(out / "mutable").convert()
    init = _operators(model)[1]
    assert init.count("HASHTABLE_IMPORT") == 4  # string -> int64, int64 -> int64 (split in two), the empty one
    assert "HASHTABLE_IMPORT" not in _operators(model)[0]
    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    for _ in range(2):
        _check(runner(words=inputs["words"], ids=inputs["ids"]), expected, "mutable")


def test_table_and_variable_in_two_signatures(lookup_models) -> None:
    """A table and an assigned variable in one signature, the variable read by another: one
    interpreter replays TF eager's calls."""
    out, inputs, expected = lookup_models
    model = tflc.Converter.from_saved_model(out / "table_and_variable").convert()
    interpreter = Interpreter(model_content=model)
    assert sorted(interpreter.get_signature_list()) == ["read", "serving_default"]
    calls = [("serving_default", {"words": inputs["words"]}), ("read", {})]
    calls += [("serving_default", {"words": inputs["words"][:2]}), ("read", {})]
    for n, (key, args) in enumerate(calls):
        _check(interpreter.get_signature_runner(key)(**args), expected, f"table_and_variable_{n}")


@pytest.mark.parametrize("name", ["v1_simple", "v1_builder"])
def test_tf1_saved_model_tables_filled_by_the_init_op(lookup_models, name: str) -> None:
    """TF1 SavedModels (simple_save's legacy_init_op, Builder's main_op): key-value and asset
    text-file tables, a MutableHashTable from the checkpoint, a frozen variable; the init op's
    table initializers and the Saver's table restores are the session initializer."""
    out, inputs, expected = lookup_models
    model = tflc.Converter.from_saved_model(out / name).convert()
    assert _operators(model)[-1].count("HASHTABLE_IMPORT") == (4 if name == "v1_builder" else 3)
    interpreter = Interpreter(model_content=model)
    _check(interpreter.get_signature_runner("serving_default")(words=inputs["words"]), expected, "v1_simple")
    if name == "v1_builder":
        _check(interpreter.get_signature_runner("names")(ids=inputs["ids"]), expected, "v1_builder")


def test_saved_model_tables_never_import_tensorflow(lookup_models) -> None:
    out, _, _ = lookup_models
    code = (
        "import sys, tflc\n"
        f"for name in ('mutable', 'v1_builder'): tflc.Converter.from_saved_model({str(out)!r} + '/' + name).convert()\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("dense_table", r"captures the DenseHashTable 'table' \(MutableDenseHashTableV2\), which TFLite's hashtable "
         r"builtins cannot hold; use tf.lookup.experimental.MutableHashTable or tf.lookup.StaticHashTable"),
        ("v1_no_init", r"the signatures use lookup table 'hash_table' \(HashTableV2\), but the SavedModel has no "
         r"init op \(main_op or legacy_init_op\) to initialize it; save the SavedModel with "
         r"main_op=tf.compat.v1.tables_initializer\(\)"),
    ],
)
def test_tables_tflite_cannot_hold_are_one_clear_error(
    lookup_models, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    from tflc.tools import convert

    out, _, _ = lookup_models
    target = tmp_path / "m.tflite"
    assert convert.main(["--saved-model-dir", str(out / name), "--output-file", str(target), "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert re.search(f"^tflc-convert: error: {re.escape(str(out / name))}/saved_model.pb: .*{message}", err), err
    assert not target.exists()


@pytest.mark.parametrize("filename", ["../../outside.txt", "/etc/hostname", ""])
def test_asset_files_outside_the_saved_model_are_refused(
    lookup_models, tmp_path: Path, capsys: pytest.CaptureFixture[str], filename: str
) -> None:
    """A table's asset file names a file in the SavedModel's assets/ directory, never one elsewhere."""
    import shutil

    from tflc.frontend.proto import saved_model_pb2
    from tflc.tools import convert

    out, _, _ = lookup_models
    model_dir = tmp_path / "text_file"
    shutil.copytree(out / "text_file", model_dir)
    (tmp_path / "outside.txt").write_text("a\nb\n")
    pb = model_dir / "saved_model.pb"
    saved = saved_model_pb2.SavedModel.FromString(pb.read_bytes())
    for asset in saved.meta_graphs[0].asset_file_def:
        asset.filename = filename
    pb.write_bytes(saved.SerializeToString())
    target = tmp_path / "m.tflite"
    assert convert.main(["--saved-model-dir", str(model_dir), "--output-file", str(target), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"{pb}: asset file {filename!r} is not a file in the SavedModel's assets/ directory" in err, err
    assert "Traceback" not in err and "internal error" not in err
    assert not target.exists()


def test_round_trip_through_tflc_translate(lookup_models, tmp_path: Path) -> None:
    out, inputs, expected = lookup_models
    model = tflc.Converter.from_saved_model(out / "key_value").convert()
    (tmp_path / "m.tflite").write_bytes(model)
    tool = str(Path(sys.executable).parent / "tflc-translate")
    subprocess.run([tool, "--tflite-to-mlir", str(tmp_path / "m.tflite"), "-o", str(tmp_path / "m.mlir")], check=True)
    text = (tmp_path / "m.mlir").read_text()
    for op in ("tfl.hashtable", "tfl.hashtable_find", "tfl.hashtable_import", "tfl.hashtable_size", "tfl.call_once"):
        assert f'"{op}"' in text
    subprocess.run([tool, "--mlir-to-tflite", str(tmp_path / "m.mlir"), "-o", str(tmp_path / "r.tflite")], check=True)
    again = (tmp_path / "r.tflite").read_bytes()
    assert _operators(again) == _operators(model)
    _check(_run(again, words=inputs["words"], ids=inputs["ids"]), expected, "key_value")


@pytest.mark.parametrize("name", ["integer_lookup", "mutable", "v1_simple"])
def test_deterministic_output(lookup_models, name: str) -> None:
    out, _, _ = lookup_models
    first = tflc.Converter.from_saved_model(out / name).convert()
    assert tflc.Converter.from_saved_model(out / name).convert() == first


# --------------------------------------------------------------------------- concrete functions, Keras (TF here)


def test_concrete_function_tables_match_tf(lookup_models) -> None:
    tf = pytest.importorskip("tensorflow")
    sys.path.insert(0, str(MODELS.parent))
    try:
        import lookup_models as models
    finally:
        sys.path.pop(0)
    out, inputs, _ = lookup_models
    (out / "cf").mkdir(exist_ok=True)
    vocab, pairs = out / "cf" / "vocab.txt", out / "cf" / "pairs.txt"
    vocab.write_text("apple\nbanana\r\ncherry\n")
    pairs.write_text("5\tfive\n6\tsix\n7\tseven\n")
    for module in (models.KeyValueTables(), models.TextFileTable(str(vocab), str(pairs)), models.IntTable()):
        func = module.lookup.get_concrete_function()
        names = [s.name for s in tf.nest.flatten(func.structured_input_signature)]
        args = {n: inputs[n] for n in names}
        want = {k: v.numpy() for k, v in module.lookup(**{k: tf.constant(v) for k, v in args.items()}).items()}
        model = tflc.Converter.from_concrete_functions([func], module).convert()
        got = _run(model, **args)
        assert sorted(got) == sorted(want)
        for key in want:
            np.testing.assert_array_equal(np.asarray(got[key]).reshape(np.shape(want[key])), want[key])


def test_concrete_function_mutable_tables_and_variables_match_tf(lookup_models) -> None:
    """The concrete-function path: MutableHashTables' current contents, a table with a variable
    (two signatures replaying TF's calls), and a DenseHashTable as one clear error."""
    tf = pytest.importorskip("tensorflow")
    sys.path.insert(0, str(MODELS.parent))
    try:
        import lookup_models as models
    finally:
        sys.path.pop(0)
    _, inputs, _ = lookup_models
    words, ids = inputs["words"], inputs["ids"]
    mutable = models.MutableTables()
    mutable.words.insert(tf.constant(["kiwi"]), tf.constant([7], tf.int64))  # after tracing: exported now
    model = tflc.Converter.from_concrete_functions([mutable.lookup.get_concrete_function()], mutable).convert()
    want = {k: v.numpy() for k, v in mutable.lookup(tf.constant(words), tf.constant(ids)).items()}
    got = _run(model, words=words, ids=ids)
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_array_equal(np.asarray(got[key]), want[key], err_msg=key)
    mixed = models.TableAndVariable()
    funcs = [mixed.lookup.get_concrete_function(), mixed.read.get_concrete_function()]
    interpreter = Interpreter(model_content=tflc.Converter.from_concrete_functions(funcs, mixed).convert())
    for key, args in mixed.calls():
        want = {k: v.numpy() for k, v in getattr(mixed, key)(**args).items()}
        got = interpreter.get_signature_runner(key)(**args)
        assert sorted(got) == sorted(want)
        for name in want:
            np.testing.assert_array_equal(np.asarray(got[name]), want[name], err_msg=f"{key}/{name}")
    dense = models.DenseTable()
    with pytest.raises(TflcError, match=r"lookup table 'table' exports keys of shape \[8, 1\].*a DenseHashTable"):
        tflc.Converter.from_concrete_functions([dense.lookup.get_concrete_function()], dense).convert()


def test_keras_lookup_layers_from_keras_model() -> None:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    keras = pytest.importorskip("keras")
    sys.path.insert(0, str(MODELS.parent))
    try:
        import lookup_models as models
    finally:
        sys.path.pop(0)
    assert keras.backend.backend() == "tensorflow"
    for name, model in models.keras_models().items():
        x = models.keras_inputs()[name]
        converted = tflc.Converter.from_keras_model(model).convert()
        runner = Interpreter(model_content=converted).get_signature_runner("serving_default")
        (input_name,) = runner.get_input_details()
        np.testing.assert_array_equal(runner(**{input_name: x})["output_0"], np.asarray(model(x)), err_msg=name)


def test_string_to_string_table_becomes_two_supported_tables() -> None:
    from helpers import mlir_to_tflite
    from tflc.tensors import strings_to_attr

    def const(values: list[bytes]) -> str:
        attr = strings_to_attr(np.array(values, dtype=object))
        return f'#tf_type<tensor_proto : "0x{attr.data.data.hex().upper()}"> : tensor<{len(values)}x!tf_type.string>'

    default = strings_to_attr(np.array(b"?", dtype=object)).data.data.hex().upper()
    table = (
        '"tf.HashTableV2"() {container = "", key_dtype = !tf_type.string, shared_name = "s", '
        "use_node_name_sharing = false, value_dtype = !tf_type.string} : () -> tensor<!tf_type.resource>"
    )
    r, s3, s4 = "tensor<!tf_type.resource>", "tensor<3x!tf_type.string>", "tensor<4x!tf_type.string>"
    text = f"""
module attributes {{tf_saved_model.semantics}} {{
  "tf_saved_model.session_initializer"() {{initializers = [@init]}} : () -> ()
  func.func private @init() {{
    %t = {table}
    %k = "tf.Const"() {{value = {const([b"a", b"b", b"c"])}}} : () -> tensor<3x!tf_type.string>
    %v = "tf.Const"() {{value = {const([b"x", b"y", b"x"])}}} : () -> tensor<3x!tf_type.string>
    "tf.LookupTableImportV2"(%t, %k, %v) : ({r}, {s3}, {s3}) -> ()
    func.return
  }}
  func.func @main(%x: tensor<4x!tf_type.string> {{tf_saved_model.index_path = ["x"]}})
      -> ({s4} {{tf_saved_model.index_path = ["y"]}})
      attributes {{tf_saved_model.exported_names = ["serving_default"]}} {{
    %t = {table}
    %d = "tf.Const"() {{value = #tf_type<tensor_proto : "0x{default}"> : tensor<!tf_type.string>}}
      : () -> tensor<!tf_type.string>
    %y = "tf.LookupTableFindV2"(%t, %x, %d) : ({r}, {s4}, tensor<!tf_type.string>) -> {s4}
    func.return %y : tensor<4x!tf_type.string>
  }}
}}
"""
    model = mlir_to_tflite(text, "legalize-hashtables,legalize-tf,canonicalize,cse,dce")
    got = _run(model, x=np.array([b"c", b"a", b"zz", b"b"], dtype=object))["y"]
    np.testing.assert_array_equal(got, np.array([b"x", b"x", b"?", b"y"], dtype=object))
