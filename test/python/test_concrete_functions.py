"""Concrete functions and Keras models -> tf dialect -> .tflite, run in ai-edge-litert against TensorFlow."""

from __future__ import annotations

import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from tflc.backend.export import export_module
from tflc.frontend.concrete import import_concrete_functions, import_keras_model
from tflc.frontend.errors import FrontendError
from tflc.pipeline import run_pipeline

pytestmark = pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`")

PASSES = "tf-inline,freeze-variables,legalize-tf,canonicalize,cse,dce"


def to_interpreter(module) -> Interpreter:
    """Run the conversion passes, export and load the model."""
    run_pipeline(module, PASSES)
    return Interpreter(model_content=export_module(module))


def random(shape, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def check(interpreter: Interpreter, key: str, inputs: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    """Run one signature and compare every output with TensorFlow's."""
    got = interpreter.get_signature_runner(key)(**inputs)
    assert sorted(got) == sorted(expected)
    for name, value in expected.items():
        np.testing.assert_allclose(got[name], np.asarray(value), rtol=1e-5, atol=1e-6, err_msg=name)


# --------------------------------------------------------------------------- seed 000: concrete functions


class BasicModel(tf.Module):
    def __init__(self):
        self.const = None

    @tf.function(input_signature=[tf.TensorSpec(shape=[1], dtype=tf.float32)])
    def pow(self, x):
        if self.const is None:
            self.const = tf.Variable(2.0)
        return x**self.const


def test_basic_model_pow():
    root = BasicModel()
    concrete_func = root.pow.get_concrete_function()
    interpreter = to_interpreter(import_concrete_functions([concrete_func], root))
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["output_0"]}}
    x = np.abs(random([1])) + 0.5
    check(interpreter, "serving_default", {"x": x}, {"output_0": root.pow(x)})


def test_tf_function_with_input_signature_is_traced():
    root = BasicModel()
    interpreter = to_interpreter(import_concrete_functions([root.pow], root))
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["output_0"]}}


def test_lambda_traced_with_sample_input():
    root = tf.Module()
    root.const = tf.Variable(3.0)
    root.pow = tf.function(lambda x: x**root.const)
    concrete_func = root.pow.get_concrete_function(tf.constant(1.0, shape=[1]))
    interpreter = to_interpreter(import_concrete_functions([concrete_func], root))
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["output_0"]}}
    x = random([1], 1)
    check(interpreter, "serving_default", {"x": x}, {"output_0": root.pow(x)})


def test_module_matmul_example():
    tf.random.set_seed(0)
    root = tf.Module()
    root.var = None

    @tf.function
    def exported_function(x):
        if root.var is None:
            root.var = tf.Variable(tf.random.uniform([2, 2]))
        root.const = tf.constant([[37.0, -23.0], [1.0, 4.0]])
        root.mult = tf.matmul(root.const, root.var)
        return root.mult * x

    root.func = exported_function
    concrete_func = root.func.get_concrete_function(tf.TensorSpec([1, 1], tf.float32))
    interpreter = to_interpreter(import_concrete_functions([concrete_func], root))
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["output_0"]}}
    x = random([1, 1], 2)
    check(interpreter, "serving_default", {"x": x}, {"output_0": concrete_func(tf.constant(x))})


@pytest.fixture(scope="module")
def dense_1():
    """The seed's `Sequential([Dense(units=1, input_shape=[1])])`, with fixed weights instead of `fit`."""
    model = keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
    model.set_weights([np.array([[2.0]], np.float32), np.array([-1.0], np.float32)])
    return model


def test_keras_model_through_tf_function(dense_1):
    run_model = tf.function(lambda x: dense_1(x))
    concrete_func = run_model.get_concrete_function(tf.TensorSpec(dense_1.inputs[0].shape, dense_1.inputs[0].dtype))
    interpreter = to_interpreter(import_concrete_functions([concrete_func]))
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["output_0"]}}
    x = random([1, 1], 3)
    check(interpreter, "serving_default", {"x": x}, {"output_0": dense_1(x)})


# --------------------------------------------------------------------------- seed 002: several signatures


class Coder(tf.Module):
    def __init__(self):
        self.scale = tf.Variable(2.0)

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def encode(self, x):
        return {"encoded_result": x * self.scale}

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def decode(self, x):
        return {"decoded_result": x / self.scale}


def test_encode_decode_signatures():
    model = Coder()
    funcs = [model.encode.get_concrete_function(), model.decode.get_concrete_function()]
    module = import_concrete_functions(funcs, model)
    globals_ = [op for op in module.body.block.ops if op.name == "tf_saved_model.global_tensor"]
    assert len(globals_) == 1  # the shared variable is one global tensor
    interpreter = to_interpreter(module)
    assert interpreter.get_signature_list() == {
        "encode": {"inputs": ["x"], "outputs": ["encoded_result"]},
        "decode": {"inputs": ["x"], "outputs": ["decoded_result"]},
    }
    x = random([3], 4)
    encoded = model.encode(x)["encoded_result"]
    check(interpreter, "encode", {"x": x}, {"encoded_result": encoded})
    check(interpreter, "decode", {"x": encoded.numpy()}, {"decoded_result": model.decode(encoded)["decoded_result"]})


def test_flat_list_outputs_and_named_specs():
    @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32), tf.TensorSpec([3], tf.float32, name="bias")])
    def split(a, b):
        return [tf.nn.relu(a + b), a * 2.0]

    interpreter = to_interpreter(import_concrete_functions([split.get_concrete_function()]))
    assert interpreter.get_signature_list() == {
        "serving_default": {"inputs": ["a", "bias"], "outputs": ["output_0", "output_1"]}
    }
    a, b = random([2, 3], 5), random([3], 6)
    expected = split(a, b)
    check(interpreter, "serving_default", {"a": a, "bias": b}, {"output_0": expected[0], "output_1": expected[1]})


def test_nested_tf_functions_with_variable():
    root = tf.Module()
    root.w = tf.Variable(random([3, 2], 13))

    @tf.function
    def layer(x):
        return tf.nn.relu(tf.matmul(x, root.w))

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def model(x):
        return {"y": layer(x) + 1.0}

    interpreter = to_interpreter(import_concrete_functions([model.get_concrete_function()], root))
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["y"]}}
    x = random([1, 3], 14)
    check(interpreter, "serving_default", {"x": x}, {"y": model(x)["y"]})


def test_variable_value_at_conversion_time():
    root = tf.Module()
    root.w = tf.Variable([1.0, 2.0, 3.0])
    root.f = tf.function(lambda x: x * root.w, input_signature=[tf.TensorSpec([3], tf.float32)])
    concrete_func = root.f.get_concrete_function()
    root.w.assign([4.0, -5.0, 6.0])  # after tracing, before conversion
    interpreter = to_interpreter(import_concrete_functions([concrete_func], root))
    x = random([3], 7)
    check(interpreter, "serving_default", {"x": x}, {"output_0": x * np.array([4.0, -5.0, 6.0], np.float32)})


def test_captured_eager_constant_is_inlined():
    scale = tf.constant([[1.5, -2.0]])
    fn = tf.function(
        lambda x: tf.matmul(x, scale, transpose_b=True), input_signature=[tf.TensorSpec([4, 2], tf.float32)]
    )
    module = import_concrete_functions([fn.get_concrete_function()])
    assert not any(op.name == "tf_saved_model.global_tensor" for op in module.body.block.ops)
    interpreter = to_interpreter(module)
    x = random([4, 2], 8)
    check(interpreter, "serving_default", {"x": x}, {"output_0": fn(x)})


def test_duplicate_function_names_are_an_error():
    first, second = Coder(), Coder()
    funcs = [first.encode.get_concrete_function(), second.encode.get_concrete_function()]
    with pytest.raises(FrontendError, match="'encode'"):
        import_concrete_functions(funcs)


def test_tf_function_without_signature_is_an_error():
    with pytest.raises(FrontendError, match="input_signature"):
        import_concrete_functions([tf.function(lambda x: x + 1.0)])


# --------------------------------------------------------------------------- Keras models


@pytest.fixture(scope="module")
def functional_x_out():
    inputs = keras.Input((4,), name="x")
    return keras.Model(inputs, keras.layers.Dense(5, name="out")(inputs))


def test_keras_functional_names(functional_x_out):
    interpreter = to_interpreter(import_keras_model(functional_x_out))
    # Outputs are output_0.. as TensorFlow 2.21's converter names them (not by layer).
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["output_0"]}}
    x = random([1, 4], 9)
    check(interpreter, "serving_default", {"x": x}, {"output_0": functional_x_out(x)})


def test_keras_sequential_from_notebook():
    model = keras.Sequential(
        [
            keras.layers.Dense(2, input_dim=4, activation="relu", name="x"),
            keras.layers.Dense(1, activation="relu", name="output"),
        ]
    )
    interpreter = to_interpreter(import_keras_model(model))
    input_name = model.inputs[0].name  # Keras 3 names an unnamed Input, e.g. `keras_tensor_3`
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": [input_name], "outputs": ["output_0"]}}
    x = random([1, 4], 10)
    check(interpreter, "serving_default", {input_name: x}, {"output_0": model(x)})


def test_keras_multi_input_multi_output():
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    hidden = keras.layers.Concatenate()([a, b])
    outputs = [keras.layers.Dense(1, name="score")(hidden), keras.layers.Dense(2, name="logits")(hidden)]
    model = keras.Model([a, b], outputs)
    interpreter = to_interpreter(import_keras_model(model))
    assert interpreter.get_signature_list() == {
        "serving_default": {"inputs": ["a", "b"], "outputs": ["output_0", "output_1"]}
    }
    xa, xb = random([1, 3], 11), random([1, 2], 12)
    score, logits = model([xa, xb])
    check(interpreter, "serving_default", {"a": xa, "b": xb}, {"output_0": score, "output_1": logits})


def test_keras_model_without_inputs_is_an_error():
    with pytest.raises(FrontendError, match="no known inputs"):
        import_keras_model(keras.Sequential([keras.layers.Dense(1)]))


def test_module_imports_without_tensorflow():
    code = "import sys; sys.modules['tensorflow'] = None; import tflc.frontend.concrete"
    subprocess.run([sys.executable, "-c", code], check=True)
