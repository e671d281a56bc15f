"""Every legalize-tf lowering, run in ai-edge-litert against a numpy reference."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import mlir_to_tflite, run_signature

RNG = np.random.default_rng(42)
A = RNG.standard_normal((2, 3)).astype(np.float32)
POS = (np.abs(A) + 0.5).astype(np.float32)


def _ty(x: np.ndarray) -> str:
    el = {np.float32: "f32", np.int32: "i32", np.int64: "i64"}[x.dtype.type]
    return "tensor<" + "".join(f"{d}x" for d in x.shape) + el + ">"


def _dense(x: np.ndarray) -> str:
    if x.size > 1:
        return f'dense<"0x{x.tobytes().hex().upper()}"> : {_ty(x)}'
    return f"dense<{x.reshape(-1)[0]}> : {_ty(x)}"


def _run(body: str, inputs: list[np.ndarray], out_type: str) -> np.ndarray:
    args = ", ".join(f"%arg{i}: {_ty(x)}" for i, x in enumerate(inputs))
    text = f"func.func @main({args}) -> {out_type} {{\n{body}\n  func.return %r : {out_type}\n}}"
    model = mlir_to_tflite(text)
    return run_signature(model, "serving_default", **{f"arg{i}": x for i, x in enumerate(inputs)})["output_0"]


UNARY = {
    "Neg": (A, np.negative),
    "Square": (A, np.square),
    "Sqrt": (POS, np.sqrt),
    "Rsqrt": (POS, lambda x: 1 / np.sqrt(x)),
    "Exp": (A, np.exp),
    "Log": (POS, np.log),
    "Tanh": (A, np.tanh),
    "Sigmoid": (A, lambda x: 1 / (1 + np.exp(-x))),
    "Relu": (A, lambda x: np.maximum(x, 0)),
    "Relu6": (A * 10, lambda x: np.clip(x, 0, 6)),
    "Softmax": (A, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    "Identity": (A, lambda x: x),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name: str) -> None:
    x, ref = UNARY[name]
    t = _ty(x)
    out = _run(f'  %r = "tf.{name}"(%arg0) : ({t}) -> {t}', [x], t)
    np.testing.assert_allclose(out, ref(x), rtol=1e-5, atol=1e-6)


B = RNG.standard_normal((3,)).astype(np.float32)
BINARY = {
    "AddV2": np.add,
    "Add": np.add,
    "Sub": np.subtract,
    "Mul": np.multiply,
    "RealDiv": np.divide,
    "Maximum": np.maximum,
    "Minimum": np.minimum,
    "Pow": np.power,
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_broadcast(name: str) -> None:
    x, y = (POS, np.abs(B) + 0.5) if name == "Pow" else (A, B + 2.0)
    y = y.astype(np.float32)
    body = f'  %r = "tf.{name}"(%arg0, %arg1) : ({_ty(x)}, {_ty(y)}) -> {_ty(x)}'
    np.testing.assert_allclose(_run(body, [x, y], _ty(x)), BINARY[name](x, y), rtol=1e-5)


def test_cast_float_to_int() -> None:
    x = np.array([[1.7, -2.2, 3.9]], np.float32)
    out = _run('  %r = "tf.Cast"(%arg0) : (tensor<1x3xf32>) -> tensor<1x3xi32>', [x], "tensor<1x3xi32>")
    np.testing.assert_array_equal(out, x.astype(np.int32))


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
@pytest.mark.parametrize("const_filter", [False, True])
def test_matmul(transpose_a: bool, transpose_b: bool, const_filter: bool) -> None:
    x = RNG.standard_normal((4, 3) if transpose_a else (3, 4)).astype(np.float32)
    w = RNG.standard_normal((2, 4) if transpose_b else (4, 2)).astype(np.float32)
    inputs = [x] if const_filter else [x, w]
    w_ref = "%w" if const_filter else "%arg1"
    body = ""
    if const_filter:
        body += f'  %w = "tf.Const"() {{value = {_dense(w)}}} : () -> {_ty(w)}\n'
    body += (
        f'  %r = "tf.MatMul"(%arg0, {w_ref}) {{transpose_a = {str(transpose_a).lower()}, '
        f'transpose_b = {str(transpose_b).lower()}}} : ({_ty(x)}, {_ty(w)}) -> tensor<3x2xf32>'
    )
    ref = (x.T if transpose_a else x) @ (w.T if transpose_b else w)
    np.testing.assert_allclose(_run(body, inputs, "tensor<3x2xf32>"), ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("adj_x,adj_y", [(False, False), (True, False), (False, True)])
def test_batch_matmul_bias_add(adj_x: bool, adj_y: bool) -> None:
    x = RNG.standard_normal((2, 4, 3) if adj_x else (2, 3, 4)).astype(np.float32)
    y = RNG.standard_normal((2, 5, 4) if adj_y else (2, 4, 5)).astype(np.float32)
    b = RNG.standard_normal((5,)).astype(np.float32)
    body = (
        f'  %m = "tf.BatchMatMulV2"(%arg0, %arg1) {{adj_x = {str(adj_x).lower()}, adj_y = {str(adj_y).lower()}}}'
        f" : ({_ty(x)}, {_ty(y)}) -> tensor<2x3x5xf32>\n"
        f'  %r = "tf.BiasAdd"(%m, %arg2) {{data_format = "NHWC"}}'
        f" : (tensor<2x3x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>"
    )
    xs = np.swapaxes(x, 1, 2) if adj_x else x
    ys = np.swapaxes(y, 1, 2) if adj_y else y
    np.testing.assert_allclose(_run(body, [x, y, b], "tensor<2x3x5xf32>"), xs @ ys + b, rtol=1e-5, atol=1e-5)


def test_reshape_transpose_i64_shapes() -> None:
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    shape = np.array([6, 4], np.int64)
    perm = np.array([1, 0], np.int64)
    body = (
        f'  %s = "tf.Const"() {{value = {_dense(shape)}}} : () -> tensor<2xi64>\n'
        f'  %p = "tf.Const"() {{value = {_dense(perm)}}} : () -> tensor<2xi64>\n'
        '  %0 = "tf.Reshape"(%arg0, %s) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>\n'
        '  %r = "tf.Transpose"(%0, %p) : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>'
    )
    np.testing.assert_array_equal(_run(body, [x], "tensor<4x6xf32>"), x.reshape(6, 4).T)


def test_reshape_with_runtime_shape() -> None:
    x = RNG.standard_normal((2, 6)).astype(np.float32)
    shape = np.array([3, 4], np.int64)
    body = '  %r = "tf.Reshape"(%arg0, %arg1) : (tensor<2x6xf32>, tensor<2xi64>) -> tensor<3x4xf32>'
    np.testing.assert_array_equal(_run(body, [x, shape], "tensor<3x4xf32>"), x.reshape(3, 4))


@pytest.mark.parametrize("op,ref", [("Mean", np.mean), ("Sum", np.sum)])
@pytest.mark.parametrize("keep_dims", [False, True])
def test_reductions(op: str, ref, keep_dims: bool) -> None:
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    axes = np.array([0, 2], np.int32)
    out_shape = (1, 3, 1) if keep_dims else (3,)
    out_t = _ty(np.zeros(out_shape, np.float32))
    body = (
        f'  %a = "tf.Const"() {{value = {_dense(axes)}}} : () -> tensor<2xi32>\n'
        f'  %r = "tf.{op}"(%arg0, %a) {{keep_dims = {str(keep_dims).lower()}}}'
        f" : (tensor<2x3x4xf32>, tensor<2xi32>) -> {out_t}"
    )
    np.testing.assert_allclose(_run(body, [x], out_t), ref(x, axis=(0, 2), keepdims=keep_dims), rtol=1e-5)


def test_concat_negative_axis() -> None:
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    y = RNG.standard_normal((2, 1)).astype(np.float32)
    body = (
        '  %a = "tf.Const"() {value = dense<-1> : tensor<i32>} : () -> tensor<i32>\n'
        '  %r = "tf.ConcatV2"(%arg0, %arg1, %arg0, %a)'
        " : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x3xf32>, tensor<i32>) -> tensor<2x7xf32>"
    )
    np.testing.assert_array_equal(_run(body, [x, y], "tensor<2x7xf32>"), np.concatenate([x, y, x], -1))


def test_dense_layer_dynamic_batch() -> None:
    """A Keras-style dense layer traced with a None batch runs at batch 5 after resize."""
    from ai_edge_litert.interpreter import Interpreter

    from tflc.backend.export import export_module
    from tflc.ir import parse_module
    from tflc.pipeline import run_pipeline

    w = RNG.standard_normal((4, 3)).astype(np.float32)
    b = RNG.standard_normal((3,)).astype(np.float32)
    text = f"""
    func.func @main(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {{
      %w = "tf.Const"() {{value = {_dense(w)}}} : () -> tensor<4x3xf32>
      %b = "tf.Const"() {{value = {_dense(b)}}} : () -> tensor<3xf32>
      %0 = "tf.MatMul"(%x, %w) : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
      %1 = "tf.BiasAdd"(%0, %b) : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
      %2 = "tf.Relu"(%1) : (tensor<?x3xf32>) -> tensor<?x3xf32>
      func.return %2 : tensor<?x3xf32>
    }}
    """
    module = parse_module(text)
    run_pipeline(module, "legalize-tf,canonicalize,cse,dce")
    interpreter = Interpreter(model_content=export_module(module))
    x = RNG.standard_normal((5, 4)).astype(np.float32)
    out = interpreter.get_signature_runner()(arg0=x)["output_0"]
    np.testing.assert_allclose(out, np.maximum(x @ w + b, 0), rtol=1e-5, atol=1e-6)


INTS = RNG.integers(-1000, 1000, (2, 3)).astype(np.int32)
SHIFT = RNG.integers(0, 8, (2, 3)).astype(np.int32)


@pytest.mark.parametrize(
    "name, x, y, ref",
    [
        ("Atan2", A, POS - 1.0, np.arctan2),
        ("BitwiseXor", INTS, SHIFT * 37, np.bitwise_xor),
        ("RightShift", INTS, SHIFT, np.right_shift),
    ],
)
def test_binary_one_to_one(name: str, x: np.ndarray, y: np.ndarray, ref) -> None:
    """One-to-one lowerings added through the ONE_TO_ONE table (CONTRIBUTING.md's example)."""
    t = _ty(x)
    out = _run(f'  %r = "tf.{name}"(%arg0, %arg1) : ({t}, {t}) -> {t}', [x, y], t)
    np.testing.assert_allclose(out, ref(x, y), rtol=1e-6, atol=1e-6)


def test_one_to_one_respects_kernel_types() -> None:
    """A tf op whose types the tfl op's constraints reject stays unlowered (reported, or Flex)."""
    from tflc.errors import ConversionError

    t = "tensor<2x3xf32>"
    with pytest.raises(ConversionError, match="tf.BitwiseXor x1"):
        _run(f'  %r = "tf.BitwiseXor"(%arg0, %arg0) : ({t}, {t}) -> {t}', [A], t)
