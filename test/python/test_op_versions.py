"""Operator versions and min_runtime_version: TFLite's rules per op, and tflc's output
against TensorFlow's converter on small models in float, float16, dynamic range and int8."""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

import tflc
from tflc.backend.export import export_module
from tflc.backend.importer import import_model
from tflc.backend.model_info import min_runtime_version, operator_versions
from tflc.dialects import tfl
from tflc.dialects import tfl_versions as versions
from tflc.ir import parse_module

# -- every op has a rule ------------------------------------------------------------------


def test_every_tfl_op_has_a_version_rule_or_is_version_1_only() -> None:
    """A new tfl op cannot be forgotten: an op TFLite has at several versions needs a rule."""
    for op in tfl.TFL.operations:
        kinds = [versions.has_version_rule(op), versions.is_version_1_only(op), op in versions.NOT_OPERATORS]
        assert sum(kinds) == 1, f"{op.name}: rule, version-1-only, not an operator: {kinds}"
    assert versions.is_version_1_only(tfl.ReshapeOp) and not versions.is_version_1_only(tfl.AddOp)


def test_every_exported_op_has_a_runtime_version() -> None:
    """The runtime table knows the first version of every operator tflc exports."""
    for op in tfl.TFL.operations:
        if op in versions.NOT_OPERATORS or op in versions.CUSTOM_OPERATORS:  # tfl.custom: not a builtin
            continue
        builtin = op.builtin_name()
        first = 2 if builtin == "BROADCAST_TO" else 1  # BROADCAST_TO 1 was withdrawn
        assert versions.runtime_version(builtin, first), builtin


# -- the rules, per TFLite's facts ----------------------------------------------------------

I8 = "!quant.uniform<i8:f32, 0.05:3>"
I8W = "!quant.uniform<i8<-127:127>:f32, 0.02>"
I16 = "!quant.uniform<i16:f32, 0.001>"


def per_axis(axis: int, count: int) -> str:
    """A per-axis int8 weight type with `count` scales along `axis`."""
    scales = ",".join(f"{0.01 * (i + 1)}" for i in range(count))
    return f"!quant.uniform<i8<-127:127>:f32:{axis}, {{{scales}}}>"


def version(op: str, operands: list[str], results: list[str], props: str = "") -> int:
    """The version of one op with operands of the given types ("none": absent)."""
    args = [f"%a{i}: {t}" for i, t in enumerate(operands) if t != "none"]
    names = []
    body = []
    for i, t in enumerate(operands):
        if t == "none":
            body.append(f'  %n{i} = "tfl.no_value"() <{{value}}> : () -> none')
            names.append(f"%n{i}")
        else:
            names.append(f"%a{i}")
    lhs = "%r = " if len(results) == 1 else f"%r:{len(results)} = "
    props = f" <{{{props}}}>" if props else ""
    body.append(f'  {lhs}"{op}"({", ".join(names)}){props} : ({", ".join(operands)}) -> ({", ".join(results)})')
    text = f"func.func @f({', '.join(args)}) {{\n" + "\n".join(body) + "\n  func.return\n}\n"
    module = parse_module(text)
    (target,) = [o for o in module.walk() if o.name == op]
    return versions.operator_version(target)


ACT = 'fused_activation_function = "NONE"'


def t(shape: str, element: str) -> str:
    return f"tensor<{shape}x{element}>" if shape else f"tensor<{element}>"


@pytest.mark.parametrize(
    "element, expected",
    # int16 (unquantized) is 1: TensorFlow writes a quantization table on every tensor
    [("f32", 1), (I8, 2), ("i64", 4), ("f16", 6), ("i16", 1)],
)
def test_add_versions(element: str, expected: int) -> None:
    ty = t("2x3", element)
    assert version("tfl.add", [ty, ty], [ty], ACT) == expected


def test_add_has_no_broadcast_version_but_sub_div_and_maximum_do() -> None:
    big, small = t("2x3x4x5x6", "f32"), t("6", "f32")
    assert version("tfl.add", [big, small], [big], ACT) == 1
    assert version("tfl.sub", [big, small], [big], ACT) == 3
    assert version("tfl.div", [big, small], [big], ACT) == 2
    assert version("tfl.maximum", [big, small], [big]) == 3
    # same shapes, or at most 4-D: no broadcasting kernel needed
    assert version("tfl.sub", [big, big], [big], ACT) == 1
    four, vec = t("2x3x4x5", "f32"), t("5", "f32")
    assert version("tfl.sub", [four, vec], [four], ACT) == 1


def test_mul_versions() -> None:
    assert version("tfl.mul", [t("4", I8)] * 2, [t("4", "!quant.uniform<i8:f32, 0.5>")], ACT) == 2
    # input scales over output scale >= 1: the rescaling kernel of version 3
    assert version("tfl.mul", [t("4", I8)] * 2, [t("4", "!quant.uniform<i8:f32, 0.001>")], ACT) == 3
    assert version("tfl.mul", [t("4", "i16")] * 2, [t("4", "i16")], ACT) == 4
    assert version("tfl.mul", [t("4", "i64")] * 2, [t("4", "i64")], ACT) == 5


CONV = ('padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32, '
        f"dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, {ACT}")


@pytest.mark.parametrize(
    "x, w, y, expected",
    [
        ("f32", "f32", "f32", 1),
        (I8, I8W, I8, 3),
        ("f32", I8W, "f32", 2),  # hybrid, per tensor
        ("f32", per_axis(0, 8), "f32", 5),  # hybrid, per channel
        (I16, per_axis(0, 8), I16, 1),  # int16x8 without a quantized bias: no dedicated version
    ],
)
def test_conv_2d_versions(x: str, w: str, y: str, expected: int) -> None:
    operands = [t("1x8x8x4", x), t("8x3x3x4", w), "none"]
    assert version("tfl.conv_2d", operands, [t("1x8x8x8", y)], CONV) == expected


def test_grouped_conv_2d_is_version_6() -> None:
    operands = [t("1x8x8x4", "f32"), t("8x3x3x2", "f32"), "none"]
    assert version("tfl.conv_2d", operands, [t("1x8x8x8", "f32")], CONV) == 6


def test_depthwise_conv_2d_versions() -> None:
    props = CONV + ", depth_multiplier = 1 : i32"
    x, w, y = t("1x8x8x4", "f32"), t("1x3x3x4", "f32"), t("1x8x8x4", "f32")
    assert version("tfl.depthwise_conv_2d", [x, w, "none"], [y], props) == 1
    dilated = props.replace("dilation_h_factor = 1", "dilation_h_factor = 2")
    assert version("tfl.depthwise_conv_2d", [x, w, "none"], [y], dilated) == 2
    assert version("tfl.depthwise_conv_2d", [t("1x8x8x4", I8), t("1x3x3x4", per_axis(3, 4)), "none"],
                   [t("1x8x8x4", I8)], props) == 3
    assert version("tfl.depthwise_conv_2d", [x, t("1x3x3x4", per_axis(3, 4)), "none"], [y], props) == 6
    assert version("tfl.depthwise_conv_2d", [x, t("1x3x3x4", I8W), "none"], [y], props) == 4


def fc_props(keep: bool = False, asymmetric: bool = False, weights: str = "DEFAULT") -> str:
    return (f'{ACT}, weights_format = "{weights}", keep_num_dims = {str(keep).lower()}, '
            f"asymmetric_quantize_inputs = {str(asymmetric).lower()}")


@pytest.mark.parametrize(
    "x, w, y, props, expected",
    [
        ("f32", "f32", "f32", fc_props(), 1),
        ("f32", "f32", "f32", fc_props(weights="SHUFFLED4x16INT8"), 2),
        ("f32", I8W, "f32", fc_props(), 3),
        ("f32", I8W, "f32", fc_props(asymmetric=True), 9),
        ("f32", per_axis(0, 6), "f32", fc_props(asymmetric=True), 12),
        (I8, I8W, I8, fc_props(), 4),
        ("f32", "f32", "f32", fc_props(keep=True), 5),
        (I8, I8W, I8, fc_props(keep=True), 5),
        ("f32", I8W, "f32", fc_props(keep=True, asymmetric=True), 5),
        (I16, I8W, I16, fc_props(), 1),
    ],
)
def test_fully_connected_versions(x: str, w: str, y: str, props: str, expected: int) -> None:
    operands = [t("2x4", x), t("6x4", w), t("6", "f32")]
    assert version("tfl.fully_connected", operands, [t("2x6", y)], props) == expected


def test_transpose_conv_versions() -> None:
    props = 'padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32, '
    operands = [t("4", "i32"), t("4x3x3x2", "f32"), t("1x4x4x2", "f32")]
    out = [t("1x8x8x4", "f32")]
    assert version("tfl.transpose_conv", [*operands, "none"], out, props + ACT) == 1
    assert version("tfl.transpose_conv", [*operands, t("4", "f32")], out, props + ACT) == 3
    relu = props + 'fused_activation_function = "RELU"'
    assert version("tfl.transpose_conv", [*operands, "none"], out, relu) == 4
    q = [t("4", "i32"), t("4x3x3x2", I8W), t("1x4x4x2", I8)]
    assert version("tfl.transpose_conv", [*q, "none"], [t("1x8x8x4", I8)], props + ACT) == 2


def test_quantize_and_dequantize_versions() -> None:
    assert version("tfl.dequantize", [t("4x4", "f16")], [t("4x4", "f32")]) == 3
    assert version("tfl.dequantize", [t("4x4", I8)], [t("4x4", "f32")]) == 2
    assert version("tfl.dequantize", [t("4x4", per_axis(0, 4))], [t("4x4", "f32")]) == 5
    assert version("tfl.quantize", [t("4", "f32")], [t("4", I8)]) == 1
    assert version("tfl.quantize", [t("4", "f32")], [t("4", I16)]) == 2


def test_shape_op_versions() -> None:
    perm = t("5", "i32")
    assert version("tfl.transpose", [t("2x3x4x5x6", "f32"), perm], [t("6x5x4x3x2", "f32")]) == 4
    assert version("tfl.transpose", [t("2x3x4x5", I8), t("4", "i32")], [t("5x4x3x2", I8)]) == 2
    assert version("tfl.transpose", [t("1x2x3x4x5x6", "f32"), t("6", "i32")], [t("6x5x4x3x2x1", "f32")]) == 6
    idx = t("2", "i32")

    def strided_slice(ellipsis: int = 0, offset: str = "false", shape: str = "4x4") -> int:
        props = (f"begin_mask = 0 : i32, end_mask = 0 : i32, shrink_axis_mask = 0 : i32, offset = {offset}, "
                 f"ellipsis_mask = {ellipsis} : i32, new_axis_mask = 0 : i32")
        index = t(str(len(shape.split("x"))), "i32")
        return version("tfl.strided_slice", [t(shape, "f32"), index, index, index], [t("2x2", "f32")], props)

    assert strided_slice() == 1
    assert strided_slice(ellipsis=1) == 6
    assert strided_slice(offset="true") == 8
    assert strided_slice(shape="2x2x2x2x4") == 4
    assert version("tfl.broadcast_to", [t("3", "f32"), idx], [t("2x3", "f32")]) == 2
    assert version("tfl.broadcast_to", [t("3", I8), idx], [t("2x3", I8)]) == 3
    gather = "axis = 1 : i32, batch_dims = {} : i32"
    assert version("tfl.gather", [t("2x3x4", "f32"), t("2x2", "i32")], [t("2x2x4", "f32")], gather.format(0)) == 1
    assert version("tfl.gather", [t("2x3x4", "f32"), t("2x2", "i32")], [t("2x2x4", "f32")], gather.format(1)) == 5
    assert version("tfl.concatenation", [t("2", I8)] * 2, [t("4", I8)], "axis = 0 : i32, " + ACT) == 2
    assert version("tfl.split", [t("", "i32"), t("4", "i32")], [t("2", "i32")] * 2, "num_splits = 2 : i32") == 3


@pytest.mark.parametrize(
    "op, element, expected",
    [
        ("tfl.tanh", I8, 2), ("tfl.tanh", I16, 3), ("tfl.logistic", I8, 2),
        ("tfl.relu", "!quant.uniform<u8:f32, 0.1:128>", 2), ("tfl.relu6", I16, 3), ("tfl.rsqrt", I8, 2),
        ("tfl.exp", I16, 2), ("tfl.sign", "i32", 2), ("tfl.abs", "i32", 5), ("tfl.abs", I8, 2),
        ("tfl.neg", I8, 1), ("tfl.hard_swish", I8, 1), ("tfl.sin", "f16", 2),
    ],
)
def test_unary_versions(op: str, element: str, expected: int) -> None:
    ty = t("4", element)
    assert version(op, [ty], [ty]) == expected


def test_activation_and_reduction_versions() -> None:
    beta = "beta = 1.0 : f32"
    assert version("tfl.softmax", [t("2x4", I8)], [t("2x4", "!quant.uniform<i8:f32, 0.00390625:-128>")], beta) == 2
    assert version("tfl.softmax", [t("2x4", "f32")], [t("2x4", "f32")], beta) == 1
    axes = t("1", "i32")
    assert version("tfl.mean", [t("2x4", I8), axes], [t("2", I8)], "keep_dims = false") == 2
    assert version("tfl.mean", [t("2x4", I16), axes], [t("2", I16)], "keep_dims = false") == 3
    assert version("tfl.sum", [t("2x4", I8), axes], [t("2", I8)], "keep_dims = false") == 2
    assert version("tfl.arg_max", [t("2x4", I8), axes], [t("2", "i32")]) == 2
    assert version("tfl.cast", [t("4", "f32")], [t("4", "i8")]) == 3
    assert version("tfl.cast", [t("4", "f32")], [t("4", "i32")]) == 1


def test_rule_versions_have_runtime_versions() -> None:
    """Every version the unit cases above produce is in the runtime table."""
    cases = [("ADD", 6), ("SUB", 3), ("CONV_2D", 6), ("DEPTHWISE_CONV_2D", 6), ("FULLY_CONNECTED", 12),
             ("TRANSPOSE_CONV", 4), ("DEQUANTIZE", 5), ("STRIDED_SLICE", 8), ("GATHER", 5), ("TRANSPOSE", 6)]
    for builtin, v in cases:
        assert versions.runtime_version(builtin, v), (builtin, v)


# -- min_runtime_version ----------------------------------------------------------------------


def test_min_runtime_version_compares_numerically() -> None:
    assert versions.min_runtime_version([("ADD", 1), ("CONV_2D", 4)]) == "2.3.0"  # 1.5.0 < 2.3.0
    assert versions.min_runtime_version([("SIGN", 1), ("BATCH_MATMUL", 1)]) == "2.11.0"  # 2.11 > 2.3
    assert versions.min_runtime_version([("SUB", 2), ("TILE", 1)]) == "1.14.0"  # 1.14.0 > 1.10.1
    assert versions.min_runtime_version([("ADD", 99)]) == ""  # unknown versions are skipped
    assert versions.min_runtime_version([]) == ""


def test_export_writes_one_opcode_per_operator_at_its_highest_version_and_runs() -> None:
    """An int8 add and a float add share one ADD OperatorCode at version 2; the model runs."""
    text = f"""
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {{
      %q = "tfl.quantize"(%x) : (tensor<4xf32>) -> tensor<4x{I8}>
      %a = "tfl.add"(%q, %q) <{{{ACT}}}> : (tensor<4x{I8}>, tensor<4x{I8}>) -> tensor<4x{I8}>
      %d = "tfl.dequantize"(%a) : (tensor<4x{I8}>) -> tensor<4xf32>
      %s = "tfl.add"(%d, %x) <{{{ACT}}}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      func.return %s : tensor<4xf32>
    }}
    """
    model = export_module(parse_module(text))
    assert operator_versions(model) == {("QUANTIZE", 1), ("ADD", 2), ("DEQUANTIZE", 2)}
    assert min_runtime_version(model) == "1.14.0"
    x = np.array([-1.0, 0.0, 0.5, 2.0], np.float32)
    runner = Interpreter(model_content=model).get_signature_runner("serving_default")
    (name,) = runner.get_input_details()
    (y,) = runner(**{name: x}).values()
    q = np.clip(np.round(x / 0.05) + 3, -128, 127)
    doubled = np.clip(np.round(2 * (q - 3) * 0.05 / 0.05) + 3, -128, 127)
    np.testing.assert_allclose(y, (doubled - 3) * 0.05 + x, atol=1e-6)


# -- against TensorFlow's converter ------------------------------------------------------------

MODES = ("float", "float16", "dynamic-range", "int8")


def _cnn():
    import keras

    keras.utils.set_random_seed(7)
    layers = keras.layers
    x = keras.Input((12, 12, 3), batch_size=1, name="image")
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    h = layers.Conv2D(32, 3, padding="same")(h)
    d = layers.DepthwiseConv2D(3, padding="same", activation="relu6")(h)
    h = layers.MaxPooling2D()(layers.Add()([h, d]))
    h = layers.AveragePooling2D(2)(h)
    h = layers.GlobalAveragePooling2D()(h)
    y = layers.Softmax()(layers.Dense(40)(layers.Dense(64, activation="relu")(h)))
    return keras.Model(x, y), [(1, 12, 12, 3)]


def _transformer():
    import keras

    keras.utils.set_random_seed(8)
    layers = keras.layers
    x = keras.Input((8, 32), batch_size=1, name="tokens")
    a = layers.MultiHeadAttention(num_heads=2, key_dim=16)(x, x)
    h = layers.LayerNormalization()(x + a)
    f = layers.Dense(32)(layers.Dense(64, activation="gelu")(h))
    y = layers.Softmax()(layers.LayerNormalization()(h + f))
    return keras.Model(x, y), [(1, 8, 32)]


def _lstm():
    import keras

    keras.utils.set_random_seed(9)
    x = keras.Input((6, 8), batch_size=1, name="sequence")
    h = keras.layers.LSTM(32)(x)
    return keras.Model(x, keras.layers.Dense(40)(h)), [(1, 6, 8)]


BUILDERS = {"cnn": _cnn, "transformer": _transformer, "lstm": _lstm}
# TensorFlow's int8 calibration of a Keras LSTM crashes its process (TF 2.21): no reference.
CASES = [(m, mode) for m in BUILDERS for mode in MODES if (m, mode) != ("lstm", "int8")]


@pytest.fixture(scope="session")
def keras_models() -> dict:
    """The small Keras models, built once."""
    return {name: build() for name, build in BUILDERS.items()}


def _samples(shapes: list[tuple[int, ...]], count: int = 8) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(0)
    return [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(count)]


def _convert_tflc(model, shapes, mode: str) -> bytes:
    converter = tflc.Converter.from_keras_model(model)
    if mode != "float":
        converter.optimizations = [tflc.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [np.float16]
    if mode == "int8":
        converter.representative_dataset = lambda: iter(_samples(shapes))
    return converter.convert()


def _convert_tf(model, shapes, mode: str) -> bytes:
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if mode == "int8":
        converter.representative_dataset = lambda: iter(_samples(shapes))
    return converter.convert()


@pytest.fixture(scope="session")
def converted(keras_models) -> dict:
    """Both converters' models for every (model, mode) case, converted once."""
    out = {}
    for name, mode in CASES:
        model, shapes = keras_models[name]
        out[name, mode] = (_convert_tflc(model, shapes, mode), _convert_tf(model, shapes, mode))
    return out


# Pairs each case must contain, so that a comparison on few shared ops cannot pass unnoticed.
EXPECTED = {
    ("cnn", "float"): {("CONV_2D", 1), ("DEPTHWISE_CONV_2D", 1), ("FULLY_CONNECTED", 1), ("SOFTMAX", 1)},
    ("cnn", "float16"): {("DEQUANTIZE", 3), ("CONV_2D", 1)},
    ("cnn", "dynamic-range"): {("CONV_2D", 5), ("FULLY_CONNECTED", 12)},
    ("cnn", "int8"): {("CONV_2D", 3), ("DEPTHWISE_CONV_2D", 3), ("ADD", 2), ("MAX_POOL_2D", 2),
                      ("AVERAGE_POOL_2D", 2), ("MEAN", 2), ("FULLY_CONNECTED", 4), ("SOFTMAX", 2)},
    ("transformer", "float"): {("FULLY_CONNECTED", 5), ("BATCH_MATMUL", 1), ("GELU", 1)},
    ("transformer", "int8"): {("FULLY_CONNECTED", 5), ("BATCH_MATMUL", 2), ("SOFTMAX", 2)},
    ("lstm", "dynamic-range"): {("FULLY_CONNECTED", 12), ("WHILE", 1)},
}


@pytest.mark.parametrize("name, mode", CASES)
def test_operator_versions_equal_tensorflows(converted, name: str, mode: str) -> None:
    ours, theirs = converted[name, mode]
    a, b = dict(operator_versions(ours)), dict(operator_versions(theirs))
    shared = a.keys() & b.keys()
    assert len(shared) >= 4, (a, b)
    assert {op: a[op] for op in shared} == {op: b[op] for op in shared}
    assert EXPECTED.get((name, mode), set()) <= set(a.items())
    assert min_runtime_version(ours) == min_runtime_version(theirs)


@pytest.mark.parametrize("name, mode", CASES)
def test_versioned_models_run(keras_models, converted, name: str, mode: str) -> None:
    """ai-edge-litert loads and runs tflc's models at their versions (float: Keras's numbers)."""
    model, shapes = keras_models[name]
    (x,) = _samples(shapes, 1)[0]
    runner = Interpreter(model_content=converted[name, mode][0]).get_signature_runner("serving_default")
    details = next(iter(runner.get_input_details().values()))
    (y,) = runner(**{next(iter(runner.get_input_details())): x.astype(details["dtype"])}).values()
    want = np.asarray(model(x))
    tolerance = {"float": 1e-4, "float16": 2e-2}.get(mode, 0.25)
    assert np.abs(y - want).max() <= tolerance * max(1.0, np.abs(want).max())


def test_import_accepts_any_version_and_reexports_the_same(converted) -> None:
    """TensorFlow's int8 model (versions up to 5) imports; re-exported, its versions are the same."""
    theirs = converted["cnn", "int8"][1]
    assert max(v for _, v in operator_versions(theirs)) > 2
    again = export_module(import_model(theirs))
    assert operator_versions(again) == operator_versions(theirs)
    assert min_runtime_version(again) == min_runtime_version(theirs)


def test_sequence_rnn_and_lstm_versions() -> None:
    """Float 1; hybrid (int8 weights) 2, with asymmetric inputs 3; LSTM diagonal recurrent tensors 4."""
    x, state, w, b = t("2x3x4", "f32"), t("2x5", "f32"), t("5x4", "f32"), t("5", "f32")
    rnn = 'fused_activation_function = "TANH", time_major = false'
    assert version("tfl.unidirectional_sequence_rnn", [x, w, t("5x5", "f32"), b, state], [t("2x3x5", "f32")], rnn) == 1
    hybrid = [x, t("5x4", I8W), t("5x5", I8W), b, state]
    assert version("tfl.unidirectional_sequence_rnn", hybrid, [t("2x3x5", "f32")], rnn) == 2
    asymmetric = rnn + ", asymmetric_quantize_inputs = true"
    assert version("tfl.unidirectional_sequence_rnn", hybrid, [t("2x3x5", "f32")], asymmetric) == 3
    gates, recurrent = [w] * 4, [t("5x5", "f32")] * 4
    lstm = [x, *gates, *recurrent, "none", "none", "none", b, b, b, b, "none", "none", state, state]
    lstm += ["none"] * 4
    props = 'fused_activation_function = "TANH", time_major = false'
    assert version("tfl.unidirectional_sequence_lstm", lstm, [t("2x3x5", "f32")], props) == 1
    hybrid_lstm = [x, *[t("5x4", I8W)] * 4, *recurrent, *lstm[9:]]
    assert version("tfl.unidirectional_sequence_lstm", hybrid_lstm, [t("2x3x5", "f32")], props) == 2
    diagonal = props + ", diagonal_recurrent_tensors = true"
    assert version("tfl.unidirectional_sequence_lstm", lstm, [t("2x3x5", "f32")], diagonal) == 4
