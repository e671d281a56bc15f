"""Optimization passes keep the numbers and shrink the op count."""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

import tflc

OPTIMIZATIONS = (
    "tfl-fold-constants", "tfl-remove-redundant", "tfl-fuse-affine", "tfl-fuse-pad", "tfl-fuse-activations"
)
RNG = np.random.default_rng(7)


def _hex(x: np.ndarray) -> str:
    return f'dense<"0x{x.tobytes().hex().upper()}">'


def _dense_chain(blocks: int, activation: str, width: int = 8) -> str:
    """tf ops of `blocks` dense layers: MatMul, BiasAdd, scale by a constant, activation."""
    lines, value, n = [], "%x", width
    for i in range(blocks):
        w = RNG.standard_normal((n, n)).astype(np.float32) / 3
        b = RNG.standard_normal(n).astype(np.float32)
        s = RNG.uniform(0.5, 1.5, n).astype(np.float32)
        lines += [
            f'%w{i} = "tf.Const"() {{value = {_hex(w)} : tensor<{n}x{n}xf32>}} : () -> tensor<{n}x{n}xf32>',
            f'%b{i} = "tf.Const"() {{value = {_hex(b)} : tensor<{n}xf32>}} : () -> tensor<{n}xf32>',
            f'%s{i} = "tf.Const"() {{value = {_hex(s)} : tensor<{n}xf32>}} : () -> tensor<{n}xf32>',
            f'%m{i} = "tf.MatMul"({value}, %w{i}) : (tensor<?x{n}xf32>, tensor<{n}x{n}xf32>) -> tensor<?x{n}xf32>',
            f'%a{i} = "tf.BiasAdd"(%m{i}, %b{i}) : (tensor<?x{n}xf32>, tensor<{n}xf32>) -> tensor<?x{n}xf32>',
            f'%c{i} = "tf.Mul"(%a{i}, %s{i}) : (tensor<?x{n}xf32>, tensor<{n}xf32>) -> tensor<?x{n}xf32>',
            f'%r{i} = "tf.{activation}"(%c{i}) : (tensor<?x{n}xf32>) -> tensor<?x{n}xf32>',
        ]
        value = f"%r{i}"
    body = "\n  ".join(lines)
    return (
        f"func.func @main(%x: tensor<?x{n}xf32>) -> tensor<?x{n}xf32> {{\n"
        f"  {body}\n  func.return {value} : tensor<?x{n}xf32>\n}}"
    )


def _convert(text: str, optimize: bool) -> tuple[bytes, tflc.Converter]:
    converter = tflc.Converter.from_module(tflc.parse_module(text))
    converter.verify_each_pass = True
    if not optimize:
        converter.pipeline = [p for p in converter.pipeline if p.name not in OPTIMIZATIONS]
    return converter.convert(), converter


@pytest.mark.parametrize("activation", ["Relu", "Relu6", "Tanh"])
def test_dense_chain_fuses_to_one_op_per_layer(activation: str) -> None:
    text = _dense_chain(6, activation)
    fused, converter = _convert(text, optimize=True)
    plain, _ = _convert(text, optimize=False)
    x = RNG.standard_normal((5, 8)).astype(np.float32)
    got = Interpreter(model_content=fused).get_signature_runner()(arg0=x)["output_0"]
    expected = Interpreter(model_content=plain).get_signature_runner()(arg0=x)["output_0"]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    histogram = converter.report.op_histogram
    if activation == "Tanh":  # TFLite kernels do not apply a fused TANH
        assert histogram == {"fully_connected": 6, "tanh": 6}
    else:
        assert histogram == {"fully_connected": 6}
        assert converter.report.optimizations[f"fused {activation.upper()} into tfl.fully_connected"] == 6
    assert converter.report.optimizations["folded mul into tfl.fully_connected weights"] == 6


@pytest.mark.parametrize("op", ["AddV2", "Sub", "Mul", "RealDiv"])
@pytest.mark.parametrize("activation", ["Relu", "Relu6"])
def test_activation_fused_into_elementwise(op: str, activation: str) -> None:
    text = f"""
    func.func @main(%x: tensor<4x3xf32>, %y: tensor<4x3xf32>) -> tensor<4x3xf32> {{
      %0 = "tf.{op}"(%x, %y) : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
      %1 = "tf.{activation}"(%0) : (tensor<4x3xf32>) -> tensor<4x3xf32>
      func.return %1 : tensor<4x3xf32>
    }}"""
    fused, converter = _convert(text, optimize=True)
    assert sum(converter.report.op_histogram.values()) == 1
    x = (RNG.standard_normal((4, 3)) * 5).astype(np.float32)
    y = (RNG.uniform(0.5, 2, (4, 3)) * np.sign(RNG.standard_normal((4, 3)))).astype(np.float32)
    got = Interpreter(model_content=fused).get_signature_runner()(arg0=x, arg1=y)["output_0"]
    ref = {"AddV2": x + y, "Sub": x - y, "Mul": x * y, "RealDiv": x / y}[op]
    ref = np.maximum(ref, 0) if activation == "Relu" else np.clip(ref, 0, 6)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


def test_constant_subgraphs_fold() -> None:
    text = """
    func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
      %a = "tf.Const"() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
      %b = "tf.Exp"(%a) : (tensor<3xf32>) -> tensor<3xf32>
      %c = "tf.Sqrt"(%b) : (tensor<3xf32>) -> tensor<3xf32>
      %0 = "tf.Mul"(%x, %c) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      func.return %0 : tensor<2x3xf32>
    }"""
    model, converter = _convert(text, optimize=True)
    assert converter.report.op_histogram == {"mul": 1}
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    got = Interpreter(model_content=model).get_signature_runner()(arg0=x)["output_0"]
    np.testing.assert_allclose(got, x * np.sqrt(np.exp([1.0, 2.0, 3.0])), rtol=1e-6)


@pytest.mark.parametrize("size,pads", [(8, ((0, 1), (0, 1))), (7, ((1, 1), (1, 1))), (8, ((1, 1), (1, 1)))])
def test_pad_fused_into_conv_when_it_equals_same(size: int, pads) -> None:
    """Keras' ZeroPadding2D + VALID stride-2 conv becomes one SAME conv when equivalent."""
    x = RNG.standard_normal((1, size, size, 3)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 3, 4)).astype(np.float32)
    padded = size + sum(pads[0])
    out = (padded - 3) // 2 + 1
    paddings = np.array([[0, 0], list(pads[0]), list(pads[1]), [0, 0]], np.int32)
    text = f"""
    func.func @main(%x: tensor<1x{size}x{size}x3xf32>) -> tensor<1x{out}x{out}x4xf32> {{
      %p = "tf.Const"() {{value = {_hex(paddings)} : tensor<4x2xi32>}} : () -> tensor<4x2xi32>
      %w = "tf.Const"() {{value = {_hex(w)} : tensor<3x3x3x4xf32>}} : () -> tensor<3x3x3x4xf32>
      %0 = "tf.Pad"(%x, %p) : (tensor<1x{size}x{size}x3xf32>, tensor<4x2xi32>) -> tensor<1x{padded}x{padded}x3xf32>
      %1 = "tf.Conv2D"(%0, %w) {{padding = "VALID", strides = [1, 2, 2, 1], data_format = "NHWC",
          dilations = [1, 1, 1, 1]}}
          : (tensor<1x{padded}x{padded}x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x{out}x{out}x4xf32>
      func.return %1 : tensor<1x{out}x{out}x4xf32>
    }}"""
    fused, converter = _convert(text, optimize=True)
    plain, _ = _convert(text, optimize=False)
    same = (
        (size + 1) // 2 == out
        and sum(pads[0]) == max((out - 1) * 2 + 3 - size, 0)
        and pads[0][0] == sum(pads[0]) // 2
    )
    assert ("pad" not in converter.report.op_histogram) == same
    got = Interpreter(model_content=fused).get_signature_runner()(arg0=x)["output_0"]
    expected = Interpreter(model_content=plain).get_signature_runner()(arg0=x)["output_0"]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_input_scale_identities_and_keep_dims_keep_numbers() -> None:
    """Scalar pre-scale into conv weights, x*1 / x-0 removal and reshape-into-keep_dims."""
    w = RNG.standard_normal((3, 3, 3, 4)).astype(np.float32)
    text = f"""
    func.func @main(%x: tensor<1x6x6x3xf32>) -> tensor<1x1x1x4xf32> {{
      %s = "tf.Const"() {{value = dense<0.25> : tensor<f32>}} : () -> tensor<f32>
      %one = "tf.Const"() {{value = dense<1.0> : tensor<f32>}} : () -> tensor<f32>
      %zero = "tf.Const"() {{value = dense<0.0> : tensor<3xf32>}} : () -> tensor<3xf32>
      %w = "tf.Const"() {{value = {_hex(w)} : tensor<3x3x3x4xf32>}} : () -> tensor<3x3x3x4xf32>
      %a = "tf.Mul"(%x, %one) : (tensor<1x6x6x3xf32>, tensor<f32>) -> tensor<1x6x6x3xf32>
      %b = "tf.Sub"(%a, %zero) : (tensor<1x6x6x3xf32>, tensor<3xf32>) -> tensor<1x6x6x3xf32>
      %c = "tf.Mul"(%b, %s) : (tensor<1x6x6x3xf32>, tensor<f32>) -> tensor<1x6x6x3xf32>
      %d = "tf.Conv2D"(%c, %w) {{padding = "SAME", strides = [1, 1, 1, 1], data_format = "NHWC",
          dilations = [1, 1, 1, 1]}} : (tensor<1x6x6x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
      %axes = "tf.Const"() {{value = dense<[1, 2]> : tensor<2xi32>}} : () -> tensor<2xi32>
      %e = "tf.Mean"(%d, %axes) {{keep_dims = false}} : (tensor<1x6x6x4xf32>, tensor<2xi32>) -> tensor<1x4xf32>
      %shape = "tf.Const"() {{value = dense<[1, 1, 1, 4]> : tensor<4xi32>}} : () -> tensor<4xi32>
      %f = "tf.Reshape"(%e, %shape) : (tensor<1x4xf32>, tensor<4xi32>) -> tensor<1x1x1x4xf32>
      func.return %f : tensor<1x1x1x4xf32>
    }}"""
    fused, converter = _convert(text, optimize=True)
    plain, _ = _convert(text, optimize=False)
    assert converter.report.op_histogram == {"conv_2d": 1, "mean": 1}
    x = RNG.standard_normal((1, 6, 6, 3)).astype(np.float32)
    got = Interpreter(model_content=fused).get_signature_runner()(arg0=x)["output_0"]
    expected = Interpreter(model_content=plain).get_signature_runner()(arg0=x)["output_0"]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_attention_projection_patterns_keep_numbers() -> None:
    """Constant-weight batch_matmul -> fully_connected, a per-head bias add moved before the
    head-splitting reshape into the bias, reshapes around a dense layer -> keep_num_dims."""
    w = RNG.standard_normal((8, 8)).astype(np.float32)
    b = RNG.standard_normal((2, 4)).astype(np.float32)
    d = RNG.standard_normal((8, 5)).astype(np.float32)
    text = f"""
    func.func @main(%x: tensor<1x6x8xf32>) -> (tensor<1x6x2x4xf32>, tensor<1x6x5xf32>) {{
      %w = "tf.Const"() {{value = {_hex(w)} : tensor<8x8xf32>}} : () -> tensor<8x8xf32>
      %b = "tf.Const"() {{value = {_hex(b)} : tensor<2x4xf32>}} : () -> tensor<2x4xf32>
      %d = "tf.Const"() {{value = {_hex(d)} : tensor<8x5xf32>}} : () -> tensor<8x5xf32>
      %s1 = "tf.Const"() {{value = dense<[1, 6, 2, 4]> : tensor<4xi32>}} : () -> tensor<4xi32>
      %s2 = "tf.Const"() {{value = dense<[6, 8]> : tensor<2xi32>}} : () -> tensor<2xi32>
      %s3 = "tf.Const"() {{value = dense<[1, 6, 5]> : tensor<3xi32>}} : () -> tensor<3xi32>
      %0 = "tf.BatchMatMulV2"(%x, %w) : (tensor<1x6x8xf32>, tensor<8x8xf32>) -> tensor<1x6x8xf32>
      %1 = "tf.Reshape"(%0, %s1) : (tensor<1x6x8xf32>, tensor<4xi32>) -> tensor<1x6x2x4xf32>
      %2 = "tf.AddV2"(%1, %b) : (tensor<1x6x2x4xf32>, tensor<2x4xf32>) -> tensor<1x6x2x4xf32>
      %3 = "tf.Reshape"(%x, %s2) : (tensor<1x6x8xf32>, tensor<2xi32>) -> tensor<6x8xf32>
      %4 = "tf.MatMul"(%3, %d) : (tensor<6x8xf32>, tensor<8x5xf32>) -> tensor<6x5xf32>
      %5 = "tf.Reshape"(%4, %s3) : (tensor<6x5xf32>, tensor<3xi32>) -> tensor<1x6x5xf32>
      func.return %2, %5 : tensor<1x6x2x4xf32>, tensor<1x6x5xf32>
    }}"""
    fused, converter = _convert(text, optimize=True)
    plain, _ = _convert(text, optimize=False)
    assert converter.report.op_histogram == {"fully_connected": 2, "reshape": 1}
    x = RNG.standard_normal((1, 6, 8)).astype(np.float32)
    got = Interpreter(model_content=fused).get_signature_runner()(arg0=x)
    expected = Interpreter(model_content=plain).get_signature_runner()(arg0=x)
    for name in ("output_0", "output_1"):
        np.testing.assert_allclose(got[name], expected[name], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got["output_0"], (x @ w).reshape(1, 6, 2, 4) + b, rtol=1e-5, atol=1e-5)


def test_whole_tensor_dynamic_update_slice_is_the_update() -> None:
    """TFLite clamps start indices, so an update as large as the operand is the result."""
    text = """
    func.func @main(%x: tensor<1x4xf32>, %y: tensor<1x4xf32>, %i: tensor<2xi32>) -> tensor<1x4xf32> {
      %0 = "tfl.dynamic_update_slice"(%x, %y, %i) : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<2xi32>) -> tensor<1x4xf32>
      func.return %0 : tensor<1x4xf32>
    }"""
    fused, converter = _convert(text, optimize=True)
    plain, _ = _convert(text, optimize=False)
    assert "dynamic_update_slice" not in converter.report.op_histogram
    x = np.zeros((1, 4), np.float32)
    y = RNG.standard_normal((1, 4)).astype(np.float32)
    for index in ([0, 0], [1, 3], [-2, 5]):
        feed = {"arg0": x, "arg1": y, "arg2": np.array(index, np.int32)}
        got = Interpreter(model_content=fused).get_signature_runner()(**feed)["output_0"]
        expected = Interpreter(model_content=plain).get_signature_runner()(**feed)["output_0"]
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("pipeline", ["legalize-tf", "legalize-tf,tfl-fuse-affine"])
def test_passes_release_replaced_weights_at_once(pipeline: str) -> None:
    """A pass that replaces weights frees the old ones as it goes, not at its next sweep or
    the next DCE, so it never holds two copies: ResNet50's peak memory depends on it."""
    import gc
    import tracemalloc

    from tflc.ir import parse_module
    from tflc.pipeline import run_pipeline

    run_pipeline(parse_module(_dense_chain(1, "Relu")), pipeline)  # imports, not measured
    layers, size = 6, 512  # 6 weight matrices of 1 MiB
    module = parse_module(_dense_chain(layers, "Relu", size))
    gc.collect()
    gc.disable()
    try:
        tracemalloc.start()
        run_pipeline(module, pipeline)
        _, grown = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        gc.enable()
    weights = layers * size * size * 4
    assert grown < weights * 1.5, f"{pipeline} peaked at {grown / weights:.2f}x the weights"


def test_binary_ops_broadcast_implicitly_instead_of_reading_broadcast_to() -> None:
    """broadcast_to / fill feeding mul, add and (above its rank) pow: the first two read the
    broadcast's input and compute as numpy; pow at rank 5 keeps its explicit broadcast."""
    from helpers import mlir_to_tflite, run_signature

    text = """
func.func @main(%x: tensor<2x3x4xf32>, %y: tensor<4xf32>, %v: tensor<f32>)
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<1x2x3x4x1xf32>) {
  %shape = "tfl.pseudo_const"() <{value = dense<[2, 3, 4]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %b = "tfl.broadcast_to"(%y, %shape) : (tensor<4xf32>, tensor<3xi32>) -> tensor<2x3x4xf32>
  %0 = tfl.mul %x, %b {fused_activation_function = "NONE"} : tensor<2x3x4xf32>
  %f = "tfl.fill"(%shape, %v) : (tensor<3xi32>, tensor<f32>) -> tensor<2x3x4xf32>
  %1 = tfl.add %f, %x {fused_activation_function = "RELU"} : tensor<2x3x4xf32>
  %s5 = "tfl.pseudo_const"() <{value = dense<[1, 2, 3, 4, 1]> : tensor<5xi32>}> : () -> tensor<5xi32>
  %z = "tfl.reshape"(%x, %s5) : (tensor<2x3x4xf32>, tensor<5xi32>) -> tensor<1x2x3x4x1xf32>
  %bz = "tfl.broadcast_to"(%v, %s5) : (tensor<f32>, tensor<5xi32>) -> tensor<1x2x3x4x1xf32>
  %a = "tfl.abs"(%z) : (tensor<1x2x3x4x1xf32>) -> tensor<1x2x3x4x1xf32>
  %2 = tfl.pow %a, %bz : tensor<1x2x3x4x1xf32>
  func.return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<1x2x3x4x1xf32>
}
"""
    model = mlir_to_tflite(text, "tfl-optimize-broadcast-like,dce")
    from ai_edge_litert import schema_py_generated as fb

    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    ops = [parsed.operatorCodes[o.opcodeIndex].builtinCode for o in parsed.subgraphs[0].operators]
    assert ops.count(fb.BuiltinOperator.BROADCAST_TO) == 1 and fb.BuiltinOperator.FILL not in ops, ops
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    y = RNG.standard_normal(4).astype(np.float32)
    v = np.array(-0.25, np.float32)
    out = run_signature(model, "serving_default", arg0=x, arg1=y, arg2=v)
    np.testing.assert_allclose(out["output_0"], x * y, rtol=1e-6)
    np.testing.assert_allclose(out["output_1"], np.maximum(x + v, 0), rtol=1e-6)
    np.testing.assert_allclose(out["output_2"], np.abs(x).reshape(1, 2, 3, 4, 1) ** v, rtol=1e-5)
