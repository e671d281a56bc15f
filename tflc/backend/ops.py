"""tfl op properties <-> TFLite BuiltinOptions, both ways, derived from the op classes.

An op's options table is `op_class.options_table()`; each property is the table's field
of the same name in camelCase; enum properties (`TFLEnum`) name their FlatBuffer enum;
function references (`SubgraphRefs`) are written as subgraph indices.
"""

from __future__ import annotations

from typing import Any

from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    SymbolRefAttr,
    f32,
    i1,
    i32,
    i64,
)
from xdsl.ir import Attribute, Operation
from xdsl.irdl import OptPropertyDef

from tflc.backend import schema
from tflc.dialects import tfl
from tflc.dialects.tfl_traits import HybridKernel, SubgraphRefs, TFLEnum
from tflc.errors import ConversionError
from tflc.tensors import tflite_type_name

# Options fields that hold the element type of one of the op's results (its index).
RESULT_TYPE_FIELDS = {"outType": 0, "outputType": 0, "idxOutType": 1}


def _enum_class(op_class: type[Operation], prop: str) -> type | None:
    assert issubclass(op_class, tfl.TFLOp)
    constr = op_class.property_constraints().get(prop)
    if isinstance(constr, TFLEnum):
        return getattr(schema.fb_module, constr.flatbuffer_enum)
    return None


def _subgraph_fields(op_class: type[Operation]) -> tuple[tuple[str, str], ...]:
    refs = op_class.get_trait(SubgraphRefs)
    return refs.fields if refs is not None else ()


def _function_name(attr: Attribute) -> str:
    if isinstance(attr, SymbolRefAttr):
        return attr.root_reference.data
    assert isinstance(attr, StringAttr)
    return attr.data


def options_of(op: Operation, subgraphs: dict[str, int]) -> tuple[int, Any]:
    """The BuiltinOptions union type and table for a tfl op (0, None if it has none).

    `subgraphs` gives the subgraph index of each function (for control flow options).
    """
    assert isinstance(op, tfl.TFLOp)
    table = op.options_table()
    if table is None:
        return 0, None
    union_type, options = schema.new_options(table)
    refs = dict(_subgraph_fields(type(op)))
    for prop, attr in op.properties.items():
        if prop in refs:
            function = _function_name(attr)
            if function not in subgraphs:
                raise ConversionError(f"{op.name} refers to @{function}, which the module does not define")
            setattr(options, refs[prop], subgraphs[function])
            continue
        field = schema.camel_case(prop)
        if not hasattr(options, field):
            raise ConversionError(f"{op.name}: property {prop} has no field in {table} (a tflc bug)")
        setattr(options, field, _option_value(type(op), prop, attr))
    for type_field, index in RESULT_TYPE_FIELDS.items():  # ShapeOptions, ArgMaxOptions: a result's element type
        if hasattr(options, type_field):
            setattr(options, type_field, schema.tensor_type(tflite_type_name(tfl.element_type(op.results[index]))))
    return union_type, options


def _option_value(op_class: type[Operation], prop: str, attr: Attribute) -> Any:
    enum_class = _enum_class(op_class, prop)
    if isinstance(attr, StringAttr) and enum_class is not None:
        return schema.enum_value(enum_class, attr.data)
    if isinstance(attr, ArrayAttr):
        return [_option_value(op_class, prop, a) for a in attr.data]
    if isinstance(attr, StringAttr):
        return attr.data
    if isinstance(attr, IntegerAttr):
        value = attr.value.data
        return bool(value) if attr.type == i1 else value
    if isinstance(attr, FloatAttr):
        return attr.value.data
    raise ConversionError(f"property {prop} = {attr} has no TFLite option form")


def properties_of(op_class: type[Operation], options: Any, subgraph_name: Any = None) -> dict[str, Attribute]:
    """The properties of a tfl op read back from its options table (defaults if None).

    `subgraph_name(index)` names the function of a subgraph index (control flow)."""
    assert issubclass(op_class, tfl.TFLOp)
    table = op_class.options_table()
    if options is None and table is not None:
        _, options = schema.new_options(table)
    refs = dict(_subgraph_fields(op_class))
    constraints = op_class.property_constraints()
    hybrid = op_class.get_trait(HybridKernel)
    always = {"asymmetric_quantize_inputs"} if hybrid is not None and hybrid.asymmetric_inputs else set()
    optional = {  # optional properties builders do not set: absent when at the schema default
        name  # (but asymmetric_quantize_inputs is read back whatever its value, as TensorFlow's importer does)
        for name, d in op_class.get_irdl_definition().properties.items()
        if isinstance(d, OptPropertyDef) and name not in op_class.DEFAULTS and name not in always
    }
    defaults = schema.new_options(table)[1] if table is not None else None
    props: dict[str, Attribute] = {}
    for prop, constr in constraints.items():
        if prop in refs:
            if options is not None and subgraph_name is not None:
                name = subgraph_name(getattr(options, refs[prop]))
                ref: Attribute = SymbolRefAttr(name)
                props[prop] = ref if constr.verifies(ref) else StringAttr(name)
            continue
        field = schema.camel_case(prop)
        if options is None or not hasattr(options, field):
            continue
        value = getattr(options, field)
        if prop in optional and value == getattr(defaults, field):
            continue  # an optional property at the schema default stays absent
        props[prop] = _attr_value(op_class, prop, value, constr)
    return props


def _attr_value(op_class: type[Operation], prop: str, value: Any, constr: Any) -> Attribute:
    enum_class = _enum_class(op_class, prop)
    if enum_class is not None:
        return StringAttr(schema.enum_name(enum_class, value))
    if (
        isinstance(value, list | tuple)
        or hasattr(value, "tolist")
        or (value is None and constr.verifies(ArrayAttr([])))
    ):
        items = list(value if value is not None else [])
        if getattr(getattr(value, "dtype", None), "kind", "") == "f" or any(isinstance(v, float) for v in items):
            return ArrayAttr([FloatAttr(float(v), f32) for v in items])  # BucketizeOptions.boundaries
        width = i64 if constr.verifies(ArrayAttr([IntegerAttr(0, i64)])) else i32  # squeeze_dims: i64
        return ArrayAttr([IntegerAttr(int(v), width) for v in items])
    if isinstance(value, bytes | str) or value is None:
        return StringAttr(schema.decode_name(value))
    if isinstance(value, bool):
        return BoolAttr.from_bool(value)
    if isinstance(value, int):
        if not constr.verifies(tfl.i32_attr(0)) and constr.verifies(IntegerAttr(0, i64)):
            return IntegerAttr(value, i64)  # RandomOptions' seeds: int64 properties
        return tfl.i32_attr(value)
    return FloatAttr(float(value), f32)
