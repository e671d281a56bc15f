"""TensorFlow's op definitions without TensorFlow: output arguments, types and attribute defaults.

The registry is `data/tf_op_defs.pb.gz`, an OpList that `tools/gen_op_defs.py` dumps
from TensorFlow once; it is read on first use.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

from tflc.frontend.proto import attr_value_pb2, op_def_pb2


MAX_LIST_LENGTH = 1 << 16
"""The most tensors one argument of a node may have (its number attribute)."""


@cache
def _registry() -> dict[str, op_def_pb2.OpDef]:
    data = resources.files("tflc.frontend").joinpath("data/tf_op_defs.pb.gz").read_bytes()
    ops = op_def_pb2.OpList.FromString(gzip.decompress(data))
    return {op.name: op for op in ops.op}


def op_def(name: str) -> op_def_pb2.OpDef | None:
    """The OpDef of a TF op, or None for ops TensorFlow's registry does not know."""
    return _registry().get(name)


def _attr(attrs, op: op_def_pb2.OpDef, name: str) -> attr_value_pb2.AttrValue | None:
    if name in attrs:
        return attrs[name]
    for attr in op.attr:
        if attr.name == name and attr.HasField("default_value"):
            return attr.default_value
    return None


def output_layout(op: op_def_pb2.OpDef, attrs) -> list[tuple[str, list[int]]] | None:
    """Each output argument's name with the DataTypes of its tensors, given node attrs.

    None when an attribute the layout depends on is missing.
    """
    layout: list[tuple[str, list[int]]] = []
    for arg in op.output_arg:
        if arg.type_list_attr:
            value = _attr(attrs, op, arg.type_list_attr)
            if value is None:
                return None
            layout.append((arg.name, list(value.list.type)))
            continue
        dtype = arg.type
        if arg.type_attr:
            value = _attr(attrs, op, arg.type_attr)
            if value is None:
                return None
            dtype = value.type
        count = 1
        if arg.number_attr:
            value = _attr(attrs, op, arg.number_attr)
            if value is None:
                return None
            count = value.i
            if not 0 <= count <= MAX_LIST_LENGTH:
                raise ValueError(f"attribute {arg.number_attr} = {count} is not a plausible tensor count")
        layout.append((arg.name, [dtype] * count))
    return layout


def default_attrs(name: str) -> dict[str, attr_value_pb2.AttrValue]:
    """The attributes an op has by default (added to NodeDefs as TensorFlow does)."""
    op = op_def(name)
    if op is None:
        return {}
    return {a.name: a.default_value for a in op.attr if a.HasField("default_value")}


def attr_types(name: str) -> dict[str, str]:
    """The declared type of each attribute of an op (`type`, `list(int)`, `shape`, ...)."""
    op = op_def(name)
    return {} if op is None else {a.name: a.type for a in op.attr}


def input_layout(op: op_def_pb2.OpDef, attrs) -> list[int] | None:
    """The DataType of each input tensor, given node attrs (None where an attribute is missing)."""
    layout = output_layout(_as_outputs(op), attrs)
    if layout is None:
        return None
    return [dtype for _, dtypes in layout for dtype in dtypes]


@cache
def _inputs_as_outputs(name: str) -> op_def_pb2.OpDef:
    op = _registry()[name]
    mirror = op_def_pb2.OpDef(name=op.name, attr=op.attr)
    mirror.output_arg.extend(op.input_arg)
    return mirror


def _as_outputs(op: op_def_pb2.OpDef) -> op_def_pb2.OpDef:
    return _inputs_as_outputs(op.name) if op.name in _registry() else op
