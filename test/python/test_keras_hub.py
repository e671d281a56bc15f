"""keras-hub backbones (tiny configs, random weights) convert to all-builtin models that match
TF eager; the same builders as bench/keras_hub_backbones.py, which also counts TF's ops."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

BACKBONES = ["bert", "gpt2", "llama", "gemma", "gemma3", "mistral", "t5", "whisper"]


def _custom_ops(model: bytes) -> list[str]:
    from ai_edge_litert import schema_py_generated as fb

    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    return [
        (c.customCode or b"?").decode()
        for c in parsed.operatorCodes
        if max(c.builtinCode, c.deprecatedBuiltinCode) == fb.BuiltinOperator.CUSTOM
    ]


@pytest.mark.parametrize("name", BACKBONES)
def test_backbone_converts_all_builtin_and_matches_tf(name: str) -> None:
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter
    from keras_hub_backbones import build

    import tflc

    backbone, inputs = build(name)
    specs = {k: tf.TensorSpec(v.shape, tf.as_dtype(v.dtype), name=k) for k, v in inputs.items()}
    function = tf.function(backbone.__call__, input_signature=[specs])
    expected = function({k: tf.constant(v) for k, v in inputs.items()})
    expected = expected if isinstance(expected, dict) else {"output_0": expected}
    model = tflc.Converter.from_concrete_functions([function.get_concrete_function()]).convert()
    assert _custom_ops(model) == []
    got = Interpreter(model_content=model).get_signature_runner()(**inputs)
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(got[key], np.asarray(value), atol=1e-4, rtol=1e-4, err_msg=key)


TOKENS = [3, 17, 5, 60, 2, 9, 33, 1]


@pytest.mark.parametrize("name", ["gpt2", "llama"])
def test_cached_decode_steps_match_tf_over_several_tokens(name: str) -> None:
    """keras-hub's call_with_cache step, cache as input/output and cache in a variable."""
    from llm_decode import build, decode, decode_stateful, eager_logits, stateful_step, step_function

    import tflc

    lm, shape = build(name)
    step, concrete = step_function(lm, shape)
    reference = eager_logits(step, shape, TOKENS)
    stateless = tflc.Converter.from_concrete_functions([concrete]).convert()
    module, held = stateful_step(lm, shape)
    stateful = tflc.Converter.from_concrete_functions([held], module).convert()
    for model in (stateless, stateful):
        assert _custom_ops(model) == []
    for got in (decode(stateless, TOKENS, shape), decode_stateful(stateful, TOKENS)):
        for token, (a, b) in enumerate(zip(got, reference)):
            np.testing.assert_allclose(a, b, atol=1e-4, rtol=1e-4, err_msg=f"token {token}")
