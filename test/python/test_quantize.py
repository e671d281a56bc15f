"""Post-training quantization: quantized types, float16, dynamic range and full integer,
checked in ai-edge-litert against the float model (and TensorFlow's converter)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as fb
from ai_edge_litert.interpreter import Interpreter

import tflc
from tflc.errors import ConversionError, TflcError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "savedmodels"
SHAPE = (1, 8, 8, 3)


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def keras_model():
    """A tiny CNN + MLP with conv, depthwise, pool, dense, mul, add, tanh, concat, softmax."""
    import keras

    keras.utils.set_random_seed(3)
    layers = keras.layers
    x = keras.Input(SHAPE[1:], batch_size=1, name="image")
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    h = layers.DepthwiseConv2D(3, padding="same", bias_initializer="random_normal")(h)
    h = layers.Conv2D(32, 3, padding="same", bias_initializer="random_normal")(h)
    h = layers.MaxPooling2D()(h)
    f = layers.Flatten()(h)
    a = layers.Dense(64, activation="relu", bias_initializer="random_normal")(f)
    b = layers.Dense(64, activation="tanh")(f)
    s = layers.Add()([a, layers.Multiply()([a, b])])
    c = layers.Concatenate()([s, a])
    y = layers.Softmax()(layers.Dense(10)(c))
    return keras.Model(x, y)


def calibration_data(count: int = 32, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, SHAPE).astype(np.float32) for _ in range(count)]


def convert(model, **settings) -> tuple[bytes, tflc.Converter]:
    converter = tflc.Converter.from_keras_model(model)
    for name, value in settings.items():
        if name == "supported_types":
            converter.target_spec.supported_types = value
        elif name == "supported_ops":
            converter.target_spec.supported_ops = value
        elif name in ("min_weight_elements", "per_channel_dense"):
            setattr(converter.quantization, name, value)
        else:
            setattr(converter, name, value)
    return converter.convert(), converter


@pytest.fixture(scope="session")
def float_model(keras_model) -> bytes:
    return convert(keras_model)[0]


@pytest.fixture(scope="session")
def int8_model(keras_model):
    data = calibration_data()
    return convert(
        keras_model, optimizations=[tflc.Optimize.DEFAULT], representative_dataset=lambda: ([x] for x in data)
    )


def run(model: bytes, x: np.ndarray) -> np.ndarray:
    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    (name,) = runner.get_input_details()
    (out,) = runner(**{name: x}).values()
    return out


def tensors(model: bytes) -> list:
    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    return [(t, parsed.buffers[t.buffer]) for t in parsed.subgraphs[0].tensors]


def opcodes(model: bytes) -> list[str]:
    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    codes = parsed.operatorCodes
    return [names[max(codes[o.opcodeIndex].builtinCode, codes[o.opcodeIndex].deprecatedBuiltinCode)]
            for o in parsed.subgraphs[0].operators]


# -- quantized types in the IR ----------------------------------------------------------


def test_quantized_types_print_and_parse() -> None:
    from tflc.dialects.quant import UniformQuantizedType
    from tflc.ir import module_to_text, parse_module, verify_module

    text = """
    func.func @main(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
      %q = "tfl.quantize"(%x) : (tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 1.0e-05:-3>>
      %w = "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25:0}>>,
          value = dense<1> : tensor<2x4xi8>}> : () -> tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>
      %u = "tfl.quantize"(%q) : (tensor<2x4x!quant.uniform<i8:f32, 1.0e-05:-3>>) ->
          tensor<2x4x!quant.uniform<u8:f32, 0.1:128>>
      %d = "tfl.dequantize"(%u) : (tensor<2x4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<2x4xf32>
      return %d : tensor<2x4xf32>
    }
    """
    module = parse_module(text)
    verify_module(module)
    printed = module_to_text(module)
    assert "!quant.uniform<i8:f32, 1.0e-05:-3>" in printed
    assert "!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>" in printed
    assert "!quant.uniform<u8:f32, 0.1:128>" in printed
    assert module_to_text(parse_module(printed)) == printed
    per_axis = UniformQuantizedType("i8", [0.5, 0.25], axis=0, storage_range=(-127, 127))
    assert per_axis.axis == 0 and per_axis.range == (-127, 127) and per_axis.scale_values == [0.5, 0.25]


@pytest.mark.parametrize(
    "element, message",
    [
        ("!quant.uniform<i8:f32, -1.0>", "positive"),
        ("!quant.uniform<i8:f32, {0.1,0.2}>", "Expected float literal"),
        ("!quant.uniform<i4:f32, 0.1>", "unknown quantized storage type"),
    ],
)
def test_bad_quantized_types_are_errors(element: str, message: str) -> None:
    from tflc.ir import parse_module, verify_module

    text = f'func.func @main(%x: tensor<2x{element}>) -> tensor<2x{element}> {{\n  return %x : tensor<2x{element}>\n}}'
    with pytest.raises(Exception, match=message):
        verify_module(parse_module(text))


def test_quantization_parameters_round_trip_through_flatbuffer() -> None:
    from tflc.backend.export import export_module
    from tflc.backend.importer import import_model
    from tflc.ir import module_to_text, parse_module

    text = """
    func.func @main(%x: tensor<1x4x!quant.uniform<i8:f32, 0.0123:-5>>) -> tensor<1x4xf32> {
      %w = "tfl.pseudo_qconst"() <{qtype = tensor<2x4x!quant.uniform<i8:f32:0, {0.1,0.2}>>,
          value = dense<[[1, 2, 3, 4], [5, 6, 7, 8]]> : tensor<2x4xi8>}>
          : () -> tensor<2x4x!quant.uniform<i8:f32:0, {0.1,0.2}>>
      %b = "tfl.no_value"() <{value}> : () -> none
      %y = "tfl.fully_connected"(%x, %w, %b) <{fused_activation_function = "NONE", weights_format = "DEFAULT",
          keep_num_dims = false}> : (tensor<1x4x!quant.uniform<i8:f32, 0.0123:-5>>,
          tensor<2x4x!quant.uniform<i8:f32:0, {0.1,0.2}>>, none) -> tensor<1x2x!quant.uniform<i8:f32, 0.05:3>>
      %d = "tfl.dequantize"(%y) : (tensor<1x2x!quant.uniform<i8:f32, 0.05:3>>) -> tensor<1x4xf32>
      return %d : tensor<1x4xf32>
    }
    """
    model = export_module(parse_module(text))
    by_name = {t.name.decode(): t for t, _ in tensors(model)}
    weights = next(t for t in by_name.values() if t.type == fb.TensorType.INT8 and list(t.shape) == [2, 4])
    assert list(weights.quantization.scale) == pytest.approx([0.1, 0.2])
    assert list(weights.quantization.zeroPoint) == [0, 0]
    assert weights.quantization.quantizedDimension == 0
    back = module_to_text(import_model(model))
    assert "tensor<1x4x!quant.uniform<i8:f32, 0.0123:-5>>" in back
    assert "!quant.uniform<i8:f32:0, {0.1,0.2}>" in back
    assert "tfl.pseudo_qconst" in back


# -- float16 ------------------------------------------------------------------------------


def test_float16_halves_the_model_and_keeps_outputs(keras_model, float_model) -> None:
    model, converter = convert(keras_model, optimizations=[tflc.Optimize.DEFAULT], supported_types=[np.float16])
    assert len(model) <= 0.51 * len(float_model)
    assert "DEQUANTIZE" in opcodes(model)
    halves = [t for t, _ in tensors(model) if t.type == fb.TensorType.FLOAT16]
    assert len(halves) >= 6
    for x in calibration_data(4, seed=7):
        want, got = run(float_model, x), run(model, x)
        assert np.abs(got - want).max() <= 1e-2 * np.abs(want).max()
    report = converter.report.quantization
    assert report.mode == "float16" and report.size_before == len(float_model) and report.size_after == len(model)
    assert report.ops["conv_2d"] == {"float16 weights": 2}


def test_float16_accepts_tensorflow_dtype(keras_model) -> None:
    import tensorflow as tf

    _, converter = convert(keras_model, optimizations=[tflc.Optimize.DEFAULT], supported_types=[tf.float16])
    assert converter.report.quantization.mode == "float16"


# -- dynamic range --------------------------------------------------------------------------


def test_dynamic_range_int8_weights_with_hybrid_kernels(keras_model, float_model) -> None:
    model, converter = convert(keras_model, optimizations=[tflc.Optimize.DEFAULT])
    report = converter.report.quantization
    assert report.mode == "dynamic-range"
    assert report.ops["fully_connected"] == {"int8 weights (hybrid)": 3}
    # 16x3x3x3 and 1x3x3x16 filters are under the 1024-element threshold: they stay float
    assert report.ops["depthwise_conv_2d"] == {"float": 1}
    assert report.ops["conv_2d"] == {"float": 1, "int8 weights (hybrid)": 1}
    int8 = [t for t, _ in tensors(model) if t.type == fb.TensorType.INT8]
    conv = next(t for t in int8 if len(t.shape) == 4)
    assert len(conv.quantization.scale) == 32 and conv.quantization.quantizedDimension == 0
    dense = [t for t in int8 if len(t.shape) == 2]  # per output channel, as TensorFlow 2.16+ writes them
    assert dense and all(len(t.quantization.scale) == t.shape[0] > 1 for t in dense)
    assert all(t.quantization.quantizedDimension == 0 for t in dense)
    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    fc_options = [
        o.builtinOptions
        for o in parsed.subgraphs[0].operators
        if isinstance(o.builtinOptions, fb.FullyConnectedOptionsT)
    ]
    assert fc_options and all(o.asymmetricQuantizeInputs for o in fc_options)
    assert len(model) < 0.3 * len(float_model)
    for x in calibration_data(4, seed=7):
        want, got = run(float_model, x), run(model, x)
        assert np.abs(got - want).max() <= 2e-2 * np.abs(want).max()


def test_dynamic_range_per_tensor_dense_weights_on_request(keras_model, float_model) -> None:
    model, _ = convert(keras_model, optimizations=[tflc.Optimize.DEFAULT], per_channel_dense=False)
    dense = [t for t, _ in tensors(model) if t.type == fb.TensorType.INT8 and len(t.shape) == 2]
    assert dense and all(len(t.quantization.scale) == 1 for t in dense)
    for x in calibration_data(2, seed=7):
        want, got = run(float_model, x), run(model, x)
        assert np.abs(got - want).max() <= 2e-2 * np.abs(want).max()


def test_dynamic_range_threshold_is_an_option(keras_model) -> None:
    _, converter = convert(keras_model, optimizations=[tflc.Optimize.DEFAULT], min_weight_elements=100)
    ops = converter.report.quantization.ops
    assert ops["depthwise_conv_2d"] == {"int8 weights (hybrid)": 1}
    assert ops["conv_2d"] == {"int8 weights (hybrid)": 2}


# -- full integer -------------------------------------------------------------------------------


def test_full_integer_matches_the_float_model(int8_model, float_model) -> None:
    model, converter = int8_model
    report = converter.report.quantization
    assert report.mode == "int8"
    assert all(set(kinds) == {"int8"} for kinds in report.ops.values()), report.ops
    assert opcodes(model)[0] == "QUANTIZE" and opcodes(model)[-1] == "DEQUANTIZE"
    assert len(model) < 0.3 * len(float_model)
    errors = []
    for x in calibration_data(16, seed=11):
        want, got = run(float_model, x), run(model, x)
        errors.append(np.abs(got - want).max())
    assert max(errors) < 0.02  # softmax outputs, int8 steps of 1/256
    metrics = report.error["serving_default"]
    (output,) = metrics
    assert metrics[output]["max_abs"] < 0.02 and report.samples == 32


def test_full_integer_no_worse_than_tensorflow(keras_model, int8_model, float_model) -> None:
    import tensorflow as tf

    data = calibration_data()
    tf_converter = tf.lite.TFLiteConverter.from_keras_model(keras_model)
    tf_converter.optimizations = [tf.lite.Optimize.DEFAULT]
    tf_converter.representative_dataset = lambda: ([x] for x in data)
    tf_model = tf_converter.convert()
    ours, _ = int8_model
    test = calibration_data(32, seed=5)
    ours_err = np.mean([np.abs(run(ours, x) - run(float_model, x)).mean() for x in test])
    tf_err = np.mean([np.abs(run(tf_model, x) - run(float_model, x)).mean() for x in test])
    assert ours_err <= 1.5 * tf_err + 1e-4, (ours_err, tf_err)
    assert len(ours) <= 1.1 * len(tf_model)


@pytest.mark.parametrize("io_type", ["int8", "uint8"])
def test_integer_inputs_and_outputs_keep_signature_names(keras_model, float_model, io_type: str) -> None:
    data = calibration_data()
    dtype = np.dtype(io_type)
    model, _ = convert(
        keras_model,
        optimizations=[tflc.Optimize.DEFAULT],
        representative_dataset=lambda: ([x] for x in data),
        supported_ops=[tflc.OpsSet.TFLITE_BUILTINS_INT8],
        inference_input_type=dtype.type,
        inference_output_type=dtype.type,
    )
    interpreter = Interpreter(model_content=model)
    assert interpreter.get_signature_list() == Interpreter(model_content=float_model).get_signature_list()
    runner = interpreter.get_signature_runner("serving_default")
    ((name, detail),) = runner.get_input_details().items()
    ((out_name, out_detail),) = runner.get_output_details().items()
    assert detail["dtype"] == dtype and out_detail["dtype"] == dtype
    x = calibration_data(1, seed=9)[0]
    scale, zero_point = detail["quantization"]
    info = np.iinfo(dtype)
    xq = np.clip(np.round(x / scale + zero_point), info.min, info.max).astype(dtype)
    out_scale, out_zero = out_detail["quantization"]
    got = (runner(**{name: xq})[out_name].astype(np.float32) - out_zero) * out_scale
    assert np.abs(got - run(float_model, x)).max() < 0.03
    if io_type == "int8":
        assert "QUANTIZE" not in opcodes(model) and "DEQUANTIZE" not in opcodes(model)


def test_int8_only_rejects_ops_without_int8_kernels() -> None:
    from tflc.ir import parse_module

    text = """
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %y = "tfl.exp"(%x) : (tensor<4xf32>) -> tensor<4xf32>
      return %y : tensor<4xf32>
    }
    """
    converter = tflc.Converter.from_module(parse_module(text))
    converter.pipeline = []
    converter.optimizations = [tflc.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ([np.ones(4, np.float32)] for _ in range(2))
    converter.target_spec.supported_ops = [tflc.OpsSet.TFLITE_BUILTINS_INT8]
    with pytest.raises(ConversionError, match="tfl.exp cannot be quantized"):
        converter.convert()
    converter.target_spec.supported_ops = {tflc.OpsSet.TFLITE_BUILTINS, tflc.OpsSet.TFLITE_BUILTINS_INT8}
    converter.convert()
    assert converter.report.quantization.ops == {"exp": {"float": 1}}


def test_two_signatures_calibrated_by_key() -> None:
    rng = np.random.default_rng(1)

    def dataset():
        for _ in range(8):
            x, bias = rng.standard_normal((2, 3, 3)).astype(np.float32)
            yield "combine", {"x": x, "bias": bias}
            yield "split", {"x": x}

    converter = tflc.Converter.from_saved_model(FIXTURES / "two_signatures")
    float_model = converter.convert()
    converter.optimizations = [tflc.Optimize.DEFAULT]
    converter.representative_dataset = dataset
    model = converter.convert()
    interpreter = Interpreter(model_content=model)
    assert interpreter.get_signature_list() == Interpreter(model_content=float_model).get_signature_list()
    x = np.linspace(-1, 1, 9, dtype=np.float32).reshape(3, 3)
    want = Interpreter(model_content=float_model).get_signature_runner("combine")(x=x, bias=x)
    got = interpreter.get_signature_runner("combine")(x=x, bias=x)
    for name in want:
        assert np.abs(got[name] - want[name]).max() < 0.05 * np.abs(want[name]).max()
    assert set(converter.report.quantization.error) == {"combine", "split"}


def test_inconsistent_settings_are_errors(keras_model) -> None:
    with pytest.raises(ConversionError, match="needs calibration data .* set converter.representative_dataset"):
        convert(keras_model, optimizations=[tflc.Optimize.DEFAULT], supported_ops=[tflc.OpsSet.TFLITE_BUILTINS_INT8])
    with pytest.raises(ConversionError, match="need converter.optimizations"):
        convert(keras_model, supported_types=[np.float16])
    with pytest.raises(ConversionError, match="integer inference types\\) needs calibration data"):
        convert(keras_model, optimizations=[tflc.Optimize.DEFAULT], inference_input_type=np.int8)
    with pytest.raises(ConversionError, match="supported_types"):
        convert(keras_model, optimizations=[tflc.Optimize.DEFAULT], supported_types=[np.complex64])


def test_report_summary_lists_sizes_ops_and_error(int8_model) -> None:
    _, converter = int8_model
    summary = converter.report.summary()
    assert "quantization (int8):" in summary and "error on 32 calibration samples" in summary
    assert "conv_2d: int8 x2" in summary


# -- command line -------------------------------------------------------------------------------


def test_cli_quantize_switches(tmp_path: Path, capsys) -> None:
    from tflc.tools.convert import main

    model_dir = FIXTURES / "two_signatures"
    data = tmp_path / "cal.npz"
    rng = np.random.default_rng(0)
    np.savez(
        data,
        **{"combine/x": rng.standard_normal((4, 2, 3)), "combine/bias": rng.standard_normal((4, 2, 3)),
           "split/x": rng.standard_normal((4, 2, 3))},
    )
    for mode in ("float16", "dynamic-range", "int8"):
        out = tmp_path / f"{mode}.tflite"
        argv = ["--saved-model-dir", str(model_dir), "--output-file", str(out), "--quantize", mode]
        if mode == "int8":
            argv += ["--representative-data", str(data), "--inference-type", "int8"]
        assert main(argv) == 0
        assert f"quantization ({mode})" in capsys.readouterr().out
        assert set(Interpreter(model_path=str(out)).get_signature_list()) == {"combine", "split"}
    argv = ["--saved-model-dir", str(model_dir), "--output-file", str(tmp_path / "x.tflite"), "--quantize", "int8"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "needs calibration data" in err and "--representative-data FILE.npz" in err and "quantization-aware" in err
    assert not (tmp_path / "x.tflite").exists()
    _ = TflcError


def test_int8_index_and_bool_results() -> None:
    """abs, arg_max, greater and topk_v2 quantize to int8 (as TF does): their float operands
    become int8, index and bool results keep their types, the numbers match the float model."""
    from tflc.ir import parse_module

    text = """
    func.func @main(%x: tensor<2x8xf32>) -> (tensor<2xi32>, tensor<2x8xi1>, tensor<2x3xf32>) {
      %axis = "tfl.pseudo_const"() <{value = dense<1> : tensor<i32>}> : () -> tensor<i32>
      %half = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<f32>}> : () -> tensor<f32>
      %k = "tfl.pseudo_const"() <{value = dense<3> : tensor<i32>}> : () -> tensor<i32>
      %a = "tfl.abs"(%x) : (tensor<2x8xf32>) -> tensor<2x8xf32>
      %m = "tfl.arg_max"(%a, %axis) : (tensor<2x8xf32>, tensor<i32>) -> tensor<2xi32>
      %g = "tfl.greater"(%a, %half) : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xi1>
      %v, %i = "tfl.topk_v2"(%a, %k) : (tensor<2x8xf32>, tensor<i32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
      return %m, %g, %v : tensor<2xi32>, tensor<2x8xi1>, tensor<2x3xf32>
    }
    """
    rng = np.random.default_rng(3)
    # Values on a grid far from the 0.5 threshold and from each other, so int8 keeps their order.
    samples = [rng.permutation(np.linspace(-2, 2, 16, dtype=np.float32)).reshape(2, 8) + 0.01 for _ in range(8)]
    float_model = tflc.Converter.from_module(parse_module(text))
    float_model.pipeline = []
    want_model = float_model.convert()
    converter = tflc.Converter.from_module(parse_module(text))
    converter.pipeline = []
    converter.optimizations = [tflc.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ([s] for s in samples)
    converter.target_spec.supported_ops = [tflc.OpsSet.TFLITE_BUILTINS_INT8]
    model = converter.convert()
    ops = converter.report.quantization.ops
    for name in ("abs", "arg_max", "greater", "topk_v2"):
        assert ops[name] == {"int8": 1}, ops
    x = samples[0]
    runners = [Interpreter(model_content=m).get_signature_runner() for m in (want_model, model)]
    (name,) = Interpreter(model_content=model).get_signature_list()["serving_default"]["inputs"]
    want, got = (runner(**{name: x}) for runner in runners)
    outputs = sorted(want)
    np.testing.assert_array_equal(got[outputs[0]], want[outputs[0]])
    np.testing.assert_array_equal(got[outputs[1]], want[outputs[1]])
    np.testing.assert_allclose(got[outputs[2]], want[outputs[2]], atol=0.02)
