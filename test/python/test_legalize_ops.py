"""The issue-4 lowerings, numerically: tiny TF functions saved as one SavedModel (one
signature per case), converted once by tflc, run in ai-edge-litert and compared with
TensorFlow eager."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

RNG = np.random.default_rng(4)


def _normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def _distinct(*shape: int) -> np.ndarray:
    """Values without ties (for max pooling, arg max and top-k)."""
    return (RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.37 - 3.0).astype(np.float32)


@dataclass
class Case:
    fn: Callable
    inputs: list[np.ndarray]
    rtol: float = 1e-5
    atol: float = 1e-5
    dynamic: tuple[int, ...] = ()  # input dims traced as unknown (None)


def _cases() -> dict[str, Case]:
    import keras
    import tensorflow as tf

    raw = tf.raw_ops
    c = lambda a: tf.constant(a)  # noqa: E731
    w3 = _normal(3, 3, 3, 4)
    x9 = _normal(1, 9, 9, 3)
    dw = _normal(3, 3, 3, 2)
    tw = _normal(3, 3, 2, 4)
    bn = [np.abs(_normal(4)) + 0.5, _normal(4), _normal(4), np.abs(_normal(4)) + 0.1]
    w3d = _normal(2, 3, 3, 2, 3)
    img = _normal(1, 4, 6, 3)
    x = _normal(2, 3, 4)
    pos = np.abs(x) + 0.25
    ints = RNG.integers(-9, 9, (2, 6)).astype(np.int32)
    kernel = _normal(4, 2, 3)
    divisor = np.where(np.abs(ints) < 1, 3, ints).astype(np.int32)[::-1].copy()
    cases = {
        # convolutions and pooling
        "conv2d_same_s2": Case(lambda x: tf.nn.conv2d(x, c(w3), 2, "SAME"), [x9]),
        "conv2d_valid_dilated": Case(lambda x: tf.nn.conv2d(x, c(w3), 1, "VALID", dilations=2), [x9]),
        "conv2d_explicit": Case(lambda x: tf.nn.conv2d(x, c(w3), [1, 2, 1, 1], [[0, 0], [1, 2], [2, 1], [0, 0]]), [x9]),
        "conv2d_variable_filter": Case(lambda x, w: tf.nn.conv2d(x, w, 1, "SAME"), [x9, w3]),
        "depthwise_same": Case(lambda x: tf.nn.depthwise_conv2d(x, c(dw), [1, 1, 1, 1], "SAME"), [x9]),
        "depthwise_s2_valid": Case(lambda x: tf.nn.depthwise_conv2d(x, c(dw), [1, 2, 2, 1], "VALID"), [x9]),
        "depthwise_dilated": Case(
            lambda x: raw.DepthwiseConv2dNative(input=x, filter=c(dw), strides=[1, 1, 1, 1], padding="SAME",
                                                dilations=[1, 2, 2, 1]),
            [x9],
        ),
        "depthwise_dilated_space_to_batch": Case(
            lambda x: tf.nn.depthwise_conv2d(x, c(dw), [1, 1, 1, 1], "SAME", dilations=[2, 2]), [x9]
        ),
        "conv2d_transpose_same": Case(
            lambda x: tf.nn.conv2d_transpose(x, c(tw), [1, 10, 10, 2], 2, "SAME"), [_normal(1, 5, 5, 4)]
        ),
        "conv2d_transpose_valid": Case(
            lambda x: tf.nn.conv2d_transpose(x, c(tw), [1, 11, 11, 2], 2, "VALID"), [_normal(1, 5, 5, 4)]
        ),
        "conv3d": Case(lambda x: tf.nn.conv3d(x, c(w3d), [1, 1, 2, 2, 1], "SAME"), [_normal(1, 4, 6, 6, 2)]),
        "max_pool": Case(lambda x: tf.nn.max_pool2d(x, 3, 2, "SAME"), [_distinct(1, 9, 9, 3)]),
        "avg_pool_valid": Case(lambda x: tf.nn.avg_pool2d(x, 2, 2, "VALID"), [x9]),
        "avg_pool_same": Case(lambda x: tf.nn.avg_pool2d(x, 3, 2, "SAME"), [x9]),
        "fused_batch_norm": Case(
            lambda x: raw.FusedBatchNormV3(x=x, scale=c(bn[0]), offset=c(bn[1]), mean=c(bn[2]), variance=c(bn[3]),
                                           epsilon=1e-3, is_training=False)[0],
            [_normal(1, 3, 3, 4)],
        ),
        "fused_batch_norm_dynamic_scale": Case(
            lambda x, s: raw.FusedBatchNormV3(x=x, scale=s, offset=c(bn[1]), mean=c(bn[2]), variance=c(bn[3]),
                                              epsilon=1e-3, is_training=False)[0],
            [_normal(1, 3, 3, 4), bn[0]],
        ),
        # padding
        "pad": Case(lambda x: tf.pad(x, [[0, 0], [1, 2], [0, 1]]), [x]),
        "padv2": Case(lambda x: tf.pad(x, [[1, 0], [0, 0], [2, 1]], constant_values=1.5), [x]),
        "mirror_pad_reflect": Case(lambda x: tf.pad(x, [[0, 1], [1, 2], [2, 1]], "REFLECT"), [x]),
        "mirror_pad_symmetric": Case(lambda x: tf.pad(x, [[1, 1], [0, 2], [3, 0]], "SYMMETRIC"), [x]),
        # shapes and slicing
        "squeeze_expand_dims": Case(lambda x: tf.expand_dims(tf.squeeze(x, [0, 2]), -1), [_normal(1, 3, 1, 2)]),
        "squeeze_all": Case(lambda x: tf.squeeze(x), [_normal(1, 3, 1, 2)]),
        "slice": Case(lambda x: tf.slice(x, [0, 1, 1], [2, -1, 2]), [x]),
        "strided_slice_masks": Case(lambda x: x[:, 1:, ::-2], [x]),
        "strided_slice_shrink": Case(lambda x: x[1, :, 2], [x]),
        "strided_slice_ellipsis_newaxis": Case(lambda x: x[..., None, 1:3], [x]),
        "strided_slice_newaxis_shrink": Case(lambda x: x[None, 0, ..., ::2], [x]),
        "split": Case(lambda x: tf.split(x, 2, axis=2), [x]),
        "split_v": Case(lambda x: tf.split(x, [1, -1], axis=1), [x]),
        "unpack": Case(lambda x: tf.unstack(x, axis=1), [x]),
        "tile": Case(lambda x: tf.tile(x, [2, 1, 3]), [x]),
        "broadcast_to": Case(lambda x: tf.broadcast_to(x, [2, 3, 4]), [_normal(3, 1)]),
        "gather_nd": Case(lambda x: tf.gather_nd(x, [[0, 1], [1, 2], [1, 0]]), [x]),
        "scatter_nd": Case(lambda u: tf.scatter_nd([[1], [3]], u, [5, 4]), [_normal(2, 4)]),
        "reverse": Case(lambda x: tf.reverse(x, [1, 2]), [x]),
        # selection, comparison, logic
        "select_v1": Case(lambda a, b: raw.Select(condition=a > b, x=a, y=b), [x, _normal(2, 3, 4)]),
        "select_v2_broadcast": Case(lambda a, b: tf.where(a > 0.0, a, b), [x, _normal(4)]),
        "comparisons": Case(
            lambda a, b: (tf.equal(a, b), tf.not_equal(a, b), a < b, a <= b, a > b, a >= b),
            [np.array([1, 2, 3, 4], np.float32), np.array([2, 2, 1, 5], np.float32)],
        ),
        "logical": Case(
            lambda a, b: (tf.logical_and(a > 0, b > 0), tf.logical_or(a > 0, b > 0), tf.logical_not(a > 0)),
            [x, _normal(2, 3, 4)],
        ),
        # activations
        "leaky_relu": Case(lambda x: tf.nn.leaky_relu(x, 0.3), [x]),
        "elu": Case(tf.nn.elu, [x]),
        "selu": Case(tf.nn.selu, [x]),
        "softplus": Case(tf.nn.softplus, [x * 10]),
        "gelu_exact": Case(lambda x: tf.nn.gelu(x, approximate=False), [x * 3], rtol=1e-5, atol=1e-6),
        "gelu_tanh": Case(lambda x: tf.nn.gelu(x, approximate=True), [x * 3], rtol=1e-5, atol=1e-6),
        "keras_gelu": Case(lambda x: keras.activations.gelu(x, approximate=False), [x * 3], atol=1e-6),
        "hard_swish": Case(keras.activations.hard_swish, [x * 4]),
        "log_softmax": Case(tf.nn.log_softmax, [x]),
        "erf": Case(tf.math.erf, [x * 2], rtol=2e-6, atol=1e-6),
        "erfc": Case(tf.math.erfc, [x], rtol=2e-6, atol=1e-6),
        # math
        "squared_difference": Case(tf.math.squared_difference, [x, _normal(4)]),
        "rounding": Case(
            lambda x: (tf.abs(x), tf.floor(x), tf.math.ceil(x), tf.round(x), tf.sign(x)),
            [np.array([-2.5, -1.5, -0.4, 0.0, 0.5, 1.5, 2.5, 3.7], np.float32)],
        ),
        "trig": Case(lambda x: (tf.sin(x), tf.cos(x)), [x]),
        "add_n": Case(lambda a, b: tf.add_n([a, b, a]), [x, _normal(2, 3, 4)]),
        "floor_div_mod_float": Case(
            lambda a, b: (tf.math.floordiv(a, b), tf.math.floormod(a, b)), [x * 5, pos]
        ),
        "floor_div_mod_int": Case(lambda a, b: (tf.math.floordiv(a, b), tf.math.floormod(a, b)), [ints, divisor]),
        # reductions and scans
        "reduce_max_min": Case(
            lambda x: (tf.reduce_max(x, 1), tf.reduce_min(x, [0, 2], keepdims=True), tf.reduce_prod(x, -1)), [x]
        ),
        "reduce_any_all": Case(
            lambda x: (tf.reduce_any(x > 1.0, 1), tf.reduce_all(x > -1.0, [0, 2], keepdims=True)), [x]
        ),
        "arg_max_min": Case(
            lambda x: (tf.argmax(x, 1), tf.argmin(x, -1, output_type=tf.int32)), [_distinct(2, 3, 4)]
        ),
        "top_k": Case(lambda x: tuple(tf.math.top_k(x, 3)), [_distinct(2, 6)]),
        "cumsum": Case(
            lambda x: (tf.cumsum(x, 1), tf.cumsum(x, 2, exclusive=True, reverse=True)), [x]
        ),
        # resizing and space/depth
        "resize_bilinear": Case(lambda x: tf.image.resize(x, [7, 9]), [img]),
        "resize_bilinear_align_corners": Case(
            lambda x: raw.ResizeBilinear(images=x, size=[7, 11], align_corners=True), [img]
        ),
        "resize_nearest": Case(lambda x: tf.image.resize(x, [8, 12], "nearest"), [img]),
        "depth_to_space": Case(lambda x: tf.nn.depth_to_space(x, 2), [_normal(1, 2, 3, 8)]),
        "space_to_depth": Case(lambda x: tf.nn.space_to_depth(x, 2), [_normal(1, 4, 6, 2)]),
        # shape queries and generators (folded when static)
        "static_shape_ops": Case(
            lambda x: (
                tf.cast(tf.shape(x), tf.float32)[0] + x,
                tf.cast(tf.size(x), tf.float32) * x,
                tf.cast(tf.rank(x), tf.float32) + tf.range(4.0),
                tf.fill([2, 3], 0.5) + x[:, :, 0],
                tf.zeros_like(x) + tf.ones_like(x) * 2.0,
            ),
            [x],
        ),
        "dynamic_shape_ops": Case(
            lambda x: (
                tf.shape(x),
                tf.size(x),
                tf.fill(tf.shape(x), 2.0),
                tf.zeros_like(x) - 1.0,
                tf.ones_like(x),
                tf.range(0, tf.shape(x)[0], 1),
            ),
            [_normal(5, 3)],
            dynamic=(0,),
        ),
        # einsum (attention's equations and a matmul)
        "einsum_attention": Case(
            lambda q, k, v: tf.einsum("BNTS,BSNH->BTNH", tf.nn.softmax(tf.einsum("BTNH,BSNH->BNTS", q, k)), v),
            [_normal(1, 5, 2, 4), _normal(1, 6, 2, 4), _normal(1, 6, 2, 4)],
        ),
        "einsum_dense": Case(lambda x: tf.einsum("abc,cde->abde", x, c(kernel)), [x]),
        "einsum_batch_matmul": Case(lambda a, b: tf.einsum("bij,bjk->bik", a, b), [x, _normal(2, 4, 5)]),
        "einsum_dense_dynamic": Case(lambda x: tf.einsum("abc,cde->abde", x, c(kernel)), [x], dynamic=(0, 1)),
        "einsum_batch_dynamic": Case(
            lambda a, b: tf.einsum("bij,bjk->bik", a, b), [x, _normal(2, 4, 5)], dynamic=(0, 1, 2)
        ),
        "einsum_ellipsis": Case(lambda a, b: tf.einsum("...ij,jk->...ik", a, b), [x, _normal(4, 5)]),
        "einsum_ellipsis_both": Case(lambda a, b: tf.einsum("...ij,...jk->...ki", a, b), [x, _normal(2, 4, 5)]),
        "einsum_summed_label": Case(lambda a, b: tf.einsum("bij,jk->k", a, b), [x, _normal(4, 5)]),
        "einsum_one_operand": Case(lambda a: tf.einsum("bij->jb", a), [x], dynamic=(0,)),
        # control flow
        "while_loop": Case(
            lambda x: tf.while_loop(lambda i, a: i < 5, lambda i, a: (i + 1, a * 1.5 + 1.0), (tf.constant(0), x))[1],
            [x],
        ),
        "cond": Case(lambda x: tf.cond(tf.reduce_sum(x) > 0.0, lambda: x * 2.0, lambda: x - 1.0), [x]),
        "cond_other_branch": Case(
            lambda x: tf.cond(tf.reduce_sum(x) > 0.0, lambda: x * 2.0, lambda: x - 1.0), [-np.abs(x)]
        ),
        # ops removed in inference graphs
        "forwarding": Case(
            lambda x: tf.debugging.check_numerics(
                tf.stop_gradient(raw.Snapshot(input=raw.PreventGradient(input=x))), "m"
            )
            * 2.0,
            [x],
        ),
    }
    return cases




def _dict_outputs(fn: Callable) -> Callable:
    """`fn` returning its outputs as {"out0": ..., "out1": ...}."""

    def wrapped(*args):
        out = fn(*args)
        out = out if isinstance(out, tuple | list) else (out,)
        return {f"out{i}": o for i, o in enumerate(out)}

    return wrapped


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory):
    """(cases, tflite bytes, TF eager references): one SavedModel with a signature per case."""
    import tensorflow as tf

    from tflc import Converter

    cases = _cases()
    module = tf.Module()
    signatures = {}
    references = {}
    for name, case in cases.items():
        specs = []
        for i, arr in enumerate(case.inputs):
            shape = [None if d in case.dynamic else s for d, s in enumerate(arr.shape)]
            specs.append(tf.TensorSpec(shape, tf.as_dtype(arr.dtype), name=f"x{i}"))

        wrapped = _dict_outputs(case.fn)

        fn = tf.function(wrapped, input_signature=specs)
        setattr(module, name, fn)
        signatures[name] = fn.get_concrete_function()
        references[name] = {k: v.numpy() for k, v in wrapped(*[tf.constant(a) for a in case.inputs]).items()}
    path = tmp_path_factory.mktemp("legalize_ops") / "model"
    tf.saved_model.save(module, str(path), signatures=signatures)
    converter = Converter.from_saved_model(path)
    return cases, converter.convert(), references


def _case_names() -> list[str]:
    import ast
    import inspect

    source = inspect.getsource(_cases)
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "cases":
            return [k.value for k in node.value.keys]  # type: ignore[union-attr]
    raise AssertionError("no cases")


@pytest.mark.parametrize("name", _case_names())
def test_lowering_matches_tensorflow(converted, name: str) -> None:
    from ai_edge_litert.interpreter import Interpreter

    cases, model, references = converted
    case = cases[name]
    runner = Interpreter(model_content=model).get_signature_runner(name)
    outputs = runner(**{f"x{i}": a for i, a in enumerate(case.inputs)})
    expected = references[name]
    assert sorted(outputs) == sorted(expected)
    for key, ref in expected.items():
        got = outputs[key]
        assert got.shape == ref.shape, (key, got.shape, ref.shape)
        if ref.dtype.kind in "biu":
            np.testing.assert_array_equal(got, ref, err_msg=key)
        else:
            np.testing.assert_allclose(got, ref, rtol=case.rtol, atol=case.atol, err_msg=key)


EXPECTED_BUILTINS = {
    "CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "CONV_3D", "MAX_POOL_2D", "AVERAGE_POOL_2D", "PAD", "PADV2",
    "MIRROR_PAD", "SQUEEZE", "EXPAND_DIMS", "SLICE", "STRIDED_SLICE", "SPLIT", "SPLIT_V", "UNPACK", "TILE",
    "GATHER_ND", "SCATTER_ND", "REVERSE_V2", "SELECT", "SELECT_V2", "EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL",
    "GREATER", "GREATER_EQUAL", "LOGICAL_AND", "LOGICAL_OR", "LOGICAL_NOT", "LEAKY_RELU", "ELU", "GELU",
    "HARD_SWISH", "LOG_SOFTMAX", "SQUARED_DIFFERENCE", "ABS", "FLOOR", "CEIL", "ROUND", "SIGN", "SIN", "COS",
    "ADD_N", "FLOOR_DIV", "FLOOR_MOD", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_ANY", "REDUCE_ALL", "ARG_MAX",
    "ARG_MIN", "TOPK_V2", "CUMSUM", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "DEPTH_TO_SPACE",
    "SPACE_TO_DEPTH", "SPACE_TO_BATCH_ND", "BATCH_TO_SPACE_ND", "SHAPE", "FILL", "ZEROS_LIKE", "RANGE",
    "REDUCE_PROD", "BATCH_MATMUL", "WHILE", "IF",
}


def test_each_lowering_uses_its_builtin(converted) -> None:
    from ai_edge_litert import schema_py_generated as fb

    _, model, _ = converted
    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    m = fb.ModelT.InitFromPackedBuf(model, 0)
    used = {names[max(o.builtinCode, o.deprecatedBuiltinCode)] for o in m.operatorCodes}
    assert EXPECTED_BUILTINS - used == set()
    assert "CUSTOM" not in used




CASE_MLIR = """
func.func @main(%x: tensor<2x3xf32>, %i: tensor<i32>) -> tensor<2x3xf32> {
  %0 = "tf.Case"(%i, %x) {Tin = [f32], Tout = [f32], branches = [@double, @plus_ten, @negate]}
      : (tensor<i32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
func.func private @double(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = "tf.AddV2"(%x, %x) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
func.func private @plus_ten(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %c = "tf.Const"() {value = dense<10.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "tf.AddV2"(%x, %c) : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
func.func private @negate(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = "tf.Neg"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
"""


@pytest.mark.parametrize(
    "index, expected",
    [(0, lambda x: 2 * x), (1, lambda x: x + 10), (2, np.negative), (7, np.negative), (-1, np.negative)],
)
def test_case_lowers_to_if_chain(index: int, expected: Callable) -> None:
    """tf.Case: branch `index`, the last branch when out of range (as TensorFlow)."""
    from helpers import mlir_to_tflite, run_signature

    model = mlir_to_tflite(CASE_MLIR)
    x = _normal(2, 3)
    out = run_signature(model, "serving_default", arg0=x, arg1=np.array(index, np.int32))["output_0"]
    np.testing.assert_allclose(out, expected(x), rtol=1e-6)
