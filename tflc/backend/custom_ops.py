"""Custom ops (`allow_custom_ops`): tf ops without a TFLite builtin exported as CUSTOM ops.

As TensorFlow's converter writes them, the custom code is the TF op name
(`tf.AsString` -> `AsString`) and the custom options are a FlexBuffer map of the op's
attributes completed with TensorFlow's defaults: types as TFLite TensorType codes,
ints, floats, bools, strings, shapes and lists as vectors (`device` and list(type)
attributes, which TensorFlow derives from the operands, are left out). The runtime must register
a kernel under that name (see https://ai.google.dev/edge/litert/models/ops_custom).
"""

from __future__ import annotations

from flatbuffers import flexbuffers
from xdsl.ir import Operation

from tflc.backend.flex import flex_op_name, node_def
from tflc.backend.quantization import tensor_type_code
from tflc.frontend.proto import attr_value_pb2
from tflc.tensors import UnsupportedTypeError, element_type_from_tf

# NodeDef attributes TensorFlow's converter leaves out of the custom options.
SKIPPED_ATTRS = frozenset({"device"})


def custom_op_name(op: Operation) -> str:
    """The custom code of a tf op exported as a custom op (`AsString`)."""
    return flex_op_name(op)


def _type_code(dtype: int) -> int | None:
    try:
        return tensor_type_code(element_type_from_tf(dtype))
    except (UnsupportedTypeError, KeyError, ValueError):
        return None


def _add_scalar(builder: flexbuffers.Builder, key: str, value: attr_value_pb2.AttrValue) -> None:
    kind = value.WhichOneof("value")
    if kind == "s":
        builder.String(key, value.s.decode("utf-8", "replace"))
    elif kind == "i":
        builder.Int(key, value.i)
    elif kind == "f":
        builder.Float(key, value.f)
    elif kind == "b":
        builder.Bool(key, value.b)
    elif kind == "type":
        code = _type_code(value.type)
        if code is not None:
            builder.Int(key, code)
    elif kind == "shape":
        with builder.TypedVector(key):
            for dim in value.shape.dim:
                builder.Int(dim.size)
    elif kind == "list" and not (value.list.type and not (value.list.s or value.list.i or value.list.f)):
        # list(type) attributes are derived from the operand types: TensorFlow leaves them out.
        _add_list(builder, key, value.list)


def _add_list(builder: flexbuffers.Builder, key: str, items: attr_value_pb2.AttrValue.ListValue) -> None:
    with builder.Vector(key):
        for s in items.s:
            builder.String(s.decode("utf-8", "replace"))
        for i in items.i:
            builder.Int(i)
        for f in items.f:
            builder.Float(f)
        for b in items.b:
            builder.Bool(b)


def custom_options(op: Operation) -> bytes:
    """The FlexBuffer map of attributes a custom op carries (keys sorted, as FlexBuffers require)."""
    node = node_def(op)
    builder = flexbuffers.Builder()
    with builder.Map():
        for key in sorted(node.attr):
            if key in SKIPPED_ATTRS:
                continue
            _add_scalar(builder, key, node.attr[key])
    return bytes(builder.Finish())
