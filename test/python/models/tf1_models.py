"""Build TF1 models (frozen GraphDefs and SavedModels with v1 control flow) into a directory.

Run in a subprocess (v1 behaviour is switched on globally): `python tf1_models.py OUT`.
For each frozen graph NAME it writes NAME.pb, NAME.json (input/output arrays, input
shapes), NAME.npz (inputs and the outputs tf.compat.v1.Session computes) and
NAME.tf.tflite (TensorFlow's own v1 converter), and the TF1 SavedModel `v1_saved_model/`
with `v1_saved_model.npz` (per signature: inputs and TensorFlow's outputs) and
`v1_saved_model.tf.tflite` (TensorFlow's converter), and `v1_simple_save/` likewise.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

v1 = tf.compat.v1
v1.disable_v2_behavior()
v1.disable_control_flow_v2()


def _while_cond(x):
    """A while loop whose body holds a cond (the issue's acceptance model)."""
    w = v1.get_variable("w", initializer=np.arange(6, dtype=np.float32).reshape(3, 2) / 10)

    def body(i, acc):
        acc = tf.cond(tf.reduce_sum(acc) > 5.0, lambda: acc * 0.5, lambda: acc + 1.0)
        return i + 1, tf.tanh(acc)

    _, out = v1.while_loop(lambda i, acc: i < 4, body, [tf.constant(0), x])
    return {"y": tf.matmul(out, w)}


def _nested_while(x):
    """Nested loops, a loop invariant from outside, maximum_iterations and two results."""
    scale = tf.constant(np.array([0.5, -0.25, 1.5], np.float32))
    bias = v1.get_variable("bias", initializer=np.array([0.1, 0.2, 0.3], np.float32))

    def outer(i, acc):
        def inner(j, a):
            return [j + 1, a * scale + tf.cast(j, tf.float32) * 0.01]

        _, acc = v1.while_loop(lambda j, a: j < i + 1, inner, [tf.constant(0), acc])
        return [i + 1, tf.sin(acc) + bias]

    n, out = v1.while_loop(lambda i, acc: i < 3, outer, [tf.constant(0), x], maximum_iterations=5)
    return {"out": out, "count": n}


def _cond_top(x):
    """A top-level cond with two results, nested cond in one branch, a branch returning an input."""
    k = v1.get_variable("k", initializer=np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 1.0]], np.float32))
    total = tf.reduce_sum(x)

    def then():
        inner = tf.cond(total > 10.0, lambda: tf.matmul(x, k), lambda: tf.matmul(x * 2.0, k))
        return inner, tf.reduce_max(x, axis=1)

    def otherwise():
        return tf.matmul(tf.nn.relu(x), k) - 1.0, tf.reduce_min(x, axis=1)

    a, b = tf.cond(total > 0.0, then, otherwise)
    c = tf.cond(tf.reduce_mean(x) < 0.0, lambda: x, lambda: x * 3.0)
    return {"a": a, "b": b, "c": c}


def _training_flag(x):
    """Batch norm and dropout under a `placeholder_with_default(False)` training flag (not an input)."""
    training = v1.placeholder_with_default(False, [], name="is_training")
    w = v1.get_variable("dense/kernel", initializer=np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    mean = v1.get_variable("bn/moving_mean", initializer=np.array([0.1, -0.2, 0.3, 0.0], np.float32))
    var = v1.get_variable("bn/moving_variance", initializer=np.array([1.5, 0.5, 2.0, 1.0], np.float32))
    h = tf.matmul(x, w)

    def batch_stats():
        m, v = tf.nn.moments(h, axes=[0])
        return m, v

    m, v = tf.cond(training, batch_stats, lambda: (tf.identity(mean), tf.identity(var)))
    h = tf.nn.relu(tf.nn.batch_normalization(h, m, v, offset=None, scale=None, variance_epsilon=1e-3))
    h = tf.cond(training, lambda: tf.nn.dropout(h, rate=0.5), lambda: tf.identity(h))
    return {"probs": tf.nn.softmax(h)}


def _growing(x):
    """A loop variable that grows each iteration (shape_invariants), concatenating rows."""

    def body(i, a):
        return i + 1, tf.concat([a, tf.tanh(a) * 0.5], axis=0)

    _, out = v1.while_loop(
        lambda i, a: i < 3, body, [tf.constant(0), x], shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 3])]
    )
    return {"rows": out}


def _cnn(x):
    """A TF1 image model: every op here needs a shape rule, as the frozen graph has no shapes."""
    rng = np.random.default_rng(1)

    def var(name, shape, scale=0.3):
        return v1.get_variable(name, initializer=(rng.normal(size=shape) * scale).astype(np.float32))

    h = tf.nn.conv2d(x, var("conv/w", (3, 3, 3, 8)), strides=[1, 2, 2, 1], padding="SAME")
    h = tf.nn.bias_add(h, var("conv/b", (8,)))
    h, _, _ = v1.nn.fused_batch_norm(
        h, var("bn/gamma", (8,)) + 1.0, var("bn/beta", (8,)), var("bn/mean", (8,)),
        tf.abs(var("bn/var", (8,))) + 0.5, is_training=False,
    )
    h = tf.nn.relu6(h)
    h = tf.nn.depthwise_conv2d(h, var("dw/w", (3, 3, 8, 2)), [1, 1, 1, 1], "VALID")
    h = tf.pad(h, [[0, 0], [1, 1], [1, 1], [0, 0]])
    h = tf.nn.max_pool2d(h, 2, 2, "VALID")
    h = tf.image.resize(h, [6, 6], method="bilinear")
    h = tf.concat([h[:, 1:5, 1:5, :], tf.nn.avg_pool2d(h, 2, 1, "VALID")[:, :4, :4, :]], axis=3)
    h = tf.reshape(h, [-1, 4 * 4 * 32])
    return {"logits": tf.matmul(h, var("fc/w", (512, 5), 0.05))}


FROZEN = {
    "cnn": (_cnn, [2, 16, 16, 3], None),
    "growing": (_growing, [1, 3], [[0.5, -1.0, 2.0]]),
    "training_flag": (_training_flag, [2, 3], [[0.5, 1.0, -1.0], [2.0, 0.0, 1.0]]),
    "while_cond": (_while_cond, [2, 3], [[0.5, 1.0, -1.0], [2.0, 0.0, 1.0]]),
    "nested_while": (_nested_while, [1, 3], [[0.3, -0.7, 1.1]]),
    "cond_top": (_cond_top, [None, 3], None),
}


def _frozen(out: str, name: str, build, shape, value) -> None:
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, shape, name="x")
        outputs = build(x)
        named = {k: tf.identity(v, name=k) for k, v in outputs.items()}
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            frozen = v1.graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), list(named))
            feeds = []
            if value is not None:
                feeds.append(np.array(value, np.float32))
            elif len(shape) == 4:  # images
                feeds.append(np.random.default_rng(2).normal(size=shape).astype(np.float32))
            else:  # several inputs that take different branches
                rng = np.random.default_rng(0)
                feeds = [
                    rng.normal(size=(4, 3)).astype(np.float32) * 3 + 2,
                    rng.normal(size=(4, 3)).astype(np.float32) * 0.1 + 0.3,
                    -np.abs(rng.normal(size=(4, 3)).astype(np.float32)) - 1,
                ]
            arrays = {}
            for n, feed in enumerate(feeds):
                arrays[f"x_{n}"] = feed
                for key, result in zip(named, sess.run(list(named.values()), {x: feed})):
                    arrays[f"{key}_{n}"] = result
    with open(os.path.join(out, f"{name}.pb"), "wb") as f:
        f.write(frozen.SerializeToString())
    np.savez(os.path.join(out, f"{name}.npz"), **arrays)
    input_shapes = {"x": [4, 3]} if shape[0] is None else None
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump({"inputs": ["x"], "outputs": list(named), "feeds": len(feeds), "input_shapes": input_shapes}, f)
    converter = v1.lite.TFLiteConverter.from_frozen_graph(
        os.path.join(out, f"{name}.pb"), ["x"], list(named), input_shapes=input_shapes
    )
    try:
        model = converter.convert()
    except Exception as err:  # recorded: some v1 graphs TF's converter cannot convert
        with open(os.path.join(out, f"{name}.tf.error"), "w") as f:
            f.write(f"{type(err).__name__}: {err}")
        return
    with open(os.path.join(out, f"{name}.tf.tflite"), "wb") as f:
        f.write(model)


def _saved_model(out: str) -> None:
    """A TF1 SavedModel: ref and resource variables, a v1 while loop, two signatures."""
    path = os.path.join(out, "v1_saved_model")
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        steps = v1.placeholder(tf.int32, [], name="steps")
        w = v1.get_variable("dense/kernel", initializer=np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2))
        b = v1.get_variable("dense/bias", initializer=np.array([0.25, -0.5], np.float32), use_resource=True)
        logits = tf.matmul(x, w) + b

        def body(i, h):
            return i + 1, tf.tanh(h * 1.5 + 0.1)

        _, h = v1.while_loop(lambda i, h: i < steps, body, [tf.constant(0), logits])
        probs = tf.nn.softmax(h, name="probs")
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(w.assign(w * 2.0))  # the checkpoint, not the initializer, holds the value
            builder = v1.saved_model.Builder(path)
            serve = v1.saved_model.predict_signature_def(
                {"inputs": x, "steps": steps}, {"probs": probs, "logits": logits}
            )
            linear = v1.saved_model.predict_signature_def({"inputs": x}, {"logits": logits})
            builder.add_meta_graph_and_variables(
                sess, ["serve"], signature_def_map={"serving_default": serve, "linear": linear}
            )
            builder.save()
            feed = np.array([[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]], np.float32)
            p, lg = sess.run([probs, logits], {x: feed, steps: 3})
    np.savez(
        os.path.join(out, "v1_saved_model.npz"),
        inputs=feed, steps=np.array(3, np.int32), probs=p, logits=lg,
    )
    converter = tf.lite.TFLiteConverter.from_saved_model(path)
    with open(os.path.join(out, "v1_saved_model.tf.tflite"), "wb") as f:
        f.write(converter.convert())


def _simple_saved_model(out: str) -> None:
    """A TF1 SavedModel from simple_save without control flow: TF's converter keeps its signature."""
    path = os.path.join(out, "v1_simple_save")
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 4], name="features")
        w = v1.get_variable("w", initializer=np.linspace(-2, 2, 12, dtype=np.float32).reshape(4, 3))
        b = v1.get_variable("b", initializer=np.array([0.1, 0.0, -0.1], np.float32), use_resource=True)
        # A local variable is not in the checkpoint: its value is the initial value its
        # VariableDef in the local_variables collection names.
        offset = v1.get_variable(
            "offset", initializer=np.array([0.0, -0.25, 0.5], np.float32), collections=[v1.GraphKeys.LOCAL_VARIABLES]
        )
        hidden = tf.nn.relu(tf.matmul(x, w) + b + offset)
        score = tf.reduce_sum(hidden * hidden, axis=1, name="score")
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(v1.local_variables_initializer())
            sess.run(b.assign(b + 0.5))
            v1.saved_model.simple_save(
                sess, path, {"features": x}, {"hidden": hidden, "score": score},
                legacy_init_op=v1.local_variables_initializer(),
            )
            feed = np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [-3.0, 0.2, 0.1, 4.0]], np.float32)
            h, sc = sess.run([hidden, score], {x: feed})
    np.savez(os.path.join(out, "v1_simple_save.npz"), features=feed, hidden=h, score=sc)
    converter = tf.lite.TFLiteConverter.from_saved_model(path)
    with open(os.path.join(out, "v1_simple_save.tf.tflite"), "wb") as f:
        f.write(converter.convert())


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    for name, (build, shape, value) in FROZEN.items():
        _frozen(out, name, build, shape, value)
    _saved_model(out)
    _simple_saved_model(out)


if __name__ == "__main__":
    main(sys.argv[1])
