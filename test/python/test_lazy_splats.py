"""Splat constants stay one element from parsing to export; export refuses models over the
size limit before allocating them; errors raised in passes name the input file and the op.

A splat is `dense<1.0> : tensor<...>` in MLIR text, a SavedModel Const filled from one
value, or a folded tfl.fill / broadcast_to / tile of one value. Only export expands it
(within `max_model_bytes`, 2 GiB by default).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

from tflc.frontend.proto import saved_model_pb2, types_pb2
from tflc.tools import convert, translate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "addsub_savedmodel"

# A 1 GiB splat filter in a fully_connected, with an add into its bias and a mul into its
# weights for tfl-fuse-affine.
GIGABYTE_FC = """
func.func @main(%x: tensor<1x16384xf32>) -> tensor<1x16384xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<0.5> : tensor<16384x16384xf32>}> : () -> tensor<16384x16384xf32>
  %b = "tfl.pseudo_const"() <{value = dense<2.0> : tensor<16384xf32>}> : () -> tensor<16384xf32>
  %c = "tfl.pseudo_const"() <{value = dense<3.0> : tensor<16384xf32>}> : () -> tensor<16384xf32>
  %s = "tfl.pseudo_const"() <{value = dense<4.0> : tensor<16384xf32>}> : () -> tensor<16384xf32>
  %0 = "tfl.fully_connected"(%x,
        %w,
        %b) <{fused_activation_function = "NONE",
        keep_num_dims = false,
        weights_format = "DEFAULT"}>
      : (tensor<1x16384xf32>, tensor<16384x16384xf32>, tensor<16384xf32>)
      -> tensor<1x16384xf32>
  %1 = "tfl.add"(%0, %c) <{fused_activation_function = "NONE"}>
      : (tensor<1x16384xf32>, tensor<16384xf32>)
      -> tensor<1x16384xf32>
  %2 = "tfl.mul"(%1, %s) <{fused_activation_function = "NONE"}>
      : (tensor<1x16384xf32>, tensor<16384xf32>)
      -> tensor<1x16384xf32>
  func.return %2 : tensor<1x16384xf32>
}
"""

HUGE = "100000x100000x100000"  # 10^15 elements, 4 PB as floats

HUGE_SPLAT = f"""
func.func @main(%x: tensor<{HUGE}xf32>) -> tensor<{HUGE}xf32> {{
  %a = "tfl.pseudo_const"() <{{value = dense<1.5> : tensor<{HUGE}xf32>}}> : () -> tensor<{HUGE}xf32>
  %b = "tfl.pseudo_const"() <{{value = dense<2.0> : tensor<{HUGE}xf32>}}> : () -> tensor<{HUGE}xf32>
  %p = "tfl.pseudo_const"() <{{value = dense<[2, 0, 1]> : tensor<3xi32>}}> : () -> tensor<3xi32>
  %0 = "tfl.mul"(%a, %b) <{{fused_activation_function = "RELU6"}}>
      : (tensor<{HUGE}xf32>, tensor<{HUGE}xf32>)
      -> tensor<{HUGE}xf32>
  %1 = "tfl.transpose"(%0, %p) : (tensor<{HUGE}xf32>, tensor<3xi32>) -> tensor<{HUGE}xf32>
  %2 = "tfl.add"(%x, %1) <{{fused_activation_function = "NONE"}}>
      : (tensor<{HUGE}xf32>, tensor<{HUGE}xf32>)
      -> tensor<{HUGE}xf32>
  func.return %2 : tensor<{HUGE}xf32>
}}
"""

PIPELINE = "canonicalize,tfl-fold-constants,tfl-remove-redundant,tfl-fuse-affine,cse,tfl-fuse-activations,cse,dce"

# tflc-opt in a child, reporting its peak memory (VmHWM, KiB) and the CPU time of the
# run (not wall time: the machine may be shared).
_MEASURE = """
import json, resource, sys
from tflc.tools import opt
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start = cpu()
rc = opt.main(sys.argv[1:])
# This process's peak RSS (VmHWM; ru_maxrss would carry over the pytest parent's from fork).
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rc": rc, "cpu_seconds": cpu() - start, "max_rss_mb": peak_kb / 1024}), file=sys.stderr)
"""


def _opt_measured(path: Path, out: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), "-p", PIPELINE, "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    assert stats["rc"] == 0, result.stderr
    return stats


def test_gigabyte_splat_filter_runs_through_the_optimizer_lazily(tmp_path: Path) -> None:
    """A 1 GiB splat filter, its bias add and a mul fuse in a few seconds at most and a few
    hundred MB: the weights stay one element (0.5 * 4 = 2.0)."""
    path = tmp_path / "fc.mlir"
    path.write_text(GIGABYTE_FC)
    stats = _opt_measured(path, tmp_path / "out.mlir")
    text = (tmp_path / "out.mlir").read_text()
    assert "dense<2.000000e+00> : tensor<16384x16384xf32>" in text, text
    assert "dense<2.000000e+01> : tensor<16384xf32>" in text, text  # (2 + 3) * 4
    assert "tfl.add" not in text and "tfl.mul" not in text, text
    assert stats["rc"] == 0
    assert stats["max_rss_mb"] < 600, stats  # the filter alone would be 1024 MB


def test_petabyte_splats_fold_and_print_as_splats(tmp_path: Path) -> None:
    """mul (with RELU6) and transpose of 10^15-element splats fold to one splat."""
    path = tmp_path / "huge.mlir"
    path.write_text(HUGE_SPLAT)
    stats = _opt_measured(path, tmp_path / "out.mlir")
    text = (tmp_path / "out.mlir").read_text()
    assert f"dense<3.000000e+00> : tensor<{HUGE}xf32>" in text, text
    assert "tfl.mul" not in text and "tfl.transpose" not in text, text
    assert stats["rc"] == 0 and stats["max_rss_mb"] < 600, stats  # 4 PB if materialized


def test_export_refuses_a_model_past_the_size_limit(tmp_path: Path, capsys) -> None:
    """Export checks the expanded size first: one clear message naming the constant and the
    option, exit 1, no output file, no time spent expanding 4 PB."""
    path = tmp_path / "huge.mlir"
    path.write_text(HUGE_SPLAT)
    out = tmp_path / "huge.tflite"
    rc = translate.main(["--mlir-to-tflite", str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert f"{path}:" in err and "model size limit of 2147483648 bytes" in err, err
    assert "--max-model-bytes" in err and "internal error" not in err, err
    assert not out.exists()


SMALL_SPLAT_FC = """
func.func @main(%x: tensor<2x300xf32>) -> tensor<2x200xf32> {
  %w = "tfl.pseudo_const"() <{value = dense<0.25> : tensor<200x300xf32>}> : () -> tensor<200x300xf32>
  %dims = "tfl.pseudo_const"() <{value = dense<[200]> : tensor<1xi32>}> : () -> tensor<1xi32>
  %v = "tfl.pseudo_const"() <{value = dense<-1.5> : tensor<f32>}> : () -> tensor<f32>
  %b = "tfl.fill"(%dims, %v) : (tensor<1xi32>, tensor<f32>) -> tensor<200xf32>
  %0 = "tfl.fully_connected"(%x,
        %w,
        %b) <{fused_activation_function = "RELU",
        keep_num_dims = false,
        weights_format = "DEFAULT"}>
      : (tensor<2x300xf32>, tensor<200x300xf32>, tensor<200xf32>)
      -> tensor<2x200xf32>
  func.return %0 : tensor<2x200xf32>
}
"""


def _run_tflite(path: Path, *inputs: np.ndarray) -> np.ndarray:
    interpreter = Interpreter(model_path=str(path))
    interpreter.allocate_tensors()
    for detail, value in zip(interpreter.get_input_details(), inputs):
        interpreter.set_tensor(detail["index"], value)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


def test_splats_export_with_the_numbers_they_stand_for(tmp_path: Path, capsys) -> None:
    """A lazy splat filter and a folded fill bias write full buffers: ai-edge-litert computes
    relu(x @ W.T + b) as numpy does; the size limit is raised or lowered by the option."""
    from tflc.tools import opt

    source = tmp_path / "fc.mlir"
    source.write_text(SMALL_SPLAT_FC)
    folded = tmp_path / "folded.mlir"
    assert opt.main([str(source), "-p", "tfl-fold-constants", "-o", str(folded)]) == 0
    assert "dense<-1.500000e+00> : tensor<200xf32>" in folded.read_text()
    model = tmp_path / "fc.tflite"
    assert translate.main(["--mlir-to-tflite", str(folded), "-o", str(model)]) == 0
    x = np.random.default_rng(0).standard_normal((2, 300)).astype(np.float32)
    expected = np.maximum(x @ np.full((300, 200), 0.25, np.float32) - 1.5, 0)
    np.testing.assert_allclose(_run_tflite(model, x), expected, rtol=1e-5, atol=1e-5)
    # 240,000 bytes of weights: refused under a 100K limit, written under 1M.
    capsys.readouterr()
    small = tmp_path / "small.tflite"
    assert translate.main(["--mlir-to-tflite", str(folded), "-o", str(small), "--max-model-bytes", "100K"]) == 1
    assert "model size limit of 102400 bytes" in capsys.readouterr().err
    assert not small.exists()
    assert translate.main(["--mlir-to-tflite", str(folded), "-o", str(small), "--max-model-bytes", "1M"]) == 0
    assert small.read_bytes() == model.read_bytes()
    with pytest.raises(SystemExit) as exit_:
        translate.main(["--mlir-to-tflite", str(folded), "-o", str(small), "--max-model-bytes", "lots"])
    assert exit_.value.code == 2 and "positive number of bytes" in capsys.readouterr().err


def _filled_saved_model(tmp_path: Path, shape: tuple[int, int], value: float) -> Path:
    """The example SavedModel whose `add` returns a Const of `shape` filled from one value."""
    out = tmp_path / "m"
    shutil.copytree(EXAMPLE, out)
    sm = saved_model_pb2.SavedModel.FromString((out / "saved_model.pb").read_bytes())
    function = next(f for f in sm.meta_graphs[0].graph_def.library.function if f.signature.name == "__inference_add_6")
    node = function.node_def[0]
    node.op = "Const"
    del node.input[:]
    node.attr.clear()
    node.attr["dtype"].type = types_pb2.DT_FLOAT
    tensor = node.attr["value"].tensor
    tensor.dtype = types_pb2.DT_FLOAT
    for d in shape:
        tensor.tensor_shape.dim.add(size=d)
    tensor.float_val.append(value)
    (out / "saved_model.pb").write_bytes(sm.SerializeToString())
    return out


def test_saved_model_const_filled_from_one_value_stays_a_splat(tmp_path: Path) -> None:
    """The imported constant holds 4 bytes for 4M elements; the model computes it."""
    from xdsl.dialects.builtin import DenseIntOrFPElementsAttr

    from tflc import Converter
    from tflc.dialects import tf

    model_dir = _filled_saved_model(tmp_path, (2048, 2048), 2.5)
    converter = Converter.from_saved_model(model_dir, ["add"])
    module = converter.import_module()
    consts = [op.value for op in module.walk() if isinstance(op, tf.ConstOp)]
    big = [c for c in consts if isinstance(c, DenseIntOrFPElementsAttr) and c.get_shape() == (2048, 2048)]
    assert big and all(len(c.data.data) == 4 for c in big)
    out = tmp_path / "m.tflite"
    converter.convert_module_to_file(module, str(out))
    shapes = [d["shape"] for d in Interpreter(model_path=str(out)).get_input_details()]
    result = _run_tflite(out, *(np.ones(s, np.float32) for s in shapes))
    assert result.shape == (2048, 2048) and np.all(result == 2.5)


def test_converter_max_model_bytes(tmp_path: Path, capsys) -> None:
    """`Converter.max_model_bytes` and tflc-convert's --max-model-bytes refuse a 16 MB splat
    under 1 MB; a bad value is an option error."""
    from tflc import Converter
    from tflc.errors import TflcError

    model_dir = _filled_saved_model(tmp_path, (2048, 2048), 1.0)
    converter = Converter.from_saved_model(model_dir, ["add"])
    converter.max_model_bytes = 1 << 20
    with pytest.raises(TflcError, match="model size limit of 1048576 bytes"):
        converter.convert()
    converter.max_model_bytes = -3
    with pytest.raises(TflcError, match="max_model_bytes must be a positive number"):
        converter.convert()
    out = tmp_path / "o.tflite"
    argv = ["--saved-model-dir", str(model_dir), "--signature-keys", "add", "--output-file", str(out), "-q"]
    assert convert.main([*argv, "--max-model-bytes", "1M"]) == 1
    err = capsys.readouterr().err
    assert "model size limit of 1048576 bytes" in err and "--max-model-bytes" in err, err
    assert not out.exists()
    assert convert.main([*argv, "--max-model-bytes", "32M"]) == 0
    assert out.stat().st_size > 2048 * 2048 * 4


def test_folded_fill_and_tf_fill_are_stored_as_one_element() -> None:
    """tfl.fill folded by tfl-fold-constants, and tf.Fill folded by legalize-tf, keep one
    element for 1000 (the size rule still decides whether they fold)."""
    from xdsl.dialects.builtin import DenseIntOrFPElementsAttr

    from tflc.ir import parse_module
    from tflc.pipeline import run_pipeline

    text = (ROOT / "test" / "filecheck" / "optimize" / "lazy_splat.mlir").read_text().split("// -----")[-1]
    tf_fill = """
func.func @main() -> tensor<10x100xi32> {
  %d = "tf.Const"() {value = dense<[10, 100]> : tensor<2xi32>} : () -> tensor<2xi32>
  %v = "tf.Const"() {value = dense<9> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.Fill"(%d, %v) : (tensor<2xi32>, tensor<i32>) -> tensor<10x100xi32>
  func.return %0 : tensor<10x100xi32>
}
"""
    for source, pipeline in ((text, "tfl-fold-constants"), (tf_fill, "legalize-tf")):
        module = parse_module(source, "fill.mlir")
        run_pipeline(module, pipeline)
        values = [op.value for op in module.walk() if isinstance(getattr(op, "value", None), DenseIntOrFPElementsAttr)]
        big = [v for v in values if np.prod(v.get_shape()) == 1000]
        assert len(big) == 1 and len(big[0].data.data) == 4, values


def test_splat_bytes_fill_and_pieces_repeat_the_element() -> None:
    """SplatBytes writes its element `count` times, in pieces smaller than the whole, with a
    multi-byte element across piece boundaries."""
    from tflc.backend.schema import SplatBytes

    element = bytes([1, 2, 3])
    splat = SplatBytes(element, 1001)
    splat.CHUNK = 64  # pieces of 21 elements: 47 whole ones and a remainder of 14
    out = bytearray(len(splat))
    splat.fill(memoryview(out))
    assert bytes(out) == element * 1001
    assert b"".join(bytes(p) for p in splat.pieces()) == element * 1001
    assert len(splat.pieces()) == 48


_MEASURE_EXPORT = """
import json, sys
from tflc.tools import translate
rc = translate.main(sys.argv[1:])
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rc": rc, "max_rss_mb": peak_kb / 1024}), file=sys.stderr)
"""


def test_splat_export_holds_the_model_once(tmp_path: Path) -> None:
    """A 512 MiB splat constant is written into the FlatBuffer in place: the export's peak
    memory is about one model's size (held twice, it would pass 1100 MB)."""
    n = 1 << 27  # f32 elements: 512 MiB
    source = tmp_path / "big.mlir"
    source.write_text(
        f"""func.func @main(%x: tensor<{n}xf32>) -> tensor<{n}xf32> {{
  %c = "tfl.pseudo_const"() <{{value = dense<1.5> : tensor<{n}xf32>}}> : () -> tensor<{n}xf32>
  %0 = tfl.add %x, %c {{fused_activation_function = "NONE"}} : tensor<{n}xf32>
  func.return %0 : tensor<{n}xf32>
}}
"""
    )
    out = tmp_path / "big.tflite"
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE_EXPORT, "--mlir-to-tflite", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    assert stats["rc"] == 0, result.stderr
    assert stats["max_rss_mb"] < 900, stats
    data = np.memmap(out, dtype=np.uint8, mode="r")
    assert len(data) > n * 4
    from ai_edge_litert import schema_py_generated as fb

    model = fb.Model.GetRootAs(data, 0)
    buffers = [model.Buffers(i) for i in range(model.BuffersLength())]
    weights = max(buffers, key=lambda b: b.DataLength())
    values = weights.DataAsNumpy().view(np.float32)
    assert len(values) == n and float(values.min()) == float(values.max()) == 1.5
