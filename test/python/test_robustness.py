"""Malformed inputs end in one clear error (exit 1, no traceback, no output); outputs are written safely.

One test per class of defect the fuzzer (test/fuzz) found or issue 13 lists: MLIR text,
.tflite files, SavedModels, options, and output writing.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import flatbuffers
import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as fb

from tflc.frontend.proto import saved_model_pb2, types_pb2
from tflc.tools import convert, opt, translate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "addsub_savedmodel"


def _run(tool, argv: list[str], capsys) -> tuple[int, str, str]:
    rc = tool.main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def _rejected(tool, argv: list[str], capsys, *needles: str, name: str = "tflc") -> str:
    """Run a tool; it must fail with one `error:` message containing every needle."""
    rc, _, err = _run(tool, argv, capsys)
    assert rc == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    assert ": error: " in err, err
    for needle in needles:
        assert needle in err, err
    return err


# ------------------------------------------------------------------ MLIR text

ADD = """func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tfl.abs"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (ADD.encode().replace(b"tfl.abs", b"tfl.\xffabs"), "not UTF-8 text"),
        (b'"test.op"() ({' * 100 + b"}) : () -> ()" * 100, "not registered"),
        (("func.func @f(%a: " + "tensor<" * 150 + "f32" + ">" * 150 + ") { func.return }").encode(), "too deeply"),
        (
            b'func.func @f() {\n %0 = "tfl.pseudo_const"() <{value = dense<1.0e+300> : tensor<f32>}>'
            b" : () -> tensor<f32>\n}",
            "bad dense literal",
        ),
        (
            b'func.func @f() {\n %0 = "tfl.pseudo_const"() <{value = dense<[1, 300]> : tensor<2xi8>}>'
            b" : () -> tensor<2xi8>\n}",
            "out of range",
        ),
        (b'"tfl.abs"() {a = 1.0e+300 : f32} : () -> ()', "bad number"),
        (b'"tfl.abs"() {a = 300 : i8} : () -> ()', "bad number"),
        (ADD.replace("func.return %0", "func.return %9").encode(), "undefined"),
        (ADD.replace("2xf32", "1099511627776x1099511627776xf32").encode(), "a shape of more than 2^63-1 elements"),
        (ADD.replace("2xf32", "x".join(["1"] * 65) + "xf32").encode(), "a shape of more than 64 dimensions"),
        (b'"tfl.abs"() {a = array<f32: 1.0e+300>} : () -> ()', "bad dense array"),
        (b'"tfl.abs"() {a = dense<[(3.0, -4.0)]> : tensor<1xcomplex<ui8>>} : () -> ()', "bad dense literal"),
        (b'"tfl.abs"() {a = 1.0 : f80} : () -> ()', "cannot hold values of its type"),
        (b'"tfl.abs"() {a = dense<1.0> : tensor<2xf128>} : () -> ()', "cannot hold values of its element type"),
        (b'"tfl.abs"() {a = array<f80: 1.0>} : () -> ()', "cannot hold values of its element type"),
        (
            b'func.func @f() {\n %0 = "tf.Const"() {value = dense<[1, 2]> : tensor<2xindex>}'
            b" : () -> tensor<2xindex>\n func.return\n}",
            "element type index is not a TensorFlow data type",
        ),
        (  # jaxlib's parser, tflc's fallback for StableHLO's pretty form, would allocate 16 GB here
            b'func.func @f(%x: tensor<1x4x4x1xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32> {\n'
            b"  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[2147483647, 1, i, o]->[b, 0, 1, f],"
            b" window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64}"
            b" : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>\n"
            b"  func.return %0 : tensor<1x4x4x1xf32>\n}",
            "does not have a custom format",
        ),
    ],
    ids=[
        "non-utf8",
        "nested-regions",
        "nested-types",
        "float-overflow",
        "int-overflow",
        "scalar-float-overflow",
        "scalar-int-overflow",
        "undefined-value",
        "too-many-elements",
        "rank-past-64",
        "dense-array-overflow",
        "unsigned-complex-overflow",
        "f80-number",
        "f128-dense",
        "f80-dense-array",
        "tf-const-index",
        "conv-layout-index",
    ],
)
def test_bad_mlir_text(tmp_path: Path, capsys, text: bytes, needle: str) -> None:
    path = tmp_path / "in.mlir"
    path.write_bytes(text)
    _rejected(opt, [str(path), "-o", str(tmp_path / "out.mlir")], capsys, needle, str(path))
    assert not (tmp_path / "out.mlir").exists()


def test_regions_nested_past_the_limit_are_refused(tmp_path: Path, capsys) -> None:
    body = "func.func @f() {\n" + '"tfl.while"() ({\n' * 70 + "})" * 70 + "func.return\n}\n"
    path = tmp_path / "in.mlir"
    path.write_text(body)
    rc, _, err = _run(opt, [str(path)], capsys)
    assert rc == 1 and "internal error" not in err


def test_unterminated_string_lexes_in_linear_time(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.mlir"
    # 200,000 characters: milliseconds when linear, never ending when exponential (as it was at 40)
    path.write_text('func.func @f() { "tfl.abs"() {a = "' + "a" * 200_000 + "} : () -> ()")
    _rejected(opt, [str(path)], capsys, "closing string literal")


def test_use_before_definition_is_a_verifier_error(tmp_path: Path, capsys) -> None:
    text = """func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %1 = "tfl.add"(%0, %a) <{fused_activation_function = "NONE"}> : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %0 = "tfl.abs"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
"""
    path = tmp_path / "in.mlir"
    path.write_text(text)
    err = _rejected(
        translate,
        ["--mlir-to-tflite", str(path), "-o", str(tmp_path / "o.tflite")],
        capsys,
        "used before it is defined",
        f"{path}:2:3",
    )
    assert "'tfl.add'" in err
    assert not (tmp_path / "o.tflite").exists()


def test_dominance_check_is_linear() -> None:
    """100,000 chained ops: a check quadratic in the op count would not end in the suite's time."""
    from xdsl.dialects.builtin import ModuleOp, TensorType, f32
    from xdsl.ir import Block, Region

    from tflc.dialects import tfl
    from tflc.errors import TflcError
    from tflc.ir import check_dominance

    block = Block(arg_types=[TensorType(f32, [2])])
    value = block.args[0]
    for _ in range(100_000):
        op = tfl.AbsOp.build([value], [value.type])
        block.add_op(op)
        value = op.results[0]
    module = ModuleOp(Region([block]))
    check_dominance(module)
    second = block.first_op.next_op if block.first_op else None
    assert second is not None
    second.detach()
    block.add_op(second)  # now defined after the op that uses it
    with pytest.raises(TflcError, match="used before it is defined"):
        check_dominance(module)


def test_range_with_zero_delta(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.mlir"
    path.write_text("""func.func @f() -> tensor<?xf32> {
  %a = "tf.Const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %b = "tf.Const"() {value = dense<4.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.Range"(%a, %b, %a) {Tidx = f32} : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  func.return %0 : tensor<?xf32>
}
""")
    _rejected(opt, [str(path), "-p", "legalize-tf"], capsys, "delta 0", f"{path}:4:3")


def test_huge_dimension_is_refused_at_export(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.mlir"
    path.write_text(ADD.replace("2xf32", "9223372036854775807xf32"))
    _rejected(translate, ["--mlir-to-tflite", str(path), "-o", str(tmp_path / "o.tflite")], capsys, "below 2^31")


def test_invalid_op_shapes_are_refused_before_writing(tmp_path: Path, capsys) -> None:
    """An add of shapes that do not broadcast verifies, but the runtime refuses it: no model is
    written, also when another signature holds a custom op ai-edge-litert has no kernel for."""
    path = tmp_path / "in.mlir"
    bad = """
  func.func @bad(%x: tensor<2xf32> {tf_saved_model.index_path = ["x"]},
                 %y: tensor<3xf32> {tf_saved_model.index_path = ["y"]})
      -> (tensor<3xf32> {tf_saved_model.index_path = ["z"]}) attributes {tf_saved_model.exported_names = ["bad"]} {
    %0 = "tfl.add"(%x, %y) <{fused_activation_function = "NONE"}> : (tensor<2xf32>, tensor<3xf32>) -> tensor<3xf32>
    func.return %0 : tensor<3xf32>
  }"""
    custom = """
  func.func @custom(%x: tensor<2xf32> {tf_saved_model.index_path = ["x"]})
      -> (tensor<2xf32> {tf_saved_model.index_path = ["z"]}) attributes {tf_saved_model.exported_names = ["custom"]} {
    %0 = "tfl.custom"(%x) <{custom_code = "MyOp", custom_option = ""}> : (tensor<2xf32>) -> tensor<2xf32>
    func.return %0 : tensor<2xf32>
  }"""
    out = tmp_path / "o.tflite"
    argv = ["--mlir-to-tflite", str(path), "-o", str(out)]
    for body in (bad, custom + bad, bad + custom):
        path.write_text(f"module attributes {{tf_saved_model.semantics}} {{{body}\n}}\n")
        _rejected(translate, argv, capsys, "the TFLite runtime rejects the model tflc built", "XNNPack")
        assert not out.exists()
    path.write_text(f"module attributes {{tf_saved_model.semantics}} {{{custom}\n}}\n")  # not judged: written
    assert _run(translate, argv, capsys)[0] == 0 and out.exists()


def test_index_path_of_other_attributes_is_refused(tmp_path: Path, capsys) -> None:
    """A signature name path (tf_saved_model.index_path) lists strings and integers."""
    path = tmp_path / "in.mlir"
    path.write_text(
        "module attributes {tf_saved_model.semantics} {\n"
        '  func.func @f(%a: tensor<2xf32> {tf_saved_model.index_path = [none]}) -> tensor<2xf32>\n'
        '      attributes {tf_saved_model.exported_names = ["f"]} {\n'
        "    %0 = \"tfl.abs\"(%a) : (tensor<2xf32>) -> tensor<2xf32>\n"
        "    func.return %0 : tensor<2xf32>\n  }\n}\n"
    )
    needles = ("in.mlir:2:3: @f: tf_saved_model.index_path holds none", "lists strings and integers")
    _rejected(translate, ["--mlir-to-tflite", str(path), "-o", str(tmp_path / "o.tflite")], capsys, *needles)


# ------------------------------------------------------------------ .tflite files


@pytest.fixture(scope="module")
def addsub_tflite() -> bytes:
    from tflc.converter import Converter

    return bytes(Converter.from_saved_model(str(EXAMPLE)).convert())


def _edit(data: bytes, change) -> bytes:
    model = fb.ModelT.InitFromPackedBuf(data, 0)
    change(model)
    builder = flatbuffers.Builder(len(data) + 1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _const_tensor(model: fb.ModelT) -> fb.TensorT:
    for sub in model.subgraphs:
        for t in sub.tensors:
            if t.buffer and model.buffers[t.buffer].data is not None:
                return t
    raise AssertionError("no constant")


def _with_constant(data: bytes) -> bytes:
    """The model with its first operator's second input replaced by a [1, 4] float constant."""

    def change(model: fb.ModelT) -> None:
        sub = model.subgraphs[0]
        buffer = fb.BufferT()
        buffer.data = np.frombuffer(np.ones(4, np.float32).tobytes(), np.uint8)
        model.buffers.append(buffer)
        tensor = fb.TensorT()
        tensor.shape, tensor.type, tensor.buffer, tensor.name = (
            [1, 4],
            fb.TensorType.FLOAT32,
            len(model.buffers) - 1,
            "c",
        )
        sub.tensors.append(tensor)
        sub.operators[0].inputs = [sub.operators[0].inputs[0], len(sub.tensors) - 1]

    return _edit(data, change)


def _set_name(model: fb.ModelT) -> None:
    _const_tensor(model).name = b"c\xff"


def _short_buffer(model: fb.ModelT) -> None:
    tensor = _const_tensor(model)
    model.buffers[tensor.buffer].data = model.buffers[tensor.buffer].data[:3]


def _huge_shape(model: fb.ModelT) -> None:
    _const_tensor(model).shape = [100000, 100000, 100000]


def _bad_input_index(model: fb.ModelT) -> None:
    model.subgraphs[0].inputs = [0, 999]


def _while_without_options(model: fb.ModelT) -> None:
    model.operatorCodes[0].builtinCode = model.operatorCodes[0].deprecatedBuiltinCode = fb.BuiltinOperator.WHILE
    for op in model.subgraphs[0].operators:
        op.builtinOptionsType, op.builtinOptions = 0, None


def _wrong_options(model: fb.ModelT) -> None:
    op = model.subgraphs[0].operators[0]
    op.builtinOptionsType, op.builtinOptions = fb.BuiltinOptions.ConcatenationOptions, fb.ConcatenationOptionsT()


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (_set_name, "not UTF-8"),
        (_short_buffer, "needs 16 bytes but its buffer holds 3"),
        (_huge_shape, "but its buffer holds 16"),
        (_bad_input_index, "input 999"),
        (_while_without_options, "has no options"),
        (_wrong_options, "ConcatenationOptions"),
    ],
    ids=["non-utf8-name", "short-buffer", "huge-shape", "input-index", "while-without-options", "wrong-options"],
)
def test_corrupt_tflite(tmp_path: Path, capsys, addsub_tflite: bytes, change, needle: str) -> None:
    data = _edit(_with_constant(addsub_tflite), change)
    path = tmp_path / "in.tflite"
    path.write_bytes(data)
    _rejected(translate, ["--tflite-to-mlir", str(path), "-o", str(tmp_path / "out.mlir")], capsys, needle, str(path))
    assert not (tmp_path / "out.mlir").exists()


def test_custom_and_flex_ops_round_trip(tmp_path: Path, issue5_models: Path) -> None:
    """A .tflite with Flex ops written by TensorFlow reads back and writes out with the same ops."""
    from tflc.backend.export import export_module
    from tflc.backend.importer import import_model
    from tflc.ir import module_to_text, parse_module, verify_module

    theirs = (issue5_models / "tf_encode_decode.tflite").read_bytes()
    text = module_to_text(import_model(theirs, "tf_encode_decode.tflite"))
    assert '"tfl.custom"' in text and 'custom_code = "FlexAsString"' in text
    module = parse_module(text)
    verify_module(module)
    ours = export_module(module)

    def ops(data: bytes) -> list[tuple[str, bytes]]:
        model = fb.ModelT.InitFromPackedBuf(data, 0)
        codes = model.operatorCodes
        return sorted(
            (codes[op.opcodeIndex].customCode, bytes(op.customOptions))
            for sub in model.subgraphs
            for op in sub.operators
        )

    assert ops(ours) == ops(theirs)

    def interface(data: bytes) -> list:
        """Each signature's key and its inputs' and outputs' names, types and shapes."""
        model = fb.ModelT.InitFromPackedBuf(data, 0)
        out = []
        for sig in model.signatureDefs:
            tensors = model.subgraphs[sig.subgraphIndex].tensors
            out.append(
                (
                    sig.signatureKey,
                    [
                        (
                            m.name,
                            tensors[m.tensorIndex].type,
                            list(
                                tensors[m.tensorIndex].shapeSignature
                                if tensors[m.tensorIndex].shapeSignature is not None
                                else tensors[m.tensorIndex].shape
                            ),
                        )
                        for m in [*sig.inputs, *sig.outputs]
                    ],
                )
            )
        return sorted(out)

    # Flex kernels are not in ai-edge-litert (nor in tensorflow-cpu's interpreter), so the round
    # trip is checked on everything the runtime reads: operators, option bytes and signatures.
    assert interface(ours) == interface(theirs)


# ------------------------------------------------------------------ SavedModels


def _saved_model(tmp_path: Path, edit) -> Path:
    out = tmp_path / "m"
    shutil.copytree(EXAMPLE, out)
    sm = saved_model_pb2.SavedModel.FromString((out / "saved_model.pb").read_bytes())
    functions = {f.signature.name: f for f in sm.meta_graphs[0].graph_def.library.function}
    edit(sm, functions)
    (out / "saved_model.pb").write_bytes(sm.SerializeToString())
    return out


def _self_call(sm, functions) -> None:
    node = functions["__inference_add_6"].node_def[0]
    node.op = "PartitionedCall"
    node.attr["f"].func.name = "__inference_add_6"
    node.attr["Tin"].list.type.extend([types_pb2.DT_FLOAT, types_pb2.DT_FLOAT])
    node.attr["Tout"].list.type.append(types_pb2.DT_FLOAT)


def _unknown_dtype(sm, functions) -> None:
    functions["__inference_add_6"].signature.input_arg[0].type = types_pb2.DT_QINT32


def _short_content(sm, functions) -> None:
    node = functions["__inference_add_6"].node_def[0]
    node.op = "Const"
    del node.input[:]
    node.attr["dtype"].type = types_pb2.DT_FLOAT
    tensor = node.attr["value"].tensor
    tensor.dtype = types_pb2.DT_FLOAT
    tensor.tensor_shape.dim.add(size=1)
    tensor.tensor_shape.dim.add(size=4)
    tensor.tensor_content = b"\0\0\0\0"


def _huge_fill(sm, functions) -> None:
    _short_content(sm, functions)
    tensor = functions["__inference_add_6"].node_def[0].attr["value"].tensor
    tensor.tensor_content = b""
    tensor.tensor_shape.dim[1].size = 2**31 - 1
    tensor.float_val.append(1.0)


def _lost_output(sm, functions) -> None:
    functions["__inference_add_6"].ret.clear()


def _missing_input(sm, functions) -> None:
    del functions["__inference_add_6"].node_def[0].input[1]


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (_self_call, "calls itself"),
        (_unknown_dtype, "DataType"),
        (_short_content, "tensor_content holds 4 bytes"),
        (_huge_fill, "tensor<1x2147483647xf32>"),  # kept a splat: refused by type, not allocated
        (_lost_output, "does not return"),
        (_missing_input, "takes 2 input(s) but has 1"),
    ],
    ids=["self-call", "unknown-dtype", "short-content", "huge-fill", "lost-output", "missing-input"],
)
def test_corrupt_saved_model(tmp_path: Path, capsys, edit, needle: str) -> None:
    model = _saved_model(tmp_path, edit)
    _rejected(
        convert,
        ["--saved-model-dir", str(model), "--output-file", str(tmp_path / "o.tflite"), "-q"],
        capsys,
        needle,
        "saved_model.pb",
    )
    assert not (tmp_path / "o.tflite").exists()


# ------------------------------------------------------------------ frozen GraphDefs and TensorProto text


def _nested_attr_graph(depth: int) -> str:
    """A text GraphDef whose Identity carries a func attribute nested `depth` levels deep."""
    nested = 'func { name: "f" attr { key: "k" value { ' * depth + "} } } " * depth
    return (
        'node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
        'attr { key: "shape" value { shape { dim { size: 2 } } } } }\n'
        'node { name: "y" op: "Identity" input: "x" attr { key: "T" value { type: DT_FLOAT } } '
        f'attr {{ key: "a" value {{ {nested}}} }} }}\n'
    )


@pytest.mark.parametrize("depth", [40, 3000])
def test_text_graph_def_nested_too_deeply(tmp_path: Path, capsys, depth: int) -> None:
    """Past the binary decoder's nesting limit (which copying applies), or past Python's
    recursion limit in the text parser: one clear error, no output."""
    path = tmp_path / "deep.pbtxt"
    path.write_text(_nested_attr_graph(depth))
    out = tmp_path / "out.tflite"
    argv = ["--graph-def-file", str(path), "--input-arrays", "x", "--output-arrays", "y", "--output-file", str(out)]
    _rejected(convert, argv, capsys, "deep.pbtxt: cannot parse the GraphDef: its messages nest too deeply")
    assert not out.exists()
    path.write_text(_nested_attr_graph(10))
    assert _run(convert, [*argv, "-q"], capsys)[0] == 0


@pytest.mark.parametrize("depth", [60, 3000])
def test_tensor_proto_text_nested_too_deeply(tmp_path: Path, capsys, depth: int) -> None:
    """A `tftensor$` TensorProto nesting variants past the decoder's limits is refused, naming the op."""
    text = "tftensor$dtype: DT_VARIANT\n" + "variant_val { tensors { dtype: DT_VARIANT " * depth + "} }" * depth
    path = tmp_path / "deep.mlir"
    path.write_text(
        "func.func @main() -> tensor<f32> {\n"
        f'  %0 = "tf.Const"() {{value = #tf_type<tensor_proto : "0x{text.encode().hex()}"> : tensor<f32>}}'
        " : () -> tensor<f32>\n  func.return %0 : tensor<f32>\n}\n"
    )
    _rejected(opt, [str(path), "-p", "legalize-tf"], capsys, "deep.mlir:2:3", "holds no valid TensorProto")


# ------------------------------------------------------------------ inputs that are not regular files


def test_endless_inputs_stop_at_the_stream_limit(tmp_path: Path, capsys, monkeypatch) -> None:
    """/dev/zero named as an input (MLIR, .tflite, GraphDef) is read up to the stream limit, then refused."""
    import tflc.limits

    monkeypatch.setattr(tflc.limits, "MAX_STREAM_BYTES", 1 << 20)
    needle = "/dev/zero: the input is not a regular file and goes on past 1048576 bytes"
    _rejected(opt, ["/dev/zero"], capsys, needle)
    _rejected(translate, ["--tflite-to-mlir", "/dev/zero"], capsys, needle)
    out = tmp_path / "out.tflite"
    argv = ["--graph-def-file", "/dev/zero", "--input-arrays", "x", "--output-arrays", "y", "--output-file", str(out)]
    _rejected(convert, argv, capsys, needle)
    assert not out.exists()


def test_a_fifo_in_a_saved_model_is_refused_without_blocking(tmp_path: Path, capsys) -> None:
    """A FIFO saved_model.pb (opening it would wait for a writer forever) or a device as the
    checkpoint index is refused, naming the file."""
    model = tmp_path / "m"
    shutil.copytree(EXAMPLE, model)
    (model / "saved_model.pb").unlink()
    os.mkfifo(model / "saved_model.pb")
    argv = ["--saved-model-dir", str(model), "--output-file", str(tmp_path / "out.tflite")]
    _rejected(convert, argv, capsys, "saved_model.pb: the SavedModel's saved_model.pb is not a regular file")
    (model / "saved_model.pb").unlink()
    shutil.copy(EXAMPLE / "saved_model.pb", model / "saved_model.pb")
    from tflc.errors import TflcError
    from tflc.frontend.checkpoint import Checkpoint

    (model / "variables" / "variables.index").unlink()
    (model / "variables" / "variables.index").symlink_to("/dev/zero")
    with pytest.raises(TflcError, match="variables.index: the checkpoint index is not a regular file"):
        Checkpoint(model / "variables" / "variables")


# ------------------------------------------------------------------ options


@pytest.mark.parametrize("spec", [",", "legalize-tf{", "{}", "legalize-tf{allow-unsupported=maybe}", "nosuch"])
def test_bad_pass_pipelines(tmp_path: Path, capsys, spec: str) -> None:
    path = tmp_path / "in.mlir"
    path.write_text(ADD)
    _rejected(opt, [str(path), "-p", spec], capsys, "bad pass pipeline")


def _npz(**arrays) -> bytes:
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def _npy() -> bytes:
    out = io.BytesIO()
    np.save(out, np.ones((2, 1, 4), np.float32))
    return out.getvalue()


GOOD = np.ones((2, 1, 4), np.float32)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (_npz(**{"add/input1": np.full((2, 1, 4), np.nan, np.float32), "add/input2": GOOD}), "NaN or infinity"),
        (_npz(**{"add/input1": np.ones((2, 7), np.float32), "add/input2": GOOD}), "has shape [7]"),
        (_npz(**{"add/input1": np.ones((2, 1, 4), np.complex64), "add/input2": GOOD}), "dtype complex64"),
        (_npz(**{"add/input1": np.array(1.0, np.float32), "add/input2": GOOD}), "is a scalar"),
        (_npz(**{"add/input1": np.array([["a", "b", "c", "d"]] * 2), "add/input2": GOOD}), "calibration needs numbers"),
        (_npy(), "holds one array"),
        (_npz(**{"add/input1": GOOD, "add/input2": GOOD})[:100], "cannot read representative data"),
        (_npz(), "no samples"),
    ],
    ids=["nan", "shape", "dtype", "0-d", "strings", "npy", "truncated-zip", "empty"],
)
def test_bad_representative_data(tmp_path: Path, capsys, data: bytes, needle: str) -> None:
    path = tmp_path / "data.npz"
    path.write_bytes(data)
    _rejected(
        convert,
        [
            "--saved-model-dir",
            str(EXAMPLE),
            "--output-file",
            str(tmp_path / "o.tflite"),
            "-q",
            "--quantize",
            "int8",
            "--representative-data",
            str(path),
        ],
        capsys,
        needle,
    )
    assert not (tmp_path / "o.tflite").exists()


def test_list_passes_into_a_closed_pipe() -> None:
    tool = Path(sys.executable).parent / "tflc-opt"
    result = subprocess.run(f"'{tool}' --list-passes | head -1", shell=True, capture_output=True, text=True, check=True)
    assert result.stdout.strip() and "Error" not in result.stderr and "internal error" not in result.stderr


def test_export_refusals_name_the_input_file(tmp_path: Path, capsys, issue5_models: Path) -> None:
    """A model export refuses (past --max-model-bytes) names the SavedModel and the TF node."""
    model = issue5_models / "dense"
    target = tmp_path / "m.tflite"
    argv = ["--saved-model-dir", str(model), "--output-file", str(target), "-q", "--max-model-bytes", "16"]
    rc, _, err = _run(convert, argv, capsys)
    assert rc == 1
    assert err.startswith(f"tflc-convert: error: {model}/saved_model.pb: node '"), err
    assert "more than the model size limit of 16 bytes" in err and "--max-model-bytes" in err
    assert not target.exists()


# ------------------------------------------------------------------ output writing


def test_output_to_a_device_node_keeps_the_device(tmp_path: Path, capsys) -> None:
    """`-o /dev/null` must write to the device, not replace it (a node of our own, so a
    /dev/null broken by something else cannot fail this test)."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    rc, _, err = _run(convert, ["--saved-model-dir", str(EXAMPLE), "--output-file", str(null), "-q"], capsys)
    assert rc == 0, err
    after = os.stat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == os.makedev(1, 3)
    assert not list(tmp_path.glob(".tflc-*"))


def test_output_to_a_fifo_streams_into_it(tmp_path: Path, capsys) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    rc, _, err = _run(convert, ["--saved-model-dir", str(EXAMPLE), "--output-file", str(fifo), "-q"], capsys)
    reader.join(timeout=30)
    assert rc == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and received[0][4:8] == b"TFL3"


def test_output_through_a_symlink_writes_its_target(tmp_path: Path, capsys) -> None:
    target = tmp_path / "real.tflite"
    target.write_bytes(b"old")
    link = tmp_path / "link.tflite"
    link.symlink_to(target)
    rc, _, err = _run(convert, ["--saved-model-dir", str(EXAMPLE), "--output-file", str(link), "-q"], capsys)
    assert rc == 0, err
    assert link.is_symlink() and target.read_bytes()[4:8] == b"TFL3"


def test_output_modes(tmp_path: Path, capsys) -> None:
    existing = tmp_path / "existing.tflite"
    existing.write_bytes(b"old")
    existing.chmod(0o640)
    assert _run(convert, ["--saved-model-dir", str(EXAMPLE), "--output-file", str(existing), "-q"], capsys)[0] == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.tflite"
        assert _run(convert, ["--saved-model-dir", str(EXAMPLE), "--output-file", str(fresh), "-q"], capsys)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def test_output_may_not_overwrite_an_input(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.mlir"
    path.write_text(ADD)
    _rejected(opt, [str(path), "-o", str(path)], capsys, "refusing to overwrite the input")
    assert path.read_text() == ADD
    model = tmp_path / "m"
    shutil.copytree(EXAMPLE, model)
    pb = (model / "saved_model.pb").read_bytes()
    _rejected(
        convert,
        ["--saved-model-dir", str(model), "--output-file", str(model / "saved_model.pb"), "-q"],
        capsys,
        "refusing to overwrite",
    )
    assert (model / "saved_model.pb").read_bytes() == pb


def test_output_errors_name_the_users_path(tmp_path: Path, capsys) -> None:
    out = tmp_path / "nodir" / "o.tflite"
    err = _rejected(convert, ["--saved-model-dir", str(EXAMPLE), "--output-file", str(out), "-q"], capsys, str(out))
    assert ".tflc-" not in err
    err = _rejected(
        convert, ["--saved-model-dir", str(EXAMPLE), "--output-file", str(tmp_path), "-q"], capsys, "is a directory"
    )
    assert ".tflc-" not in err and not list(tmp_path.glob(".tflc-*"))


def test_output_dash_is_stdout(tmp_path: Path) -> None:
    path = tmp_path / "in.mlir"
    path.write_text(ADD)
    tool = Path(sys.executable).parent / "tflc-translate"
    result = subprocess.run([str(tool), "--mlir-to-tflite", str(path), "-o", "-"], capture_output=True, check=True)
    assert result.stdout[4:8] == b"TFL3" and not (tmp_path / "-").exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_during_write_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    proc, out = _slow_write(tmp_path, "SIG_DFL")  # as in a terminal session
    proc.send_signal(signum)
    assert proc.wait(timeout=20) == -signum
    assert not list(tmp_path.glob(".tflc-*")) and not out.exists()


def test_hangup_ignored_from_the_start_stays_ignored(tmp_path: Path) -> None:
    """Under nohup (SIGHUP ignored), a hangup does not stop the write."""
    proc, out = _slow_write(tmp_path, "SIG_IGN", pause=2)
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(timeout=20) == 0
    assert out.read_bytes() == b"x" * 1000 + b"y" and not list(tmp_path.glob(".tflc-*"))


def _slow_write(tmp_path: Path, sighup: str, pause: float = 30) -> tuple[subprocess.Popen, Path]:
    """A child writing out.bin through write_atomically, paused mid-write (SIGHUP set to `sighup`)."""
    script = (
        "import signal, sys, time\n"
        f"signal.signal(signal.SIGHUP, signal.{sighup})\n"
        "from tflc.fileio import write_atomically\n"
        "def chunks():\n"
        "    yield b'x' * 1000\n"
        "    print('writing', flush=True)\n"
        f"    time.sleep({pause})\n"
        "    yield b'y'\n"
        "write_atomically(sys.argv[1], chunks())\n"
    )
    out = tmp_path / "out.bin"
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    assert list(tmp_path.glob(".tflc-*.tmp"))
    return proc, out


def test_conv_with_explicit_padding_and_channel_dilation_ends(tmp_path: Path, capsys) -> None:
    """legalize-tf used to emit a tfl.pad, then give up on the dilation, and loop forever."""
    path = tmp_path / "in.mlir"
    path.write_text("""func.func @f(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x2xf32>) -> tensor<1x10x8x2xf32> {
  %0 = "tf.Conv2D"(%x, %w) {T = f32, data_format = "NHWC", dilations = [1, 1, 1, 2], padding = "EXPLICIT",
      explicit_paddings = [0, 0, 2, 2, 1, 1, 0, 0], strides = [1, 1, 1, 1]}
      : (tensor<1x8x8x3xf32>, tensor<3x3x3x2xf32>) -> tensor<1x10x8x2xf32>
  func.return %0 : tensor<1x10x8x2xf32>
}
""")
    _rejected(opt, [str(path), "-p", "legalize-tf"], capsys, "tf.Conv2D x1")  # it used to loop forever


def test_indirect_recursion_is_reported_by_tf_inline(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.mlir"
    path.write_text("""func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.PartitionedCall"(%a) {f = @g} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
func.func private @g(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.PartitionedCall"(%a) {f = @h} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
func.func private @h(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "tf.PartitionedCall"(%a) {f = @g} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
""")
    _rejected(opt, [str(path), "-p", "tf-inline"], capsys, "@g -> @h -> @g")


def test_jaxlib_fallback_refuses_dimension_indices_past_any_rank() -> None:
    """tflc hands StableHLO's pretty form to jaxlib only when its dimension indices are in range."""
    from tflc.dialects.stablehlo import to_generic_form

    def conv(kernel_layout: str) -> str:
        return (
            "func.func @f(%x: tensor<1x4x4x1xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32> {\n"
            f"  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[{kernel_layout}]->[b, 0, 1, f],"
            " window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64}"
            " : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32>\n"
            "  func.return %0 : tensor<1x4x4x1xf32>\n}"
        )

    generic = to_generic_form(conv("0, 1, i, o"))
    assert generic is not None and '"stablehlo.convolution"' in generic
    assert to_generic_form(conv("2147483647, 1, i, o")) is None


def test_errors_in_stablehlo_pretty_form_name_the_users_file_and_line(tmp_path: Path, capsys) -> None:
    """Text parsed through jaxlib keeps the user's file and lines (also in a split file)."""
    path = tmp_path / 'odd "name".mlir'
    path.write_text(
        "func.func @a() {\n  return\n}\n// -----\n"
        "func.func @f(%x: tensor<4xbf16>) -> tensor<4xbf16> {\n"
        "  %0 = stablehlo.log_plus_one %x : tensor<4xbf16>\n"
        "  return %0 : tensor<4xbf16>\n}\n"
    )
    err = _rejected(opt, [str(path), "--split-input-file", "-p", "legalize-stablehlo"], capsys, "'tfl.add'")
    assert f"{path}:6:" in err, err

    from tflc.errors import describe_location
    from tflc.ir import parse_module

    text = (
        "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
        '  %0 = stablehlo.abs %x : tensor<4xf32> loc("model.py":9:2)\n'
        "  return %0 : tensor<4xf32>\n}\n"
    )
    where = [describe_location(op.location) for op in parse_module(text, "m.mlir").walk()]
    assert where[2:] == ["model.py:9:2", "m.mlir:3:3"], where  # the user's own location is kept


def test_a_tf_lowering_that_declines_after_building_leaves_the_ir_as_it_was() -> None:
    """The greedy driver ends when a pattern builds ops and then declines: they are erased."""
    import numpy as np
    from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker
    from xdsl.ir import Operation

    from tflc.ir import module_to_text, parse_module
    from tflc.passes.common import const
    from tflc.passes.legalize_util import TFRewrite

    calls = []

    class BuildsThenDeclines(TFRewrite):
        OPS = ("tf.Neg",)

        def rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
            calls.append(op)
            assert len(calls) < 3, "the driver runs a declined pattern again and again"
            const(rewriter, op, np.array([1, 2], np.int32))  # built, then the lowering gives up

    text = (
        "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
        '  %0 = "tf.Neg"(%x) : (tensor<2xf32>) -> tensor<2xf32>\n'
        "  func.return %0 : tensor<2xf32>\n}\n"
    )
    module = parse_module(text, "in.mlir")
    before = module_to_text(module)
    assert PatternRewriteWalker(BuildsThenDeclines()).rewrite_module(module) is False
    assert module_to_text(module) == before
    assert len(calls) == 1
