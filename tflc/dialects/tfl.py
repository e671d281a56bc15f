"""The `tfl` dialect: TensorFlow Lite builtin ops with TFLite's attribute names and enums.

Each op class is the one source of its facts:

- its BuiltinOperator: the upper-cased op name (`tfl.fully_connected` -> FULLY_CONNECTED)
  unless `BUILTIN` says otherwise;
- its BuiltinOptions table: the camel-cased op name + `Options` (`FullyConnectedOptions`)
  unless `OPTIONS` says otherwise (None: the op writes no options); the table's fields
  are the op's properties in camelCase, enum properties name their FlatBuffer enum
  (`TFLEnum`);
- the element types and ranks TFLite's kernels accept (`TFLTensor` constraints on the
  operands and results);
- its roles, as traits (`tflc.dialects.tfl_traits`): weights, int8 quantization,
  activation fusion, folding, identities, broadcasting, subgraph references;
- its canonicalization patterns (`tflc.dialects.tfl_canonicalize`);
- a builder: `tfl.AddOp(lhs, rhs)`, or `OpClass.build(operands, result_types, **props)`
  with Python values for properties (`axis=0`, `padding="SAME"`).
"""

from __future__ import annotations

import math

from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar, Self

import numpy as np
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    ArrayAttr,
    BoolAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    NoneType,
    StringAttr,
    SymbolRefAttr,
    TensorType,
    UnitAttr,
    UnrankedTensorType,
    f32,
    i1,
    i32,
)
from xdsl.dialects import builtin
from xdsl.ir import Attribute, Data, Dialect, Operation, SSAValue
from xdsl.irdl import (
    AttrConstraint,
    IRDLOperation,
    OperandDef,
    VarOperandDef,
    VarResultDef,
    VerificationContext,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import AttrParser, Parser
from xdsl.pattern_rewriter import RewritePattern
from xdsl.printer import Printer
from xdsl.traits import ConstantLike, HasCanonicalizationPatternsTrait, OpTrait, Pure
from xdsl.utils.exceptions import VerifyException

from tflc.dialects.tfl_traits import (
    ACTIVATION,
    F16,
    F32,
    F64,
    I1,
    I8,
    I16,
    I32,
    I64,
    INTEGERS,
    MIRROR_PAD_MODE,
    PADDING,
    QI8,
    QI16,
    QI32,
    QU8,
    QUANTIZED,
    RESOURCE,
    TENSOR_TYPE,
    U8,
    U32,
    WEIGHTS_FORMAT,
    Activation,
    AffineWeights,
    Broadcasting,
    FusesActivation,
    HybridKernel,
    NumpyFolder,
    NumpyReducer,
    ReshapeLike,
    RightIdentity,
    SubgraphRefs,
    TFLEnum,
    element_kind,
    fixed_range,
    kinds,
    own_range,
    same_scale,
    tensor,
)

# TFLite enums, spelled as in the FlatBuffer schema.
ACTIVATIONS = ACTIVATION.values
PADDINGS = PADDING.values
WEIGHTS_FORMATS = WEIGHTS_FORMAT.values

# Element kinds by family (see tfl_traits.element_kind).
NUMERIC = kinds(F32, INTEGERS, QUANTIZED)
ARITH = kinds(F32, I32, I64, I16, QUANTIZED)
FLOAT_Q = kinds(F32, QUANTIZED)
INDEX = kinds(I32, I64)


def element_type(value: SSAValue | Attribute) -> Attribute:
    """The element type of a tensor value or type."""
    ty = value.type if isinstance(value, SSAValue) else value
    assert isinstance(ty, TensorType | UnrankedTensorType)
    return ty.element_type


def is_tflite_element_type(ty: Attribute) -> bool:
    """Whether TFLite has a tensor type for this element type."""
    return element_kind(ty) is not None


def i32_attr(value: int) -> IntegerAttr:
    """An i32 attribute, as TFLite's integer options are."""
    return IntegerAttr(value, i32)


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


DERIVED = "<derived>"
"""`OPTIONS` value: the table named by the rule (camel-cased op name + Options)."""


def _prop_value(constr: AttrConstraint | None, value: Any) -> Attribute:
    """A Python value as the attribute a property holds."""
    if isinstance(value, Attribute):
        return value
    if isinstance(value, bool):
        return BoolAttr.from_bool(value)
    if isinstance(value, str):
        return StringAttr(value)
    if isinstance(value, int | np.integer):
        if constr is not None and not constr.verifies(i32_attr(0)) and constr.verifies(IntegerAttr(0, builtin.i64)):
            return IntegerAttr(int(value), builtin.i64)  # an int64 property (RandomOptions' seeds)
        return i32_attr(int(value))
    if isinstance(value, float | np.floating):
        return FloatAttr(float(value), f32)
    if isinstance(value, list | tuple):
        return ArrayAttr([_prop_value(None, v) for v in value])
    raise TypeError(f"cannot make a property from {value!r}")


class TFLOp(IRDLOperation):
    """Base of tfl ops: their TFLite operator, options table and builder."""

    BUILTIN: ClassVar[str | None] = None
    """The BuiltinOperator name when it is not the upper-cased op name."""
    OPTIONS: ClassVar[str | None] = DERIVED
    """The BuiltinOptions table when it is not the camel-cased op name + Options (None: none)."""
    UNMODELED_OPTIONS: ClassVar[tuple[str, ...]] = ()
    """Fields of the options table tflc leaves at their schema default (no property)."""
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "fused_activation_function": "NONE",
        "weights_format": "DEFAULT",
        "keep_num_dims": False,
        "keep_dims": False,
        "adj_x": False,
        "adj_y": False,
    }
    """Values `build` gives properties that are not passed (when the op has them)."""

    @classmethod
    def enum_attr_names(cls) -> dict[str, type[TFLEnumAttr]]:
        """Enum properties TensorFlow spells as its enum attributes, with their attribute class."""
        return _enum_attr_names(cls)

    @classmethod
    def builtin_name(cls) -> str:
        """The TFLite BuiltinOperator name (`FULLY_CONNECTED`)."""
        return cls.BUILTIN or cls.name.removeprefix("tfl.").upper()

    @classmethod
    def options_table(cls) -> str | None:
        """The BuiltinOptions table the op writes, or None."""
        if cls.OPTIONS != DERIVED:
            return cls.OPTIONS
        return _camel(cls.name.removeprefix("tfl.")) + "Options"

    @classmethod
    def operand_index(cls, name: str) -> int:
        """The position of the operand defined as `name` (defined before any variadic operand)."""
        for i, (field, definition) in enumerate(cls.get_irdl_definition().operands):
            if field == name:
                return i
            if not isinstance(definition, OperandDef) or isinstance(definition, VarOperandDef):
                break
        raise ValueError(f"{cls.name} has no fixed-position operand '{name}'")

    def verify_(self) -> None:
        for prop, constr in type(self).property_constraints().items():
            attr = self.properties.get(prop)
            if isinstance(constr, TFLEnum) and isinstance(attr, StringAttr) and attr.data not in constr.values:
                raise VerifyException(f'{prop} must be one of {", ".join(constr.values)}, got "{attr.data}"')

    @classmethod
    def accepts(cls, operand_types: Sequence[Attribute], result_types: Sequence[Attribute]) -> bool:
        """Whether the op's tensor constraints take these types (a quick check before building)."""
        constraints = _tensor_constraints(cls, len(operand_types), len(result_types))
        if constraints is None:
            return False
        context = VerificationContext()
        try:
            for constr, ty in zip(constraints, [*operand_types, *result_types]):
                constr.verify(ty, context)
        except VerifyException:
            return False
        return True

    @classmethod
    def property_constraints(cls) -> dict[str, AttrConstraint]:
        """Each property's constraint, by name."""
        return {name: p.constr for name, p in cls.get_irdl_definition().properties.items()}

    @classmethod
    def build(  # type: ignore[override]  # positional operands and results, properties as Python values
        cls,
        operands: Sequence[SSAValue | Operation],
        result_types: Sequence[Attribute],
        **props: Any,
    ) -> Self:
        """The op with these operands and result types; properties from Python values
        (str, int as i32 or as the property's int64, float as f32, bool, lists), missing ones from `DEFAULTS`."""
        constraints = cls.property_constraints()
        unknown = set(props) - set(constraints)
        if unknown:
            noun = "properties" if len(unknown) > 1 else "property"
            raise TypeError(f"{cls.name} has no {noun} {', '.join(sorted(unknown))}")
        values = dict(props)  # the caller's order, then defaults
        values.update({k: v for k, v in cls.DEFAULTS.items() if k in constraints and k not in props})
        properties = {k: _prop_value(constraints[k], v) for k, v in values.items() if v is not None}
        values_in = [o.results[0] if isinstance(o, Operation) else o for o in operands]
        op = cls.create(operands=values_in, result_types=list(result_types), properties=properties)
        assert isinstance(op, TFLOp)
        return op


def _unwrap(constr: Any) -> AttrConstraint:
    """The per-value constraint inside an operand/result range constraint."""
    while not isinstance(constr, AttrConstraint):
        constr = getattr(constr, "constr", None) or constr.constraint
    return constr


@cache
def _tensor_constraints(op_class: type[TFLOp], operands: int, results: int) -> tuple[AttrConstraint, ...] | None:
    """One constraint per operand and result for these counts (None: the counts do not fit)."""
    definition = op_class.get_irdl_definition()
    out: list[AttrConstraint] = []
    for defs, count in ((definition.operands, operands), (definition.results, results)):
        variadic = [i for i, (_, d) in enumerate(defs) if isinstance(d, VarOperandDef | VarResultDef)]
        fixed = len(defs) - len(variadic)
        if len(variadic) > 1 or (not variadic and count != fixed) or count < fixed:
            return None
        for _, d in defs:
            repeat = count - fixed if isinstance(d, VarOperandDef | VarResultDef) else 1
            out += [_unwrap(d.constr)] * repeat
    return tuple(out)


def _result_type(result_type: Attribute | None, like: SSAValue) -> Attribute:
    return like.type if result_type is None else result_type


def broadcast_shape(a: Attribute, b: Attribute) -> TensorType:
    """The type of a numpy-broadcast of two tensor types (the element type of `a`)."""
    assert isinstance(a, TensorType) and isinstance(b, TensorType)
    x, y = a.get_shape(), b.get_shape()
    n = max(len(x), len(y))
    x = (1,) * (n - len(x)) + tuple(x)
    y = (1,) * (n - len(y)) + tuple(y)
    dims = [q if p == 1 else p if q == 1 else p if p != DYNAMIC_INDEX else q for p, q in zip(x, y)]
    return TensorType(a.element_type, dims)


class UnaryOp(TFLOp):
    """A TFLite elementwise op `y = f(x)` (same element type in and out)."""

    x = operand_def(tensor(NUMERIC, same="T"))
    y = result_def(tensor(NUMERIC, same="T"))
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = None

    def __init__(self, x: SSAValue | Operation, result_type: Attribute | None = None):
        value = x.results[0] if isinstance(x, Operation) else x
        super().__init__(operands=[value], result_types=[_result_type(result_type, value)])


class BinaryOp(TFLOp):
    """A TFLite binary op with broadcasting.

    Ops with TensorFlow's short syntax (`SHORT_FORM`) print `tfl.add %a, %b {...} : tensor<..>`
    when all types are equal and `tfl.add(%a, %b) <{...}> : (...) -> ...` otherwise, as
    TensorFlow's tools do; the others print the generic form. Every form parses.
    """

    SHORT_FORM: ClassVar[bool] = False
    """Whether TensorFlow gives the op its one-type short syntax (tfl_ops.td's custom format)."""

    lhs = operand_def(tensor(ARITH, same="T"))
    rhs = operand_def(tensor(ARITH, same="T"))
    output = result_def(tensor(ARITH, same="T"))
    traits = traits_def(Pure(), Broadcasting())

    def __init__(
        self,
        lhs: SSAValue | Operation,
        rhs: SSAValue | Operation,
        result_type: Attribute | None = None,
        **props: Any,
    ):
        a = lhs.results[0] if isinstance(lhs, Operation) else lhs
        b = rhs.results[0] if isinstance(rhs, Operation) else rhs
        if result_type is None:
            result_type = a.type if a.type == b.type else broadcast_shape(a.type, b.type)
        constraints = type(self).property_constraints()
        values = {k: v for k, v in TFLOp.DEFAULTS.items() if k in constraints}
        values.update(props)
        super().__init__(
            operands=[a, b],
            result_types=[result_type],
            properties={k: _prop_value(constraints.get(k), v) for k, v in values.items()},
        )

    def has_uniform_types(self) -> bool:
        """Whether operands and result share one type (short form printable)."""
        return self.lhs.type == self.rhs.type == self.output.type

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.lhs)
        printer.print_string(", ")
        printer.print_operand(self.rhs)
        printer.print_op_attributes({**self.properties, **self.attributes}, print_keyword=False)
        printer.print_string(" : ")
        printer.print_attribute(self.output.type)

    @classmethod
    def parse(cls, parser: Parser) -> BinaryOp:
        lhs = parser.parse_unresolved_operand()
        parser.parse_punctuation(",")
        rhs = parser.parse_unresolved_operand()
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        ty = parser.parse_type()
        operands = parser.resolve_operands([lhs, rhs], [ty, ty], parser.pos)
        names = cls.get_irdl_definition().properties.keys()
        props = {k: v for k, v in attrs.items() if k in names}
        other = {k: v for k, v in attrs.items() if k not in names}
        op = cls.create(operands=operands, result_types=[ty], properties=props, attributes=other)
        assert isinstance(op, BinaryOp)
        return op


class FusedBinaryOp(BinaryOp):
    """A TFLite binary op with a fused activation its kernel applies."""

    fused_activation_function = prop_def(ACTIVATION)
    traits = traits_def(Pure(), Broadcasting(), FusesActivation())
    OPTIONS: ClassVar[str | None] = DERIVED


class CompareOp(BinaryOp):
    """A TFLite comparison: two operands of one element type, a bool result."""

    lhs = operand_def(tensor(same="T"))
    rhs = operand_def(tensor(same="T"))
    output = result_def(tensor(I1))
    traits = traits_def(Pure(), Broadcasting(4), own_range("lhs", "rhs"))
    OPTIONS: ClassVar[str | None] = DERIVED

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, result_type: Attribute | None = None):
        a = lhs.results[0] if isinstance(lhs, Operation) else lhs
        b = rhs.results[0] if isinstance(rhs, Operation) else rhs
        if result_type is None:
            shaped = broadcast_shape(a.type, b.type)
            result_type = TensorType(i1, shaped.get_shape())
        super().__init__(a, b, result_type)


class LogicalBinaryOp(BinaryOp):
    """A TFLite logical op on bool tensors."""

    lhs = operand_def(tensor(I1))
    rhs = operand_def(tensor(I1))
    output = result_def(tensor(I1))
    OPTIONS: ClassVar[str | None] = DERIVED


class _Canonicalize(HasCanonicalizationPatternsTrait):
    """Canonicalization patterns of a tfl op, from `tfl_canonicalize` (loaded lazily)."""

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        return ()

    def get_patterns(self, op: type[Operation]) -> tuple[RewritePattern, ...]:
        from tflc.dialects.tfl_canonicalize import patterns_for

        return patterns_for(op)


CANONICALIZE = _Canonicalize()


# ----------------------------------------------------------------------------
# Constants
# ----------------------------------------------------------------------------


@irdl_op_definition
class ConstOp(TFLOp):
    """`tfl.pseudo_const`: a constant tensor, written as a buffer."""

    name = "tfl.pseudo_const"
    value = prop_def(Attribute)
    output = result_def(tensor())
    traits = traits_def(Pure(), ConstantLike())
    OPTIONS: ClassVar[str | None] = None

    def __init__(self, value: Attribute):
        super().__init__(properties={"value": value}, result_types=[value.type])  # type: ignore[attr-defined]

    def verify_(self) -> None:
        value_type = getattr(self.value, "type", None)
        if value_type != self.output.type:
            raise VerifyException(f"value type {value_type} does not match result type {self.output.type}")


@irdl_op_definition
class NoValueOp(TFLOp):
    """`tfl.no_value`: an absent optional operand (e.g. fully_connected without bias)."""

    name = "tfl.no_value"
    value = prop_def(UnitAttr)
    none_val = result_def(NoneType)
    traits = traits_def(Pure(), ConstantLike())
    OPTIONS: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__(properties={"value": UnitAttr()}, result_types=[NoneType()])


# ----------------------------------------------------------------------------
# Elementwise arithmetic
# ----------------------------------------------------------------------------


def _squared_difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.square(a - b)


def _select(condition: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.where(condition, x, y)


def _int_aware_divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.floor_divide(a, b) if np.issubdtype(a.dtype, np.integer) else np.divide(a, b)


@irdl_op_definition
class AddOp(FusedBinaryOp):
    """`tfl.add`: lhs + rhs."""

    name = "tfl.add"
    SHORT_FORM: ClassVar[bool] = True
    pot_scale_int16 = opt_prop_def(BoolAttr)
    traits = traits_def(
        Pure(), Broadcasting(6), FusesActivation(), NumpyFolder(np.add), RightIdentity(0, True),
        own_range("lhs", "rhs"), CANONICALIZE,
    )


@irdl_op_definition
class SubOp(FusedBinaryOp):
    """`tfl.sub`: lhs - rhs."""

    name = "tfl.sub"
    SHORT_FORM: ClassVar[bool] = True
    pot_scale_int16 = opt_prop_def(BoolAttr)
    traits = traits_def(
        Pure(), Broadcasting(6), FusesActivation(), NumpyFolder(np.subtract), RightIdentity(0),
        own_range("lhs", "rhs"), CANONICALIZE,
    )


@irdl_op_definition
class MulOp(FusedBinaryOp):
    """`tfl.mul`: lhs * rhs."""

    name = "tfl.mul"
    SHORT_FORM: ClassVar[bool] = True
    lhs = operand_def(tensor(ARITH, U32, "complex64", same="T"))
    rhs = operand_def(tensor(ARITH, U32, "complex64", same="T"))
    output = result_def(tensor(ARITH, U32, "complex64", same="T"))
    traits = traits_def(
        Pure(), Broadcasting(6), FusesActivation(), NumpyFolder(np.multiply), RightIdentity(1, True),
        own_range("lhs", "rhs"), CANONICALIZE,
    )


@irdl_op_definition
class DivOp(FusedBinaryOp):
    """`tfl.div`: lhs / rhs (integer division floors)."""

    name = "tfl.div"
    SHORT_FORM: ClassVar[bool] = True
    lhs = operand_def(tensor(F32, I32, I64, QU8, QI8, same="T"))
    rhs = operand_def(tensor(F32, I32, I64, QU8, QI8, same="T"))
    output = result_def(tensor(F32, I32, I64, QU8, QI8, same="T"))
    traits = traits_def(
        Pure(), Broadcasting(6), FusesActivation(), NumpyFolder(_int_aware_divide), RightIdentity(1), CANONICALIZE
    )


@irdl_op_definition
class PowOp(BinaryOp):
    """`tfl.pow`: lhs ** rhs."""

    name = "tfl.pow"
    SHORT_FORM: ClassVar[bool] = True
    lhs = operand_def(tensor(F32, I32, same="T"))
    rhs = operand_def(tensor(F32, I32, same="T"))
    output = result_def(tensor(F32, I32, same="T"))
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(np.power))


class _MaxMinOp(BinaryOp):
    lhs = operand_def(tensor(NUMERIC, same="T"))
    rhs = operand_def(tensor(NUMERIC, same="T"))
    output = result_def(tensor(NUMERIC, same="T"))
    OPTIONS: ClassVar[str | None] = "MaximumMinimumOptions"


@irdl_op_definition
class MaximumOp(_MaxMinOp):
    """`tfl.maximum`: elementwise max."""

    name = "tfl.maximum"
    traits = traits_def(Pure(), Broadcasting(5), NumpyFolder(np.maximum), same_scale("lhs", "rhs"))


@irdl_op_definition
class MinimumOp(_MaxMinOp):
    """`tfl.minimum`: elementwise min."""

    name = "tfl.minimum"
    traits = traits_def(Pure(), Broadcasting(5), NumpyFolder(np.minimum), same_scale("lhs", "rhs"))


@irdl_op_definition
class SquaredDifferenceOp(BinaryOp):
    """`tfl.squared_difference`: (lhs - rhs)^2."""

    name = "tfl.squared_difference"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(4), own_range("lhs", "rhs"), NumpyFolder(_squared_difference))


def _integer_divisor(b: np.ndarray) -> None:
    """Refuse to fold an integer division by zero (the kernel's error, not a number)."""
    if np.issubdtype(b.dtype, np.integer) and np.any(b == 0):
        raise ValueError("integer division by zero")


def _floor_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """floor(a / b) as TFLite's FLOOR_DIV computes it."""
    _integer_divisor(b)
    return np.floor_divide(a, b) if np.issubdtype(a.dtype, np.integer) else np.floor(np.divide(a, b))


def _floor_mod(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a mod b with the sign of b, as TFLite's FLOOR_MOD computes it."""
    _integer_divisor(b)
    return np.mod(a, b)


@irdl_op_definition
class FloorDivOp(BinaryOp):
    """`tfl.floor_div`: floor(lhs / rhs)."""

    name = "tfl.floor_div"
    SHORT_FORM: ClassVar[bool] = True
    lhs = operand_def(tensor(F32, I8, I16, I32, I64, same="T"))
    rhs = operand_def(tensor(F32, I8, I16, I32, I64, same="T"))
    output = result_def(tensor(F32, I8, I16, I32, I64, same="T"))
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(_floor_div))


@irdl_op_definition
class FloorModOp(BinaryOp):
    """`tfl.floor_mod`: lhs mod rhs, with the sign of rhs."""

    name = "tfl.floor_mod"
    lhs = operand_def(tensor(F32, I8, I16, I32, I64, same="T"))
    rhs = operand_def(tensor(F32, I8, I16, I32, I64, same="T"))
    output = result_def(tensor(F32, I8, I16, I32, I64, same="T"))
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(_floor_mod))


@irdl_op_definition
class EqualOp(CompareOp):
    """`tfl.equal`."""

    name = "tfl.equal"
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(np.equal))


@irdl_op_definition
class NotEqualOp(CompareOp):
    """`tfl.not_equal`."""

    name = "tfl.not_equal"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(np.not_equal))


@irdl_op_definition
class LessOp(CompareOp):
    """`tfl.less`."""

    name = "tfl.less"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(np.less))


@irdl_op_definition
class LessEqualOp(CompareOp):
    """`tfl.less_equal`."""

    name = "tfl.less_equal"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(np.less_equal))


@irdl_op_definition
class GreaterOp(CompareOp):
    """`tfl.greater`."""

    name = "tfl.greater"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(np.greater))


@irdl_op_definition
class GreaterEqualOp(CompareOp):
    """`tfl.greater_equal`."""

    name = "tfl.greater_equal"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(4), NumpyFolder(np.greater_equal))


@irdl_op_definition
class Atan2Op(BinaryOp):
    """`tfl.atan2`: the angle of (rhs, lhs), elementwise (y = lhs, x = rhs)."""

    name = "tfl.atan2"
    lhs = operand_def(tensor(F32, same="T"))
    rhs = operand_def(tensor(F32, same="T"))
    output = result_def(tensor(F32, same="T"))
    OPTIONS: ClassVar[str | None] = None


@irdl_op_definition
class BitwiseXorOp(BinaryOp):
    """`tfl.bitwise_xor` of integer tensors."""

    name = "tfl.bitwise_xor"
    lhs = operand_def(tensor(I8, U8, I16, I32, "u16", "u32", same="T"))
    rhs = operand_def(tensor(I8, U8, I16, I32, "u16", "u32", same="T"))
    output = result_def(tensor(I8, U8, I16, I32, "u16", "u32", same="T"))


@irdl_op_definition
class RightShiftOp(BinaryOp):
    """`tfl.right_shift`: lhs >> rhs (arithmetic for signed integers)."""

    name = "tfl.right_shift"
    lhs = operand_def(tensor(I8, U8, I16, I32, "u16", "u32", same="T"))
    rhs = operand_def(tensor(I8, U8, I16, I32, "u16", "u32", same="T"))
    output = result_def(tensor(I8, U8, I16, I32, "u16", "u32", same="T"))


@irdl_op_definition
class LogicalAndOp(LogicalBinaryOp):
    """`tfl.logical_and`."""

    name = "tfl.logical_and"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(), NumpyFolder(np.logical_and))


@irdl_op_definition
class LogicalOrOp(LogicalBinaryOp):
    """`tfl.logical_or`."""

    name = "tfl.logical_or"
    SHORT_FORM: ClassVar[bool] = True
    traits = traits_def(Pure(), Broadcasting(), NumpyFolder(np.logical_or))


# ----------------------------------------------------------------------------
# Elementwise unary math and activations
# ----------------------------------------------------------------------------


def _unary_constraints(*allowed: str | frozenset[str]) -> dict[str, Any]:
    return {"x": operand_def(tensor(*allowed, same="T")), "y": result_def(tensor(*allowed, same="T"))}


def _rsqrt(x: np.ndarray) -> np.ndarray:
    return 1 / np.sqrt(x)


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def _relu6(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0, 6)


def _relu_n1_to_1(x: np.ndarray) -> np.ndarray:
    return np.clip(x, -1, 1)


@irdl_op_definition
class NegOp(UnaryOp):
    """`tfl.neg`: -x."""

    name = "tfl.neg"
    x = operand_def(tensor(F32, I32, I64, same="T"))
    y = result_def(tensor(F32, I32, I64, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.negative))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class SquareOp(UnaryOp):
    """`tfl.square`: x * x."""

    name = "tfl.square"
    x = operand_def(tensor(F32, same="T"))
    y = result_def(tensor(F32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.square))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class SqrtOp(UnaryOp):
    """`tfl.sqrt`."""

    name = "tfl.sqrt"
    x = operand_def(tensor(F32, same="T"))
    y = result_def(tensor(F32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.sqrt))


@irdl_op_definition
class RsqrtOp(UnaryOp):
    """`tfl.rsqrt`: 1 / sqrt(x)."""

    name = "tfl.rsqrt"
    x = operand_def(tensor(F32, QI8, QI16, same="T"))
    y = result_def(tensor(F32, QI8, QI16, same="T"))
    traits = traits_def(Pure(), NumpyFolder(_rsqrt), own_range("x"))


@irdl_op_definition
class ExpOp(UnaryOp):
    """`tfl.exp`."""

    name = "tfl.exp"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.exp))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class LogOp(UnaryOp):
    """`tfl.log`."""

    name = "tfl.log"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.log))


@irdl_op_definition
class TanhOp(UnaryOp):
    """`tfl.tanh`."""

    name = "tfl.tanh"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.tanh), fixed_range(1 / 128, 0, "x"))


@irdl_op_definition
class LogisticOp(UnaryOp):
    """`tfl.logistic`: 1 / (1 + exp(-x))."""

    name = "tfl.logistic"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), NumpyFolder(_logistic), fixed_range(1 / 256, -128, "x"))


@irdl_op_definition
class ReluOp(UnaryOp):
    """`tfl.relu`: max(x, 0)."""

    name = "tfl.relu"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), NumpyFolder(_relu), Activation("RELU"), own_range("x"))


@irdl_op_definition
class Relu6Op(UnaryOp):
    """`tfl.relu6`: min(max(x, 0), 6)."""

    name = "tfl.relu6"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), NumpyFolder(_relu6), Activation("RELU6"), own_range("x"))


@irdl_op_definition
class ReluN1To1Op(UnaryOp):
    """`tfl.relu_n1_to_1`: min(max(x, -1), 1)."""

    name = "tfl.relu_n1_to_1"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), NumpyFolder(_relu_n1_to_1), Activation("RELU_N1_TO_1"), own_range("x"))


@irdl_op_definition
class CastOp(UnaryOp):
    """`tfl.cast`: convert the element type."""

    name = "tfl.cast"
    x = operand_def(tensor())
    y = result_def(tensor())
    traits = traits_def(Pure(), CANONICALIZE, NumpyFolder(np.asarray))  # the folder converts to the result type


@irdl_op_definition
class AbsOp(UnaryOp):
    """`tfl.abs`: |x|."""

    name = "tfl.abs"
    x = operand_def(tensor(F32, I16, I32, QI8, QU8, QI16, same="T"))
    y = result_def(tensor(F32, I16, I32, QI8, QU8, QI16, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.abs), own_range("x"))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class FloorOp(UnaryOp):
    """`tfl.floor`."""

    name = "tfl.floor"
    x = operand_def(tensor(F32, same="T"))
    y = result_def(tensor(F32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.floor))


@irdl_op_definition
class CeilOp(UnaryOp):
    """`tfl.ceil`."""

    name = "tfl.ceil"
    x = operand_def(tensor(F32, same="T"))
    y = result_def(tensor(F32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.ceil))


@irdl_op_definition
class RoundOp(UnaryOp):
    """`tfl.round`: round half to even."""

    name = "tfl.round"
    x = operand_def(tensor(F32, same="T"))
    y = result_def(tensor(F32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.round))


@irdl_op_definition
class SignOp(UnaryOp):
    """`tfl.sign`."""

    name = "tfl.sign"
    x = operand_def(tensor(F32, I32, same="T"))
    y = result_def(tensor(F32, I32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.sign))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class SinOp(UnaryOp):
    """`tfl.sin`."""

    name = "tfl.sin"
    x = operand_def(tensor(F32, same="T"))
    y = result_def(tensor(F32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.sin))


@irdl_op_definition
class CosOp(UnaryOp):
    """`tfl.cos`."""

    name = "tfl.cos"
    x = operand_def(tensor(F32, same="T"))
    y = result_def(tensor(F32, same="T"))
    traits = traits_def(Pure(), NumpyFolder(np.cos))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class EluOp(UnaryOp):
    """`tfl.elu`."""

    name = "tfl.elu"
    x = operand_def(tensor(F32, QI8, same="T"))
    y = result_def(tensor(F32, QI8, same="T"))


@irdl_op_definition
class HardSwishOp(UnaryOp):
    """`tfl.hard_swish`: x * relu6(x + 3) / 6."""

    name = "tfl.hard_swish"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), own_range("x"))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class LogSoftmaxOp(UnaryOp):
    """`tfl.log_softmax` over the last dimension."""

    name = "tfl.log_softmax"
    x = operand_def(tensor(FLOAT_Q, same="T"))
    y = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure(), fixed_range(16 / 256, 127, "x"))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class LogicalNotOp(UnaryOp):
    """`tfl.logical_not`."""

    name = "tfl.logical_not"
    x = operand_def(tensor(I1))
    y = result_def(tensor(I1))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class ZerosLikeOp(UnaryOp):
    """`tfl.zeros_like`."""

    name = "tfl.zeros_like"
    x = operand_def(tensor(F32, I32, I64, same="T"))
    y = result_def(tensor(F32, I32, I64, same="T"))
    OPTIONS: ClassVar[str | None] = DERIVED


@irdl_op_definition
class SoftmaxOp(TFLOp):
    """`tfl.softmax` over the last dimension, scaled by beta."""

    name = "tfl.softmax"
    input = operand_def(tensor(FLOAT_Q, same="T"))
    output = result_def(tensor(FLOAT_Q, same="T"))
    beta = prop_def(FloatAttr)
    traits = traits_def(Pure(), fixed_range(1 / 256, -128))


@irdl_op_definition
class LeakyReluOp(TFLOp):
    """`tfl.leaky_relu`: x if x > 0 else alpha * x."""

    name = "tfl.leaky_relu"
    input = operand_def(tensor(FLOAT_Q, same="T"))
    output = result_def(tensor(FLOAT_Q, same="T"))
    alpha = prop_def(FloatAttr)
    traits = traits_def(Pure(), own_range())


@irdl_op_definition
class GeluOp(TFLOp):
    """`tfl.gelu`: exact (erf) or tanh-approximated GELU."""

    name = "tfl.gelu"
    input = operand_def(tensor(FLOAT_Q, same="T"))
    output = result_def(tensor(FLOAT_Q, same="T"))
    approximate = prop_def(BoolAttr)
    traits = traits_def(Pure(), own_range())


@irdl_op_definition
class PReluOp(TFLOp):
    """`tfl.prelu`: x if x > 0 else alpha * x, alpha a tensor."""

    name = "tfl.prelu"
    input = operand_def(tensor(FLOAT_Q, same="T"))
    alpha = operand_def(tensor(FLOAT_Q, same="T"))
    output = result_def(tensor(FLOAT_Q, same="T"))
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = None


@irdl_op_definition
class AddNOp(TFLOp):
    """`tfl.add_n`: the sum of its operands."""

    name = "tfl.add_n"
    inputs = var_operand_def(tensor(F32, I32, same="T"))
    sum = result_def(tensor(F32, I32, same="T"))
    traits = traits_def(Pure())


class _SelectBase(TFLOp):
    condition = operand_def(tensor(I1))
    x = operand_def(tensor(same="T"))
    y = operand_def(tensor(same="T"))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), NumpyFolder(_select))


@irdl_op_definition
class SelectOp(_SelectBase):
    """`tfl.select`: condition of the same shape as the values, or a vector over dim 0."""

    name = "tfl.select"


@irdl_op_definition
class SelectV2Op(_SelectBase):
    """`tfl.select_v2`: broadcasting select."""

    name = "tfl.select_v2"
    traits = traits_def(Pure(), Broadcasting(5), NumpyFolder(_select))


# ----------------------------------------------------------------------------
# Linear algebra
# ----------------------------------------------------------------------------


@irdl_op_definition
class FullyConnectedOp(TFLOp):
    """`tfl.fully_connected`: output = input x filter^T + bias (filter is [out, in])."""

    name = "tfl.fully_connected"
    input = operand_def(tensor(F32, QI8, QU8, QI16))
    filter = operand_def(tensor(F32, F16, QI8, QU8, QI16, I8, rank=2))
    bias = operand_def(tensor(F32, QI32, I32, I64, "qi64", max_rank=1, optional=True))
    output = result_def(tensor(F32, QI8, QU8, QI16))
    fused_activation_function = prop_def(ACTIVATION)
    weights_format = prop_def(WEIGHTS_FORMAT)
    keep_num_dims = prop_def(BoolAttr)
    asymmetric_quantize_inputs = opt_prop_def(BoolAttr)
    quantized_bias_type = opt_prop_def(TENSOR_TYPE)
    traits = traits_def(
        Pure(), FusesActivation(), AffineWeights(), HybridKernel(asymmetric_inputs=True), own_range(), CANONICALIZE
    )
    UNMODELED_OPTIONS: ClassVar[tuple[str, ...]] = ("quantSpec",)

    def verify_(self) -> None:
        """A static input's elements make whole rows of the filter's input size (TFLite's kernel
        and XNNPACK refuse the model otherwise)."""
        super().verify_()
        input_type, filter_type = self.input.type, self.filter.type
        if not isinstance(input_type, TensorType) or not isinstance(filter_type, TensorType):
            return
        size, dims = filter_type.get_shape()[1], input_type.get_shape()
        if size > 0 and all(d >= 0 for d in dims) and math.prod(dims) % size:
            raise VerifyException(
                f"input {input_type} has {math.prod(dims)} elements, not a whole number of rows of the "
                f"filter's input size {size}"
            )

    def __init__(
        self,
        input: SSAValue,
        filter: SSAValue,
        bias: SSAValue,
        result_type: Attribute,
        *,
        fused_activation_function: str = "NONE",
        keep_num_dims: bool = False,
    ):
        super().__init__(
            operands=[input, filter, bias],
            result_types=[result_type],
            properties={
                "fused_activation_function": StringAttr(fused_activation_function),
                "weights_format": StringAttr("DEFAULT"),
                "keep_num_dims": BoolAttr.from_bool(keep_num_dims),
            },
        )


@irdl_op_definition
class BatchMatMulOp(TFLOp):
    """`tfl.batch_matmul`: batched x @ y (adjoints on request)."""

    name = "tfl.batch_matmul"
    x = operand_def(tensor(F32, QI8, QI16, I8, min_rank=2))
    y = operand_def(tensor(F32, QI8, QI16, I8, min_rank=2))
    output = result_def(tensor(F32, QI8, QI16, I32, min_rank=2))
    adj_x = prop_def(BoolAttr)
    adj_y = prop_def(BoolAttr)
    asymmetric_quantize_inputs = opt_prop_def(BoolAttr)
    traits = traits_def(
        Pure(),
        AffineWeights("y", None, None, "x", fusable=False, int8_weights=False),
        HybridKernel(asymmetric_inputs=True),
        own_range("x", "y"),
    )
    OPTIONS: ClassVar[str | None] = "BatchMatMulOptions"


# ----------------------------------------------------------------------------
# Shape and data movement
# ----------------------------------------------------------------------------


@irdl_op_definition
class ReshapeOp(TFLOp):
    """`tfl.reshape` to the shape in its second operand (-1: inferred)."""

    name = "tfl.reshape"
    input = operand_def(tensor(same="T"))
    shape = operand_def(tensor(INDEX, max_rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), ReshapeLike(), same_scale(), CANONICALIZE)
    OPTIONS: ClassVar[str | None] = None

    def __init__(self, input: SSAValue, shape: SSAValue, result_type: Attribute):
        super().__init__(operands=[input, shape], result_types=[result_type])


def _transpose(x: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """numpy's transpose by a permutation held in a tensor."""
    return np.transpose(x, tuple(int(a) for a in perm.reshape(-1)))


@irdl_op_definition
class TransposeOp(TFLOp):
    """`tfl.transpose` by the permutation in its second operand."""

    name = "tfl.transpose"
    input = operand_def(tensor(same="T"))
    perm = operand_def(tensor(INDEX, max_rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), NumpyFolder(_transpose, elementwise=False), same_scale(), CANONICALIZE)

    def __init__(self, input: SSAValue, perm: SSAValue, result_type: Attribute):
        super().__init__(operands=[input, perm], result_types=[result_type])


@irdl_op_definition
class ConcatenationOp(TFLOp):
    """`tfl.concatenation` along `axis`."""

    name = "tfl.concatenation"
    values = var_operand_def(tensor(same="T"))
    output = result_def(tensor(same="T"))
    axis = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(ACTIVATION)
    traits = traits_def(Pure(), same_scale(every_operand=True))


@irdl_op_definition
class PackOp(TFLOp):
    """`tfl.pack`: stack `values_count` tensors along a new `axis`."""

    name = "tfl.pack"
    values = var_operand_def(tensor(same="T"))
    output = result_def(tensor(same="T"))
    axis = prop_def(IntegerAttr[IntegerType])
    values_count = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), same_scale(every_operand=True))

    def verify_(self) -> None:
        if self.values_count.value.data != len(self.values):
            raise VerifyException(
                f"values_count is {self.values_count.value.data} but there are {len(self.values)} operands"
            )


@irdl_op_definition
class ShapeOp(TFLOp):
    """`tfl.shape`: the runtime shape; its result element type is the option's out_type."""

    name = "tfl.shape"
    input = operand_def(tensor())
    output = result_def(tensor(INDEX, rank=1))
    traits = traits_def(Pure())


@irdl_op_definition
class GatherOp(TFLOp):
    """`tfl.gather`: slices of params at indices along `axis`."""

    name = "tfl.gather"
    params = operand_def(tensor(same="T"))
    indices = operand_def(tensor(I16, I32, I64))
    output = result_def(tensor(same="T"))
    axis = prop_def(IntegerAttr[IntegerType])
    batch_dims = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), same_scale("params"))


@irdl_op_definition
class PadOp(TFLOp):
    """`tfl.pad` with zeros (paddings [rank, 2])."""

    name = "tfl.pad"
    input = operand_def(tensor(same="T"))
    padding = operand_def(tensor(INDEX, rank=2))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), same_scale())


@irdl_op_definition
class PadV2Op(TFLOp):
    """`tfl.padv2` with a constant value."""

    name = "tfl.padv2"
    input = operand_def(tensor(same="T"))
    padding = operand_def(tensor(INDEX, rank=2))
    constant_values = operand_def(tensor(same="T"))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure())
    BUILTIN: ClassVar[str | None] = "PADV2"
    OPTIONS: ClassVar[str | None] = "PadV2Options"


@irdl_op_definition
class MirrorPadOp(TFLOp):
    """`tfl.mirror_pad` (REFLECT or SYMMETRIC)."""

    name = "tfl.mirror_pad"
    input = operand_def(tensor(same="T"))
    pad = operand_def(tensor(INDEX, rank=2))
    output = result_def(tensor(same="T"))
    mode = prop_def(MIRROR_PAD_MODE)
    traits = traits_def(Pure())


@irdl_op_definition
class SqueezeOp(TFLOp):
    """`tfl.squeeze`: drop size-1 dims (all of them when squeeze_dims is empty)."""

    name = "tfl.squeeze"
    input = operand_def(tensor(same="T"))
    output = result_def(tensor(same="T"))
    squeeze_dims = prop_def(ArrayAttr[IntegerAttr[builtin.I64]])
    """i64 elements, as TensorFlow's tfl.squeeze (printed `[1]`)."""
    traits = traits_def(Pure(), ReshapeLike(), same_scale())


@irdl_op_definition
class ExpandDimsOp(TFLOp):
    """`tfl.expand_dims`: insert a size-1 dim at `dim`."""

    name = "tfl.expand_dims"
    input = operand_def(tensor(same="T"))
    dim = operand_def(tensor(INDEX, max_rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), ReshapeLike(), same_scale())


@irdl_op_definition
class SliceOp(TFLOp):
    """`tfl.slice` at begin of size (-1: to the end)."""

    name = "tfl.slice"
    input = operand_def(tensor(same="T"))
    begin = operand_def(tensor(INDEX, rank=1))
    size = operand_def(tensor(INDEX, rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), same_scale())


@irdl_op_definition
class StridedSliceOp(TFLOp):
    """`tfl.strided_slice` with TF's masks."""

    name = "tfl.strided_slice"
    input = operand_def(tensor(same="T"))
    begin = operand_def(tensor(INDEX, rank=1))
    end = operand_def(tensor(INDEX, rank=1))
    strides = operand_def(tensor(INDEX, rank=1))
    output = result_def(tensor(same="T"))
    begin_mask = prop_def(IntegerAttr[IntegerType])
    end_mask = prop_def(IntegerAttr[IntegerType])
    ellipsis_mask = prop_def(IntegerAttr[IntegerType])
    new_axis_mask = prop_def(IntegerAttr[IntegerType])
    shrink_axis_mask = prop_def(IntegerAttr[IntegerType])
    offset = prop_def(BoolAttr)
    traits = traits_def(Pure(), same_scale(), CANONICALIZE)


@irdl_op_definition
class SplitOp(TFLOp):
    """`tfl.split` into `num_splits` equal parts along split_dim."""

    name = "tfl.split"
    split_dim = operand_def(tensor(I32, max_rank=1))
    value = operand_def(tensor(same="T"))
    outputs = var_result_def(tensor(same="T"))
    num_splits = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), same_scale("value"))


@irdl_op_definition
class SplitVOp(TFLOp):
    """`tfl.split_v` into parts of the given sizes."""

    name = "tfl.split_v"
    value = operand_def(tensor(same="T"))
    size_splits = operand_def(tensor(INDEX, rank=1))
    split_dim = operand_def(tensor(I32, max_rank=1))
    outputs = var_result_def(tensor(same="T"))
    num_splits = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), same_scale("value"))


@irdl_op_definition
class UnpackOp(TFLOp):
    """`tfl.unpack` into `num` tensors along `axis`."""

    name = "tfl.unpack"
    input = operand_def(tensor(same="T"))
    outputs = var_result_def(tensor(same="T"))
    num = prop_def(IntegerAttr[IntegerType])
    axis = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), same_scale())


@irdl_op_definition
class TileOp(TFLOp):
    """`tfl.tile` by multiples."""

    name = "tfl.tile"
    input = operand_def(tensor(same="T"))
    multiples = operand_def(tensor(INDEX, rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), same_scale())


@irdl_op_definition
class BroadcastToOp(TFLOp):
    """`tfl.broadcast_to` a shape."""

    name = "tfl.broadcast_to"
    input = operand_def(tensor(same="T"))
    shape = operand_def(tensor(INDEX, rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), same_scale())


@irdl_op_definition
class GatherNdOp(TFLOp):
    """`tfl.gather_nd`."""

    name = "tfl.gather_nd"
    params = operand_def(tensor(same="T"))
    indices = operand_def(tensor(I16, I32, I64))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure())


@irdl_op_definition
class ScatterNdOp(TFLOp):
    """`tfl.scatter_nd`: updates scattered into zeros of a shape."""

    name = "tfl.scatter_nd"
    indices = operand_def(tensor(INDEX))
    updates = operand_def(tensor(same="T"))
    shape = operand_def(tensor(INDEX, rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure())


@irdl_op_definition
class ReverseV2Op(TFLOp):
    """`tfl.reverse_v2` along axes."""

    name = "tfl.reverse_v2"
    input = operand_def(tensor(same="T"))
    axis = operand_def(tensor(INDEX, rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure())


class _ResizeOp(TFLOp):
    """Base of the resize ops: NHWC images in; the result's rank is not constrained, as in
    TensorFlow's op definition (the kernel sizes it 4-D at run time)."""

    input = operand_def(tensor(F32, QI8, QU8, QI16, I8, I16, same="T", rank=4))
    size = operand_def(tensor(I32, rank=1))
    output = result_def(tensor(F32, QI8, QU8, QI16, I8, I16, same="T"))
    align_corners = prop_def(BoolAttr)
    half_pixel_centers = prop_def(BoolAttr)
    traits = traits_def(Pure(), same_scale())


@irdl_op_definition
class ResizeBilinearOp(_ResizeOp):
    """`tfl.resize_bilinear` of NHWC images."""

    name = "tfl.resize_bilinear"


@irdl_op_definition
class ResizeNearestNeighborOp(_ResizeOp):
    """`tfl.resize_nearest_neighbor` of NHWC images."""

    name = "tfl.resize_nearest_neighbor"


class _BlockOp(TFLOp):
    """Base of the depth/space moves: NHWC input; the result's rank is not constrained, as in
    TensorFlow's op definition (the kernel sizes it 4-D at run time)."""

    input = operand_def(tensor(same="T", rank=4))
    output = result_def(tensor(same="T"))
    block_size = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), same_scale())


@irdl_op_definition
class DepthToSpaceOp(_BlockOp):
    """`tfl.depth_to_space` (NHWC)."""

    name = "tfl.depth_to_space"


@irdl_op_definition
class SpaceToDepthOp(_BlockOp):
    """`tfl.space_to_depth` (NHWC)."""

    name = "tfl.space_to_depth"


@irdl_op_definition
class SpaceToBatchNdOp(TFLOp):
    """`tfl.space_to_batch_nd`."""

    name = "tfl.space_to_batch_nd"
    input = operand_def(tensor(same="T"))
    block_shape = operand_def(tensor(I32, rank=1))
    paddings = operand_def(tensor(I32, rank=2))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = "SpaceToBatchNDOptions"


@irdl_op_definition
class BatchToSpaceNdOp(TFLOp):
    """`tfl.batch_to_space_nd`."""

    name = "tfl.batch_to_space_nd"
    input = operand_def(tensor(same="T"))
    block_shape = operand_def(tensor(I32, rank=1))
    indices = operand_def(tensor(I32, rank=2))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = "BatchToSpaceNDOptions"


@irdl_op_definition
class RangeOp(TFLOp):
    """`tfl.range`: start, start + delta, ... below limit."""

    name = "tfl.range"
    start = operand_def(tensor(F32, I32, I64, same="T", max_rank=1))
    limit = operand_def(tensor(F32, I32, I64, same="T", max_rank=1))
    delta = operand_def(tensor(F32, I32, I64, same="T", max_rank=1))
    result = result_def(tensor(F32, I32, I64, same="T", rank=1))
    traits = traits_def(Pure())


@irdl_op_definition
class FillOp(TFLOp):
    """`tfl.fill`: a tensor of shape dims holding one value."""

    name = "tfl.fill"
    dims = operand_def(tensor(INDEX, rank=1))
    input = operand_def(tensor(same="T", max_rank=1))
    result = result_def(tensor(same="T"))
    traits = traits_def(Pure())


@irdl_op_definition
class RankOp(TFLOp):
    """`tfl.rank`: the rank as a scalar."""

    name = "tfl.rank"
    input = operand_def(tensor())
    output = result_def(tensor(I32, I64))
    traits = traits_def(Pure())


@irdl_op_definition
class DynamicUpdateSliceOp(TFLOp):
    """`tfl.dynamic_update_slice`: `operand` with `update` written at `start_indices`."""

    name = "tfl.dynamic_update_slice"
    operand = operand_def(tensor(same="T"))
    update = operand_def(tensor(same="T"))
    start_indices = operand_def(tensor(INDEX, rank=1))
    output = result_def(tensor(same="T"))
    traits = traits_def(Pure(), CANONICALIZE)


# ----------------------------------------------------------------------------
# Reductions and scans
# ----------------------------------------------------------------------------


class ReducerOp(TFLOp):
    """A TFLite reduction over the axes in its second operand."""

    input = operand_def(tensor(NUMERIC, same="T"))
    axes = operand_def(tensor(INDEX, max_rank=1))
    output = result_def(tensor(NUMERIC, same="T"))
    keep_dims = prop_def(BoolAttr)
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = "ReducerOptions"

    def __init__(self, input: SSAValue, axes: SSAValue, result_type: Attribute, *, keep_dims: bool = False):
        super().__init__(
            operands=[input, axes], result_types=[result_type], properties={"keep_dims": BoolAttr.from_bool(keep_dims)}
        )


@irdl_op_definition
class MeanOp(ReducerOp):
    """`tfl.mean`."""

    name = "tfl.mean"
    traits = traits_def(Pure(), NumpyReducer(np.mean), own_range())


@irdl_op_definition
class SumOp(ReducerOp):
    """`tfl.sum`."""

    name = "tfl.sum"
    traits = traits_def(Pure(), NumpyReducer(np.sum), own_range())


@irdl_op_definition
class ReduceProdOp(ReducerOp):
    """`tfl.reduce_prod`."""

    name = "tfl.reduce_prod"
    traits = traits_def(Pure(), NumpyReducer(np.prod))


@irdl_op_definition
class ReduceMaxOp(ReducerOp):
    """`tfl.reduce_max`."""

    name = "tfl.reduce_max"
    traits = traits_def(Pure(), NumpyReducer(np.max), same_scale())


@irdl_op_definition
class ReduceMinOp(ReducerOp):
    """`tfl.reduce_min`."""

    name = "tfl.reduce_min"
    traits = traits_def(Pure(), NumpyReducer(np.min), same_scale())


@irdl_op_definition
class ReduceAnyOp(ReducerOp):
    """`tfl.reduce_any` of bools."""

    name = "tfl.reduce_any"
    input = operand_def(tensor(I1))
    output = result_def(tensor(I1))


@irdl_op_definition
class ReduceAllOp(ReducerOp):
    """`tfl.reduce_all` of bools."""

    name = "tfl.reduce_all"
    input = operand_def(tensor(I1))
    output = result_def(tensor(I1))


class _ArgOp(TFLOp):
    """Index of the max/min along `dim`; the result type gives output_type."""

    input = operand_def(tensor(NUMERIC, I1))
    dim = operand_def(tensor(INDEX, max_rank=1))
    output = result_def(tensor(INDEX))
    traits = traits_def(Pure(), own_range())


@irdl_op_definition
class ArgMaxOp(_ArgOp):
    """`tfl.arg_max`."""

    name = "tfl.arg_max"


@irdl_op_definition
class ArgMinOp(_ArgOp):
    """`tfl.arg_min`."""

    name = "tfl.arg_min"


@irdl_op_definition
class TopKV2Op(TFLOp):
    """`tfl.topk_v2`: the k largest values and their indices along the last dim."""

    name = "tfl.topk_v2"
    input = operand_def(tensor(NUMERIC, same="T"))
    k = operand_def(tensor(I16, I32, max_rank=1))
    values = result_def(tensor(NUMERIC, same="T"))
    indices = result_def(tensor(I16, I32))
    traits = traits_def(Pure(), same_scale())
    BUILTIN: ClassVar[str | None] = "TOPK_V2"
    OPTIONS: ClassVar[str | None] = "TopKV2Options"


@irdl_op_definition
class CumsumOp(TFLOp):
    """`tfl.cumsum` along axis."""

    name = "tfl.cumsum"
    input = operand_def(tensor(F32, I32, I64, same="T"))
    axis = operand_def(tensor(I32, max_rank=1))
    output = result_def(tensor(F32, I32, I64, same="T"))
    exclusive = prop_def(BoolAttr)
    reverse = prop_def(BoolAttr)
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# Convolution and pooling (NHWC activations)
# ----------------------------------------------------------------------------

CONV_IO = kinds(F32, QI8, QU8, QI16)
CONV_FILTER = kinds(F32, F16, QI8, QU8, I8)
CONV_BIAS = kinds(F32, QI32, "qi64", I32, I64)


class _ConvBase(TFLOp):
    """Common operands of TFLite convolutions: input, filter and optional bias."""

    input = operand_def(tensor(CONV_IO, rank=4))
    filter = operand_def(tensor(CONV_FILTER, rank=4))
    bias = operand_def(tensor(CONV_BIAS, rank=1, optional=True))
    output = result_def(tensor(CONV_IO, rank=4))
    padding = prop_def(PADDING)
    stride_h = prop_def(IntegerAttr[IntegerType])
    stride_w = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(ACTIVATION)


@irdl_op_definition
class Conv2DOp(_ConvBase):
    """`tfl.conv_2d`: NHWC input, OHWI filter, bias [O]."""

    name = "tfl.conv_2d"
    dilation_h_factor = prop_def(IntegerAttr[IntegerType])
    dilation_w_factor = prop_def(IntegerAttr[IntegerType])
    quantized_bias_type = opt_prop_def(TENSOR_TYPE)
    traits = traits_def(Pure(), FusesActivation(), AffineWeights(), HybridKernel(), own_range())


@irdl_op_definition
class DepthwiseConv2DOp(_ConvBase):
    """`tfl.depthwise_conv_2d`: NHWC input, filter [1, H, W, Cin * multiplier]."""

    name = "tfl.depthwise_conv_2d"
    dilation_h_factor = prop_def(IntegerAttr[IntegerType])
    dilation_w_factor = prop_def(IntegerAttr[IntegerType])
    depth_multiplier = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), FusesActivation(), AffineWeights(channel_axis=3), HybridKernel(), own_range())


@irdl_op_definition
class Conv3DOp(_ConvBase):
    """`tfl.conv_3d`: NDHWC input, DHWIO filter, bias [O]."""

    name = "tfl.conv_3d"
    input = operand_def(tensor(CONV_IO, rank=5))
    filter = operand_def(tensor(CONV_FILTER, rank=5))
    output = result_def(tensor(CONV_IO, rank=5))
    stride_d = prop_def(IntegerAttr[IntegerType])
    dilation_d_factor = prop_def(IntegerAttr[IntegerType])
    dilation_h_factor = prop_def(IntegerAttr[IntegerType])
    dilation_w_factor = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure(), AffineWeights(channel_axis=4, fusable=False, int8_weights=False))


@irdl_op_definition
class Conv3DTransposeOp(TFLOp):
    """`tfl.conv_3d_transpose`: output_shape, DHWOI filter (TF's layout), NDHWC input,
    optional bias; Conv3DOptions."""

    name = "tfl.conv_3d_transpose"
    output_shape = operand_def(tensor(I32, rank=1))
    filter = operand_def(tensor(F32, rank=5))
    input = operand_def(tensor(F32, rank=5))
    bias = operand_def(tensor(F32, rank=1, optional=True))
    output = result_def(tensor(F32, rank=5))
    padding = prop_def(PADDING)
    stride_d = prop_def(IntegerAttr[IntegerType])
    stride_h = prop_def(IntegerAttr[IntegerType])
    stride_w = prop_def(IntegerAttr[IntegerType])
    dilation_d_factor = prop_def(IntegerAttr[IntegerType])
    dilation_h_factor = prop_def(IntegerAttr[IntegerType])
    dilation_w_factor = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(ACTIVATION)
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = "Conv3DOptions"


@irdl_op_definition
class TransposeConvOp(TFLOp):
    """`tfl.transpose_conv`: output_shape, OHWI weights, NHWC input, optional bias."""

    name = "tfl.transpose_conv"
    output_shape = operand_def(tensor(I32, rank=1))
    weights = operand_def(tensor(CONV_FILTER, rank=4))
    input = operand_def(tensor(CONV_IO, rank=4))
    bias = operand_def(tensor(CONV_BIAS, rank=1, optional=True))
    output = result_def(tensor(CONV_IO, rank=4))
    padding = prop_def(PADDING)
    stride_h = prop_def(IntegerAttr[IntegerType])
    stride_w = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(ACTIVATION)
    quantized_bias_type = opt_prop_def(TENSOR_TYPE)
    traits = traits_def(Pure(), AffineWeights("weights"), own_range())


class _Pool2DOp(TFLOp):
    input = operand_def(tensor(CONV_IO, rank=4, same="T"))
    output = result_def(tensor(CONV_IO, rank=4, same="T"))
    padding = prop_def(PADDING)
    stride_h = prop_def(IntegerAttr[IntegerType])
    stride_w = prop_def(IntegerAttr[IntegerType])
    filter_height = prop_def(IntegerAttr[IntegerType])
    filter_width = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(ACTIVATION)
    OPTIONS: ClassVar[str | None] = "Pool2DOptions"


@irdl_op_definition
class MaxPool2DOp(_Pool2DOp):
    """`tfl.max_pool_2d`."""

    name = "tfl.max_pool_2d"
    traits = traits_def(Pure(), FusesActivation(), same_scale())


@irdl_op_definition
class AveragePool2DOp(_Pool2DOp):
    """`tfl.average_pool_2d`."""

    name = "tfl.average_pool_2d"
    traits = traits_def(Pure(), FusesActivation(), same_scale())  # TFLite's int8 kernel averages raw values


# ----------------------------------------------------------------------------
# Control flow: bodies are functions of the module, exported as subgraphs
# ----------------------------------------------------------------------------


@irdl_op_definition
class WhileOp(TFLOp):
    """`tfl.while`: loop `body` while `cond` holds; both are functions over all loop values."""

    name = "tfl.while"
    input = var_operand_def(tensor())
    output = var_result_def(tensor())
    cond = prop_def(SymbolRefAttr)
    body = prop_def(SymbolRefAttr)
    traits = traits_def(SubgraphRefs((("cond", "condSubgraphIndex"), ("body", "bodySubgraphIndex"))))


@irdl_op_definition
class IfOp(TFLOp):
    """`tfl.if`: call `then_branch` or `else_branch` (functions) on the inputs."""

    name = "tfl.if"
    cond = operand_def(tensor(I1, max_rank=1))
    input = var_operand_def(tensor())
    output = var_result_def(tensor())
    then_branch = prop_def(SymbolRefAttr)
    else_branch = prop_def(SymbolRefAttr)
    traits = traits_def(
        SubgraphRefs((("then_branch", "thenSubgraphIndex"), ("else_branch", "elseSubgraphIndex")))
    )


# ----------------------------------------------------------------------------
# Resource variables
# ----------------------------------------------------------------------------


@irdl_op_definition
class VarHandleOp(TFLOp):
    """`tfl.var_handle`: the handle of the resource variable named `shared_name`."""

    name = "tfl.var_handle"
    resource_handle = result_def(tensor(RESOURCE))
    container = prop_def(StringAttr)
    shared_name = prop_def(StringAttr)


@irdl_op_definition
class ReadVariableOp(TFLOp):
    """`tfl.read_variable`: the current value of a resource variable."""

    name = "tfl.read_variable"
    resource_id = operand_def(tensor(RESOURCE))
    result = result_def(tensor())


@irdl_op_definition
class AssignVariableOp(TFLOp):
    """`tfl.assign_variable`: store a value in a resource variable."""

    name = "tfl.assign_variable"
    resource_id = operand_def(tensor(RESOURCE))
    value = operand_def(tensor())


@irdl_op_definition
class CallOnceOp(TFLOp):
    """`tfl.call_once`: run the `session_init_function` subgraph once per interpreter."""

    name = "tfl.call_once"
    session_init_function = prop_def(StringAttr)
    traits = traits_def(SubgraphRefs((("session_init_function", "initSubgraphIndex"),)))


# ----------------------------------------------------------------------------
# Quantization (element types from tflc.dialects.quant)
# ----------------------------------------------------------------------------


@irdl_op_definition
class QConstOp(TFLOp):
    """`tfl.pseudo_qconst`: a quantized constant; `value` holds the stored integers."""

    name = "tfl.pseudo_qconst"
    qtype = prop_def(TensorType)
    value = prop_def(DenseIntOrFPElementsAttr)
    output = result_def(tensor(QI8, QU8, QI16, QI32, "qi64"))
    traits = traits_def(Pure(), ConstantLike())
    OPTIONS: ClassVar[str | None] = None

    def __init__(self, qtype: TensorType, value: DenseIntOrFPElementsAttr):
        super().__init__(properties={"qtype": qtype, "value": value}, result_types=[qtype])

    def verify_(self) -> None:
        from tflc.dialects.quant import quantized_element

        qtype = quantized_element(self.qtype)
        if qtype is None or self.output.type != self.qtype:
            raise VerifyException("qtype must be the result type, a tensor of a quantized type")
        if self.value.type != TensorType(qtype.storage_type, self.qtype.get_shape()):
            raise VerifyException(f"value must be a {qtype.storage_name} tensor of the result's shape")


@irdl_op_definition
class QuantizeOp(TFLOp):
    """`tfl.quantize`: float to quantized, or requantize to other parameters."""

    name = "tfl.quantize"
    input = operand_def(tensor(F32, F16, QI8, QU8, QI16))
    output = result_def(tensor(QI8, QU8, QI16))
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = None


@irdl_op_definition
class DequantizeOp(TFLOp):
    """`tfl.dequantize`: quantized or float16 to float32."""

    name = "tfl.dequantize"
    input = operand_def(tensor(QI8, QU8, QI16, F16, I8))
    output = result_def(tensor(F32))
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = None


# ----------------------------------------------------------------------------
# Segments, sparse-to-dense, one-hot, diagonals and bit reinterpretation
# ----------------------------------------------------------------------------


class _UnsortedSegmentOp(TFLOp):
    """Base of `tfl.unsorted_segment_*`: rows of `input` combined by segment id."""

    input = operand_def(tensor(F32, I32, same="T"))
    segment_ids = operand_def(tensor(I32))
    num_segments = operand_def(tensor(I32, max_rank=1))
    output = result_def(tensor(F32, I32, same="T"))
    traits = traits_def(Pure())


@irdl_op_definition
class UnsortedSegmentSumOp(_UnsortedSegmentOp):
    """`tfl.unsorted_segment_sum`: the sum of the rows of each segment (0 for empty ones)."""

    name = "tfl.unsorted_segment_sum"


@irdl_op_definition
class UnsortedSegmentProdOp(_UnsortedSegmentOp):
    """`tfl.unsorted_segment_prod`: the product of the rows of each segment (1 for empty ones)."""

    name = "tfl.unsorted_segment_prod"


@irdl_op_definition
class UnsortedSegmentMaxOp(_UnsortedSegmentOp):
    """`tfl.unsorted_segment_max`: the maximum of each segment (the lowest value for empty ones)."""

    name = "tfl.unsorted_segment_max"


@irdl_op_definition
class UnsortedSegmentMinOp(_UnsortedSegmentOp):
    """`tfl.unsorted_segment_min`: the minimum of each segment (the highest value for empty ones)."""

    name = "tfl.unsorted_segment_min"


@irdl_op_definition
class SegmentSumOp(TFLOp):
    """`tfl.segment_sum`: sums of rows over sorted segment ids (int32 ids of any rank, as
    TensorFlow's op definition takes them; the kernel checks at run time that they are 1-D)."""

    name = "tfl.segment_sum"
    input = operand_def(tensor(F32, I32, same="T"))
    segment_ids = operand_def(tensor(I32))
    output = result_def(tensor(F32, I32, same="T"))
    traits = traits_def(Pure())


@irdl_op_definition
class SparseToDenseOp(TFLOp):
    """`tfl.sparse_to_dense`: a dense tensor of `default_value` with `sparse_values` at the indices."""

    name = "tfl.sparse_to_dense"
    sparse_indices = operand_def(tensor(I32, I64, max_rank=2))
    output_shape = operand_def(tensor(I32, I64, rank=1))
    sparse_values = operand_def(tensor(F32, I32, I64, I8, U8, I1, same="T", max_rank=1))
    default_value = operand_def(tensor(F32, I32, I64, I8, U8, I1, same="T"))
    dense = result_def(tensor(F32, I32, I64, I8, U8, I1, same="T"))
    traits = traits_def(Pure())
    UNMODELED_OPTIONS: ClassVar[tuple[str, ...]] = ("validateIndices",)


@irdl_op_definition
class OneHotOp(TFLOp):
    """`tfl.one_hot`: `on_value` where the index is, `off_value` elsewhere, along `axis`."""

    name = "tfl.one_hot"
    indices = operand_def(tensor(I32, I64))
    depth = operand_def(tensor(I32, rank=0))
    on_value = operand_def(tensor(F32, I32, I64, I1, I8, U8, same="T", rank=0))
    off_value = operand_def(tensor(F32, I32, I64, I1, I8, U8, same="T", rank=0))
    output = result_def(tensor(F32, I32, I64, I1, I8, U8, same="T"))
    axis = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())


@irdl_op_definition
class WhereOp(TFLOp):
    """`tfl.where`: the coordinates of the true (non-zero) elements, one row each."""

    name = "tfl.where"
    condition = operand_def(tensor(I1, F32, I32, I64, I8, U8))
    index = result_def(tensor(I64, rank=2))
    traits = traits_def(Pure())


@irdl_op_definition
class MatrixDiagOp(TFLOp):
    """`tfl.matrix_diag`: square matrices with `diagonal` on their diagonal, zeros elsewhere
    (no bool: the kernel would copy bools as float32)."""

    name = "tfl.matrix_diag"
    diagonal = operand_def(tensor(F32, I32, I64, I16, I8, U8, same="T", min_rank=1))
    output = result_def(tensor(F32, I32, I64, I16, I8, U8, same="T", min_rank=2))
    traits = traits_def(Pure())


@irdl_op_definition
class MatrixSetDiagOp(TFLOp):
    """`tfl.matrix_set_diag`: `input` with its main diagonal replaced by `diagonal` (of the
    input's element type: the kernel reads it as that type; no bool: it would copy bools as float32)."""

    name = "tfl.matrix_set_diag"
    input = operand_def(tensor(F32, I32, I64, I16, I8, U8, same="T", min_rank=2))
    diagonal = operand_def(tensor(F32, I32, I64, I16, I8, U8, same="T", min_rank=1))
    result = result_def(tensor(F32, I32, I64, I16, I8, U8, same="T", min_rank=2))
    traits = traits_def(Pure())


@irdl_op_definition
class ReverseSequenceOp(TFLOp):
    """`tfl.reverse_sequence`: the first seq_lengths[b] entries along seq_dim reversed, per batch b."""

    name = "tfl.reverse_sequence"
    input = operand_def(tensor(F32, I32, I64, I16, U8, QI8, QU8, QI16, same="T"))
    seq_lengths = operand_def(tensor(I32, I64, rank=1))
    output = result_def(tensor(F32, I32, I64, I16, U8, QI8, QU8, QI16, same="T"))
    seq_dim = prop_def(IntegerAttr[IntegerType])
    batch_dim = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())


@irdl_op_definition
class LocalResponseNormalizationOp(TFLOp):
    """`tfl.local_response_normalization` over the channel dim of NHWC input."""

    name = "tfl.local_response_normalization"
    input = operand_def(tensor(F32, rank=4))
    output = result_def(tensor(F32, rank=4))
    radius = prop_def(IntegerAttr[IntegerType])
    bias = prop_def(FloatAttr)
    alpha = prop_def(FloatAttr)
    beta = prop_def(FloatAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class BroadcastArgsOp(TFLOp):
    """`tfl.broadcast_args`: the broadcast of two shapes."""

    name = "tfl.broadcast_args"
    s0 = operand_def(tensor(I32, I64, same="T", rank=1))
    s1 = operand_def(tensor(I32, I64, same="T", rank=1))
    r0 = result_def(tensor(I32, I64, same="T", rank=1))
    traits = traits_def(Pure())
    OPTIONS: ClassVar[str | None] = None


@irdl_op_definition
class BitcastOp(TFLOp):
    """`tfl.bitcast`: the same bytes read as another element type."""

    name = "tfl.bitcast"
    input = operand_def(tensor())
    output = result_def(tensor())
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# Search and selection: unique values, buckets, non-max suppression
# ----------------------------------------------------------------------------


@irdl_op_definition
class UniqueOp(TFLOp):
    """`tfl.unique`: a vector's distinct values in order of first appearance, and the
    index of each element's value among them (idx_out_type: the idx result's type)."""

    name = "tfl.unique"
    input = operand_def(tensor(F32, I8, U8, I16, I32, I64, same="T", rank=1))
    output = result_def(tensor(F32, I8, U8, I16, I32, I64, same="T", rank=1))
    idx = result_def(tensor(I32, I64, rank=1))
    traits = traits_def(Pure())


@irdl_op_definition
class BucketizeOp(TFLOp):
    """`tfl.bucketize`: the index of the bucket (between sorted boundaries) of each element."""

    name = "tfl.bucketize"
    input = operand_def(tensor(F32, F64, I32, I64))
    output = result_def(tensor(I32))
    boundaries = prop_def(ArrayAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class NonMaxSuppressionV4Op(TFLOp):
    """`tfl.non_max_suppression_v4`: the indices of the boxes greedy non-max suppression
    keeps, padded with zeros to max_output_size, and how many are valid."""

    name = "tfl.non_max_suppression_v4"
    boxes = operand_def(tensor(F32, rank=2))
    scores = operand_def(tensor(F32, rank=1))
    max_output_size = operand_def(tensor(I32, rank=0))
    iou_threshold = operand_def(tensor(F32, rank=0))
    score_threshold = operand_def(tensor(F32, rank=0))
    selected_indices = result_def(tensor(I32, rank=1))
    valid_outputs = result_def(tensor(I32, rank=0))
    traits = traits_def(Pure())


@irdl_op_definition
class NonMaxSuppressionV5Op(TFLOp):
    """`tfl.non_max_suppression_v5`: V4 with soft-NMS (sigma) and the selected boxes' scores."""

    name = "tfl.non_max_suppression_v5"
    boxes = operand_def(tensor(F32, rank=2))
    scores = operand_def(tensor(F32, rank=1))
    max_output_size = operand_def(tensor(I32, rank=0))
    iou_threshold = operand_def(tensor(F32, rank=0))
    score_threshold = operand_def(tensor(F32, rank=0))
    soft_nms_sigma = operand_def(tensor(F32, rank=0))
    selected_indices = result_def(tensor(I32, rank=1))
    selected_scores = result_def(tensor(F32, rank=1))
    valid_outputs = result_def(tensor(I32, rank=0))
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# The dialect: every op class defined in this module
# ----------------------------------------------------------------------------


def _defined_ops() -> list[type[TFLOp]]:
    return [
        cls
        for cls in globals().values()
        if isinstance(cls, type) and issubclass(cls, TFLOp) and "name" in cls.__dict__ and cls.__module__ == __name__
    ]


TFL_OPS: list[type[Operation]] = list(_defined_ops())
"""Every tfl op class (registered with the dialect); other modules may add to it before use."""

class TFLEnumAttr(Data[str]):
    """TensorFlow's spelling of an enum property, `#tfl<mirror_pad_attr SYMMETRIC>`: parsed
    into the string property tflc keeps, printed back this way (`TFLEnum.mlir_attr`)."""

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> str:
        """`SYMMETRIC` (TensorFlow's opaque form) or `<SYMMETRIC>`."""
        if parser.parse_optional_punctuation("<") is None:
            return parser.parse_identifier()
        value = parser.parse_identifier()
        parser.parse_punctuation(">")
        return value

    def print_parameter(self, printer: Printer) -> None:
        """`<SYMMETRIC>`."""
        printer.print_string(f"<{self.data}>")


@irdl_attr_definition
class MirrorPadModeAttr(TFLEnumAttr):
    """`#tfl<mirror_pad_attr REFLECT|SYMMETRIC>`."""

    name = "tfl.mirror_pad_attr"


@cache
def _enum_attr_names(op_class: type[TFLOp]) -> dict[str, type[TFLEnumAttr]]:
    by_name = {c.name.removeprefix("tfl."): c for c in TFLEnumAttr.__subclasses__()}
    return {
        name: by_name[constr.mlir_attr]
        for name, constr in op_class.property_constraints().items()
        if isinstance(constr, TFLEnum) and constr.mlir_attr is not None
    }


TFL = Dialect("tfl", TFL_OPS, [MirrorPadModeAttr])


def op_classes() -> list[type[TFLOp]]:
    """The op classes of the tfl dialect."""
    return [cls for cls in TFL_OPS if issubclass(cls, TFLOp)]


def builtin_code(op_name: str) -> str:
    """The TFLite BuiltinOperator name of a tfl op name (`tfl.fully_connected` -> FULLY_CONNECTED)."""
    for cls in op_classes():
        if cls.name == op_name:
            return cls.builtin_name()
    return op_name.removeprefix("tfl.").upper()


def trait_of(op: Operation | type[Operation], trait: type[OpTrait]) -> Any:
    """The op's trait of the given class, or None."""
    return op.get_trait(trait)


# CUSTOM operators (tfl.custom) live in tfl_custom.py; the TFL dialect holds TFL_OPS.
from tflc.dialects.tfl_custom import CustomOp  # noqa: E402

TFL_OPS.append(CustomOp)

# TFLite's hashtable builtins live in tfl_hashtable.py (the lookup-table family).
from tflc.dialects.tfl_hashtable import HASHTABLE_OPS, HashtableFindOp, HashtableImportOp, HashtableOp, HashtableSizeOp  # noqa: E402, F401

TFL_OPS.extend(HASHTABLE_OPS)

# TFLite's complex-number builtins live in tfl_complex.py (RFFT2D, COMPLEX_ABS, REAL, IMAG).
from tflc.dialects.tfl_complex import COMPLEX_OPS, ComplexAbsOp, ImagOp, RealOp, RFFT2dOp  # noqa: E402, F401

TFL_OPS.extend(COMPLEX_OPS)

# The fused recurrent builtins live in tfl_rnn.py (the RNN/LSTM family).
from tflc.dialects.tfl_rnn import RNN_OPS, UnidirectionalSequenceLstmOp, UnidirectionalSequenceRnnOp  # noqa: E402, F401

TFL_OPS.extend(RNN_OPS)

# TFLite's random builtins live in tfl_random.py (RandomOptions: seed, seed2).
from tflc.dialects.tfl_random import RANDOM_OPS, MultinomialOp, RandomStandardNormalOp, RandomUniformOp  # noqa: E402, F401

TFL_OPS.extend(RANDOM_OPS)
