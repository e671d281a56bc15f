"""Import a TFLite FlatBuffer into a tfl-dialect module with its signature attributes.

Each subgraph with a SignatureDef becomes a function exported under the signature
key, its arguments and results named by the signature; constants become
tfl.pseudo_const ops whose data is a view of the file's bytes.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING, cast

import numpy as np
from xdsl.dialects.builtin import (
    AnyDenseElement,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FunctionType,
    IntegerAttr,
    ModuleOp,
    NameLoc,
    NoneAttr,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue

from tflc.backend import schema
from tflc.backend.ops import properties_of
from tflc.backend.quantization import element_type_from_tensor
from tflc.dialects.quant import is_quantized, storage_tensor_type
from tflc.dialects import tfl
from tflc.dialects.tf_saved_model import ENTRY_FUNCTION, SEMANTICS, mark_exported, mark_module
from tflc.dialects.tf import StringType
from tflc.errors import TflcError
from tflc.tensors import UnsupportedTypeError, make_tensor_type

if TYPE_CHECKING:
    from ai_edge_litert import schema_py_generated as fb
else:
    fb = schema.fb_module


@cache
def _op_classes() -> dict[str, type[Operation]]:
    """tfl op classes by their BuiltinOperator name."""
    return {op.builtin_name(): op for op in tfl.op_classes()}


def _tensor_type(tensor: fb.TensorT) -> TensorType:
    dims = tensor.shapeSignature if tensor.shapeSignature is not None else tensor.shape
    dims = [] if dims is None else dims
    return make_tensor_type(element_type_from_tensor(tensor), dims)


class _SubgraphImporter:
    def __init__(
        self, model: fb.ModelT, subgraph: fb.SubGraphT, source: str, names: list[str], data: bytes
    ):
        self.data = data
        self.model = model
        self.subgraph = subgraph
        self.source = source
        self.names = names
        self.values: dict[int, SSAValue] = {}
        self.ops: list[Operation] = []

    def value(self, index: int) -> SSAValue:
        if index in self.values:
            return self.values[index]
        if index == -1:
            return self.emit(tfl.NoValueOp(), "").results[0]
        tensor = self.subgraph.tensors[index]
        raw = self.buffer_bytes(tensor.buffer)
        if raw is None and tensor.isVariable:  # a recurrent op's state: zeros at the start
            ty = _tensor_type(tensor)
            if not ty.has_static_shape():
                raise TflcError(
                    f"{self.source}: variable tensor '{schema.decode_name(tensor.name)}' has a dynamic shape; "
                    "the model is corrupt"
                )
            count = math.prod(ty.get_shape())
            if count > 2**62:
                raise TflcError(
                    f"{self.source}: variable tensor '{schema.decode_name(tensor.name)}' has {count} elements; "
                    "the model is corrupt"
                )
            raw = bytes(_element_size(self.source, tensor, ty) * min(count, 1))  # one zero element: a lazy splat
            if count > 1:
                if is_quantized(ty):
                    storage = cast("TensorType[AnyDenseElement]", storage_tensor_type(ty))
                    const_op: Operation = tfl.QConstOp(ty, DenseIntOrFPElementsAttr(storage, BytesAttr(raw)))
                else:
                    dense = cast("TensorType[AnyDenseElement]", ty)
                    const_op = tfl.ConstOp(DenseIntOrFPElementsAttr(dense, BytesAttr(raw)))
                self.values[index] = self.emit(const_op, schema.decode_name(tensor.name)).results[0]
                return self.values[index]
        if raw is None:
            raise TflcError(
                f"{self.source}: tensor '{schema.decode_name(tensor.name)}' is read before "
                "it is written; the model's operators are out of order"
            )
        ty = _tensor_type(tensor)
        _check_data(self.source, tensor, ty, raw)
        if is_quantized(ty):
            storage = cast("TensorType[AnyDenseElement]", storage_tensor_type(ty))
            const: Operation = tfl.QConstOp(ty, DenseIntOrFPElementsAttr(storage, BytesAttr(raw)))
        elif isinstance(ty.element_type, StringType):  # a string buffer: count, offsets, bytes
            from tflc.backend.strings import unpack_strings
            from tflc.tensors import strings_to_attr

            strings = np.array(unpack_strings(raw), dtype=object).reshape(ty.get_shape())
            const = tfl.ConstOp(strings_to_attr(strings))
        else:
            const = tfl.ConstOp(DenseIntOrFPElementsAttr(cast("TensorType[AnyDenseElement]", ty), BytesAttr(raw)))
        self.values[index] = self.emit(const, schema.decode_name(tensor.name)).results[0]
        return self.values[index]

    def buffer_bytes(self, index: int) -> bytes | None:
        """A buffer's bytes, inside the FlatBuffer or after it (offset/size)."""
        if not 0 < index < len(self.model.buffers):
            return None
        buffer = self.model.buffers[index]
        if buffer.offset > 1:
            if buffer.offset + buffer.size > len(self.data):
                raise TflcError(f"{self.source}: buffer {index} lies past the end of the file (truncated?)")
            return bytes(self.data[buffer.offset : buffer.offset + buffer.size])
        if buffer.data is None:
            return b""  # a constant with no elements
        return np.asarray(buffer.data).tobytes()

    def subgraph_name(self, index: int) -> str:
        """The function a subgraph index refers to."""
        if not 0 <= index < len(self.names):
            raise TflcError(f"{self.source}: an operator refers to missing subgraph {index}")
        return self.names[index]

    def emit(self, op: Operation, name: str) -> Operation:
        if name:
            op.location = NameLoc(StringAttr(name), NoneAttr())
        self.ops.append(op)
        return op

    def operator(self, operator: fb.OperatorT) -> None:
        opcode = self.model.operatorCodes[operator.opcodeIndex]
        code = schema.builtin_operator_name(schema.operator_code(opcode))
        if code == "CUSTOM":
            self.custom(operator, opcode)
            return
        op_class = _op_classes().get(code)
        if op_class is None:
            raise TflcError(
                f"{self.source}: operator {code} has no tfl op in tflc yet; "
                "it cannot be imported"
            )
        operands = [self.value(int(i)) for i in _ints(operator.inputs)]
        outputs = _ints(operator.outputs)
        result_types = [_tensor_type(self.subgraph.tensors[i]) for i in outputs]
        assert issubclass(op_class, tfl.TFLOp)
        table = op_class.options_table()
        if operator.builtinOptions is not None and type(operator.builtinOptions).__name__ != f"{table}T":
            raise TflcError(
                f"{self.source}: a {code} operator carries {type(operator.builtinOptions).__name__.removesuffix('T')} "
                f"options instead of {table or 'none'}; the model is corrupt"
            )
        if operator.builtinOptions is None and op_class.get_trait(tfl.SubgraphRefs) is not None:
            raise TflcError(
                f"{self.source}: a {code} operator has no options (its subgraphs are unknown); the model is corrupt"
            )
        properties = properties_of(op_class, operator.builtinOptions, self.subgraph_name)
        op = op_class.create(operands=operands, result_types=result_types, properties=properties)
        name = schema.decode_name(self.subgraph.tensors[outputs[0]].name) if outputs else ""
        self.emit(op, name)
        for i, result in zip(outputs, op.results):
            self.values[i] = result

    def custom(self, operator: fb.OperatorT, opcode: fb.OperatorCodeT) -> None:
        """A CUSTOM (or Flex) operator as tfl.custom, its code and option bytes kept."""
        from tflc.dialects.tfl_custom import CustomOp

        operands = [self.value(int(i)) for i in _ints(operator.inputs)]
        outputs = _ints(operator.outputs)
        options = operator.customOptions
        op = CustomOp.create(
            operands=operands,
            result_types=[_tensor_type(self.subgraph.tensors[i]) for i in outputs],
            properties={
                "custom_code": StringAttr(schema.decode_name(opcode.customCode)),
                "custom_option": BytesAttr(b"" if options is None else np.asarray(options, dtype=np.uint8).tobytes()),
            },
        )
        self.emit(op, schema.decode_name(self.subgraph.tensors[outputs[0]].name) if outputs else "")
        for i, result in zip(outputs, op.results):
            self.values[i] = result

    def build(self, name: str) -> FuncOp:
        inputs = _ints(self.subgraph.inputs)
        block = Block(arg_types=[_tensor_type(self.subgraph.tensors[i]) for i in inputs])
        for n, (i, arg) in enumerate(zip(inputs, block.args)):
            arg.name_hint = f"arg{n}"  # as TensorFlow's flatbuffer importer names them
            self.values[i] = arg
        for operator in self.subgraph.operators or []:
            self.operator(operator)
        outputs = [self.value(i) for i in _ints(self.subgraph.outputs)]
        block.add_ops(self.ops)
        block.add_op(ReturnOp(*outputs))
        ftype = FunctionType.from_lists(block.arg_types, [v.type for v in outputs])
        return FuncOp(name, ftype, Region(block))


def _element_size(source: str, tensor: fb.TensorT, ty: TensorType) -> int:
    """Bytes per element of a numeric tensor."""
    from tflc.tensors import numpy_dtype

    try:
        return numpy_dtype(ty.element_type).itemsize
    except (KeyError, ValueError, TypeError, UnsupportedTypeError):
        raise TflcError(f"{source}: variable tensor '{schema.decode_name(tensor.name)}' has no numeric type") from None


def _ints(values) -> list[int]:
    return [] if values is None else [int(v) for v in values]


def _check_data(source: str, tensor: fb.TensorT, ty: TensorType, raw: bytes) -> None:
    """A constant's buffer must hold exactly its shape's elements (strings: a valid string buffer)."""
    from tflc.tensors import numpy_dtype

    storage = storage_tensor_type(ty) if is_quantized(ty) else ty
    name = schema.decode_name(tensor.name)
    if any(d < 0 for d in storage.get_shape()):
        raise TflcError(f"{source}: constant tensor '{name}' has a dynamic shape {list(storage.get_shape())}")
    count = 1
    for d in storage.get_shape():
        count *= d
    try:
        dtype = numpy_dtype(storage.element_type)
    except UnsupportedTypeError:
        return
    if dtype == np.dtype(object):  # a string buffer: count, offsets, bytes
        from tflc.backend.strings import unpack_strings

        try:
            strings = unpack_strings(raw)
        except Exception as err:  # noqa: BLE001 - any inconsistency of the layout
            raise TflcError(f"{source}: string tensor '{name}' has a corrupt buffer ({err})") from None
        if len(strings) != count:
            raise TflcError(f"{source}: string tensor '{name}' holds {len(strings)} strings, its shape needs {count}")
        return
    if len(raw) != count * dtype.itemsize:
        raise TflcError(
            f"{source}: constant tensor '{name}' of type {ty} needs {count * dtype.itemsize} bytes "
            f"but its buffer holds {len(raw)}; the model is corrupt"
        )


def import_model(data: bytes, source: str = "<model>") -> ModuleOp:
    """Decode .tflite bytes into a tfl-dialect module with tf_saved_model attributes."""
    model = schema.unpack_model(data, source)
    try:
        return _import(model, data, source)
    except schema.CorruptModelError as err:
        message = str(err)
        raise schema.CorruptModelError(message if message.startswith(source) else f"{source}: {message}") from None


def _import(model: fb.ModelT, data: bytes, source: str) -> ModuleOp:
    module = ModuleOp([])
    # As TensorFlow's flatbuffer importer writes them.
    if model.description:
        module.attributes["tfl.description"] = StringAttr(schema.decode_name(model.description))
    metadata = _metadata(model, source)
    if metadata:
        module.attributes[schema.MODULE_METADATA] = DictionaryAttr(metadata)
    module.attributes["tfl.schema_version"] = IntegerAttr(int(model.version), 32)
    module.attributes[SEMANTICS] = UnitAttr()
    signatures = {s.subgraphIndex: s for s in model.signatureDefs or []}
    names = _subgraph_names(model)
    try:
        for index, subgraph in enumerate(model.subgraphs or []):
            func = _SubgraphImporter(model, subgraph, source, names, data).build(names[index])
            sig = signatures.get(index)
            if sig is not None:
                _mark(func, sig, subgraph)
            elif index == 0 and not signatures:
                _mark_by_tensor_names(func, subgraph)
            else:
                func.sym_visibility = StringAttr("private") if index else None
            module.body.block.add_op(func)
    except UnsupportedTypeError as err:
        raise TflcError(f"{source}: {err}") from None
    if any("tf_type" in str(f.function_type) for f in module.ops if isinstance(f, FuncOp)):
        mark_module(module)  # tf.versions first: MLIR tools then load the tf dialect for !tf_type types
    return module


def _metadata(model: fb.ModelT, source: str) -> dict[str, Attribute]:
    """The model's metadata entries by name (the first of each), each buffer's bytes as a
    string (bytes when not UTF-8)."""
    entries: dict[str, Attribute] = {}
    buffers = model.buffers or []
    for entry in model.metadata or []:
        name = schema.decode_name(entry.name) if entry.name is not None else ""
        if not name or name in entries or name in schema.LAYOUT_METADATA:
            continue
        if not 0 <= entry.buffer < len(buffers):
            raise schema.CorruptModelError(
                f"{source}: metadata '{name}' names buffer {entry.buffer} of {len(buffers)}; the model is corrupt"
            )
        data = buffers[entry.buffer].data
        raw = b"" if data is None else np.asarray(data, dtype=np.uint8).tobytes()
        try:
            entries[name] = StringAttr(raw.decode("utf-8"))
        except UnicodeDecodeError:
            entries[name] = BytesAttr(raw)
    return entries


def _subgraph_names(model: fb.ModelT) -> list[str]:
    """A unique function name for every subgraph (its own name where it has one)."""
    names: list[str] = []
    for index, subgraph in enumerate(model.subgraphs or []):
        name = schema.decode_name(subgraph.name) or ("main" if index == 0 else f"subgraph_{index}")
        names.append(f"{name}_{index}" if name in names else name)
    return names


def _mark_by_tensor_names(func: FuncOp, subgraph: fb.SubGraphT) -> None:
    """Export a model without SignatureDefs as serving_default, named by its tensors."""
    names = [schema.decode_name(t.name) for t in subgraph.tensors or []]
    inputs = [names[i].split(":")[0] or f"arg{n}" for n, i in enumerate(_ints(subgraph.inputs))]
    outputs = [names[i].split(":")[0] or f"output_{n}" for n, i in enumerate(_ints(subgraph.outputs))]
    if len(set(inputs)) == len(inputs) and len(set(outputs)) == len(outputs):
        mark_exported(func, "serving_default", inputs, outputs)


def _mark(func: FuncOp, sig: fb.SignatureDefT, subgraph: fb.SubGraphT) -> None:
    """Name a function's arguments and results by its SignatureDef."""
    by_tensor_in = {m.tensorIndex: schema.decode_name(m.name) for m in sig.inputs or []}
    by_tensor_out = {m.tensorIndex: schema.decode_name(m.name) for m in sig.outputs or []}
    inputs = [by_tensor_in.get(i, f"arg{n}") for n, i in enumerate(_ints(subgraph.inputs))]
    outputs = [by_tensor_out.get(i, f"output_{n}") for n, i in enumerate(_ints(subgraph.outputs))]
    # TensorFlow's importer also records the tensors' own names, before the signature.
    tensor_names = [schema.decode_name(t.name) for t in subgraph.tensors or []]
    func.attributes[ENTRY_FUNCTION] = DictionaryAttr(
        {
            "inputs": StringAttr(",".join(tensor_names[i] for i in _ints(subgraph.inputs))),
            "outputs": StringAttr(",".join(tensor_names[i] for i in _ints(subgraph.outputs))),
        }
    )
    mark_exported(func, schema.decode_name(sig.signatureKey), inputs, outputs)
