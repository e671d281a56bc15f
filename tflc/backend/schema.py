"""The one place tflc touches the TFLite FlatBuffer schema.

It wraps the generated schema module that ships with ai-edge-litert (FlatBuffers'
object API): enum lookups by name, options tables, aligned buffer packing, and
reading/writing whole models with clear errors for corrupt files.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import flatbuffers
import numpy as np
from ai_edge_litert import schema_py_generated as fb

from tflc.errors import TflcError

FILE_IDENTIFIER = b"TFL3"
SCHEMA_VERSION = 3
BUFFER_ALIGNMENT = 16

# Properties whose values are schema enums, by the enum class holding their names.
ENUM_CLASSES: dict[str, type] = {
    "fused_activation_function": fb.ActivationFunctionType,
    "padding": fb.Padding,
    "weights_format": fb.FullyConnectedOptionsWeightsFormat,
}


class CorruptModelError(TflcError):
    """A .tflite file that cannot be decoded."""


@cache
def _enum_names(enum_class: type) -> dict[int, str]:
    return {v: k for k, v in vars(enum_class).items() if not k.startswith("_") and isinstance(v, int)}


def enum_value(enum_class: type, name: str) -> int:
    """The integer of an enum member given its schema name (`RELU6`)."""
    return getattr(enum_class, name)


def enum_name(enum_class: type, value: int) -> str:
    """The schema name of an enum value."""
    names = _enum_names(enum_class)
    if value not in names:
        raise CorruptModelError(f"unknown {enum_class.__name__} value {value}")
    return names[value]


def builtin_operator(name: str) -> int:
    """The BuiltinOperator code for its name (`FULLY_CONNECTED`)."""
    return enum_value(fb.BuiltinOperator, name)


def builtin_operator_name(code: int) -> str:
    """The BuiltinOperator name for its code."""
    return enum_name(fb.BuiltinOperator, code)


def tensor_type(name: str) -> int:
    """The TensorType code for its name (`FLOAT32`)."""
    return enum_value(fb.TensorType, name)


def tensor_type_name(code: int) -> str:
    """The TensorType name for its code."""
    return enum_name(fb.TensorType, code)


def new_options(table: str) -> tuple[int, Any]:
    """The union type and an empty object-API instance of a BuiltinOptions table."""
    return enum_value(fb.BuiltinOptions, table), getattr(fb, table + "T")()


def options_table_name(union_type: int) -> str:
    """The BuiltinOptions table name for a union type code."""
    return enum_name(fb.BuiltinOptions, union_type)


def camel_case(snake: str) -> str:
    """The schema field name for a property name (`keep_num_dims` -> `keepNumDims`)."""
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


MODULE_METADATA = "tfl.metadata"
"""The module attribute holding a model's metadata entries (name to bytes), as TensorFlow's importer writes it."""

BUFFER_LOCATION = "buffer_location"
"""The metadata entry saying the buffers are stored after the FlatBuffer (its value "outside flatbuffers")."""

LAYOUT_METADATA = frozenset({BUFFER_LOCATION, "model_control_dependencies", "debug_metadata"})
"""Metadata entries that describe the file or are decoded elsewhere: not kept in `tfl.metadata`."""


class AlignedBufferT(fb.BufferT):
    """A Buffer whose data is packed on a 16-byte boundary, as TFLite kernels expect."""

    def Pack(self, builder: flatbuffers.Builder) -> int:
        data = None
        if self.data is not None and len(self.data):
            data = create_aligned_bytes(builder, self.data)
        fb.BufferStart(builder)
        if data is not None:
            fb.BufferAddData(builder, data)
        if self.offset:
            fb.BufferAddOffset(builder, self.offset)
            fb.BufferAddSize(builder, self.size)
        return fb.BufferEnd(builder)


class SplatBytes:
    """The bytes of one element repeated `count` times, never held whole: a splat
    constant's buffer until it is written into the FlatBuffer or the file."""

    CHUNK = 1 << 24  # bytes per piece when written out

    def __init__(self, element: bytes, count: int):
        self.element = element
        self.count = count

    def __len__(self) -> int:
        return len(self.element) * self.count

    def fill(self, out: memoryview) -> None:
        """Write the repeated element into `out` (exactly len(self) bytes), piece by piece."""
        one = np.frombuffer(self.element, dtype=np.uint8)
        target = np.frombuffer(out, dtype=np.uint8)
        if len(one) == 1:
            target.fill(one[0])
            return
        piece = np.tile(one, max(1, self.CHUNK // len(one)))
        for start in range(0, len(target), len(piece)):
            end = min(start + len(piece), len(target))
            target[start:end] = piece[: end - start]

    def pieces(self) -> list[memoryview]:
        """The bytes as a list of views of one shared piece (for writing after the FlatBuffer)."""
        per = max(1, self.CHUNK // len(self.element))
        piece = memoryview(np.tile(np.frombuffer(self.element, dtype=np.uint8), min(per, self.count)).data)
        whole, rest = divmod(self.count, per)
        out = [piece] * whole
        if rest:
            out.append(piece[: rest * len(self.element)])
        return out


def create_aligned_bytes(builder: flatbuffers.Builder, data: bytes | np.ndarray | SplatBytes) -> int:
    """A `[ubyte]` vector aligned to BUFFER_ALIGNMENT, copied once from `data` (a splat is
    written in place)."""
    if isinstance(data, SplatBytes):
        size = len(data)
        builder.StartVector(1, size, BUFFER_ALIGNMENT)
        builder.head = builder.head - size
        data.fill(memoryview(builder.Bytes)[builder.head : builder.head + size])
        builder.vectorNumElems = size
        return builder.EndVector()
    if isinstance(data, np.ndarray):
        payload = np.ascontiguousarray(data).data.cast("B")
    else:
        payload = memoryview(data).cast("B")
    size = payload.nbytes
    builder.StartVector(1, size, BUFFER_ALIGNMENT)
    builder.head = builder.head - size
    builder.Bytes[builder.head : builder.head + size] = payload
    builder.vectorNumElems = size
    return builder.EndVector()


class _SharedStringBuilder(flatbuffers.Builder):
    """A builder writing each distinct string once: tensor names repeat (a filter, its
    bias and the output of one op share the op's name), as FlatBuffers' shared strings."""

    Bytes: bytearray  # the builder's buffer (FlatBuffers' attribute)

    def __init__(self, initial_size: int):
        super().__init__(initial_size)
        self._strings: dict[bytes | str, int] = {}

    def CreateString(self, s, encoding: str = "utf-8", errors: str = "strict") -> int:  # noqa: N802
        offset = self._strings.get(s)
        if offset is None:
            offset = super().CreateString(s, encoding, errors)
            self._strings[s] = offset
        return offset

    def GrowByteBuffer(self) -> None:  # noqa: N802
        """Grow by half rather than double: a large model's builder holds its weights."""
        size = len(self.Bytes)
        if size >= self.MAX_BUFFER_SIZE:
            raise flatbuffers.builder.BuilderSizeError("flatbuffers: cannot grow buffer beyond 2 gigabytes")
        grown = bytearray(min(max(size + size // 2, 1024), self.MAX_BUFFER_SIZE))
        grown[len(grown) - size :] = self.Bytes
        self.Bytes = grown


def _length(items: Any) -> int:
    return 0 if items is None else len(items)


def _estimated_size(model: fb.ModelT) -> int:
    """An upper estimate of a model's packed size, so its builder never regrows."""
    size = 1 << 16
    size += sum(_length(b.data) + BUFFER_ALIGNMENT + 16 for b in model.buffers or [])
    for subgraph in model.subgraphs or []:
        for tensor in subgraph.tensors or []:
            size += 96 + 8 * _length(tensor.shape) + _length(tensor.name)
            if tensor.quantization is not None:
                size += 96 + 12 * _length(tensor.quantization.scale)
        for op in subgraph.operators or []:
            size += 128 + 4 * (_length(op.inputs) + _length(op.outputs)) + _length(op.customOptions)
    return size


def pack_model(model: fb.ModelT) -> memoryview:
    """Serialize a model with the TFL3 file identifier (a view of the builder: no copy).

    The builder starts at an upper estimate of the model's size, so it never regrows
    (regrowing would hold the weights twice over).
    """
    builder = _SharedStringBuilder(_estimated_size(model))
    try:
        root = model.Pack(builder)
    except TypeError as err:  # flatbuffers' range check of a scalar field ("bad number N for type int32")
        raise TflcError(f"a value does not fit its TFLite field ({err}); the model cannot be written") from None
    builder.Finish(root, file_identifier=FILE_IDENTIFIER)
    return memoryview(builder.Bytes)[builder.Head() :]


def unpack_model(data: bytes, source: str) -> fb.ModelT:
    """Decode a .tflite file into the object API, with a clear error if it is corrupt."""
    if len(data) < 8 or data[4:8] != FILE_IDENTIFIER:
        raise CorruptModelError(
            f"{source}: not a TFLite model (missing the TFL3 file identifier); "
            "pass a .tflite file written by tflc or TensorFlow's converter"
        )
    try:
        model = fb.ModelT.InitFromPackedBuf(data, 0)
        _check_model(model)
    except CorruptModelError as err:
        raise CorruptModelError(f"{source}: {err}") from None
    except Exception as err:  # the generated reader raises whatever it hits
        raise CorruptModelError(
            f"{source}: the FlatBuffer is truncated or corrupt ({type(err).__name__}: {err}); "
            "re-export the model"
        ) from None
    return model


def _check_model(model: fb.ModelT) -> None:
    """Check index fields the interpreter would trust."""
    buffers = len(model.buffers or [])
    codes = len(model.operatorCodes or [])
    subgraphs = len(model.subgraphs or [])
    for sig in model.signatureDefs or []:
        if not 0 <= sig.subgraphIndex < subgraphs:
            raise CorruptModelError(
                f"signature '{_name(sig.signatureKey)}' refers to missing subgraph {sig.subgraphIndex}"
            )
        tensors = len(model.subgraphs[sig.subgraphIndex].tensors or [])
        for item in [*(sig.inputs or []), *(sig.outputs or [])]:
            if not 0 <= item.tensorIndex < tensors:
                raise CorruptModelError(
                    f"signature '{_name(sig.signatureKey)}' refers to missing tensor {item.tensorIndex}"
                )
    for subgraph in model.subgraphs or []:
        tensors = len(subgraph.tensors or [])
        for kind, indices in (("input", subgraph.inputs), ("output", subgraph.outputs)):
            for index in indices if indices is not None else []:
                if not 0 <= index < tensors:
                    raise CorruptModelError(
                        f"subgraph '{_name(subgraph.name)}' has {kind} {index}, not one of its {tensors} tensors"
                    )
        for tensor in subgraph.tensors or []:
            if not 0 <= tensor.buffer < max(buffers, 1):
                raise CorruptModelError(f"tensor '{_name(tensor.name)}' refers to missing buffer {tensor.buffer}")
        for op in subgraph.operators or []:
            if not 0 <= op.opcodeIndex < codes:
                raise CorruptModelError(f"operator refers to missing opcode {op.opcodeIndex}")
            for index in op.inputs if op.inputs is not None else []:
                if not -1 <= index < tensors:
                    raise CorruptModelError(f"operator refers to missing tensor {index}")
            for index in op.outputs if op.outputs is not None else []:
                if not 0 <= index < tensors:
                    raise CorruptModelError(f"operator writes missing tensor {index}")


def _name(raw: bytes | str | None) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bytes):
        try:
            return raw.decode()
        except UnicodeDecodeError:
            raise CorruptModelError(f"the name {raw[:60]!r} is not UTF-8 text") from None
    return raw


def decode_name(raw: bytes | str | None) -> str:
    """A schema string field as text."""
    return _name(raw)


def operator_code(opcode: fb.OperatorCodeT) -> int:
    """The builtin code of an OperatorCode, from either of its code fields."""
    return max(opcode.builtinCode, opcode.deprecatedBuiltinCode)


def new_operator_code(code: int, version: int = 1, custom: str | None = None) -> fb.OperatorCodeT:
    """An OperatorCode with both its code fields set, as TFLite readers expect."""
    opcode = fb.OperatorCodeT()
    opcode.builtinCode = code
    opcode.deprecatedBuiltinCode = min(code, fb.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES)
    opcode.version = version
    opcode.customCode = custom
    return opcode


fb_module = fb
"""The generated schema module, for the few object-API classes the backend builds."""
