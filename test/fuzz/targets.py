"""The fuzz targets (one per parser, plus command-line options) and their seed corpus.

Seeds come from the project's fixtures: the MLIR files of test/filecheck (with the
pipelines of their RUN lines), the bundled SavedModel in examples/, any SavedModels
and .tflite files under an extra seeds directory (the test suite passes the models its
session fixture builds), and the .tflite files tflc writes from those SavedModels.
"""

from __future__ import annotations

import io
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
    if extra:
        root = Path(extra)
        model_dirs += sorted(p.parent for p in root.rglob("saved_model.pb"))
        corpus.tflite += [p.read_bytes() for p in sorted(root.rglob("*.tflite"))]
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
