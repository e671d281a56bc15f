"""tfl op properties <-> TFLite BuiltinOptions, both ways, by field name."""

from __future__ import annotations

from typing import Any

from xdsl.dialects.builtin import ArrayAttr, BoolAttr, FloatAttr, IntegerAttr, StringAttr, f32, i1
from xdsl.ir import Attribute, Operation

from tflc.backend import schema
from tflc.dialects import tfl
from tflc.tensors import tflite_type_name

# Enum-valued properties beyond the schema module's shared ones (tfl.mirror_pad's mode).
EXTRA_ENUMS: dict[str, type] = {"mode": schema.fb_module.MirrorPadMode}

# Options fields that hold the element type of the op's first result.
RESULT_TYPE_FIELDS = ("outType", "outputType")

# Properties holding integer lists (an absent vector reads back as an empty list).
LIST_PROPS = frozenset({"squeeze_dims"})


def _enum_class(prop: str) -> type | None:
    return schema.ENUM_CLASSES.get(prop) or EXTRA_ENUMS.get(prop)


def options_of(op: Operation, subgraphs: dict[str, int]) -> tuple[int, Any]:
    """The BuiltinOptions union type and table for a tfl op (0, None if it has none).

    `subgraphs` gives the subgraph index of each function (for control flow options).
    """
    table = tfl.BUILTIN_OPTIONS.get(op.name)
    if table is None:
        return 0, None
    union_type, options = schema.new_options(table)
    for prop, attr in op.properties.items():
        field = schema.camel_case(prop)
        if not hasattr(options, field):
            continue
        setattr(options, field, _option_value(prop, attr))
    for prop, index_field in tfl.CONTROL_FLOW_SUBGRAPHS.get(op.name, {}).items():
        function = op.properties[prop].root_reference.data
        if function not in subgraphs:
            raise TypeError(f"{op.name} refers to @{function}, which the module does not define")
        setattr(options, index_field, subgraphs[function])
    for type_field in RESULT_TYPE_FIELDS:  # ShapeOptions, ArgMaxOptions: the result's element type
        if hasattr(options, type_field):
            setattr(options, type_field, schema.tensor_type(tflite_type_name(tfl.element_type(op.results[0]))))
    return union_type, options


def _option_value(prop: str, attr: Attribute) -> Any:
    enum_class = _enum_class(prop)
    if isinstance(attr, StringAttr) and enum_class is not None:
        return schema.enum_value(enum_class, attr.data)
    if isinstance(attr, ArrayAttr):
        return [_option_value(prop, a) for a in attr.data]
    if isinstance(attr, StringAttr):
        return attr.data
    if isinstance(attr, IntegerAttr):
        value = attr.value.data
        return bool(value) if attr.type == i1 else value
    if isinstance(attr, FloatAttr):
        return attr.value.data
    raise TypeError(f"property {prop} = {attr} has no TFLite option form")


def properties_of(op_class: type[Operation], options: Any) -> dict[str, Attribute]:
    """The properties of a tfl op read back from its options table (defaults if None)."""
    table = tfl.BUILTIN_OPTIONS.get(op_class.name)
    if options is None and table is not None:
        _, options = schema.new_options(table)
    props: dict[str, Attribute] = {}
    for prop in op_class.get_irdl_definition().properties:  # type: ignore[attr-defined]
        field = schema.camel_case(prop)
        if options is None or not hasattr(options, field):
            continue
        props[prop] = _attr_value(prop, getattr(options, field))
    return props


def _attr_value(prop: str, value: Any) -> Attribute:
    enum_class = _enum_class(prop)
    if enum_class is not None:
        return StringAttr(schema.enum_name(enum_class, value))
    if isinstance(value, list | tuple) or hasattr(value, "tolist") or (value is None and prop in LIST_PROPS):
        return ArrayAttr([tfl.i32_attr(int(v)) for v in list(value if value is not None else [])])
    if isinstance(value, bytes | str) or value is None:
        return StringAttr(schema.decode_name(value))
    if isinstance(value, bool):
        return BoolAttr.from_bool(value)
    if isinstance(value, int):
        return tfl.i32_attr(value)
    return FloatAttr(float(value), f32)
