"""CONVERSION_METADATA: how a model was converted, in the table TensorFlow's converter writes.

The metadata entry `CONVERSION_METADATA` points at a buffer holding a FlatBuffer
`ConversionMetadata` table (tflite/converter/schema/conversion_metadata.fbs):
`environment` (converter version, API version, model type, a hash of the model's
structure) and `options` (optimization modes, allow_custom_ops, Select TF ops).
`model_hash` is the structure hash TensorFlow's converter computes, so tools that
key models by it see tflc's models the same way.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import flatbuffers

NAME = "CONVERSION_METADATA"
_MASK = (1 << 64) - 1
_HASH_CONSTANT = 0x9E3779B97F4A7800


class ModelType(enum.IntEnum):
    """Where the converted model came from (conversion_metadata.fbs `ModelType`)."""

    NONE = 0
    TF_SAVED_MODEL = 1
    KERAS_MODEL = 2
    TF_CONCRETE_FUNCTIONS = 3
    TF_GRAPH_DEF = 4
    TF_SESSION = 5
    JAX = 6
    PYTORCH = 7


class OptimizationMode(enum.IntEnum):
    """How the model was optimized (conversion_metadata.fbs `ModelOptimizationMode`)."""

    PTQ_FLOAT16 = 1001
    PTQ_DYNAMIC_RANGE = 1002
    PTQ_FULL_INTEGER = 1003
    PTQ_INT16 = 1004
    QUANTIZATION_AWARE_TRAINING = 2000
    RANDOM_SPARSITY = 3001
    BLOCK_SPARSITY = 3002
    STRUCTURED_SPARSITY = 3003


@dataclass
class ConversionMetadata:
    """The fields of the ConversionMetadata table tflc fills."""

    converter_version: str = ""
    """Written to `environment.tensorflow_version` (TensorFlow writes its own version there)."""
    api_version: int = 2
    model_type: ModelType = ModelType.NONE
    model_hash: int = 0
    optimization_modes: list[OptimizationMode] = field(default_factory=list)
    allow_custom_ops: bool = False
    enable_select_tf_ops: bool = False
    force_select_tf_ops: bool = False

    def serialize(self) -> bytes:
        """The FlatBuffer bytes of the table (fields in schema order, deterministic)."""
        builder = flatbuffers.Builder(128)
        version = builder.CreateString(self.converter_version)
        builder.StartObject(4)  # Environment
        builder.PrependUOffsetTRelativeSlot(0, version, 0)
        builder.PrependUint32Slot(1, self.api_version, 0)
        builder.PrependInt32Slot(2, int(self.model_type), 0)
        builder.PrependUint64Slot(3, self.model_hash & _MASK, 0)
        environment = builder.EndObject()
        modes = None
        if self.optimization_modes:
            builder.StartVector(4, len(self.optimization_modes), 4)
            for mode in reversed(self.optimization_modes):
                builder.PrependInt32(int(mode))
            modes = builder.EndVector()
        builder.StartObject(5)  # ConversionOptions
        if modes is not None:
            builder.PrependUOffsetTRelativeSlot(0, modes, 0)
        builder.PrependBoolSlot(1, self.allow_custom_ops, False)
        builder.PrependBoolSlot(2, self.enable_select_tf_ops, False)
        builder.PrependBoolSlot(3, self.force_select_tf_ops, False)
        options = builder.EndObject()
        builder.StartObject(2)  # ConversionMetadata
        builder.PrependUOffsetTRelativeSlot(0, environment, 0)
        builder.PrependUOffsetTRelativeSlot(1, options, 0)
        builder.Finish(builder.EndObject())
        return bytes(builder.Output())


def parse(data: bytes) -> ConversionMetadata:
    """Read a ConversionMetadata buffer back (for `tflc-translate` and tests)."""
    buf = bytearray(data)
    root = flatbuffers.table.Table(buf, flatbuffers.encode.Get(flatbuffers.packer.uoffset, buf, 0))
    result = ConversionMetadata()
    environment = _table(root, 0)
    if environment is not None:
        offset = environment.Offset(4)
        if offset:
            result.converter_version = environment.String(offset + environment.Pos).decode()
        result.api_version = _scalar(environment, 1, flatbuffers.number_types.Uint32Flags)
        result.model_type = ModelType(_scalar(environment, 2, flatbuffers.number_types.Int32Flags))
        result.model_hash = _scalar(environment, 3, flatbuffers.number_types.Uint64Flags)
    options = _table(root, 1)
    if options is not None:
        offset = options.Offset(4)
        if offset:
            start = options.Vector(offset)
            result.optimization_modes = [
                OptimizationMode(options.Get(flatbuffers.number_types.Int32Flags, start + 4 * i))
                for i in range(options.VectorLen(offset))
            ]
        result.allow_custom_ops = bool(_scalar(options, 1, flatbuffers.number_types.BoolFlags))
        result.enable_select_tf_ops = bool(_scalar(options, 2, flatbuffers.number_types.BoolFlags))
        result.force_select_tf_ops = bool(_scalar(options, 3, flatbuffers.number_types.BoolFlags))
    return result


def _table(parent: Any, slot: int) -> Any | None:
    offset = parent.Offset(4 + 2 * slot)
    if not offset:
        return None
    return flatbuffers.table.Table(parent.Bytes, parent.Indirect(offset + parent.Pos))


def _scalar(table: Any, slot: int, flags: Any) -> int:
    offset = table.Offset(4 + 2 * slot)
    return table.Get(flags, offset + table.Pos) if offset else 0


def _mix(hash_value: int, value: int) -> int:
    value &= _MASK
    return (hash_value ^ ((value + _HASH_CONSTANT + (hash_value << 10) + (hash_value >> 4)) & _MASK)) & _MASK


def _mix_all(hash_value: int, values: Iterable[int] | None) -> int:
    for v in values if values is not None else ():
        hash_value = _mix(hash_value, int(v))
    return hash_value


def model_hash(model: Any) -> int:
    """The 64-bit structure hash of a model object (operators, tensor shapes, buffer sizes, I/O counts)."""
    h = 0
    for subgraph in model.subgraphs or ():
        if subgraph.operators is not None:
            h = _mix(h, len(subgraph.operators))
            for operator in subgraph.operators:
                h = _mix_all(h, operator.inputs)
                h = _mix_all(h, operator.outputs)
        if subgraph.tensors is not None:
            h = _mix(h, len(subgraph.tensors))
            for tensor in subgraph.tensors:
                data = model.buffers[tensor.buffer].data if tensor.buffer is not None else None
                if data is not None:
                    h = _mix(h, len(data))
                h = _mix_all(h, tensor.shape)
        if subgraph.inputs is not None:
            h = _mix(h, len(subgraph.inputs))
        if subgraph.outputs is not None:
            h = _mix(h, len(subgraph.outputs))
    return h
