"""keras-hub backbones (tiny configs, random weights): tflc against TensorFlow's converter
(its fewest ops over the concrete-function and Keras paths), tflc's non-builtin operators
and max error against TF eager.

    make setup                      # installs keras-hub (requirements-nodeps.txt: its own deps pull full TensorFlow)
    python bench/keras_hub_backbones.py [bert gpt2 llama gemma gemma3 mistral t5 whisper]
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

SEQ = 8


def build(name: str):
    """(backbone, {input name: array}) for a tiny config of `name`."""
    import keras
    import keras_hub

    keras.utils.set_random_seed(0)
    m = keras_hub.models
    tokens = np.array([[3, 17, 5, 60, 2, 9, 33, 1]], np.int32)
    mask = np.ones((1, SEQ), np.int32)
    decoder = dict(vocabulary_size=64, num_layers=2, hidden_dim=16, intermediate_dim=32)
    text = {"token_ids": tokens, "padding_mask": mask}
    if name == "bert":
        bb = m.BertBackbone(
            vocabulary_size=64, num_layers=2, num_heads=2, hidden_dim=16, intermediate_dim=32, max_sequence_length=SEQ
        )
        return bb, {**text, "segment_ids": np.zeros((1, SEQ), np.int32)}
    if name == "gpt2":
        return m.GPT2Backbone(num_heads=2, max_sequence_length=SEQ, **decoder), text
    if name == "llama":
        return m.LlamaBackbone(num_query_heads=2, num_key_value_heads=1, **decoder), text
    if name == "mistral":
        return m.MistralBackbone(num_query_heads=2, num_key_value_heads=1, **decoder), text
    if name == "gemma":
        return m.GemmaBackbone(num_query_heads=2, num_key_value_heads=1, head_dim=8, **decoder), text
    if name == "gemma3":
        bb = m.Gemma3Backbone(
            num_query_heads=2, num_key_value_heads=1, head_dim=8, image_size=None, vision_encoder=None, **decoder
        )
        return bb, text
    if name == "t5":
        bb = m.T5Backbone(
            vocabulary_size=64, num_layers=2, num_heads=2, hidden_dim=16, intermediate_dim=32, key_value_dim=8
        )
        return bb, {
            "encoder_token_ids": tokens,
            "encoder_padding_mask": mask,
            "decoder_token_ids": tokens,
            "decoder_padding_mask": mask,
        }
    if name == "whisper":
        bb = m.WhisperBackbone(
            vocabulary_size=64,
            num_layers=2,
            num_heads=2,
            hidden_dim=16,
            intermediate_dim=32,
            num_mels=8,
            max_encoder_sequence_length=16,
            max_decoder_sequence_length=SEQ,
        )
        features = np.random.default_rng(0).standard_normal((1, 16, 8)).astype(np.float32)
        return bb, {"encoder_features": features, "decoder_token_ids": tokens, "decoder_padding_mask": mask}
    raise SystemExit(f"unknown model {name}")


def main(names: list[str]) -> None:
    import tensorflow as tf
    from ai_edge_litert import schema_py_generated as fb
    from ai_edge_litert.interpreter import Interpreter

    import tflc

    def ops(model: bytes) -> int:
        return len(fb.ModelT.InitFromPackedBuf(model, 0).subgraphs[0].operators)

    def non_builtin(model: bytes) -> int:
        """CUSTOM operators (Flex ops included): 0 for an all-builtin model."""
        parsed = fb.ModelT.InitFromPackedBuf(model, 0)
        codes = [max(c.builtinCode, c.deprecatedBuiltinCode) for c in parsed.operatorCodes]
        return sum(codes[o.opcodeIndex] == fb.BuiltinOperator.CUSTOM for g in parsed.subgraphs for o in g.operators)

    def tf_best(concrete, model) -> str:
        """TensorFlow's fewest ops over its concrete-function and Keras paths."""
        counts = []
        for make in (lambda: tf.lite.TFLiteConverter.from_concrete_functions([concrete], model),
                     lambda: tf.lite.TFLiteConverter.from_keras_model(model)):
            try:
                counts.append(ops(make().convert()))
            except Exception:  # noqa: BLE001 - that path fails
                pass
        return str(min(counts)) if counts else "fails"

    print(f"{'model':10} {'tflc ops':>8} {'TF best':>8} {'non-builtin':>12} {'max |err|':>10}")
    for name in names:
        try:
            bb, inputs = build(name)
        except Exception as e:  # noqa: BLE001 - a benchmark row
            print(f"{name:10} cannot build: {str(e).splitlines()[0][:100]}")
            continue
        specs = {k: tf.TensorSpec(v.shape, tf.as_dtype(v.dtype), name=k) for k, v in inputs.items()}
        fn = tf.function(bb.__call__, input_signature=[specs])
        concrete = fn.get_concrete_function()
        ref = fn({k: tf.constant(v) for k, v in inputs.items()})
        ref = ref if isinstance(ref, dict) else {"output_0": ref}
        try:
            ours = tflc.Converter.from_concrete_functions([concrete]).convert()
        except Exception as e:  # noqa: BLE001
            print(f"{name:10} tflc fails: {str(e).splitlines()[0][:200]}")
            continue
        theirs_ops = tf_best(concrete, bb)
        out = Interpreter(model_content=ours).get_signature_runner()(**inputs)
        err = max(
            float(np.max(np.abs(out[k] - np.asarray(v)))) for k, v in zip(sorted(out), [ref[k] for k in sorted(ref)])
        )
        print(f"{name:10} {ops(ours):8d} {theirs_ops:>8} {non_builtin(ours):12d} {err:10.2e}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["bert", "gpt2", "llama", "gemma", "gemma3", "mistral", "t5", "whisper"])
