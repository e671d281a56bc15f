"""Export a tfl-dialect module as a TFLite FlatBuffer with one SignatureDef per signature.

Each exported function becomes a subgraph and a SignatureDef whose inputs and
outputs keep the signature's names; graph inputs and outputs are named by them too,
other tensors by their IR location. Constants become buffers deduplicated by
content; buffer 0 is the empty sentinel. The same module gives the same bytes.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    ModuleOp,
    NameLoc,
    NoneType,
    StringAttr,
    TensorType,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Operation, SSAValue

from tflc.backend import quantization, schema
from tflc.backend.flex import FLEX_PREFIX, flex_op_name, tensor_proto
from tflc.backend.flex import custom_options as flex_options
from tflc.backend.metadata import NAME as CONVERSION_METADATA
from tflc.backend.metadata import ConversionMetadata
from tflc.backend.ops import options_of
from tflc.backend.validate import validate_model
from tflc.backend.strings import pack_strings
from tflc.dialects import tfl
from tflc.dialects.tfl_custom import CustomOp
from tflc.dialects.tfl_traits import StatefulOperands
from tflc.dialects.tf import StringType, TensorProtoAttr, is_tf_op
from tflc.dialects.tf_saved_model import (
    Signature,
    function_signature,
    is_graph_entry,
    module_signatures,
    verify_signatures,
)
from tflc.dialects.tfl_versions import min_runtime_version, operator_version
from tflc.errors import ConversionError, describe_location, location_name, unsupported_ops_report
from tflc.limits import DEFAULT_MAX_MODEL_BYTES
from tflc.tensors import UnsupportedTypeError, constant_to_numpy, is_splat_attr, signature_dims

if TYPE_CHECKING:
    from ai_edge_litert import schema_py_generated as fb
else:
    fb = schema.fb_module




def _digest(data: bytes, count: int) -> bytes:
    """The blake2b digest of `data` repeated `count` times, hashed in chunks (never expanded whole)."""
    digest = hashlib.blake2b(digest_size=16)
    if count == 1:
        digest.update(data)
        return digest.digest()
    per_chunk = max(1, (1 << 20) // max(len(data), 1))
    chunk = data * min(per_chunk, count)
    full, rest = divmod(count, per_chunk)
    for _ in range(full):
        digest.update(chunk)
    digest.update(data * rest)
    return digest.digest()


@dataclass
class _ModelBuilder:
    """Shared state of one export: buffers and operator codes across subgraphs."""

    buffers: list[schema.AlignedBufferT] = field(default_factory=lambda: [schema.AlignedBufferT()])
    buffer_index: dict[tuple[int, bytes], int] = field(default_factory=dict)
    opcodes: list[fb.OperatorCodeT] = field(default_factory=list)
    opcode_index: dict[tuple[int, str | None], int] = field(default_factory=dict)
    subgraph_index: dict[str, int] = field(default_factory=dict)
    max_model_bytes: int = DEFAULT_MAX_MODEL_BYTES
    data_bytes: int = 0
    splats: dict[int, tuple[bytes, int]] = field(default_factory=dict)  # buffer index -> (element, count)

    def buffer(self, data: bytes, count: int = 1, where: str = "") -> int:
        """The index of a buffer holding `data` repeated `count` times (a splat stays one
        element until `expand_splats`), shared with equal constants; refuses data past
        the model size limit before anything is allocated."""
        size = len(data) * count
        self._check_size(self.data_bytes + size, where)
        key = (size, _digest(data, count))
        if key not in self.buffer_index:
            buf = schema.AlignedBufferT()
            if count == 1:
                buf.data = np.frombuffer(data, dtype=np.uint8)
            else:
                self.splats[len(self.buffers)] = (data, count)
            self.buffer_index[key] = len(self.buffers)
            self.buffers.append(buf)
            self.data_bytes += size
        return self.buffer_index[key]

    def check_size(self, size: int, where: str) -> None:
        """Refuse a constant of `size` bytes that would take the model past its size limit."""
        self._check_size(self.data_bytes + size, where)

    def _check_size(self, total: int, where: str) -> None:
        if total > self.max_model_bytes:
            raise ConversionError(
                f"{where + ': with this constant, ' if where else ''}the model's constant data would take "
                f"{total} bytes, more than "
                f"the model size limit of {self.max_model_bytes} bytes (FlatBuffers address at most 2 GiB); "
                "raise the limit with --max-model-bytes (tflc.Converter.max_model_bytes) to write it, its "
                "buffers after the FlatBuffer"
            )

    def expand_splats(self) -> None:
        """Give the splat buffers their data as SplatBytes: written out piece by piece when the
        model is packed (the size limit was checked as they were added)."""
        for index, (data, count) in sorted(self.splats.items()):
            self.buffers[index].data = schema.SplatBytes(data, count)
        self.splats.clear()

    def opcode(self, code: int, version: int = 1, custom: str | None = None) -> int:
        """The index of an OperatorCode, added on first use; one per operator, at the
        highest version its uses need (as TensorFlow writes them)."""
        key = (code, custom)
        if key not in self.opcode_index:
            self.opcode_index[key] = len(self.opcodes)
            self.opcodes.append(schema.new_operator_code(code, version, custom))
        opcode = self.opcodes[self.opcode_index[key]]
        opcode.version = max(opcode.version, version)
        return self.opcode_index[key]

    def min_runtime_version(self) -> str:
        """The oldest TFLite release that runs every builtin operator of the model ("" when
        unknown or too long for its 16-byte buffer, as TensorFlow leaves it)."""
        custom = schema.builtin_operator("CUSTOM")
        release = min_runtime_version(
            (schema.builtin_operator_name(schema.operator_code(c)), c.version)
            for c in self.opcodes
            if schema.operator_code(c) != custom
        )
        return release if len(release) < 16 else ""


@dataclass
class _SubgraphBuilder:
    model: _ModelBuilder
    func: FuncOp
    signature: Signature
    select_tf_ops: bool = False
    allow_custom_ops: bool = False
    tensors: list[fb.TensorT] = field(default_factory=list)
    index: dict[SSAValue, int] = field(default_factory=dict)
    operators: list[fb.OperatorT] = field(default_factory=list)
    unsupported: list[Operation] = field(default_factory=list)

    def tensor(self, value: SSAValue, name: str, buffer: int = 0) -> int:
        ty = value.type
        if not isinstance(ty, TensorType):
            raise ConversionError(
                f"tensor '{name}' has type {ty}: TFLite needs ranked tensors; run tf-shape-inference"
            )
        tensor = fb.TensorT()
        dims = signature_dims(ty)
        if any(d >= 2**31 for d in dims):
            raise ConversionError(f"tensor '{name}' has shape {dims}: TFLite dimensions must be below 2^31")
        tensor.shape = [1 if d < 0 else d for d in dims]
        if -1 in dims:
            tensor.shapeSignature = dims
        try:
            tensor.type = quantization.tensor_type_code(ty.element_type)
        except UnsupportedTypeError as err:
            raise ConversionError(f"{name}: {err}") from None
        tensor.quantization = quantization.quantization_parameters(ty.element_type)
        tensor.buffer = buffer
        tensor.name = name
        self.index[value] = len(self.tensors)
        self.tensors.append(tensor)
        return self.index[value]

    def build(self) -> fb.SubGraphT:
        block = self.func.body.block
        outputs = _output_names(self.func, self.signature)
        inputs = [
            self.tensor(arg, name) for arg, name in zip(block.args, self.signature.inputs)
        ]
        for op in block.ops:
            self.op(op, outputs)
        subgraph = fb.SubGraphT()
        subgraph.name = self.func.sym_name.data
        subgraph.tensors = self.tensors
        subgraph.inputs = inputs
        subgraph.outputs = [self.index[v] for v in _returned(self.func)]
        subgraph.operators = self.operators
        return subgraph

    def op(self, op: Operation, outputs: dict[SSAValue, str]) -> None:
        if isinstance(op, ReturnOp):
            return
        if isinstance(op, tfl.NoValueOp):
            self.index[op.results[0]] = -1
            return
        if isinstance(op, tfl.ConstOp | tfl.QConstOp):
            self.constant(op, outputs)
            return
        flex = self.select_tf_ops and is_tf_op(op)
        as_custom = not flex and self.allow_custom_ops and is_tf_op(op)
        if not isinstance(op, tfl.TFLOp) and not flex and not as_custom:
            self.unsupported.append(op)
            self.index.update((r, -1) for r in op.results)
            return
        operator = fb.OperatorT()
        stateful = _stateful_positions(op)
        operator.inputs = [
            self.variable(op, i) if i in stateful else self.index[v] for i, v in enumerate(op.operands)
        ]
        operator.outputs = [
            self.tensor(r, outputs.get(r) or _tensor_name(op, i)) for i, r in enumerate(op.results)
        ]
        if flex:
            custom_code = schema.builtin_operator("CUSTOM")
            operator.opcodeIndex = self.model.opcode(custom_code, 1, FLEX_PREFIX + flex_op_name(op))
            operator.customOptions = np.frombuffer(flex_options(op), dtype=np.uint8)
            operator.customOptionsFormat = fb.CustomOptionsFormat.FLEXBUFFERS
        elif as_custom:
            from tflc.backend import custom_ops

            operator.opcodeIndex = self.model.opcode(
                schema.builtin_operator("CUSTOM"), 1, custom_ops.custom_op_name(op)
            )
            operator.customOptions = np.frombuffer(custom_ops.custom_options(op), dtype=np.uint8)
            operator.customOptionsFormat = fb.CustomOptionsFormat.FLEXBUFFERS
        elif isinstance(op, CustomOp):  # a custom or Flex operator read from a .tflite: written back as it was
            operator.opcodeIndex = self.model.opcode(schema.builtin_operator("CUSTOM"), 1, op.custom_code.data)
            operator.customOptions = np.frombuffer(op.option_bytes(), dtype=np.uint8)
            operator.customOptionsFormat = fb.CustomOptionsFormat.FLEXBUFFERS
        else:
            assert isinstance(op, tfl.TFLOp)  # not flex, so a tfl op (checked above)
            code = op.builtin_name()
            operator.opcodeIndex = self.model.opcode(schema.builtin_operator(code), operator_version(op))
            operator.builtinOptionsType, operator.builtinOptions = options_of(op, self.model.subgraph_index)
        self.operators.append(operator)

    def variable(self, op: Operation, position: int) -> int:
        """A fresh variable tensor for a recurrent op's state operand (its value must be a
        zero constant: the runtime starts the state at zero and keeps it between runs)."""
        value = op.operands[position]
        array = constant_to_numpy(value.owner.value) if isinstance(value.owner, tfl.ConstOp) else None
        operand = _operand_name(op, position)
        if array is None or np.any(array):
            raise ConversionError(
                f"{describe_location(op.location)}: {op.name}'s {operand} must be a constant of zeros: TFLite "
                "keeps it as a variable tensor that starts at zero (feed a different initial state by other means)"
            )
        previous = self.index.get(value)  # the constant's own tensor (or _STATE_ONLY)
        index = self.tensor(value, f"{_tensor_name(op, 0)}/{operand}")
        if previous is None:
            del self.index[value]
        else:
            self.index[value] = previous
        self.tensors[index].isVariable = True
        return index

    def constant(self, op: tfl.ConstOp | tfl.QConstOp, outputs: dict[SSAValue, str]) -> None:
        value = op.value
        result = op.results[0]
        if _only_state(result):
            self.index[result] = _STATE_ONLY  # written as each user's variable tensor instead
            return
        if isinstance(value, TensorProtoAttr) and not isinstance(value.tensor_type().element_type, StringType):
            # Numbers TF keeps as a TensorProto (complex, ...): written as their bytes.
            from tflc.frontend.saved_model_reader import tensor_proto_to_numpy

            try:
                array = tensor_proto_to_numpy(tensor_proto(value))
            except ValueError as err:
                raise ConversionError(f"{describe_location(op.location)}: tensor_proto constant: {err}") from None
            self.tensor(result, outputs.get(result) or _tensor_name(op, 0), self.model.buffer(array.tobytes()))
            return
        if isinstance(value, TensorProtoAttr):
            strings = list(tensor_proto(value).string_val)
            shape = value.tensor_type().get_shape()
            if any(d < 0 for d in shape):
                raise ConversionError(
                    f"{_constant_where(op, value.tensor_type())}: a string constant of a dynamic shape; "
                    "constants have static shapes"
                )
            count = math.prod(shape)
            filler = strings[-1] if strings else b""
            # checked before the list is built: a string constant's shape may be huge
            self.model.check_size(len(pack_strings(strings)) + (count - len(strings)) * (4 + len(filler)),
                                  _constant_where(op, value.tensor_type()))
            strings = strings + [filler] * (count - len(strings))
            self.tensor(result, outputs.get(result) or _tensor_name(op, 0), self.model.buffer(pack_strings(strings)))
            return
        if not isinstance(value, DenseIntOrFPElementsAttr):
            self.unsupported.append(op)
            self.index[op.results[0]] = -1
            return
        data = value.data.data
        repeat = math.prod(value.get_shape()) if is_splat_attr(value) else 1  # a splat: expanded at the end
        buffer = self.model.buffer(data, repeat, _constant_where(op, value.type))
        self.tensor(result, outputs.get(result) or _tensor_name(op, 0), buffer)


_STATE_ONLY = -2
"""The index of a constant used only as recurrent state (each use gets a variable tensor)."""


def _stateful_positions(op: Operation) -> set[int]:
    """The operand positions the op's kernel keeps as variable tensors."""
    trait = op.get_trait(StatefulOperands)
    if trait is None or not isinstance(op, tfl.TFLOp):
        return set()
    return {type(op).operand_index(name) for name in trait.names}


def _only_state(value: SSAValue) -> bool:
    """Whether every use of `value` is a recurrent op's state operand."""
    return bool(value.uses) and all(use.index in _stateful_positions(use.operation) for use in value.uses)


def _operand_name(op: Operation, position: int) -> str:
    """The name of an operand position of a tfl op (`input_cell_state`)."""
    operands = op.get_irdl_definition().operands if isinstance(op, tfl.TFLOp) else []
    return operands[position][0] if position < len(operands) else f"operand {position}"


def _returned(func: FuncOp) -> list[SSAValue]:
    ret = func.body.block.last_op
    assert isinstance(ret, ReturnOp)
    return list(ret.arguments)


def _output_names(func: FuncOp, signature: Signature) -> dict[SSAValue, str]:
    """Returned values named by their signature output name (first one wins)."""
    names: dict[SSAValue, str] = {}
    for value, name in zip(_returned(func), signature.outputs):
        names.setdefault(value, name)
    return names


def _constant_where(op: Operation, ty: Attribute) -> str:
    """How an error names a constant: its TF node or source line, else its type."""
    where = describe_location(op.location)
    return f"the constant {ty}" if where == "unknown location" else where


def _tensor_name(op: Operation, index: int) -> str:
    """A tensor's name from its op's location (`dense/MatMul`), else the op name."""
    loc = op.location
    if isinstance(loc, NameLoc):
        base = loc.desc.data
    else:
        base = location_name(loc) or op.name.removeprefix("tfl.")
    return base if len(op.results) == 1 else f"{base}:{index}"


def _check_returns(func: FuncOp, signature: Signature) -> None:
    returned = _returned(func)
    seen: set[SSAValue] = set()
    for value in returned:
        if value in seen:
            raise ConversionError(
                f"signature '{signature.key}' returns the same tensor twice; TFLite needs one "
                "tensor per output: return distinct values"
            )
        seen.add(value)
        if isinstance(value.type, NoneType):
            raise ConversionError(f"signature '{signature.key}' returns no value")


# FlatBuffers address at most 2 GB; above this many constant bytes, buffers are stored
# after the FlatBuffer and referenced by their `offset` and `size`, as TensorFlow does.
EXTERNAL_BUFFERS_ABOVE = 2**31 - 2**26


def export_module(
    module: ModuleOp,
    *,
    select_tf_ops: bool = False,
    allow_custom_ops: bool = False,
    conversion_metadata: ConversionMetadata | None = None,
    external_buffers_above: int = EXTERNAL_BUFFERS_ABOVE,
    tensor_indices: dict[SSAValue, tuple[int, int]] | None = None,
    validate: bool = True,
    max_model_bytes: int = DEFAULT_MAX_MODEL_BYTES,
) -> bytes:
    """Serialize a tfl-dialect module to TFLite FlatBuffer bytes.

    With `select_tf_ops`, tf ops left in the module become Flex custom ops; with
    `allow_custom_ops` (and no Flex), CUSTOM ops named like the TF op.
    `conversion_metadata` is written as the CONVERSION_METADATA entry (its
    `model_hash` is computed here); `tensor_indices` receives each value's
    (subgraph, tensor) index; `validate` has ai-edge-litert prepare the model first
    (backend/validate.py). A model whose constant data exceeds `max_model_bytes` is
    refused before its buffers are allocated (splats are expanded only here).
    """
    options = _ExportOptions(select_tf_ops, allow_custom_ops, conversion_metadata, max_model_bytes)
    chunks = _export_chunks(module, options, external_buffers_above, tensor_indices, validate)
    return bytes(chunks[0]) if len(chunks) == 1 else b"".join(chunks)


def write_model(
    module: ModuleOp,
    path: str,
    *,
    select_tf_ops: bool = False,
    allow_custom_ops: bool = False,
    conversion_metadata: ConversionMetadata | None = None,
    external_buffers_above: int = EXTERNAL_BUFFERS_ABOVE,
    max_model_bytes: int = DEFAULT_MAX_MODEL_BYTES,
) -> int:
    """Export a module straight into a file (through a temporary file); returns its size."""
    from tflc.fileio import write_atomically

    options = _ExportOptions(select_tf_ops, allow_custom_ops, conversion_metadata, max_model_bytes)
    return write_atomically(path, _export_chunks(module, options, external_buffers_above))


@dataclass(frozen=True)
class _ExportOptions:
    select_tf_ops: bool = False
    allow_custom_ops: bool = False
    conversion_metadata: ConversionMetadata | None = None
    max_model_bytes: int = DEFAULT_MAX_MODEL_BYTES


def _export_chunks(
    module: ModuleOp,
    options: _ExportOptions,
    external_buffers_above: int,
    tensor_indices: dict[SSAValue, tuple[int, int]] | None = None,
    validate: bool = True,
) -> list:
    """The pieces of the file: the FlatBuffer, then any buffers stored after it."""
    signatures = module_signatures(module)
    if not signatures:
        raise ConversionError(
            "the module exports no function: mark functions with "
            "tf_saved_model.exported_names, or name the entry function @main"
        )
    verify_signatures(module)
    for func, signature in signatures:
        if not func.function_type.outputs.data and len(func.body.block.ops) <= 1:
            raise ConversionError(
                f"signature '{signature.key}' (@{func.sym_name.data}) computes nothing: no ops, no "
                "results. TensorFlow's convert_graph_def prunes every node unless given "
                "pass_pipeline='' (its default tf-standard-pipeline has no outputs to keep)"
            )
    model = _ModelBuilder(max_model_bytes=options.max_model_bytes)
    subgraphs: list[fb.SubGraphT] = []
    signature_defs: list[fb.SignatureDefT] = []
    unsupported: list[Operation] = []
    subgraph_of: dict[FuncOp, int] = {}
    # Signature functions first, then the functions they call (initializers, bodies).
    order = list(dict.fromkeys(f for f, _ in signatures))
    order += [f for f in module.ops if isinstance(f, FuncOp) and f not in order]
    model.subgraph_index = {f.sym_name.data: i for i, f in enumerate(order)}
    first_signature = {f: s for f, s in reversed(signatures)}
    for func in order:
        if not func.body.blocks:
            raise ConversionError(f"@{func.sym_name.data} is declared without a body; a model needs its ops")
        signature = first_signature.get(func) or function_signature(func, func.sym_name.data)
        _check_returns(func, signature)
        builder = _SubgraphBuilder(model, func, signature, options.select_tf_ops, options.allow_custom_ops)
        subgraph_of[func] = len(subgraphs)
        subgraphs.append(builder.build())
        unsupported.extend(builder.unsupported)
        if tensor_indices is not None:
            tensor_indices.update((v, (subgraph_of[func], i)) for v, i in builder.index.items() if i >= 0)
    for func, signature in signatures:
        if is_graph_entry(module, func):
            continue  # a GraphDef's @main: TensorFlow's converter writes no SignatureDef for it
        signature_defs.append(_signature_def(signature, subgraphs[subgraph_of[func]], subgraph_of[func]))
    if unsupported:
        raise ConversionError(
            unsupported_ops_report(
                unsupported,
                "have no TFLite builtin and cannot be exported",
                "fix: run legalize-tf first, or enable Select TF ops (--select-tf-ops) or custom ops "
                "(--allow-custom-ops) for tf ops",
            )
        )
    model.expand_splats()
    result = fb.ModelT()
    result.version = schema.SCHEMA_VERSION
    result.description = "tflc"
    result.operatorCodes = model.opcodes
    result.subgraphs = subgraphs
    result.signatureDefs = signature_defs
    metadata = fb.MetadataT()
    metadata.name = "min_runtime_version"
    metadata.buffer = len(model.buffers)
    version = schema.AlignedBufferT()
    version.data = np.frombuffer(model.min_runtime_version().encode().ljust(16, b"\0"), dtype=np.uint8)
    model.buffers.append(version)
    result.buffers = model.buffers
    result.metadata = [metadata]
    _keep_module_metadata(module, result, written={"min_runtime_version"} | (
        {CONVERSION_METADATA} if options.conversion_metadata is not None else set()
    ))
    total = sum(len(b.data) for b in model.buffers if b.data is not None)
    if total <= external_buffers_above:
        if options.conversion_metadata is not None:
            _add_conversion_metadata(result, options.conversion_metadata)
        packed = schema.pack_model(result)
        if validate:
            validate_model(packed)
        return [packed]
    # As TensorFlow's converter, no CONVERSION_METADATA when buffers go after the FlatBuffer.
    return _external_layout(result)


def _keep_module_metadata(module: ModuleOp, result: fb.ModelT, written: set[str]) -> None:
    """Write the entries of the module's `tfl.metadata` (an imported model's metadata), by
    name, except those the exporter writes itself."""
    entries = module.attributes.get(schema.MODULE_METADATA)
    if not isinstance(entries, DictionaryAttr):
        return
    for name, value in sorted(entries.data.items()):
        if name in written or name in schema.LAYOUT_METADATA:
            continue
        if isinstance(value, StringAttr):
            data = value.data.encode("utf-8")
        elif isinstance(value, BytesAttr):
            data = value.data
        else:
            raise ConversionError(
                f"tfl.metadata entry '{name}' is {value}: every value of tfl.metadata must be a string"
            )
        _append_metadata(result, name, data)


def _append_metadata(result: fb.ModelT, name: str, data: bytes) -> None:
    """Add a metadata entry with its own buffer."""
    entry = fb.MetadataT()
    entry.name = name
    entry.buffer = len(result.buffers)
    buffer = schema.AlignedBufferT()
    buffer.data = np.frombuffer(data, dtype=np.uint8)
    result.buffers.append(buffer)
    result.metadata.append(entry)


def _add_conversion_metadata(result: fb.ModelT, conversion: ConversionMetadata) -> None:
    """Append the CONVERSION_METADATA entry, hashing the model as TensorFlow does."""
    from dataclasses import replace

    from tflc.backend import metadata

    data = replace(conversion, model_hash=metadata.model_hash(result)).serialize()
    _append_metadata(result, metadata.NAME, data)


def _external_layout(model: fb.ModelT) -> list:
    """Move buffer data after the FlatBuffer; `offset`/`size` point at it (file offsets), and
    say so in a `buffer_location` metadata entry (as TensorFlow's converter does)."""
    _append_metadata(model, schema.BUFFER_LOCATION, b"outside flatbuffers")
    moved = [(b, b.data) for b in model.buffers if b.data is not None and len(b.data)]
    for buffer, data in moved:
        buffer.data = None
        buffer.offset, buffer.size = 2**62, len(data)  # placeholders: same encoded size
    head = schema.pack_model(model)
    chunks: list = [head]
    position = len(head)
    for buffer, data in moved:
        padding = -position % schema.BUFFER_ALIGNMENT
        chunks.append(b"\0" * padding)
        position += padding
        buffer.offset = position
        chunks.extend(data.pieces() if isinstance(data, schema.SplatBytes) else [memoryview(data).cast("B")])
        position += len(data)
    final = schema.pack_model(model)
    assert len(final) == len(head), "buffer offsets changed the FlatBuffer size"
    chunks[0] = final
    return chunks


def _signature_def(signature: Signature, subgraph: fb.SubGraphT, index: int) -> fb.SignatureDefT:
    sig = fb.SignatureDefT()
    sig.signatureKey = signature.key
    sig.subgraphIndex = index
    sig.inputs = [_tensor_map(n, t) for n, t in zip(signature.inputs, subgraph.inputs)]
    sig.outputs = [_tensor_map(n, t) for n, t in zip(signature.outputs, subgraph.outputs)]
    return sig


def _tensor_map(name: str, index: int) -> fb.TensorMapT:
    tensor_map = fb.TensorMapT()
    tensor_map.name = name
    tensor_map.tensorIndex = index
    return tensor_map
