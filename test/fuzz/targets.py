"""The fuzz targets (one per parser, plus command-line options) and their seed corpus.

Seeds come from the project's fixtures: the MLIR files of test/filecheck (with the
pipelines of their RUN lines), the bundled SavedModel in examples/, any SavedModels,
.tflite files and frozen GraphDefs (NAME.pb beside its arrays in NAME.json) under an
extra seeds directory (the test suite passes the models its session fixture builds),
the .tflite files tflc writes from those SavedModels, and two small frozen GraphDefs
built here.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mutators import mutate_bytes, mutate_checkpoint, mutate_flatbuffer, mutate_mlir, mutate_proto_bytes
from runner import Case

ROOT = Path(__file__).resolve().parents[2]
_PIPELINES = [
    "",
    "canonicalize",
    "legalize-tf",
    "tf-inline,freeze-variables,tf-shape-inference,legalize-tf,canonicalize,tfl-fold-constants,cse,dce",
]


@dataclass
class Corpus:
    """Seed inputs of every target."""

    mlir: list[tuple[bytes, str]] = field(default_factory=list)  # (text, pipeline)
    tfl_mlir: list[bytes] = field(default_factory=list)
    tflite: list[bytes] = field(default_factory=list)
    saved_models: list[dict[str, bytes]] = field(default_factory=list)  # relative path -> bytes
    graph_defs: list[tuple[bytes, dict]] = field(default_factory=list)  # (frozen GraphDef, its arrays)


def _read_dir(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def _pipelines_of(text: str) -> list[str]:
    specs = re.findall(r"RUN:.*?tflc-opt.*?-p[ =]+('[^']*'|\S+)", text)
    return [s.strip("'") for s in specs] or [""]


def build_corpus(extra: str | None = None) -> Corpus:
    """Collect seeds from the fixtures (and `extra`, a directory of SavedModels / .tflite files)."""
    from tflc.backend.importer import import_model
    from tflc.converter import Converter
    from tflc.ir import module_to_text

    corpus = Corpus()
    for path in sorted((ROOT / "test" / "filecheck").rglob("*.mlir")):
        text = path.read_text()
        specs = _pipelines_of(text)
        for chunk in text.split("// -----"):
            body = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("// RUN"))
            if "tfl." in body and "tf." not in body.replace("tfl.", ""):
                corpus.tfl_mlir.append(body.encode())
            corpus.mlir.append((body.encode(), random.Random(len(body)).choice(specs)))
    model_dirs = [ROOT / "examples" / "addsub_savedmodel"]
    corpus.graph_defs += _builtin_graph_defs()
    if extra:
        root = Path(extra)
        model_dirs += sorted(p.parent for p in root.rglob("saved_model.pb"))
        corpus.tflite += [p.read_bytes() for p in sorted(root.rglob("*.tflite"))]
        for arrays in sorted(root.rglob("*.json")):  # frozen graphs: NAME.pb beside NAME.json
            graph = arrays.with_suffix(".pb")
            if graph.is_file():
                corpus.graph_defs.append((graph.read_bytes(), json.loads(arrays.read_text())))
    for directory in model_dirs:
        corpus.saved_models.append(_read_dir(directory))
        for options in ({}, {"select": True}):
            try:
                converter = Converter.from_saved_model(str(directory))
                if options:
                    from tflc.converter import OpsSet

                    converter.target_spec.supported_ops = {OpsSet.TFLITE_BUILTINS, OpsSet.SELECT_TF_OPS}
                corpus.tflite.append(bytes(converter.convert()))
                break
            except Exception:  # noqa: BLE001 - a seed tflc cannot convert without Flex
                continue
    for data in corpus.tflite:
        try:
            corpus.tfl_mlir.append(module_to_text(import_model(data, "seed.tflite")).encode())
        except Exception:  # noqa: BLE001 - a seed tflc cannot import yet
            pass
    return corpus


# ---------------------------------------------------------------------- targets


def mlir_opt(rng: random.Random, corpus: Corpus) -> Case:
    """tflc-opt on mutated MLIR text, with a seed's pipeline or another."""
    text, spec = rng.choice(corpus.mlir)
    spec = spec if rng.random() < 0.7 else rng.choice(_PIPELINES)
    argv = ["in.mlir", "-o", "out.mlir"] + (["-p", spec] if spec else [])
    return Case("tflc-opt", argv, {"in.mlir": mutate_mlir(rng, text)}, "out.mlir")


def mlir_to_tflite(rng: random.Random, corpus: Corpus) -> Case:
    """tflc-translate --mlir-to-tflite on mutated tfl-dialect MLIR; output must load in litert."""
    text = mutate_mlir(rng, rng.choice(corpus.tfl_mlir))
    return Case(
        "tflc-translate", ["--mlir-to-tflite", "in.mlir", "-o", "out.tflite"], {"in.mlir": text}, "out.tflite", True
    )


def tflite_to_mlir(rng: random.Random, corpus: Corpus) -> Case:
    """tflc-translate --tflite-to-mlir on a mutated FlatBuffer (structure-aware or bytes)."""
    seed = rng.choice(corpus.tflite)
    data = mutate_flatbuffer(rng, seed) if rng.random() < 0.75 else mutate_bytes(rng, seed)
    return Case("tflc-translate", ["--tflite-to-mlir", "in.tflite", "-o", "out.mlir"], {"in.tflite": data}, "out.mlir")


def _convert_case(files: dict[str, bytes], rng: random.Random) -> Case:
    argv = ["--saved-model-dir", "m", "--output-file", "out.tflite", "-q"]
    if rng.random() < 0.3:
        argv.append("--select-tf-ops")
    if rng.random() < 0.2:
        argv += ["--quantize", rng.choice(["float16", "dynamic-range"])]
    return Case("tflc-convert", argv, {f"m/{k}": v for k, v in files.items()}, "out.tflite", True)


def saved_model(rng: random.Random, corpus: Corpus) -> Case:
    """tflc-convert on a SavedModel whose saved_model.pb is mutated."""
    from tflc.frontend.proto import saved_model_pb2

    files = dict(rng.choice(corpus.saved_models))
    pb = files["saved_model.pb"]
    files["saved_model.pb"] = (
        mutate_proto_bytes(rng, pb, saved_model_pb2.SavedModel) if rng.random() < 0.85 else mutate_bytes(rng, pb)
    )
    return _convert_case(files, rng)


def checkpoint(rng: random.Random, corpus: Corpus) -> Case:
    """tflc-convert on a SavedModel whose variables checkpoint is mutated."""
    with_vars = [m for m in corpus.saved_models if "variables/variables.index" in m]
    files = dict(rng.choice(with_vars))
    data_name = next(k for k in files if k.startswith("variables/variables.data"))
    files["variables/variables.index"], files[data_name] = mutate_checkpoint(
        rng, files["variables/variables.index"], files[data_name]
    )
    return _convert_case(files, rng)


def _builtin_graph_defs() -> list[tuple[bytes, dict]]:
    """Small frozen GraphDefs made without TensorFlow (seeds when no TF1 models are given)."""
    from tflc.frontend.proto import attr_value_pb2, graph_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

    def node(graph, name: str, op: str, inputs: list[str], **attrs) -> None:
        n = graph.node.add(name=name, op=op, input=inputs)
        for key, value in attrs.items():
            n.attr[key].CopyFrom(value)

    f32 = attr_value_pb2.AttrValue(type=types_pb2.DT_FLOAT)

    def const(graph, name: str, array: np.ndarray) -> None:
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_content=array.astype("<f4").tobytes())
        tensor.tensor_shape.dim.extend(tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in array.shape)
        node(graph, name, "Const", [], dtype=f32, value=attr_value_pb2.AttrValue(tensor=tensor))

    def placeholder(graph, name: str, shape: list[int]) -> None:
        proto = tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in shape])
        node(graph, name, "Placeholder", [], dtype=f32, shape=attr_value_pb2.AttrValue(shape=proto))

    dense = graph_pb2.GraphDef()
    placeholder(dense, "x", [2, 3])
    const(dense, "w", np.arange(12, dtype=np.float32).reshape(3, 4) / 10)
    const(dense, "b", np.ones(4, np.float32))
    node(dense, "mm", "MatMul", ["x", "w"], T=f32)
    node(dense, "add", "BiasAdd", ["mm", "b"], T=f32)
    node(dense, "y", "Relu", ["add"], T=f32)
    pair = graph_pb2.GraphDef()
    placeholder(pair, "a", [-1, 4])
    placeholder(pair, "b", [-1, 4])
    node(pair, "s", "AddV2", ["a", "b"], T=f32)
    node(pair, "m", "Mul", ["s", "a"], T=f32)
    node(pair, "t", "Tanh", ["m"], T=f32)
    return [
        (dense.SerializeToString(), {"inputs": ["x"], "outputs": ["y"], "input_shapes": {"x": [2, 3]}}),
        (pair.SerializeToString(), {"inputs": ["a", "b"], "outputs": ["s", "t"], "input_shapes": {}}),
    ]


def graph_def(rng: random.Random, corpus: Corpus) -> Case:
    """tflc-convert on a mutated frozen GraphDef (binary, or as text .pbtxt), with its arrays."""
    from google.protobuf import text_format

    from tflc.frontend.proto import graph_pb2

    data, arrays = rng.choice(corpus.graph_defs)
    if rng.random() < 0.2:
        text = text_format.MessageToString(graph_pb2.GraphDef.FromString(data)).encode()
        name, data = "in.pbtxt", mutate_bytes(rng, text)
    else:
        mutated = mutate_proto_bytes(rng, data, graph_pb2.GraphDef) if rng.random() < 0.85 else mutate_bytes(rng, data)
        name, data = "in.pb", mutated
    inputs, outputs = list(arrays["inputs"]), list(arrays["outputs"])
    if rng.random() < 0.1:  # a wrong or missing array name
        (inputs if rng.random() < 0.5 else outputs)[0] = rng.choice(["nosuch", "", "x:7", "y:0"])
    argv = ["--graph-def-file", name, "--input-arrays", ",".join(inputs), "--output-arrays", ",".join(outputs)]
    shapes = arrays.get("input_shapes") or {}
    if shapes and all(i in shapes for i in inputs) and rng.random() < 0.7:
        argv += ["--input-shapes", ":".join(",".join(str(d) for d in shapes[i]) for i in inputs)]
    if rng.random() < 0.2:
        argv.append("--select-tf-ops")
    return Case("tflc-convert", [*argv, "--output-file", "out.tflite", "-q"], {name: data}, "out.tflite", True)


def _npz(arrays: dict[str, object]) -> bytes:
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def _bad_representative_data(rng: random.Random) -> tuple[str, bytes]:
    good = {"add/input1": np.ones((3, 1, 4), np.float32), "add/input2": np.ones((3, 1, 4), np.float32)}
    kind = rng.randrange(10)
    if kind == 0:
        good["add/input1"][0, 0, 0] = rng.choice([np.nan, np.inf, -np.inf])
    elif kind == 1:
        good["add/input1"] = np.ones((3, 7), np.float32)
    elif kind == 2:
        good["add/input1"] = np.ones((3, 1, 4), rng.choice([np.int64, np.bool_, np.complex64, np.float64]))
    elif kind == 3:
        good["add/input1"] = np.array(1.0, np.float32)
    elif kind == 4:
        good["add/input1"] = np.array([["a", "b", "c", "d"]] * 3)
    elif kind == 5:
        out = io.BytesIO()
        np.save(out, good["add/input1"])
        return "data.npz", out.getvalue()
    elif kind == 6:
        data = _npz(good)
        return "data.npz", data[: rng.randrange(len(data))]
    elif kind == 7:
        good = {}
    elif kind == 8:
        good = {"nosuch/x": np.ones((2, 1, 4), np.float32), "add/input9": np.ones((2, 1, 4), np.float32)}
    else:
        good["add/input1"] = np.ones((0, 1, 4), np.float32)
        good["add/input2"] = np.ones((0, 1, 4), np.float32)
    data = _npz(good)
    return "data.npz", (mutate_bytes(rng, data) if rng.random() < 0.1 else data)


BAD_PIPELINES = [
    ",",
    "legalize-tf{",
    "{}",
    "legalize-tf{allow-unsupported=maybe}",
    "legalize-tf}",
    "nosuch-pass",
    "legalize-tf{a=1,b=2}",
    "canonicalize,,cse",
    "'",
    "legalize-tf{allow-unsupported=true",
    "{{{{",
    "\x00",
]


def options(rng: random.Random, corpus: Corpus) -> Case:
    """Bad options: pass pipelines, representative data, paths, flag combinations."""
    kind = rng.randrange(6)
    model = {f"m/{k}": v for k, v in corpus.saved_models[0].items()}
    if kind == 0:
        spec = rng.choice(BAD_PIPELINES)
        if rng.random() < 0.5:
            spec = mutate_bytes(rng, spec.encode()).decode("utf-8", "surrogateescape")
        return Case("tflc-opt", ["in.mlir", "-p", spec, "-o", "out.mlir"], {"in.mlir": corpus.mlir[0][0]}, "out.mlir")
    if kind in (1, 2):
        name, data = _bad_representative_data(rng)
        return Case(
            "tflc-convert",
            [
                "--saved-model-dir",
                "m",
                "--output-file",
                "out.tflite",
                "-q",
                "--quantize",
                "int8",
                "--representative-data",
                name,
            ],
            {**model, name: data},
            "out.tflite",
            True,
        )
    if kind == 3:
        argv = rng.choice(
            [
                ["--saved-model-dir", "m", "--output-file", "m/saved_model.pb"],
                ["--saved-model-dir", "m", "--output-file", "nodir/out.tflite"],
                ["--saved-model-dir", "m", "--output-file", "m"],
                ["--saved-model-dir", "nosuch", "--output-file", "out.tflite"],
                ["--saved-model-dir", "m/saved_model.pb", "--output-file", "out.tflite"],
                ["--saved-model-dir", "m", "--output-file", "out.tflite", "--signature-keys", "nosuch"],
                ["--saved-model-dir", "m", "--output-file", "out.tflite", "--tags", "train"],
                ["--saved-model-dir", "m", "--output-file", "out.tflite", "--quantize", "int8"],
                ["--saved-model-dir", "m", "--output-file", "out.tflite", "--inference-type", "int8"],
                ["--saved-model-dir", "m", "--output-file", "out.tflite", "--signature-keys", ","],
            ]
        )
        return Case("tflc-convert", argv, model, None)
    if kind == 4:
        argv = rng.choice(
            [
                ["--mlir-to-tflite", "in.mlir", "-o", "in.mlir"],
                ["--mlir-to-tflite", "in.mlir"],
                ["--tflite-to-mlir", "in.mlir", "-o", "out.mlir"],
                ["--tflite-to-mlir", "nosuch.tflite"],
                ["--mlir-to-tflite", ".", "-o", "out.tflite"],
                ["--mlir-to-tflite", "in.mlir", "-o", "."],
                ["--mlir-to-tflite", "in.mlir", "-o", "nodir/x.tflite"],
            ]
        )
        return Case("tflc-translate", argv, {"in.mlir": corpus.tfl_mlir[0]}, None)
    argv = rng.choice(
        [
            ["in.mlir", "-o", "in.mlir", "-p", "canonicalize"],
            ["in.mlir", "--mlir-elide-elementsattrs-if-larger", "-5"],
            ["nosuch.mlir"],
            ["in.mlir", "--split-input-file", "--verify-diagnostics"],
            [".", "-o", "out.mlir"],
        ]
    )
    return Case("tflc-opt", argv, {"in.mlir": rng.choice(corpus.mlir)[0]}, None)


TARGETS: dict[str, Callable[[random.Random, Corpus], Case]] = {
    "mlir-opt": mlir_opt,
    "mlir-to-tflite": mlir_to_tflite,
    "tflite-to-mlir": tflite_to_mlir,
    "saved-model": saved_model,
    "checkpoint": checkpoint,
    "graph-def": graph_def,
    "options": options,
}


def save_case(case: Case, directory: str) -> None:
    """Write a case as a reproducer: its files and a `command` line."""
    os.makedirs(directory, exist_ok=True)
    for rel, data in case.files.items():
        path = os.path.join(directory, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    with open(os.path.join(directory, "command"), "w") as f:
        f.write(" ".join([case.tool, *(repr(a) for a in case.argv)]) + "\n")
