"""Build the benchmark SavedModels with TensorFlow (seeded): python bench/make_models.py [OUT] [NAMES...]

- mobilenet_v2, resnet50, efficientnet_b0, nasnet_mobile, efficientnet_v2s: Keras applications,
  weights=None, 224x224
- dense_chain_N: N Dense+ReLU blocks (2 ops each after conversion), for scaling
- conv_chain_N: N Conv2D+ReLU blocks
Each is a tf.Module wrapping the model with an input_signature, saved with
tf.saved_model.save under signature key serving_default.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

DEFAULT_OUT = Path(__file__).resolve().parent / "models"


def _wrap_and_save(model, input_shape, path: Path) -> None:
    import tensorflow as tf

    class Wrapper(tf.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        @tf.function(input_signature=[tf.TensorSpec(input_shape, tf.float32, name="x")])
        def __call__(self, x):
            return {"y": self.inner(x)}

    module = Wrapper(model)
    tf.saved_model.save(module, str(path), signatures={"serving_default": module.__call__})


def _save_dense_chain(n: int, path: Path) -> None:
    """N blocks of matmul + bias + relu over 64 features (plain tf ops: Keras recurses too deep)."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)

    class Chain(tf.Module):
        def __init__(self):
            super().__init__()
            self.ws = [tf.Variable(rng.standard_normal((64, 64)).astype(np.float32) / 8) for _ in range(n)]
            self.bs = [tf.Variable(np.zeros(64, np.float32)) for _ in range(n)]

        @tf.function(input_signature=[tf.TensorSpec([1, 64], tf.float32, name="x")])
        def __call__(self, x):
            for w, b in zip(self.ws, self.bs):
                x = tf.nn.relu(tf.matmul(x, w) + b)
            return {"y": x}

    module = Chain()
    tf.saved_model.save(module, str(path), signatures={"serving_default": module.__call__})


APPLICATIONS = {
    "mobilenet_v2": "MobileNetV2",
    "resnet50": "ResNet50",
    "efficientnet_b0": "EfficientNetB0",
    "nasnet_mobile": "NASNetMobile",
    "efficientnet_v2s": "EfficientNetV2S",
}


def _randomize_batch_norms(model) -> None:
    """Give every BatchNormalization seeded, non-trivial statistics."""
    import keras
    import numpy as np

    rng = np.random.default_rng(1)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights([
                rng.uniform(0.5, 1.5, gamma.shape).astype(np.float32),
                rng.normal(0, 0.1, beta.shape).astype(np.float32),
                rng.normal(0, 0.1, mean.shape).astype(np.float32),
                rng.uniform(0.5, 1.5, var.shape).astype(np.float32),
            ])


def _save_big_dense(path: Path) -> None:
    """Ten 8192x8192 dense layers: 2.5 GB of weights, past the 2 GB FlatBuffer limit."""
    import numpy as np
    import tensorflow as tf

    class Big(tf.Module):
        def __init__(self):
            super().__init__()
            rng = np.random.default_rng(0)
            self.ws = [tf.Variable(rng.standard_normal((8192, 8192), dtype=np.float32) / 90) for _ in range(10)]

        @tf.function(input_signature=[tf.TensorSpec([1, 8192], tf.float32, name="x")])
        def __call__(self, x):
            for w in self.ws:
                x = tf.nn.relu(tf.matmul(x, w))
            return {"y": x}

    module = Big()
    tf.saved_model.save(module, str(path), signatures={"serving_default": module.__call__})


def _save_mixed_ops(path: Path) -> None:
    """A model mixing the other ops of the legalization issue (shape, slicing, math, gather)."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(1)

    class Mixed(tf.Module):
        def __init__(self):
            super().__init__()
            self.table = tf.Variable(rng.standard_normal((10, 8)).astype(np.float32))
            self.w = tf.Variable(rng.standard_normal((8, 8)).astype(np.float32))

        @tf.function(input_signature=[tf.TensorSpec([2, 6, 8], tf.float32, name="x"),
                                      tf.TensorSpec([2, 3], tf.int32, name="ids")])
        def __call__(self, x, ids):
            emb = tf.gather(self.table, ids)
            y = tf.concat([x[:, ::2, :], emb], axis=1)
            y = tf.nn.leaky_relu(tf.einsum("bsd,de->bse", y, self.w), 0.1)
            y = tf.pad(y, [[0, 0], [1, 1], [0, 0]])
            m = tf.reduce_max(y, axis=1) - tf.reduce_min(y, axis=1)
            s = tf.where(m > 0.5, tf.math.square(m), tf.math.abs(m) * 0.5)
            top = tf.math.top_k(s, k=3).values
            return {"score": tf.math.cumsum(top, axis=1), "label": tf.argmax(s, axis=1, output_type=tf.int32)}

    module = Mixed()
    tf.saved_model.save(module, str(path), signatures={"serving_default": module.__call__})


def build(name: str, out: Path) -> None:
    """Build and save one benchmark model by name."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    path = out / name
    if name in APPLICATIONS:
        # Logits rather than softmax, and batch-norm statistics randomized (seeded): with
        # weights=None the untrained statistics make activations die and outputs uniform.
        application = getattr(keras.applications, APPLICATIONS[name])
        model = application(weights=None, input_shape=(224, 224, 3), classifier_activation=None)
        _randomize_batch_norms(model)
        _wrap_and_save(model, [1, 224, 224, 3], path)
    elif name == "transformer_encoder":
        # One encoder block of a small BERT: d_model 256, 4 heads, feed-forward 1024.
        inputs = keras.Input((64, 256), name="tokens")
        attention = keras.layers.MultiHeadAttention(num_heads=4, key_dim=64)(inputs, inputs)
        x = keras.layers.LayerNormalization()(inputs + attention)
        hidden = keras.layers.Dense(1024, activation="gelu")(x)
        x = keras.layers.LayerNormalization()(x + keras.layers.Dense(256)(hidden))
        _wrap_and_save(keras.Model(inputs, x), [1, 64, 256], path)
    elif name == "lstm_classifier":
        inputs = keras.Input((20, 16), name="sequence")
        x = keras.layers.LSTM(32)(inputs)
        _wrap_and_save(keras.Model(inputs, keras.layers.Dense(5, activation="softmax")(x)), [1, 20, 16], path)
    elif name == "big_dense":
        _save_big_dense(path)
    elif name == "mixed_ops":
        _save_mixed_ops(path)
    elif name.startswith("dense_chain_"):
        _save_dense_chain(int(name.rsplit("_", 1)[1]), path)
    elif name.startswith("conv_chain_"):
        n = int(name.rsplit("_", 1)[1])
        convs = [keras.layers.Conv2D(8, 3, padding="same", activation="relu") for _ in range(n)]
        layers = [keras.Input((16, 16, 8))] + convs
        _wrap_and_save(keras.Sequential(layers), [1, 16, 16, 8], path)
    else:
        raise SystemExit(f"unknown model {name}")
    tf.keras.backend.clear_session() if hasattr(tf, "keras") else None


def main() -> None:
    """Build the requested models (default: all) into OUT (default bench/models)."""
    args = sys.argv[1:]
    out = Path(args.pop(0)) if args and "/" in args[0] else DEFAULT_OUT
    names = args or [
        "mobilenet_v2", "resnet50", "efficientnet_b0", "transformer_encoder", "lstm_classifier", "mixed_ops",
        "dense_chain_50", "dense_chain_500", "dense_chain_5000",
    ]
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (out / name / "saved_model.pb").exists():
            continue
        print(f"building {name}", flush=True)
        build(name, out)


if __name__ == "__main__":
    main()
