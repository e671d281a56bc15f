"""Errors raised inside passes name the user's input file and the op's location.

A pass that builds an op without a location (as most rewrites do) and leaves it invalid,
or that raises xDSL's own diagnostics, is reported with the input file and the location
of the op the bad one came from, never "unknown location"; the message is one line,
exit code 1, no output file.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, TensorType, i32
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import VerifyException

import tflc
from tflc.dialects import tf, tfl
from tflc.tools import convert, opt

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "addsub_savedmodel"

ADD = """func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "tfl.add"(%a, %b) <{fused_activation_function = "NONE"}> : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}
"""


def _adds(module: ModuleOp) -> list[Operation]:
    return [op for op in module.walk() if isinstance(op, tfl.AddOp | tf.AddV2Op)]


@dataclass(frozen=True)
class BreakAdds(ModulePass):
    """Test pass: every add gets an int32 twin (no location) whose types do not verify."""

    name = "test-break-adds"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for add in _adds(op):
            bad = tfl.AbsOp.create(operands=[add.operands[0]], result_types=[TensorType(i32, [4])])
            assert add.parent_block() is not None
            add.parent_block().insert_op_before(bad, add)


@dataclass(frozen=True)
class RaiseInPass(ModulePass):
    """Test pass: raises xDSL's VerifyException, as a rewrite building a bad op does."""

    name = "test-raise-in-pass"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raise VerifyException("result type f32 does not match its operand")


@pytest.fixture(autouse=True)
def _test_passes():
    tflc.register_pass(BreakAdds.name, lambda: BreakAdds)
    tflc.register_pass(RaiseInPass.name, lambda: RaiseInPass)
    yield
    from tflc.passes import PASSES

    PASSES.pop(BreakAdds.name, None)
    PASSES.pop(RaiseInPass.name, None)


def test_verifier_failure_after_a_pass_names_file_and_nearest_location(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.mlir"
    path.write_text(ADD)
    out = tmp_path / "out.mlir"
    assert opt.main([str(path), "-p", "test-break-adds", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("tflc-opt: error: after pass test-break-adds: "), err
    assert f"near {path}:2:" in err and "'tfl.abs' op" in err, err  # the add it was built before
    assert "unknown location" not in err and len(err.splitlines()) == 1, err
    assert not out.exists()


def test_xdsl_diagnostic_inside_a_pass_names_file_and_pass(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.mlir"
    path.write_text(ADD)
    assert opt.main([str(path), "-p", "test-raise-in-pass"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"tflc-opt: error: {path}: in pass test-raise-in-pass: result type f32 does not match its operand"
    ), err


def test_saved_model_pass_errors_name_saved_model_pb_and_the_node(tmp_path: Path, capsys) -> None:
    """A SavedModel's ops carry TF node names, not file positions: the message names
    saved_model.pb and the node ('add')."""
    model = tmp_path / "m"
    shutil.copytree(EXAMPLE, model)
    out = tmp_path / "o.tflite"
    converter = tflc.Converter.from_saved_model(model, ["add"])
    converter.pipeline = [BreakAdds()]
    with pytest.raises(tflc.TflcError) as err:
        converter.convert()
    message = str(err.value)
    assert message.startswith(f"{model / 'saved_model.pb'}: "), message
    assert "near node 'add'" in message and "unknown location" not in message, message
    rc = convert.main(["--saved-model-dir", str(model), "--output-file", str(out), "-q"])
    assert rc == 0 and out.exists()  # the default pipeline is unaffected


def test_op_without_any_location_is_named_by_its_place(tmp_path: Path) -> None:
    """With no location anywhere near, the op is named by its index in its function."""
    from xdsl.dialects.builtin import UnknownLoc

    from tflc.errors import TflcError
    from tflc.ir import parse_module, verify_module

    module = parse_module(ADD, "in.mlir")
    for op in module.walk():
        op.location = UnknownLoc()
    add = _adds(module)[0]
    bad = tfl.AbsOp.create(operands=[add.operands[0]], result_types=[TensorType(i32, [4])])
    assert add.parent_block() is not None
    add.parent_block().insert_op_before(bad, add)
    with pytest.raises(TflcError, match=r"^op 0 of @main: 'tfl.abs' op"):
        verify_module(module)
