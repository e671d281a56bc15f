"""Drop-in compatibility: the seed scripts and TensorFlow's documented converter snippets,
written against `tf.lite.TFLiteConverter`, run with only the converter class replaced by
`tflc.Converter`, giving TensorFlow's signature lists and numbers.

Each script runs with both classes: signature lists are compared with TensorFlow's
converter output, numbers with TensorFlow eager (TF 2.21's converter itself computes
wrong numbers for some of these Keras 3 models, e.g. the wrapper-module article's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter
from flatbuffers import flexbuffers

import tflc
from tflc.compat import TF_OPTIONS, TF_TARGET_SPEC_OPTIONS, UnsupportedOptionError

pytestmark = pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`", "ignore:Argument `input_dim`")

CONVERTERS = {"tensorflow": tf.lite.TFLiteConverter, "tflc": tflc.Converter}


def rand(shape, seed: int = 0, dtype=np.float32) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def run(model: bytes, key: str, **inputs) -> dict[str, np.ndarray]:
    return Interpreter(model_content=model).get_signature_runner(key)(**inputs)


def both(script) -> dict[str, bytes]:
    """Run a TF-style script once per converter class."""
    return {name: script(cls) for name, cls in CONVERTERS.items()}


def same_signatures(models: dict[str, bytes]) -> dict:
    lists = {name: Interpreter(model_content=m).get_signature_list() for name, m in models.items()}
    assert lists["tflc"] == lists["tensorflow"]
    return lists["tflc"]


def assert_close(got: dict, expected: dict, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    assert sorted(got) == sorted(expected)
    for name, value in expected.items():
        np.testing.assert_allclose(got[name], np.asarray(value), rtol=rtol, atol=atol, err_msg=name)


# ---------------------------------------------------------------- the "Signatures in TensorFlow Lite" guide (seed 002)


class CodingModel(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def encode(self, x):
        result = tf.strings.as_string(x)
        return {"encoded_result": result}

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.string)])
    def decode(self, x):
        result = tf.strings.to_number(x)
        return {"decoded_result": result}


def _check_coding(models: dict[str, bytes]) -> None:
    assert same_signatures(models) == {
        "decode": {"inputs": ["x"], "outputs": ["decoded_result"]},
        "encode": {"inputs": ["x"], "outputs": ["encoded_result"]},
    }
    # The guide's run: encode then decode; tflc's file has the same Flex ops, so compare
    # the op codes (the Flex delegate is not part of ai-edge-litert).
    from tflc.backend import schema

    for name, model in models.items():
        codes = sorted(schema.decode_name(c.customCode) for c in schema.unpack_model(model, name).operatorCodes)
        assert codes == ["FlexAsString", "FlexStringToNumber"], (name, codes)


def test_signatures_guide_saved_model(tmp_path):
    model = CodingModel()
    saved_model_path = str(tmp_path / "coding")
    tf.saved_model.save(
        model,
        saved_model_path,
        signatures={"encode": model.encode.get_concrete_function(), "decode": model.decode.get_concrete_function()},
    )

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_saved_model(saved_model_path)
        converter.target_spec.supported_ops = [
            tf.lite.OpsSet.TFLITE_BUILTINS,  # enable TensorFlow Lite ops.
            tf.lite.OpsSet.SELECT_TF_OPS,  # enable TensorFlow ops.
        ]
        return converter.convert()

    _check_coding(both(script))


def test_signatures_guide_concrete_functions():
    model = CodingModel()

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_concrete_functions(
            [model.encode.get_concrete_function(), model.decode.get_concrete_function()], model
        )
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
        return converter.convert()

    _check_coding(both(script))


def test_signatures_guide_keras():
    keras_model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(2, input_dim=4, activation="relu", name="x"),
            tf.keras.layers.Dense(1, activation="relu", name="output"),
        ]
    )

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_keras_model(keras_model)
        return converter.convert()

    models = both(script)
    signatures = same_signatures(models)
    (key,) = signatures
    x = np.abs(rand((3, 4)))
    expected = np.asarray(keras_model(x))
    (out,) = run(models["tflc"], key, **{signatures[key]["inputs"][0]: x}).values()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- "Generate a concrete function" (seed 000)


def test_concrete_function_guide():
    root = tf.Module()
    root.var = None

    @tf.function
    def exported_function(x):
        if root.var is None:
            root.var = tf.Variable(tf.random.uniform([2, 2], seed=1))
        root.const = tf.constant([[37.0, -23.0], [1.0, 4.0]])
        root.mult = tf.matmul(root.const, root.var)
        return root.mult * x

    root.func = exported_function
    concrete_func = root.func.get_concrete_function(tf.TensorSpec([1, 1], tf.float32))

    def script(TFLiteConverter) -> bytes:
        return TFLiteConverter.from_concrete_functions([concrete_func], root).convert()

    models = both(script)
    signatures = same_signatures(models)
    x = np.array([[3.0]], np.float32)
    expected = {"output_0": exported_function(x).numpy()}
    assert_close(run(models["tflc"], next(iter(signatures)), x=x), expected, rtol=1e-5, atol=1e-4)


def test_concrete_function_keras_lambda():
    model = tf.keras.Sequential([tf.keras.layers.Dense(units=1, input_shape=[1])])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    model.fit(x=np.array([-1, 0, 1, 2, 3, 4.0]), y=np.array([-3, -1, 1, 3, 5, 7.0]), epochs=5, verbose=0)
    run_model = tf.function(lambda x: model(x))
    concrete_func = run_model.get_concrete_function(tf.TensorSpec(model.inputs[0].shape, model.inputs[0].dtype))

    def script(TFLiteConverter) -> bytes:
        return TFLiteConverter.from_concrete_functions([concrete_func], model).convert()

    models = both(script)
    signatures = same_signatures(models)
    (key,) = signatures
    x = np.array([[10.0]], np.float32)
    expected = {"output_0": model(x).numpy()}
    # Against TF eager only: TF 2.21's converter reads this Keras 3 model's variables wrongly
    # (its output is -3.4e38 here), so its numbers are no reference.
    assert_close(run(models["tflc"], key, **{signatures[key]["inputs"][0]: x}), expected)


# ---------------------------------------------------------------- the wrapper-module article (seed 003)


class ModelWrapperModule(tf.Module):
    def __init__(self, my_model_a, my_model_b):
        super().__init__()
        self.my_model_a = my_model_a
        self.my_model_b = my_model_b

    @tf.function
    def __call__(self, x_input):
        return {"my_output_a": self.my_model_a(x_input), "my_output_b": self.my_model_b(x_input)}


def test_wrapper_module_float16(tmp_path):
    def small(seed: int):
        keras.utils.set_random_seed(seed)
        inp = keras.Input((128, 3))
        return keras.Model(inp, keras.layers.Dense(4)(keras.layers.Dense(8, activation="relu")(inp)))

    module = ModelWrapperModule(small(1), small(2))
    call_output = module.__call__.get_concrete_function(tf.TensorSpec((None, 128, 3), tf.float32))
    saved_model_path = tmp_path / "module_filename"
    tf.saved_model.save(module, str(saved_model_path), signatures={"sample_method_name": call_output})

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_saved_model(str(saved_model_path))
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
        tflite_file_path = tmp_path / f"{TFLiteConverter.__module__.split('.')[0]}.tflite"
        tflite_file_path.write_bytes(converter.convert())
        return tflite_file_path.read_bytes()

    models = both(script)
    assert same_signatures(models) == {
        "sample_method_name": {"inputs": ["x_input"], "outputs": ["my_output_a", "my_output_b"]}
    }
    x = rand((2, 128, 3))
    expected = {k: v.numpy() for k, v in module(x).items()}
    assert_close(run(models["tflc"], "sample_method_name", x_input=x), expected, rtol=1e-2, atol=1e-2)
    # float16 weights behind DEQUANTIZE (TF 2.21 keeps this model's Keras 3 variables as
    # READ_VARIABLE ops of never-initialized resources, hence its wrong numbers).
    assert "DEQUANTIZE" in _op_names(models["tflc"])
    assert "FLOAT16" in _tensor_types(models["tflc"])


# ---------------------------------------------------------------- tf.saved_model.save reference (seed 004)


def test_saved_model_save_reference(tmp_path):
    class Adder(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.float32)])
        def add(self, x):
            return x + x

    tf.saved_model.save(Adder(), str(tmp_path / "adder"))
    models = both(lambda C: C.from_saved_model(str(tmp_path / "adder")).convert())
    assert same_signatures(models) == {"serving_default": {"inputs": ["x"], "outputs": ["output_0"]}}
    assert_close(run(models["tflc"], "serving_default", x=np.float32(2.5)), {"output_0": 5.0})


# ---------------------------------------------------------------- TF's documented quantization snippets


@pytest.fixture(scope="module")
def dense_saved_model(tmp_path_factory) -> tuple[str, keras.Model]:
    keras.utils.set_random_seed(0)
    inp = keras.Input((16,), name="x")
    hidden = keras.layers.Dense(64, activation="relu")(inp)
    model = keras.Model(inp, keras.layers.Dense(8, name="out")(hidden))
    path = tmp_path_factory.mktemp("dense") / "saved"
    model.export(str(path), verbose=False)
    return str(path), model


def _dataset():
    return [rand((1, 16), seed=i) for i in range(20)]


def test_documented_dynamic_range(dense_saved_model):
    saved_model_dir, model = dense_saved_model

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_saved_model(saved_model_dir)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        return converter.convert()

    models = both(script)
    signatures = same_signatures(models)
    key = next(iter(signatures))
    x = rand((1, 16), seed=5)
    expected = {signatures[key]["outputs"][0]: model(x).numpy()}
    assert_close(run(models["tflc"], key, x=x), expected, rtol=0.05, atol=0.05)


@pytest.mark.parametrize("wrap", [False, True], ids=["generator", "RepresentativeDataset"])
def test_documented_full_integer(dense_saved_model, wrap):
    saved_model_dir, model = dense_saved_model

    def representative_dataset():
        for data in _dataset():
            yield [data]

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_saved_model(saved_model_dir)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = (
            tf.lite.RepresentativeDataset(representative_dataset) if wrap else representative_dataset
        )
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8  # or tf.uint8
        converter.inference_output_type = tf.int8  # or tf.uint8
        return converter.convert()

    models = both(script)
    signatures = same_signatures(models)
    key = next(iter(signatures))
    x = _dataset()[3]
    expected = model(x).numpy()
    for name, m in [("tflc", models["tflc"])]:
        interpreter = Interpreter(model_content=m)
        runner = interpreter.get_signature_runner(key)
        detail = runner.get_input_details()["x"]
        scale, zero = detail["quantization"]
        assert detail["dtype"] == np.int8, name
        q = np.clip(np.round(x / scale + zero), -128, 127).astype(np.int8)
        out_detail = runner.get_output_details()[signatures[key]["outputs"][0]]
        (got,) = runner(x=q).values()
        o_scale, o_zero = out_detail["quantization"]
        got = (got.astype(np.float32) - o_zero) * o_scale
        np.testing.assert_allclose(got, expected, atol=0.1 * np.abs(expected).max() + 0.05, err_msg=name)


def test_optimize_aliases_and_sets(dense_saved_model):
    """TF's deprecated OPTIMIZE_FOR_SIZE / _LATENCY mean DEFAULT; TF's sets work as lists."""
    saved_model_dir, _ = dense_saved_model
    sizes = {}
    for optimizations in ([tf.lite.Optimize.DEFAULT], {tf.lite.Optimize.OPTIMIZE_FOR_SIZE},
                          {tflc.Optimize.OPTIMIZE_FOR_LATENCY}):
        converter = tflc.Converter.from_saved_model(saved_model_dir)
        converter.optimizations = optimizations
        assert converter.optimizations == [tflc.Optimize.DEFAULT]
        sizes[str(optimizations)] = len(converter.convert())
    assert len(set(sizes.values())) == 1


# ---------------------------------------------------------------- every TFLiteConverterV2 attribute


def _tf_converter():
    class M(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
        def f(self, x):
            return x + 1.0

    m = M()
    return tf.lite.TFLiteConverter.from_concrete_functions([m.f.get_concrete_function()], m), m


def test_every_tf_method_exists():
    tf_converter, _ = _tf_converter()
    methods = {n for n in dir(tf_converter) if not n.startswith("_") and callable(getattr(tf_converter, n))}
    assert methods == {"convert", "from_concrete_functions", "from_keras_model", "from_saved_model",
                       "experimental_from_jax"}
    for name in methods:
        assert callable(getattr(tflc.Converter, name)), name
    import jax.numpy as jnp

    def double(x):
        return jnp.tanh(x) * 2.0

    x = np.linspace(-1, 1, 4, dtype=np.float32)
    converter = tflc.Converter.experimental_from_jax([double], [[("x", x)]])
    model = converter.convert()
    (out,) = Interpreter(model_content=model).get_signature_runner()(**{
        Interpreter(model_content=model).get_signature_list()["serving_default"]["inputs"][0]: x}).values()
    np.testing.assert_allclose(out, np.tanh(x) * 2.0, rtol=1e-5, atol=1e-6)


def test_every_tf_attribute_is_known():
    """Each attribute TF 2.21's converter has is in tflc's table, exists on tflc.Converter,
    and accepts TensorFlow's default value."""
    tf_converter, m = _tf_converter()
    public = {n for n in vars(tf_converter) if not n.startswith("_")}
    experimental = {n for n in vars(tf_converter) if n.startswith("_experimental")}
    assert public | experimental <= set(TF_OPTIONS), sorted((public | experimental) - set(TF_OPTIONS))
    spec_public = {n for n in vars(tf_converter.target_spec) if not n.startswith("_")}
    assert spec_public <= set(TF_TARGET_SPEC_OPTIONS)
    converter = tflc.Converter.from_concrete_functions([m.f.get_concrete_function()], m)
    for name in public | experimental:
        value = getattr(tf_converter, name)
        assert hasattr(converter, name), name
        if name == "target_spec":
            continue
        setattr(converter, name, value)  # TensorFlow's default is accepted everywhere
    converter.target_spec = tf_converter.target_spec
    result = converter.convert()
    np.testing.assert_allclose(run(result, "serving_default", x=np.ones(2, np.float32))["output_0"], [2.0, 2.0])


@pytest.mark.parametrize("name", sorted(n for n, o in TF_OPTIONS.items() if o.status == "default-only"))
def test_unsupported_values_raise(name):
    converter = tflc.Converter.from_module(tflc.parse_module("builtin.module {}"))
    default = TF_OPTIONS[name].default
    other = (not default) if isinstance(default, bool) else "something"
    with pytest.raises(UnsupportedOptionError, match=f"converter.{name} = .* is not supported by tflc"):
        setattr(converter, name, other)


def test_unknown_attribute_names_the_closest():
    converter = tflc.Converter.from_module(tflc.parse_module("builtin.module {}"))
    with pytest.raises(AttributeError, match="'allow_custom_op'; did you mean 'allow_custom_ops'"):
        converter.allow_custom_op = True
    with pytest.raises(AttributeError, match="did you mean '_experimental_lower_tensor_list_ops'"):
        converter._experimental_lower_tensor_list_op = False
    with pytest.raises(AttributeError, match="did you mean 'supported_types'"):
        converter.target_spec.supported_type = [tf.float16]
    with pytest.raises(AttributeError, match="did you mean 'optimizations'"):
        converter.optimisations = [tflc.Optimize.DEFAULT]


def test_lstm_guide_private_flag_is_reported():
    """TF's RNN guide sets `_experimental_lower_tensor_list_ops = False`; tflc says it always lowers."""
    converter = tflc.Converter.from_module(tflc.parse_module("builtin.module {}"))
    converter._experimental_lower_tensor_list_ops = True
    with pytest.raises(UnsupportedOptionError, match="TensorLists are always lowered"):
        converter._experimental_lower_tensor_list_ops = False


def test_unsupported_enum_members():
    converter = tflc.Converter.from_module(tflc.parse_module("builtin.module {}"))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    with pytest.raises(UnsupportedOptionError, match="16x8"):
        converter.convert()
    converter = tflc.Converter.from_module(tflc.parse_module("builtin.module {}"))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.SELECT_TF_OPS]  # TF: every op a Flex op
    with pytest.raises(UnsupportedOptionError, match="SELECT_TF_OPS. alone"):
        converter.convert()
    converter = tflc.Converter.from_module(tflc.parse_module("builtin.module {}"))
    converter.optimizations = [tf.lite.Optimize.EXPERIMENTAL_SPARSITY]
    with pytest.raises(UnsupportedOptionError, match="EXPERIMENTAL_SPARSITY"):
        converter.convert()


def test_tensorflow_values_without_tensorflow():
    """TF's spellings work from names alone; the SavedModel path still never imports TensorFlow."""
    example = Path(__file__).parents[2] / "examples" / "addsub_savedmodel"
    code = f"""
import sys, tflc
c = tflc.Converter.from_saved_model({str(example)!r})
c.target_spec.supported_ops = ["TFLITE_BUILTINS", "SELECT_TF_OPS"]
c.optimizations = {{tflc.Optimize.OPTIMIZE_FOR_SIZE}}
c.target_spec.supported_types = ["float16"]
c.representative_dataset = None
c.allow_custom_ops = True
assert len(c.convert()) > 0
assert "tensorflow" not in sys.modules, "TensorFlow was imported"
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# ---------------------------------------------------------------- allow_custom_ops, metadata, unfold_batchmatmul


class StringsModel(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([3], tf.float32), tf.TensorSpec([2, 3], tf.float32)])
    def f(self, x, y):
        return {"s": tf.strings.as_string(x, precision=2), "t": tf.strings.format("{} and {}", [x, y * 2.0])}


def _custom_ops(model: bytes) -> list[tuple[str, dict]]:
    from tflc.backend import schema

    m = schema.unpack_model(model, "model")
    out = []
    for sub in m.subgraphs:
        for op in sub.operators:
            code = m.operatorCodes[op.opcodeIndex]
            if schema.operator_code(code) == schema.builtin_operator("CUSTOM"):
                out.append((schema.decode_name(code.customCode), flexbuffers.Loads(bytes(op.customOptions))))
    return sorted(out, key=lambda c: c[0])


def test_allow_custom_ops_like_tensorflow():
    model = StringsModel()

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_concrete_functions([model.f.get_concrete_function()], model)
        converter.allow_custom_ops = True
        return converter.convert()

    models = both(script)
    same_signatures(models)
    ours, theirs = _custom_ops(models["tflc"]), _custom_ops(models["tensorflow"])
    assert [name for name, _ in ours] == [name for name, _ in theirs]
    assert [name for name, _ in ours] == ["AsString", "StringFormat"]
    # The custom options carry the same attributes with the same values as TensorFlow's.
    for (name, options), (_, expected) in zip(ours, theirs):
        assert options == expected, name


def test_custom_ops_refused_without_the_option():
    model = StringsModel()
    converter = tflc.Converter.from_concrete_functions([model.f.get_concrete_function()], model)
    with pytest.raises(tflc.TflcError, match="AsString"):
        converter.convert()


def _tf_metadata(model: bytes):
    from tensorflow.lite.python import conversion_metadata_schema_py_generated as cm
    from tensorflow.lite.python import schema_py_generated as s

    m = s.ModelT.InitFromObj(s.Model.GetRootAsModel(model, 0))
    for entry in m.metadata:
        if entry.name == b"CONVERSION_METADATA":
            data = bytes(m.buffers[entry.buffer].data)
            return cm.ConversionMetadataT.InitFromObj(cm.ConversionMetadata.GetRootAs(data, 0)), m
    return None, m


def test_conversion_metadata_as_tensorflow_writes_it(dense_saved_model):
    from tensorflow.lite.python.util import get_model_hash

    saved_model_dir, _ = dense_saved_model

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_saved_model(saved_model_dir)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
        return converter.convert()

    models = both(script)
    ours, ours_model = _tf_metadata(models["tflc"])
    theirs, _ = _tf_metadata(models["tensorflow"])
    assert ours is not None and theirs is not None
    assert ours.environment.apiVersion == theirs.environment.apiVersion == 2
    assert ours.environment.modelType == theirs.environment.modelType == 1  # TF_SAVED_MODEL
    assert ours.environment.tensorflowVersion == f"tflc {tflc.__version__}".encode()
    assert list(ours.options.modelOptimizationModes) == list(theirs.options.modelOptimizationModes) == [1002]
    for field in ("allowCustomOps", "enableSelectTfOps", "forceSelectTfOps"):
        assert getattr(ours.options, field) == getattr(theirs.options, field), field
    # The model hash is TensorFlow's structure hash of the model without the entry.
    ours_model.metadata = [e for e in ours_model.metadata if e.name != b"CONVERSION_METADATA"]
    assert ours.environment.modelHash == int(get_model_hash(ours_model))
    # And tflc reads it back.
    from tflc.backend import metadata, schema

    m = schema.unpack_model(models["tflc"], "x")
    entry = next(e for e in m.metadata if schema.decode_name(e.name) == "CONVERSION_METADATA")
    parsed = metadata.parse(bytes(m.buffers[entry.buffer].data))
    assert parsed.model_type == metadata.ModelType.TF_SAVED_MODEL
    assert parsed.optimization_modes == [metadata.OptimizationMode.PTQ_DYNAMIC_RANGE]
    assert parsed.enable_select_tf_ops and not parsed.force_select_tf_ops and not parsed.allow_custom_ops


def test_exclude_conversion_metadata(dense_saved_model):
    saved_model_dir, _ = dense_saved_model
    converter = tflc.Converter.from_saved_model(saved_model_dir)
    with_metadata = converter.convert()
    converter.exclude_conversion_metadata = True
    without = converter.convert()
    assert _tf_metadata(with_metadata)[0] is not None
    assert _tf_metadata(without)[0] is None
    assert len(without) < len(with_metadata)
    assert converter.convert() == without  # deterministic


def _op_names(model: bytes) -> list[str]:
    from tflc.backend import schema

    m = schema.unpack_model(model, "model")
    return sorted(
        {schema.builtin_operator_name(schema.operator_code(m.operatorCodes[op.opcodeIndex]))
         for sub in m.subgraphs for op in sub.operators}
    )


def _tensor_types(model: bytes) -> set[str]:
    from tflc.backend import schema

    m = schema.unpack_model(model, "model")
    return {schema.tensor_type_name(t.type) for sub in m.subgraphs for t in sub.tensors}


@pytest.mark.parametrize(
    "x_shape, y_shape, adj_x, adj_y",
    [((2, 3, 4, 5), (2, 3, 5, 6), False, False), ((3, 5, 4), (3, 6, 5), True, True), ((4, 2, 5), (5, 3), False, False)],
)
def test_unfold_batchmatmul(x_shape, y_shape, adj_x, adj_y):
    class BMM(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec(x_shape, tf.float32), tf.TensorSpec(y_shape, tf.float32)])
        def f(self, x, y):
            return tf.linalg.matmul(x, y, adjoint_a=adj_x, adjoint_b=adj_y)

    m = BMM()
    x, y = rand(x_shape, 1), rand(y_shape, 2)
    expected = {"output_0": m.f(x, y).numpy()}

    def script(TFLiteConverter) -> bytes:
        converter = TFLiteConverter.from_concrete_functions([m.f.get_concrete_function()], m)
        converter.unfold_batchmatmul = True
        return converter.convert()

    models = both(script)
    same_signatures(models)
    folded = tflc.Converter.from_concrete_functions([m.f.get_concrete_function()], m).convert()
    if len(y_shape) > 2:
        assert "BATCH_MATMUL" in _op_names(folded)
        assert "BATCH_MATMUL" not in _op_names(models["tflc"])
        assert "FULLY_CONNECTED" in _op_names(models["tflc"])
    assert_close(run(models["tflc"], "serving_default", x=x, y=y), expected, rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------- debug options


def test_debug_options(tmp_path, capfd):
    converter = tflc.Converter.from_saved_model(str(Path(__file__).parents[2] / "examples" / "addsub_savedmodel"))
    converter.print_ir_after = "legalize-tf"
    converter.print_ir_before = "^canonicalize$"
    converter.enable_timing = True
    converter.ir_dump_dir = str(tmp_path / "dump")
    converter.ir_dump_pass_regex = "^(legalize-tf|dce)$"
    converter.convert()
    err = capfd.readouterr().err
    assert "// -----// IR Dump After legalize-tf //----- //" in err and "tfl.add" in err
    assert "// -----// IR Dump Before canonicalize //----- //" in err
    assert "// pass legalize-tf:" in err
    dumps = sorted(p.name for p in (tmp_path / "dump").iterdir())
    assert [d.split("_", 1)[1] for d in dumps] == ["legalize-tf.mlir", "dce.mlir"]
    assert "tfl.sub" in (tmp_path / "dump" / dumps[-1]).read_text()
