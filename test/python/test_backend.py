"""Export and import of TFLite FlatBuffers: signatures, numerics, determinism, errors."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import mlir_to_tflite, run_signature, signature_list

from tflc.backend.export import export_module
from tflc.backend.importer import import_model
from tflc.errors import TflcError
from tflc.ir import module_to_text, parse_module

ADD_SUB = """
module attributes {tf_saved_model.semantics} {
  func.func @add(%a: tensor<?x4xf32> {tf_saved_model.index_path = ["input1"]},
                 %b: tensor<?x4xf32> {tf_saved_model.index_path = ["input2"]})
      -> (tensor<?x4xf32> {tf_saved_model.index_path = ["result"]})
      attributes {tf_saved_model.exported_names = ["add"]} {
    %0 = "tf.AddV2"(%a, %b) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    func.return %0 : tensor<?x4xf32>
  }
  func.func @sub(%a: tensor<?x4xf32> {tf_saved_model.index_path = ["input1"]},
                 %b: tensor<?x4xf32> {tf_saved_model.index_path = ["input2"]})
      -> (tensor<?x4xf32> {tf_saved_model.index_path = ["result"]})
      attributes {tf_saved_model.exported_names = ["sub"]} {
    %0 = "tf.Sub"(%a, %b) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    func.return %0 : tensor<?x4xf32>
  }
}
"""


def test_two_signatures_add_sub() -> None:
    model = mlir_to_tflite(ADD_SUB)
    assert signature_list(model) == {
        "add": {"inputs": ["input1", "input2"], "outputs": ["result"]},
        "sub": {"inputs": ["input1", "input2"], "outputs": ["result"]},
    }
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 4)).astype(np.float32)
    y = rng.standard_normal((1, 4)).astype(np.float32)
    np.testing.assert_array_equal(run_signature(model, "add", input1=x, input2=y)["result"], x + y)
    np.testing.assert_array_equal(run_signature(model, "sub", input1=x, input2=y)["result"], x - y)


def test_dynamic_batch_resizes() -> None:
    from ai_edge_litert.interpreter import Interpreter

    model = mlir_to_tflite(ADD_SUB)
    interpreter = Interpreter(model_content=model)
    details = interpreter.get_signature_runner("add").get_input_details()
    assert list(details["input1"]["shape_signature"]) == [-1, 4]
    x = np.arange(20, dtype=np.float32).reshape(5, 4)
    out = interpreter.get_signature_runner("add")(input1=x, input2=x)
    np.testing.assert_array_equal(out["result"], 2 * x)


def test_graph_io_tensors_are_named_by_signature() -> None:
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_content=mlir_to_tflite(ADD_SUB))
    names = {d["name"] for d in interpreter.get_input_details()} | {
        d["name"] for d in interpreter.get_output_details()
    }
    assert names <= {"input1", "input2", "result"}


def test_export_is_deterministic() -> None:
    assert mlir_to_tflite(ADD_SUB) == mlir_to_tflite(ADD_SUB)


def test_constants_are_deduplicated_and_aligned() -> None:
    text = """
    func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
      %c1 = "tfl.pseudo_const"() <{value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
      %c2 = "tfl.pseudo_const"() <{value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
      %0 = tfl.add %x, %c1 {fused_activation_function = "NONE"} : tensor<4xf32>
      %1 = tfl.mul %x, %c2 {fused_activation_function = "NONE"} : tensor<4xf32>
      func.return %0, %1 : tensor<4xf32>, tensor<4xf32>
    }
    """
    from ai_edge_litert import schema_py_generated as fb

    model_bytes = mlir_to_tflite(text, passes="")
    model = fb.ModelT.InitFromPackedBuf(model_bytes, 0)
    assert len(model.buffers[0].data if model.buffers[0].data is not None else []) == 0
    data_buffers = [b for b in model.buffers if b.data is not None and len(b.data)]
    # one shared weight buffer + the min_runtime_version metadata buffer
    assert len(data_buffers) == 2
    tensors = model.subgraphs[0].tensors
    weight_buffers = {t.buffer for t in tensors if t.buffer}
    assert len(weight_buffers) == 1
    raw = fb.Model.GetRootAsModel(model_bytes, 0)
    data = raw.Buffers(weight_buffers.pop()).DataAsNumpy()
    offset = data.ctypes.data - np.frombuffer(model_bytes, np.uint8).ctypes.data
    assert offset % 16 == 0
    x = np.array([1, 1, 1, 1], np.float32)
    out = run_signature(model_bytes, "serving_default", arg0=x)
    np.testing.assert_array_equal(out["output_0"], x + [1, 2, 3, 4])
    np.testing.assert_array_equal(out["output_1"], x * [1, 2, 3, 4])
    assert [m.name for m in model.metadata] == [b"min_runtime_version"]


def test_roundtrip_mlir_tflite_mlir() -> None:
    model = mlir_to_tflite(ADD_SUB)
    module = import_model(model, "m.tflite")
    text = module_to_text(module)
    assert 'tf_saved_model.exported_names = ["add"]' in text
    assert "tensor<?x4xf32>" in text
    assert export_module(parse_module(text)) == model


def test_corrupt_tflite_is_reported() -> None:
    model = mlir_to_tflite(ADD_SUB)
    for bad in (model[:200], model[:7], b"\0" * 64, model[:4] + b"XXXX" + model[8:]):
        with pytest.raises(TflcError, match="bad.tflite"):
            import_model(bad, "bad.tflite")


def test_unsupported_op_fails_export_with_location() -> None:
    module = parse_module(
        """
        func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
          %0 = "tf.Unknown"(%a) : (tensor<2xf32>) -> tensor<2xf32> loc("net/unknown")
          func.return %0 : tensor<2xf32>
        }
        """
    )
    with pytest.raises(TflcError, match=r"tf.Unknown x1 \(first at node 'net/unknown'\)"):
        export_module(module)


def test_buffers_after_the_flatbuffer(tmp_path) -> None:
    """Models too large for a FlatBuffer keep weights after it (offset/size); small threshold here."""
    from ai_edge_litert import schema_py_generated as fb

    from tflc.backend.export import write_model

    text = """
    func.func @main(%x: tensor<2x64xf32>) -> tensor<2x32xf32> {
      %w = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<32x64xf32>}> : () -> tensor<32x64xf32>
      %b = "tfl.pseudo_const"() <{value = dense<0.25> : tensor<32xf32>}> : () -> tensor<32xf32>
      %0 = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "NONE", keep_num_dims = false,
          weights_format = "DEFAULT"}> : (tensor<2x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<2x32xf32>
      func.return %0 : tensor<2x32xf32>
    }
    """
    module = parse_module(text)
    path = tmp_path / "big.tflite"
    size = write_model(module, str(path), external_buffers_above=1024)
    data = path.read_bytes()
    assert size == len(data) == len(export_module(module, external_buffers_above=1024))
    model = fb.ModelT.InitFromPackedBuf(data, 0)
    external = [b for b in model.buffers if b.offset > 1]
    assert len(external) == 4 and all(b.data is None for b in external)  # with buffer_location's
    location = next(m for m in model.metadata if m.name == b"buffer_location")
    offset, size = model.buffers[location.buffer].offset, model.buffers[location.buffer].size
    assert data[offset : offset + size] == b"outside flatbuffers"
    assert all(b.offset % 16 == 0 and b.offset + b.size <= len(data) for b in external)
    x = np.ones((2, 64), np.float32)
    from ai_edge_litert.interpreter import Interpreter

    out = Interpreter(model_path=str(path)).get_signature_runner()(arg0=x)["output_0"]
    np.testing.assert_allclose(out, np.full((2, 32), 64 * 0.5 + 0.25))
    out = Interpreter(model_content=data).get_signature_runner()(arg0=x)["output_0"]  # from memory too
    np.testing.assert_allclose(out, np.full((2, 32), 64 * 0.5 + 0.25))
    # and back: the importer reads buffers stored after the FlatBuffer
    assert export_module(import_model(data, "big.tflite")) == export_module(module)


def test_broadcast_to_with_runtime_shape_loads() -> None:
    """BROADCAST_TO kernels start at version 2: the exported opcode says so."""
    from ai_edge_litert.interpreter import Interpreter

    text = """
    func.func @main(%x: tensor<1x3xf32>, %shape: tensor<2xi32>) -> tensor<?x3xf32> {
      %0 = "tfl.broadcast_to"(%x, %shape) : (tensor<1x3xf32>, tensor<2xi32>) -> tensor<?x3xf32>
      func.return %0 : tensor<?x3xf32>
    }
    """
    model = export_module(parse_module(text))
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    out = Interpreter(model_content=model).get_signature_runner()(arg0=x, arg1=np.array([4, 3], np.int32))
    np.testing.assert_array_equal(out["output_0"], np.broadcast_to(x, (4, 3)))


def test_builder_is_sized_once(monkeypatch) -> None:
    """The FlatBuffer builder starts large enough: regrowing would hold the weights twice."""
    from tflc.backend import schema

    grown: list[int] = []
    original = schema._SharedStringBuilder.GrowByteBuffer
    monkeypatch.setattr(
        schema._SharedStringBuilder, "GrowByteBuffer", lambda self: (grown.append(len(self.Bytes)), original(self))
    )
    lines = [
        "func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {",
        '  %v0 = "tfl.abs"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>',
    ]
    for i in range(1, 400):
        lines.append(
            f'  %c{i} = "tfl.pseudo_const"() <{{value = dense<{i}.0> : tensor<4x8xf32>}}> : () -> tensor<4x8xf32>'
            f' loc("model/a_rather_long_layer_name_{i}/weights")'
        )
        lines.append(
            f'  %v{i} = "tfl.add"(%v{i - 1}, %c{i}) <{{fused_activation_function = "RELU"}}> : '
            f'(tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32> loc("model/a_rather_long_layer_name_{i}/add")'
        )
    lines += ["  func.return %v399 : tensor<4x8xf32>", "}"]
    data = export_module(parse_module("\n".join(lines)))
    assert not grown
    x = np.ones((4, 8), np.float32)
    out = run_signature(data, "serving_default", arg0=x)["output_0"]
    np.testing.assert_allclose(out, 1 + sum(range(1, 400)))
