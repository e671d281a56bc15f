"""Select TF ops, strings, dynamic shapes, stateful variables and zero-input signatures."""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as fb
from ai_edge_litert.interpreter import Interpreter

import tflc
from tflc.backend.flex import decode_custom_options
from tflc.backend.strings import pack_strings, unpack_strings
from tflc.errors import TflcError


def _convert(path, select: bool = False) -> bytes:
    converter = tflc.Converter.from_saved_model(path)
    if select:
        converter.target_spec.supported_ops = {tflc.OpsSet.TFLITE_BUILTINS, tflc.OpsSet.SELECT_TF_OPS}
    return converter.convert()


def _flex_ops(model: bytes) -> dict[str, tuple[str, object]]:
    m = fb.ModelT.InitFromPackedBuf(model, 0)
    ops = {}
    for subgraph in m.subgraphs:
        for op in subgraph.operators:
            code = m.operatorCodes[op.opcodeIndex].customCode
            if code:
                ops[code.decode()] = decode_custom_options(bytes(op.customOptions))
    return ops


def test_counter_state_persists_and_is_shared(issue5_models) -> None:
    interpreter = Interpreter(model_content=_convert(issue5_models / "counter"))
    assert interpreter.get_signature_list() == {
        "peek": {"inputs": [], "outputs": ["count"]},
        "reset": {"inputs": ["value"], "outputs": ["count"]},
        "step": {"inputs": ["x"], "outputs": ["count", "y"]},
    }
    step = interpreter.get_signature_runner("step")
    peek = interpreter.get_signature_runner("peek")
    reset = interpreter.get_signature_runner("reset")
    x = np.array([1.0, 3.0], np.float32)
    assert float(peek()["count"]) == 0.0  # zero-input signature runs
    for n in (1, 2, 3):
        out = step(x=x)
        assert float(out["count"]) == n
        np.testing.assert_allclose(out["y"], x * [1.0, 2.0] * n)
    assert float(peek()["count"]) == 3.0
    assert float(reset(value=np.float32(10))["count"]) == 10.0
    assert float(step(x=x)["count"]) == 11.0


def test_variable_ops_are_exported(issue5_models) -> None:
    model = fb.ModelT.InitFromPackedBuf(_convert(issue5_models / "counter"), 0)
    codes = {fb_name(c.builtinCode) for c in model.operatorCodes}
    assert {"VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "CALL_ONCE"} <= codes
    assert len(model.subgraphs) == 4  # three signatures + the initializer


def fb_name(code: int) -> str:
    return {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}[code]


def test_train_step_and_infer_share_weights(issue5_models) -> None:
    interpreter = Interpreter(model_content=_convert(issue5_models / "trainer"))
    train = interpreter.get_signature_runner("train_step")
    infer = interpreter.get_signature_runner("infer")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    y = rng.standard_normal((5, 2)).astype(np.float32)
    w = np.arange(8, dtype=np.float32).reshape(4, 2) / 10
    b = np.zeros(2, np.float32)
    for _ in range(3):
        err = x @ w + b - y
        loss = train(x=x, y=y)["loss"]
        np.testing.assert_allclose(loss, np.mean(err**2), rtol=1e-5)
        w = w - 0.1 * x.T @ err
        b = b - 0.1 * err.sum(0)
    np.testing.assert_allclose(infer(x=x[:2])["pred"], x[:2] @ w + b, rtol=1e-5, atol=1e-6)


def test_dynamic_batch_resize(issue5_models) -> None:
    model = _convert(issue5_models / "dense")
    interpreter = Interpreter(model_content=model)
    runner = interpreter.get_signature_runner()
    details = runner.get_input_details()["x"]
    assert list(details["shape_signature"]) == [-1, 4]
    rng = np.random.default_rng(5)
    w = rng.standard_normal((4, 3)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    for batch in (1, 5, 2):
        x = np.random.default_rng(batch).standard_normal((batch, 4)).astype(np.float32)
        h = np.maximum(x @ w + b, 0)
        expected = np.exp(h) / np.exp(h).sum(-1, keepdims=True)
        np.testing.assert_allclose(runner(x=x)["out"], expected, rtol=1e-5, atol=1e-6)
    # the traced batch is not baked into the shapes
    m = fb.ModelT.InitFromPackedBuf(model, 0)
    assert all(t.shapeSignature is None or -1 in list(t.shapeSignature) or len(t.shape) < 2
               for t in m.subgraphs[0].tensors if t.buffer == 0)


def test_resize_tensor_input_and_allocate(issue5_models) -> None:
    interpreter = Interpreter(model_content=_convert(issue5_models / "dense"))
    index = interpreter.get_input_details()[0]["index"]
    interpreter.resize_tensor_input(index, [5, 4])
    interpreter.allocate_tensors()
    interpreter.set_tensor(index, np.ones((5, 4), np.float32))
    interpreter.invoke()
    assert interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).shape == (5, 3)


def test_encode_decode_select_tf_ops(issue5_models) -> None:
    model = _convert(issue5_models / "encode_decode", select=True)
    assert Interpreter(model_content=model).get_signature_list() == {
        "decode": {"inputs": ["x"], "outputs": ["decoded_result"]},
        "encode": {"inputs": ["x"], "outputs": ["encoded_result"]},
    }
    ours = _flex_ops(model)
    theirs = _flex_ops((issue5_models / "tf_encode_decode.tflite").read_bytes())
    assert sorted(ours) == sorted(theirs) == ["FlexAsString", "FlexStringToNumber"]
    for code, (name, node) in ours.items():
        their_name, their_node = theirs[code]
        assert name == their_name and node.op == their_node.op
        assert dict(node.attr) == dict(their_node.attr), code
        assert len(node.input) == len(their_node.input)


def test_select_tf_ops_required(issue5_models) -> None:
    with pytest.raises(TflcError, match=r"tf.AsString x1 \(first at node 'AsString'\)"):
        _convert(issue5_models / "encode_decode")


def test_string_constants_and_io(issue5_models) -> None:
    model = _convert(issue5_models / "greeter", select=True)
    interpreter = Interpreter(model_content=model)
    assert interpreter.get_signature_list() == {"greet": {"inputs": ["name"], "outputs": ["greeting"]}}
    details = interpreter.get_signature_runner("greet").get_input_details()["name"]
    assert details["dtype"] == np.bytes_
    m = fb.ModelT.InitFromPackedBuf(model, 0)
    constants = [
        unpack_strings(m.buffers[t.buffer].data)
        for t in m.subgraphs[0].tensors
        if t.buffer and t.type == fb.TensorType.STRING
    ]
    assert sorted(constants) == [[b"!"], [b"hello "]]
    assert "FlexStringJoin" in _flex_ops(model)


def test_string_buffer_layout() -> None:
    strings = [b"", b"a", "héllo".encode(), b"x" * 300]
    packed = pack_strings(strings)
    assert packed[:4] == (4).to_bytes(4, "little")
    assert unpack_strings(packed) == strings
    with pytest.raises(TflcError):
        unpack_strings(packed[:10])


def test_static_shape_forcing_op_is_reported() -> None:
    module = tflc.parse_module(
        """
        func.func @main(%x: tensor<?x4xf32>) -> tensor<2x2xf32> {
          %s = "tf.Const"() {value = dense<[2, 2]> : tensor<2xi32>} : () -> tensor<2xi32>
          %0 = "tf.Reshape"(%x, %s) : (tensor<?x4xf32>, tensor<2xi32>) -> tensor<2x2xf32> loc("model/flatten")
          func.return %0 : tensor<2x2xf32>
        }
        """
    )
    converter = tflc.Converter.from_module(module)
    converter.convert()
    [warning] = converter.report.warnings
    assert "node 'model/flatten' fixes the dynamic shape" in warning
    assert "warning:" in converter.report.summary()


def test_encode_decode_from_concrete_functions() -> None:
    """The seed's string model through from_concrete_functions keeps both keys (TF's renames them)."""
    import tensorflow as tf

    class Model(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
        def encode(self, x):
            return {"encoded_result": tf.strings.as_string(x)}

        @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.string)])
        def decode(self, x):
            return {"decoded_result": tf.strings.to_number(x)}

    model = Model()
    converter = tflc.Converter.from_concrete_functions(
        [model.encode.get_concrete_function(), model.decode.get_concrete_function()], model
    )
    converter.target_spec.supported_ops = {tflc.OpsSet.TFLITE_BUILTINS, tflc.OpsSet.SELECT_TF_OPS}
    data = converter.convert()
    assert Interpreter(model_content=data).get_signature_list() == {
        "decode": {"inputs": ["x"], "outputs": ["decoded_result"]},
        "encode": {"inputs": ["x"], "outputs": ["encoded_result"]},
    }
    assert sorted(_flex_ops(data)) == ["FlexAsString", "FlexStringToNumber"]


def test_gather_from_read_only_variable_is_frozen(issue5_models) -> None:
    converter = tflc.Converter.from_saved_model(issue5_models / "embedding")
    model = converter.convert()
    assert converter.report.op_histogram == {"gather": 1}
    ids = np.array([[1, 9], [0, 3], [2, 2]], np.int32)
    out = Interpreter(model_content=model).get_signature_runner("lookup")(ids=ids)["vectors"]
    np.testing.assert_array_equal(out, np.arange(30, dtype=np.float32).reshape(10, 3)[ids])


def test_flex_node_def_attribute_kinds() -> None:
    """Attribute kinds survive into the Flex NodeDef: lists, types, strings, defaults."""
    from tflc.backend.flex import node_def
    from tflc.dialects.tf import tf_op_name

    module = tflc.parse_module(
        """
        func.func @main(%x: tensor<1x3xf32>) -> tensor<3xf32> {
          %0 = "tf.Squeeze"(%x) {T = f32, squeeze_dims = [0]} : (tensor<1x3xf32>) -> tensor<3xf32> loc("s")
          func.return %0 : tensor<3xf32>
        }
        """
    )
    [op] = [o for o in module.walk() if tf_op_name(o) == "tf.Squeeze"]
    node = node_def(op)
    assert node.op == "Squeeze" and list(node.input) == [""]
    assert list(node.attr["squeeze_dims"].list.i) == [0]
    assert node.attr["T"].type == 1  # DT_FLOAT
    assert list(node.experimental_debug_info.original_node_names) == ["s"]
