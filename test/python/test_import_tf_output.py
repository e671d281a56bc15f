"""Import of TensorFlow's own converter output: tflite -> tfl MLIR -> tflite runs the same."""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

from tflc.backend.export import export_module
from tflc.backend.importer import import_model
from tflc.ir import module_to_text, parse_module, verify_module


@pytest.fixture(scope="module")
def tf_model() -> bytes:
    """A model TensorFlow's converter writes with the ops of tflc's first op set."""
    import tensorflow as tf

    rng = np.random.default_rng(3)
    w = tf.constant(rng.standard_normal((4, 3)).astype(np.float32))
    b = tf.constant(rng.standard_normal((3,)).astype(np.float32))

    @tf.function(input_signature=[tf.TensorSpec([2, 4], tf.float32, name="x")])
    def model(x):
        h = tf.nn.relu(tf.matmul(x, w) + b)
        s = tf.nn.softmax(h * 2.0 - 1.0)
        m = tf.reduce_mean(tf.exp(x), axis=1, keepdims=True)
        c = tf.concat([s, m, tf.sqrt(tf.square(m) + 1.0)], axis=1)
        return {"probs": tf.transpose(tf.reshape(c, [5, 2]))}

    converter = tf.lite.TFLiteConverter.from_concrete_functions([model.get_concrete_function()], model)
    return converter.convert()


def test_tf_output_roundtrips(tf_model: bytes) -> None:
    module = import_model(tf_model, "tf.tflite")
    verify_module(module)
    text = module_to_text(module)
    assert "tfl.fully_connected" in text and "tfl.softmax" in text
    ours = export_module(parse_module(text))
    x = np.random.default_rng(0).standard_normal((2, 4)).astype(np.float32)
    theirs_it = Interpreter(model_content=tf_model)
    ours_it = Interpreter(model_content=ours)
    # TensorFlow's from_concrete_functions writes no SignatureDef here; tflc names the
    # imported model's signature after its graph tensors.
    theirs_it.allocate_tensors()
    theirs_it.set_tensor(theirs_it.get_input_details()[0]["index"], x)
    theirs_it.invoke()
    expected = theirs_it.get_tensor(theirs_it.get_output_details()[0]["index"])
    [input_name] = ours_it.get_signature_list()["serving_default"]["inputs"]
    got = ours_it.get_signature_runner("serving_default")(**{input_name: x})
    np.testing.assert_allclose(next(iter(got.values())), expected, rtol=1e-6)


def test_tf_output_reads_like_tf_flatbuffer_import(tmp_path) -> None:
    """Arguments `%arg0...`, the tensors' names in tf.entry_function before the signature,
    TF's module attributes: as TensorFlow's flatbuffer importer writes them."""
    import re

    import tensorflow as tf

    from tflc.backend.schema import unpack_model

    class Module(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([2, 4], tf.float32, name="x")])
        def f(self, x):
            return {"y": tf.nn.relu(x) * 2.0}

    module = Module()
    tf.saved_model.save(module, str(tmp_path), signatures={"classify": module.f})
    data = tf.lite.TFLiteConverter.from_saved_model(str(tmp_path)).convert()
    text = module_to_text(import_model(data, "tf.tflite"))
    model = unpack_model(data, "tf.tflite")
    names = [t.name.decode() for t in model.subgraphs[0].tensors]
    first_input = names[model.subgraphs[0].inputs[0]]
    first_output = names[model.subgraphs[0].outputs[0]]
    assert re.search(r"func\.func @\w+\(%arg0: tensor<2x4xf32> \{tf_saved_model.index_path = \[\"x\"\]\}", text)
    assert f"tfl.schema_version = {model.version} : i32" in text
    assert 'tfl.description = "MLIR Converted."' in text
    # TensorFlow's module attributes: no tf.versions; every metadata entry as a string.
    header = next(line for line in text.splitlines() if line.startswith("module attributes {"))
    assert header.startswith('module attributes {tf_saved_model.semantics, tfl.description = "MLIR Converted.", '
                             "tfl.metadata = {CONVERSION_METADATA = "), header
    assert 'min_runtime_version = "1.5.0\\00\\00' in header and "tf.versions" not in text, header
    # Re-exported, the model keeps TensorFlow's entries (tflc computes min_runtime_version anew).
    again = unpack_model(export_module(import_model(data, "tf.tflite")), "again.tflite")
    kept = {m.name.decode(): bytes(again.buffers[m.buffer].data) for m in again.metadata}
    theirs = {m.name.decode(): bytes(model.buffers[m.buffer].data) for m in model.metadata}
    assert kept["CONVERSION_METADATA"] == theirs["CONVERSION_METADATA"]
    assert kept.keys() == theirs.keys(), (kept.keys(), theirs.keys())
    assert (
        f'attributes {{tf.entry_function = {{inputs = "{first_input}", outputs = "{first_output}"}}, '
        'tf_saved_model.exported_names = ["classify"]}' in text
    )
