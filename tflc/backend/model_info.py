"""Facts read straight from .tflite bytes: operator (name, version) pairs and metadata."""

from __future__ import annotations

from ai_edge_litert import schema_py_generated as fb

from tflc.backend import schema


def operator_versions(data: bytes) -> set[tuple[str, int]]:
    """The (operator, version) pairs of a model's OperatorCodes; custom ops by their custom name."""
    model = fb.Model.GetRootAsModel(data, 0)
    pairs: set[tuple[str, int]] = set()
    for i in range(model.OperatorCodesLength()):
        code = model.OperatorCodes(i)
        builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        name = schema.builtin_operator_name(builtin)
        if name == "CUSTOM":
            name = schema.decode_name(code.CustomCode())
        pairs.add((name, code.Version()))
    return pairs


def metadata_string(data: bytes, name: str) -> str | None:
    """A metadata entry's buffer as text (trailing NULs stripped), None if absent."""
    model = fb.Model.GetRootAsModel(data, 0)
    for i in range(model.MetadataLength()):
        entry = model.Metadata(i)
        if schema.decode_name(entry.Name()) == name:
            buffer = model.Buffers(entry.Buffer())
            return bytes(buffer.DataAsNumpy()).rstrip(b"\0").decode() if buffer.DataLength() else ""
    return None


def min_runtime_version(data: bytes) -> str | None:
    """The model's `min_runtime_version` metadata."""
    return metadata_string(data, "min_runtime_version")
