"""Every .tflite tflc writes for the test fixtures round-trips: import, print, parse, re-export,
and the re-exported model has the same operators, signatures and outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as fb
from ai_edge_litert.interpreter import Interpreter

import tflc
from tflc.backend.export import export_module
from tflc.backend.importer import import_model
from tflc.backend.model_info import operator_versions
from tflc.ir import module_to_text, parse_module

FIXTURES = Path(__file__).parent.parent / "fixtures" / "savedmodels"
MODELS = sorted(p.name for p in FIXTURES.iterdir() if (p / "saved_model.pb").exists())


def _inputs(interpreter: Interpreter, key: str, rng: np.random.Generator) -> dict[str, np.ndarray]:
    runner = interpreter.get_signature_runner(key)
    values = {}
    for name, detail in runner.get_input_details().items():
        shape = [max(int(d), 1) for d in detail["shape_signature"]] or []
        dtype = detail["dtype"]
        if dtype == np.bytes_ or dtype == np.object_:
            values[name] = np.array([b"ab"] * int(np.prod(shape)), dtype=object).reshape(shape)
        elif np.issubdtype(dtype, np.integer):
            values[name] = rng.integers(0, 3, shape).astype(dtype)
        else:
            values[name] = rng.standard_normal(shape).astype(dtype)
    return values


def _operators(data: bytes) -> list[tuple[str, int, bytes]]:
    """Each operator's opcode (custom code for CUSTOM), version and custom option bytes."""
    model = fb.ModelT.InitFromPackedBuf(data, 0)
    out = []
    for subgraph in model.subgraphs:
        for op in subgraph.operators or []:
            code = model.operatorCodes[op.opcodeIndex]
            name = (code.customCode or b"").decode() if isinstance(code.customCode, bytes) else code.customCode
            kind = name or str(max(code.builtinCode, code.deprecatedBuiltinCode))
            options = bytes(np.asarray(op.customOptions, np.uint8)) if op.customOptions is not None else b""
            out.append((kind, code.version, options))
    return out


FLEX_ONLY = {"adder_concat", "encode_decode"}  # string ops: Flex (no runtime here runs them)


@pytest.mark.parametrize("name", MODELS)
def test_fixture_model_round_trips(name: str) -> None:
    """Convert, import, print and parse back, re-export: same operators, signatures and numbers."""
    converter = tflc.Converter.from_saved_model(FIXTURES / name)
    if name in FLEX_ONLY:
        converter.target_spec.supported_ops = {tflc.OpsSet.TFLITE_BUILTINS, tflc.OpsSet.SELECT_TF_OPS}
    model = converter.convert()
    text = module_to_text(import_model(model, f"{name}.tflite"))
    again = export_module(parse_module(text, f"{name}.mlir"), validate=name not in FLEX_ONLY)
    assert operator_versions(again) == operator_versions(model)
    assert _operators(again) == _operators(model)
    if name in FLEX_ONLY:
        assert any(kind.startswith("Flex") for kind, _, _ in _operators(model))
        return
    first, second = Interpreter(model_content=model), Interpreter(model_content=again)
    assert first.get_signature_list() == second.get_signature_list()
    rng = np.random.default_rng(0)
    for key in first.get_signature_list():
        inputs = _inputs(first, key, rng)
        want = first.get_signature_runner(key)(**inputs)
        got = second.get_signature_runner(key)(**inputs)
        assert want.keys() == got.keys()
        for output in want:
            np.testing.assert_array_equal(got[output], want[output])
