"""Select TF ops: tf ops exported as `Flex<Op>` custom ops for TensorFlow's Flex delegate.

The custom options are the FlexBuffer the delegate reads: a vector of the op name and
the serialized NodeDef, whose attributes are the op's TF attributes completed with
TensorFlow's defaults (as TensorFlow's converter writes them).
"""

from __future__ import annotations

from flatbuffers import flexbuffers
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    NameLoc,
    StringAttr,
    SymbolRefAttr,
    i1,
)
from xdsl.ir import Attribute, Operation, TypeAttribute

from tflc.errors import TflcError
from tflc.dialects.tf import TensorProtoAttr, tf_op_name
from tflc.frontend.op_defs import attr_types, default_attrs
from tflc.frontend.proto import attr_value_pb2, node_def_pb2, tensor_pb2
from tflc.tensors import dense_to_numpy, tf_dtype

FLEX_PREFIX = "Flex"


def flex_op_name(op: Operation) -> str:
    """The TF op name a Flex custom op runs (`tf.AsString` -> `AsString`)."""
    return tf_op_name(op).removeprefix("tf.")


def node_def(op: Operation) -> node_def_pb2.NodeDef:
    """The NodeDef the Flex delegate runs for a tf op: its attributes plus TF's defaults."""
    name = flex_op_name(op)
    node = node_def_pb2.NodeDef(op=name)
    node.input.extend([""] * len(op.operands))
    kinds = attr_types(name)
    for key, attr in op.attributes.items():
        if key == "op_name__" or key.startswith("_"):
            continue
        value = attr_value(attr, kinds.get(key, ""))
        if value is not None:
            node.attr[key].CopyFrom(value)
    for key, value in default_attrs(name).items():
        if key not in node.attr:
            node.attr[key].CopyFrom(value)
    if isinstance(op.location, NameLoc):
        node.experimental_debug_info.original_node_names.append(op.location.desc.data)
    return node


def custom_options(op: Operation) -> bytes:
    """The FlexBuffer `[op name, serialized NodeDef]` of a Flex op."""
    builder = flexbuffers.Builder()
    with builder.Vector():
        builder.String(flex_op_name(op))
        # TensorFlow stores the NodeDef bytes as a FlexBuffer string (not a blob).
        builder._WriteBlob(  # noqa: SLF001
            node_def(op).SerializeToString(deterministic=True), append_zero=True, type_=flexbuffers.Type.STRING
        )
    return bytes(builder.Finish())


def decode_custom_options(data: bytes) -> tuple[str, node_def_pb2.NodeDef]:
    """The op name and NodeDef of Flex custom options (for import and tests)."""
    vector = flexbuffers.GetRoot(bytes(data)).AsVector
    raw = vector[1]
    node_bytes = flexbuffers.String(raw._Indirect(), raw._byte_width).Bytes  # noqa: SLF001
    return vector[0].AsString, node_def_pb2.NodeDef.FromString(node_bytes)


def attr_value(attr: Attribute, kind: str) -> attr_value_pb2.AttrValue | None:
    """An MLIR attribute as a TF AttrValue, guided by the OpDef's attribute type."""
    value = attr_value_pb2.AttrValue()
    if isinstance(attr, ArrayAttr):
        return _list_value(attr, kind)
    if isinstance(attr, TypeAttribute):
        value.type = tf_dtype(attr)
    elif isinstance(attr, IntegerAttr):
        if attr.type == i1:
            value.b = bool(attr.value.data)
        else:
            value.i = attr.value.data
    elif isinstance(attr, FloatAttr):
        value.f = attr.value.data
    elif isinstance(attr, StringAttr):
        value.s = attr.data.encode()
    elif isinstance(attr, SymbolRefAttr):
        value.func.name = attr.root_reference.data
    elif isinstance(attr, DenseIntOrFPElementsAttr | TensorProtoAttr):
        value.tensor.CopyFrom(tensor_proto(attr))
    else:
        return None
    return value


def _list_value(attr: ArrayAttr, kind: str) -> attr_value_pb2.AttrValue:
    value = attr_value_pb2.AttrValue()
    if kind == "shape":
        for d in attr.data:
            assert isinstance(d, IntegerAttr)  # a shape lists its dims
            value.shape.dim.add(size=d.value.data)
        return value
    value.list.SetInParent()
    for item in attr.data:
        one = attr_value(item, kind.removeprefix("list(").removesuffix(")"))
        if one is None:
            continue
        field = one.WhichOneof("value")
        target = getattr(value.list, field)
        if field in ("tensor", "func", "shape"):
            target.add().CopyFrom(getattr(one, field))
        else:
            target.append(getattr(one, field))
    return value


def decode_tensor_proto(data: bytes) -> tensor_pb2.TensorProto:
    """A `tensor_proto` attribute's TensorProto: serialized, or TensorFlow's mangled text
    form (`tftensor$` + text format), as its MLIR printer writes it."""
    from google.protobuf import message, text_format

    try:
        if data.startswith(b"tftensor$"):
            parsed = text_format.Parse(data[len(b"tftensor$"):].decode("utf-8"), tensor_pb2.TensorProto())
            return tensor_pb2.TensorProto.FromString(parsed.SerializeToString())  # the binary nesting limit
        return tensor_pb2.TensorProto.FromString(data)
    except (message.DecodeError, text_format.ParseError, UnicodeDecodeError) as err:
        raise TflcError(f"a tensor_proto attribute holds no valid TensorProto ({err})") from None
    except RecursionError:  # protobuf's text parser recurses once per nested message
        raise TflcError("a tensor_proto attribute holds no valid TensorProto (its messages nest too deeply)") from None


def tensor_proto(attr: DenseIntOrFPElementsAttr | TensorProtoAttr) -> tensor_pb2.TensorProto:
    """A constant as a TensorProto (numbers as tensor_content)."""
    if isinstance(attr, TensorProtoAttr):
        return decode_tensor_proto(attr.data.data)
    array = dense_to_numpy(attr)
    proto = tensor_pb2.TensorProto(dtype=tf_dtype(attr.get_element_type()))
    for d in array.shape:
        proto.tensor_shape.dim.add(size=d)
    proto.tensor_content = array.tobytes()
    return proto
