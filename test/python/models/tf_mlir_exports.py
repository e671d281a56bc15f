"""Write what TensorFlow's MLIR exporters print for four models, with reference outputs.

Usage: python tf_mlir_exports.py OUT_DIR [MODEL ...]. For each model (Dense MLP, small
CNN, Keras MobileNetV2 96x96 with weights=None, a two-signature tf.Module with
variables) it writes OUT_DIR/<model>.<exporter>.mlir for the exporters
`convert_function` (of the frozen function, with and without debug info),
`convert_saved_model`, `convert_saved_model_v1` and `convert_graph_def`
(pass_pipeline='', with and without debug info; and the default pipeline as `gdstd`),
OUT_DIR/<model>.tf.tflite (TensorFlow's converter on the SavedModel), and
OUT_DIR/<model>.npz with inputs, TensorFlow's outputs per signature call and (Keras)
the SavedModel's signature input and output names.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.framework.convert_to_constants import (  # noqa: E402
    convert_variables_to_constants_v2,
)


def mlp() -> tf.keras.Model:
    return tf.keras.Sequential(
        [tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(4)]
    )


def cnn() -> tf.keras.Model:
    return tf.keras.Sequential(
        [
            tf.keras.Input((16, 16, 3)),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.MaxPool2D(),
            tf.keras.layers.Conv2D(4, 3, padding="same"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ]
    )


def mobilenet() -> tf.keras.Model:
    return tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), weights=None)


class TwoSignatures(tf.Module):
    """Two signatures sharing a variable; `bump` assigns one."""

    def __init__(self) -> None:
        self.w = tf.Variable(np.arange(12, dtype=np.float32).reshape(3, 4) / 10)
        self.b = tf.Variable(np.linspace(-1, 1, 4, dtype=np.float32))
        self.count = tf.Variable(0.0)

    @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32, name="x")])
    def apply(self, x):
        return {"y": tf.matmul(x, self.w) + self.b}

    @tf.function(input_signature=[tf.TensorSpec([4], tf.float32, name="v")])
    def bump(self, v):
        self.count.assign_add(1.0)
        return {"s": v * self.count + self.b}


KERAS = {"mlp": mlp, "cnn": cnn, "mnv2": mobilenet}


def export(out: str, name: str) -> None:
    """Write one model's exporter outputs and reference data."""
    tf.keras.utils.set_random_seed(1)
    rng = np.random.default_rng(0)
    saved = os.path.join(out, f"{name}_savedmodel")
    ref: dict[str, np.ndarray] = {}
    if name in KERAS:
        model = KERAS[name]()
        model.export(saved, verbose=False)
        spec = tf.TensorSpec([1, *model.input_shape[1:]], tf.float32, name="x")
        fn = tf.function(lambda x: model(x)).get_concrete_function(spec)
        x = rng.standard_normal(spec.shape).astype(np.float32)
        ref["x"], ref["y"] = x, model(x).numpy()
        signature = tf.saved_model.load(saved).signatures["serving_default"]
        ref["signature_inputs"] = np.array(sorted(signature.structured_input_signature[1]))
        ref["signature_outputs"] = np.array(sorted(signature.structured_outputs))
    else:
        module = TwoSignatures()
        tf.saved_model.save(module, saved, signatures={"apply": module.apply, "bump": module.bump})
        fn = module.apply.get_concrete_function()
        x = rng.standard_normal((2, 3)).astype(np.float32)
        v = rng.standard_normal(4).astype(np.float32)
        ref["x"], ref["y"] = x, module.apply(x)["y"].numpy()
        ref["v"] = v
        ref["s1"], ref["s2"] = module.bump(v)["s"].numpy(), module.bump(v)["s"].numpy()
    frozen = convert_variables_to_constants_v2(fn)
    graph_def = frozen.graph.as_graph_def()
    texts = {
        "cf": lambda: tf.mlir.experimental.convert_function(frozen),
        "cfdbg": lambda: tf.mlir.experimental.convert_function(frozen, show_debug_info=True),
        "sm": lambda: tf.mlir.experimental.convert_saved_model(saved, exported_names=""),
        "smv1": lambda: tf.mlir.experimental.convert_saved_model_v1(
            saved, exported_names="", tags="serve", lift_variables=True,
            include_variables_in_initializers=False, upgrade_legacy=True,
        ),
        "gd": lambda: tf.mlir.experimental.convert_graph_def(graph_def, pass_pipeline=""),
        "gddbg": lambda: tf.mlir.experimental.convert_graph_def(
            graph_def, pass_pipeline="", show_debug_info=True
        ),
        "gdstd": lambda: tf.mlir.experimental.convert_graph_def(graph_def),
    }
    for kind, make in texts.items():
        with open(os.path.join(out, f"{name}.{kind}.mlir"), "w") as f:
            f.write(make())
    with open(os.path.join(out, f"{name}.tf.tflite"), "wb") as f:
        f.write(tf.lite.TFLiteConverter.from_saved_model(saved).convert())
    np.savez(os.path.join(out, f"{name}.npz"), **ref)


def main() -> None:
    out = sys.argv[1]
    for name in sys.argv[2:] or [*KERAS, "twosig"]:
        export(out, name)


if __name__ == "__main__":
    main()
