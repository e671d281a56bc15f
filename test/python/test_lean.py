"""Lean transformers (issue 14, item 5): constant subgraphs fold whatever their ops,
casts of constants fold, division by a constant is a multiplication, duplicate
activations merge before they fuse; each checked for its op kinds and its numbers
(ai-edge-litert against TensorFlow eager)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

RNG = np.random.default_rng(5)


def _convert(fn: Callable, *inputs: np.ndarray) -> tuple[Counter, np.ndarray, np.ndarray]:
    """(op kinds of tflc's model, its output, TF eager's output) for a one-output function."""
    import tensorflow as tf
    from ai_edge_litert import schema_py_generated as fb
    from ai_edge_litert.interpreter import Interpreter

    from tflc import Converter

    specs = [tf.TensorSpec(a.shape, tf.as_dtype(a.dtype), name=f"x{i}") for i, a in enumerate(inputs)]
    wrapped = tf.function(lambda *a: {"out": fn(*a)}, input_signature=specs)
    model = Converter.from_concrete_functions([wrapped.get_concrete_function()]).convert()
    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    m = fb.ModelT.InitFromPackedBuf(model, 0)
    codes = m.operatorCodes
    kinds = Counter(
        names[max(codes[o.opcodeIndex].builtinCode, codes[o.opcodeIndex].deprecatedBuiltinCode)]
        for o in m.subgraphs[0].operators
    )
    got = Interpreter(model_content=model).get_signature_runner()(**{f"x{i}": a for i, a in enumerate(inputs)})["out"]
    return kinds, got, wrapped(*inputs)["out"].numpy()


def test_rotary_tables_fold() -> None:
    """Llama-style rotary embedding with static positions: range, cast, pow, outer product,
    sin/cos, concatenation and slicing are all constants; only the rotation is left."""
    import tensorflow as tf

    def rotary(x):  # x [1, 6, 8]
        positions = tf.cast(tf.range(6), tf.float32)
        inverse = 1.0 / tf.pow(10000.0, tf.cast(tf.range(0, 8, 2), tf.float32) / 8.0)
        freqs = tf.einsum("i,j->ij", positions, inverse)
        emb = tf.concat([freqs, freqs], axis=-1)
        cos, sin = tf.cos(emb)[None], tf.sin(emb)[None]
        x1, x2 = tf.split(x, 2, axis=-1)
        return x * cos + tf.concat([-x2, x1], axis=-1) * sin

    kinds, got, ref = _convert(rotary, RNG.standard_normal((1, 6, 8)).astype(np.float32))
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)
    assert not {"SIN", "COS", "POW", "RANGE", "CAST"} & set(kinds), kinds
    assert sum(kinds.values()) <= 7, kinds


def test_cast_and_gather_of_constants_fold() -> None:
    """T5-style position buckets from constants: comparisons, selects, casts and a gather fold."""
    import tensorflow as tf

    table = RNG.standard_normal((8, 4)).astype(np.float32)

    def buckets(x):  # x [5, 5, 4]
        relative = tf.range(5)[None, :] - tf.range(5)[:, None]
        bucket = tf.where(relative > 0, tf.cast(tf.minimum(relative, 3), tf.int32) + 4, tf.minimum(-relative, 3))
        return x + tf.gather(tf.constant(table), bucket)

    kinds, got, ref = _convert(buckets, RNG.standard_normal((5, 5, 4)).astype(np.float32))
    np.testing.assert_allclose(got, ref, rtol=1e-6)
    assert kinds == Counter({"ADD": 1}), kinds


def test_division_by_constant_is_multiplication() -> None:
    import tensorflow as tf

    divisor = (np.abs(RNG.standard_normal(4)) + 0.3).astype(np.float32)
    kinds, got, ref = _convert(lambda x: x / tf.constant(divisor), RNG.standard_normal((3, 4)).astype(np.float32))
    assert kinds == Counter({"MUL": 1}), kinds
    np.testing.assert_allclose(got, ref, rtol=1e-6)


def test_division_by_a_tensor_stays() -> None:
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    kinds, got, ref = _convert(lambda a, b: a / b, x, np.abs(x) + 0.5)
    assert kinds == Counter({"DIV": 1}), kinds
    np.testing.assert_allclose(got, ref, rtol=1e-6)


def test_duplicate_activations_fuse() -> None:
    """Two identical RELUs of one conv (as NASNet has) merge, then fuse into the conv."""
    import tensorflow as tf

    w = RNG.standard_normal((3, 3, 3, 4)).astype(np.float32)

    def two_relus(x):
        y = tf.nn.conv2d(x, tf.constant(w), 1, "SAME")
        return tf.nn.relu(y) + tf.nn.relu(y) * 2.0

    kinds, got, ref = _convert(two_relus, RNG.standard_normal((1, 5, 5, 3)).astype(np.float32))
    assert "RELU" not in kinds and kinds["CONV_2D"] == 1, kinds
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_reshape_then_add_constant_converts() -> None:
    """Regression (keras-hub Mistral): `tf.reshape(x, [1, 64]) + 16.0` through tfl-fuse-affine."""
    import tensorflow as tf

    kinds, got, ref = _convert(lambda x: tf.reshape(x, [1, 64]) + 16.0, RNG.standard_normal(64).astype(np.float32))
    np.testing.assert_allclose(got, ref, rtol=1e-6)
    assert set(kinds) <= {"RESHAPE", "ADD"}, kinds


@pytest.mark.parametrize("dtype", [np.int32, np.bool_])
def test_cast_of_constant_folds(dtype) -> None:
    import tensorflow as tf

    source = np.array([[1.7, -2.2, 0.0]], np.float32)

    def fn(x):
        return x + tf.cast(tf.cast(tf.constant(source), tf.as_dtype(dtype)), tf.float32)

    kinds, got, ref = _convert(fn, RNG.standard_normal((2, 3)).astype(np.float32))
    np.testing.assert_array_equal(got, ref)
    assert kinds == Counter({"ADD": 1}), kinds
