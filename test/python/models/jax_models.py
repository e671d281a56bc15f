"""JAX models for the StableHLO tests: built deterministically, saved through jax2tf.

`python jax_models.py OUT` writes OUT/<name>/ (a jax2tf SavedModel per model),
OUT/data.npz (test inputs and JAX's outputs) and OUT/tf_ops.json (the ops TensorFlow's
converter gives for each SavedModel, measured in the same run).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

NAMES = ("mlp", "poly_mlp", "lax_cnn", "flax_cnn", "flax_transformer")
# Batch sizes the shape-polymorphic model is run with after conversion.
POLY_BATCHES = (1, 7)


def _mlp(rng: np.random.Generator) -> Callable:
    import jax

    w1 = rng.standard_normal((16, 32)).astype(np.float32) * 0.3
    b1 = rng.standard_normal(32).astype(np.float32)
    w2 = rng.standard_normal((32, 8)).astype(np.float32) * 0.3
    b2 = rng.standard_normal(8).astype(np.float32)

    def mlp(x):
        h = jax.nn.relu(x @ w1 + b1)
        return jax.nn.softmax(h @ w2 + b2)

    return mlp


def _lax_cnn(rng: np.random.Generator) -> Callable:
    import jax
    import jax.numpy as jnp
    from jax import lax

    k1 = rng.standard_normal((3, 3, 3, 8)).astype(np.float32) * 0.3
    k2 = rng.standard_normal((3, 3, 8, 4)).astype(np.float32) * 0.3
    nhwc = ("NHWC", "HWIO", "NHWC")

    def lax_cnn(x):
        y = jax.nn.relu(lax.conv_general_dilated(x, k1, (1, 1), "SAME", dimension_numbers=nhwc))
        y = lax.reduce_window(y, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        y = lax.conv_general_dilated(y, k2, (2, 2), "VALID", dimension_numbers=nhwc)
        return jnp.mean(y, axis=(1, 2))

    return lax_cnn


def _randomized(params, rng: np.random.Generator):
    """Flax parameters with every leaf (biases, layer-norm scales too) random."""
    import jax

    return jax.tree_util.tree_map(lambda p: (rng.standard_normal(p.shape) * 0.3).astype(np.float32), params)


def _flax_cnn(rng: np.random.Generator) -> Callable:
    import flax.linen as nn
    import jax

    class CNN(nn.Module):
        @nn.compact
        def __call__(self, x):
            x = nn.relu(nn.Conv(8, (3, 3))(x))
            x = nn.avg_pool(x, (2, 2), (2, 2))
            x = nn.relu(nn.Conv(16, (3, 3))(x))
            x = nn.max_pool(x, (2, 2), (2, 2))
            x = x.reshape((x.shape[0], -1))
            x = nn.relu(nn.Dense(32)(x))
            return nn.log_softmax(nn.Dense(10)(x))

    model = CNN()
    params = _randomized(model.init(jax.random.PRNGKey(0), np.zeros((2, 16, 16, 3), np.float32)), rng)

    def flax_cnn(x):
        return model.apply(params, x)

    return flax_cnn


def _flax_transformer(rng: np.random.Generator) -> Callable:
    import flax.linen as nn
    import jax

    class Block(nn.Module):
        @nn.compact
        def __call__(self, x):
            h = nn.SelfAttention(num_heads=2, qkv_features=16, deterministic=True)(nn.LayerNorm()(x))
            x = x + h
            h = nn.Dense(16)(nn.gelu(nn.Dense(32)(nn.LayerNorm()(x))))
            return x + h

    model = Block()
    params = _randomized(model.init(jax.random.PRNGKey(0), np.zeros((2, 8, 16), np.float32)), rng)

    def flax_transformer(x):
        return model.apply(params, x)

    return flax_transformer


def build(name: str) -> tuple[Callable, np.ndarray, list[str] | None]:
    """(function, example input, polymorphic shapes or None) of a model, the same every call."""
    rng = np.random.default_rng(NAMES.index(name))
    if name in ("mlp", "poly_mlp"):
        return _mlp(rng), np.zeros((4, 16), np.float32), (["(b, 16)"] if name == "poly_mlp" else None)
    if name == "lax_cnn":
        return _lax_cnn(rng), np.zeros((2, 16, 16, 3), np.float32), None
    if name == "flax_cnn":
        return _flax_cnn(rng), np.zeros((2, 16, 16, 3), np.float32), None
    return _flax_transformer(rng), np.zeros((2, 8, 16), np.float32), None


def test_inputs(name: str) -> list[np.ndarray]:
    """Random inputs to compare a converted model with JAX on (several batches if polymorphic)."""
    _, example, poly = build(name)
    rng = np.random.default_rng(100 + NAMES.index(name))
    shapes = [(b, *example.shape[1:]) for b in POLY_BATCHES] if poly else [example.shape]
    return [rng.standard_normal(s).astype(np.float32) for s in shapes]


def main(out: str) -> None:
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter
    from jax.experimental import jax2tf

    data: dict[str, np.ndarray] = {}
    tf_ops: dict[str, list[str]] = {}
    for name in NAMES:
        fn, example, poly = build(name)
        module = tf.Module()
        spec = tf.TensorSpec([None if poly and i == 0 else d for i, d in enumerate(example.shape)], tf.float32)
        module.f = tf.function(jax2tf.convert(fn, polymorphic_shapes=poly), autograph=False, input_signature=[spec])
        path = os.path.join(out, name)
        tf.saved_model.save(module, path)
        model = tf.lite.TFLiteConverter.from_saved_model(path).convert()
        tf_ops[name] = [op["op_name"] for op in Interpreter(model_content=model)._get_ops_details()]
        for i, x in enumerate(test_inputs(name)):
            data[f"{name}/x{i}"] = x
            data[f"{name}/y{i}"] = np.asarray(fn(x))
    np.savez(os.path.join(out, "data.npz"), **data)
    with open(os.path.join(out, "tf_ops.json"), "w") as f:
        json.dump(tf_ops, f)


if __name__ == "__main__":
    main(sys.argv[1])
