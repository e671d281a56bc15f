"""Cached decode steps of keras-hub causal LMs (tiny configs, random weights): tflc against
TensorFlow's converter, ops and error over several tokens against TF eager.

    make setup                      # installs keras-hub (requirements-nodeps.txt: its own deps pull full TensorFlow)
    python bench/llm_decode.py [gpt2 llama gemma mistral]

Each step is a tf.function(token [1, 1], cache, index) -> {logits, cache}, the cache as
input and output (keras-hub's `call_with_cache`, which writes it with XlaDynamicUpdateSlice);
the stateful variant keeps the cache in a resource variable (token, index) -> {logits}.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

MAX_LEN = 16


def build(name: str):
    """(causal LM, cache shape) for a tiny config of the model family `name`."""
    import keras
    import keras_hub

    keras.utils.set_random_seed(0)
    common = dict(vocabulary_size=64, num_layers=2, hidden_dim=16, intermediate_dim=32)
    if name == "gpt2":
        bb = keras_hub.models.GPT2Backbone(num_heads=2, max_sequence_length=MAX_LEN, **common)
        return keras_hub.models.GPT2CausalLM(backbone=bb, preprocessor=None), (1, 2, 2, MAX_LEN, 2, 8)
    if name == "llama":
        bb = keras_hub.models.LlamaBackbone(num_query_heads=2, num_key_value_heads=1, **common)
        return keras_hub.models.LlamaCausalLM(backbone=bb, preprocessor=None), (1, 2, 2, MAX_LEN, 1, 8)
    if name == "mistral":
        bb = keras_hub.models.MistralBackbone(num_query_heads=2, num_key_value_heads=1, **common)
        return keras_hub.models.MistralCausalLM(backbone=bb, preprocessor=None), (1, 2, 2, MAX_LEN, 1, 8)
    if name == "gemma":
        bb = keras_hub.models.GemmaBackbone(num_query_heads=2, num_key_value_heads=1, head_dim=8, **common)
        return keras_hub.models.GemmaCausalLM(backbone=bb, preprocessor=None), (1, 2, 2, MAX_LEN, 1, 8)
    raise SystemExit(f"unknown model {name}")


def step_function(lm, cache_shape):
    """The decode step as a concrete function with the cache as input and output."""
    import tensorflow as tf

    specs = [
        tf.TensorSpec([1, 1], tf.int32, name="token"),
        tf.TensorSpec(cache_shape, tf.float32, name="cache"),
        tf.TensorSpec([], tf.int32, name="index"),
    ]

    @tf.function(input_signature=specs)
    def step(token, cache, index):
        logits, _, cache = lm.call_with_cache(token, cache, index)
        return {"logits": logits, "cache": cache}

    return step, step.get_concrete_function()


def stateful_step(lm, cache_shape):
    """(module, concrete step): the same step with the cache in a resource variable."""
    import tensorflow as tf

    class Stateful(tf.Module):
        def __init__(self):
            super().__init__()
            self.cache = tf.Variable(tf.zeros(cache_shape))

        @tf.function(
            input_signature=[tf.TensorSpec([1, 1], tf.int32, name="token"), tf.TensorSpec([], tf.int32, name="index")]
        )
        def step(self, token, index):
            logits, _, cache = lm.call_with_cache(token, self.cache, index)
            self.cache.assign(cache)
            return {"logits": logits}

    module = Stateful()
    return module, module.step.get_concrete_function()


def decode_stateful(model: bytes, tokens: list[int]) -> list[np.ndarray]:
    """Logits of each step of the stateful model, one interpreter keeping the cache."""
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_content=model).get_signature_runner()
    steps = [runner(token=np.array([[t]], np.int32), index=np.array(i, np.int32)) for i, t in enumerate(tokens)]
    return [step["logits"] for step in steps]


def eager_logits(step, cache_shape, tokens: list[int]) -> list[np.ndarray]:
    """TF eager logits of each step, the cache carried from step to step."""
    import tensorflow as tf

    cache = tf.zeros(cache_shape)
    out = []
    for i, t in enumerate(tokens):
        r = step(tf.constant([[t]], tf.int32), cache, tf.constant(i, tf.int32))
        cache = r["cache"]
        out.append(r["logits"].numpy())
    return out


def op_count(model: bytes) -> int:
    """Operators in the model's first subgraph."""
    from ai_edge_litert import schema_py_generated as fb

    return len(fb.ModelT.InitFromPackedBuf(model, 0).subgraphs[0].operators)


def decode(model: bytes, tokens: list[int], cache_shape) -> list[np.ndarray]:
    """Logits of each step, run token by token in ai-edge-litert."""
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_content=model).get_signature_runner()
    cache = np.zeros(cache_shape, np.float32)
    out = []
    for i, t in enumerate(tokens):
        r = runner(token=np.array([[t]], np.int32), cache=cache, index=np.array(i, np.int32))
        cache = r["cache"]
        out.append(r["logits"])
    return out


def main(names: list[str]) -> None:
    import tensorflow as tf

    import tflc

    print(f"{'model':10} {'tflc ops':>8} {'TF ops':>7} {'max |err| (8 tokens)':>22} {'stateful err':>13}")
    tokens = [3, 17, 5, 60, 2, 9, 33, 1]
    for name in names:
        lm, shape = build(name)
        step, concrete = step_function(lm, shape)
        ref = eager_logits(step, shape, tokens)
        try:
            ours = tflc.Converter.from_concrete_functions([concrete]).convert()
        except Exception as e:  # noqa: BLE001 - a benchmark row, not a failure of the script
            print(f"{name:10} tflc fails: {str(e).splitlines()[0]}")
            continue
        theirs = tf.lite.TFLiteConverter.from_concrete_functions([concrete], lm).convert()
        err = max(float(np.max(np.abs(a - b))) for a, b in zip(decode(ours, tokens, shape), ref))
        module, stateful = stateful_step(lm, shape)
        held = tflc.Converter.from_concrete_functions([stateful], module).convert()
        held_err = max(float(np.max(np.abs(a - b))) for a, b in zip(decode_stateful(held, tokens), ref))
        print(f"{name:10} {op_count(ours):8d} {op_count(theirs):7d} {err:22.2e} {held_err:13.2e}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["gpt2", "llama", "gemma", "mistral"])
