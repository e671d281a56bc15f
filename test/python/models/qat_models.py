"""Quantization-aware trained models for the QAT tests: tf-keras models wrapped by
tensorflow-model-optimization's `quantize_model`, trained briefly on random data.

`python qat_models.py OUT` writes OUT/<name>/ (a SavedModel per model), OUT/<name>_tf_default.tflite
and OUT/<name>_tf_optimized.tflite (TensorFlow's converter without and with Optimize.DEFAULT,
measured in the same run) and OUT/data.npz (test inputs and the QAT Keras model's outputs).
tfmot needs Keras 2 (tf-keras), so this runs in its own process with TF_USE_LEGACY_KERAS=1.
"""

from __future__ import annotations

import os
import sys

import numpy as np

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

NAMES = ("cnn", "mlp")
SAMPLES = 64


def _cnn(keras):  # noqa: ANN001, ANN202
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(8, 3, padding="same")(inputs)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.DepthwiseConv2D(3, padding="same")(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2D(16, 3, activation="relu")(x)
    x = keras.layers.AveragePooling2D()(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10)(x)
    return keras.Model(inputs, outputs)


def _mlp(keras):  # noqa: ANN001, ANN202
    inputs = keras.Input((20,))
    x = keras.layers.Dense(32, activation="relu")(inputs)
    x = keras.layers.Dense(16, activation="relu")(x)
    outputs = keras.layers.Dense(4)(x)
    return keras.Model(inputs, outputs)


def main(out: str) -> None:
    """Build, train, save and convert each model with TensorFlow."""
    import tensorflow as tf
    import tensorflow_model_optimization as tfmot
    import tf_keras as keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    arrays: dict[str, np.ndarray] = {}
    for name, build in (("cnn", _cnn), ("mlp", _mlp)):
        model = tfmot.quantization.keras.quantize_model(build(keras))
        model.compile(optimizer="adam", loss="mse")
        x = rng.standard_normal((SAMPLES, *model.input_shape[1:])).astype(np.float32)
        y = rng.standard_normal((SAMPLES, model.output_shape[-1])).astype(np.float32)
        model.fit(x, y, epochs=2, batch_size=16, verbose=0)
        tf.saved_model.save(model, os.path.join(out, name))
        test = rng.standard_normal((8, *model.input_shape[1:])).astype(np.float32) * 1.5
        arrays[f"{name}/x"] = test
        arrays[f"{name}/y"] = model(test, training=False).numpy()
        for mode in ("default", "optimized"):
            converter = tf.lite.TFLiteConverter.from_keras_model(model)
            if mode == "optimized":
                converter.optimizations = [tf.lite.Optimize.DEFAULT]
            with open(os.path.join(out, f"{name}_tf_{mode}.tflite"), "wb") as f:
                f.write(converter.convert())
    np.savez(os.path.join(out, "data.npz"), **arrays)


if __name__ == "__main__":
    main(sys.argv[1])
