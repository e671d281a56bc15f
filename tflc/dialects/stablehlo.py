"""The `stablehlo` dialect: the StableHLO ops JAX emits (MLPs, CNNs, transformers, control flow).

Ops parse and print in MLIR's generic form, as `stablehlo-opt --mlir-print-op-generic`
and jaxlib's `get_asm(print_generic_op_form=True)` write them; elementwise binary ops
also parse and print their short form (`stablehlo.add %a, %b : tensor<4xf32>`).
Attributes keep StableHLO's syntax: `#stablehlo<comparison_direction GT>`,
`#stablehlo.dot<lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [0]>`,
`#stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>`, `#stablehlo.gather<...>`,
`#stablehlo.scatter<...>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from typing import Any, ClassVar, cast

from xdsl.dialects.builtin import (
    AnyFloat,
    ArrayAttr,
    ComplexType,
    Float32Type,
    Float64Type,
    Float80Type,
    Float128Type,
    BoolAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    TensorType,
)
from xdsl.dialects.utils import EnumAttribute
from xdsl.ir import (
    Attribute,
    Dialect,
    Operation,
    ParametrizedAttribute,
    SpacedOpaqueSyntaxAttribute,
    SSAValue,
    TypeAttribute,
)
from xdsl.irdl import (
    AttrConstraint,
    IntConstraint,
    IRDLOperation,
    VerificationContext,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_region_def,
    var_result_def,
)
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.traits import ConstantLike, IsTerminator, Pure
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.str_enum import StrEnum

# ----------------------------------------------------------------------------
# Types and attributes
# ----------------------------------------------------------------------------


@irdl_attr_definition
class TokenType(ParametrizedAttribute, TypeAttribute):
    """`!stablehlo.token`: orders side effects (jax2tf's token arguments)."""

    name = "stablehlo.token"


class ComparisonDirection(StrEnum):
    """The `comparison_direction` of stablehlo.compare."""

    EQ = "EQ"
    NE = "NE"
    GE = "GE"
    GT = "GT"
    LE = "LE"
    LT = "LT"


class ComparisonType(StrEnum):
    """The `compare_type` of stablehlo.compare."""

    NOTYPE = "NOTYPE"
    FLOAT = "FLOAT"
    TOTALORDER = "TOTALORDER"
    SIGNED = "SIGNED"
    UNSIGNED = "UNSIGNED"


class Precision(StrEnum):
    """One entry of a `precision_config`."""

    DEFAULT = "DEFAULT"
    HIGH = "HIGH"
    HIGHEST = "HIGHEST"


@irdl_attr_definition
class ComparisonDirectionAttr(EnumAttribute[ComparisonDirection], SpacedOpaqueSyntaxAttribute):
    """`#stablehlo<comparison_direction GT>`."""

    name = "stablehlo.comparison_direction"


@irdl_attr_definition
class ComparisonTypeAttr(EnumAttribute[ComparisonType], SpacedOpaqueSyntaxAttribute):
    """`#stablehlo<comparison_type FLOAT>`."""

    name = "stablehlo.comparison_type"


@irdl_attr_definition
class PrecisionAttr(EnumAttribute[Precision], SpacedOpaqueSyntaxAttribute):
    """`#stablehlo<precision DEFAULT>`."""

    name = "stablehlo.precision"


def _ints(values: Sequence[int]) -> ArrayAttr[IntAttr]:
    return ArrayAttr([IntAttr(int(v)) for v in values])


class _DimensionNumbers(ParametrizedAttribute):
    """A struct of dimension lists and ints, written `key = [1, 2], key2 = 3` (empty lists omitted)."""

    INT_FIELDS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        """The field names, in StableHLO's print order."""
        return tuple(name for name, _ in cls.get_irdl_definition().parameters)

    @classmethod
    def make(cls, **values: Sequence[int] | int) -> _DimensionNumbers:
        """Build from field values (lists, or ints for the INT_FIELDS)."""
        params: list[Attribute] = []
        for name in cls.fields():
            value = values.get(name, 0 if name in cls.INT_FIELDS else ())
            if name in cls.INT_FIELDS:
                params.append(IntAttr(int(cast(int, value))))
            else:
                params.append(_ints(cast("Sequence[int]", value)))
        return cls.new(params)

    def get(self, name: str) -> list[int] | int:
        """A field's value."""
        attr = getattr(self, name)
        return attr.data if isinstance(attr, IntAttr) else [a.data for a in attr.data]

    def dims(self, name: str) -> list[int]:
        """The value of a list field."""
        value = self.get(name)
        assert isinstance(value, list)
        return value

    def dim(self, name: str) -> int:
        """The value of a single-integer field."""
        value = self.get(name)
        assert isinstance(value, int)
        return value

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        fields = cls.fields()
        values: dict[str, Sequence[int] | int] = {}
        parser.parse_punctuation("<")
        if parser.parse_optional_punctuation(">") is None:
            while True:
                key = parser.parse_identifier()
                if key not in fields:
                    parser.raise_error(f"unknown field '{key}' in #{cls.name}; expected one of {', '.join(fields)}")
                parser.parse_punctuation("=")
                if key in cls.INT_FIELDS:
                    values[key] = parser.parse_integer()
                else:
                    values[key] = parser.parse_comma_separated_list(parser.Delimiter.SQUARE, parser.parse_integer)
                if parser.parse_optional_punctuation(",") is None:
                    break
            parser.parse_punctuation(">")
        return cls.make(**values).parameters

    def print_parameters(self, printer: Printer) -> None:
        parts = []
        for name in self.fields():
            value = self.get(name)
            if isinstance(value, list):
                if value:
                    parts.append(f"{name} = [{', '.join(map(str, value))}]")
            else:
                parts.append(f"{name} = {value}")
        printer.print_string(f"<{', '.join(parts)}>")


@irdl_attr_definition
class DotDimensionNumbersAttr(_DimensionNumbers):
    """`#stablehlo.dot<lhs_batching_dimensions = [0], ..., rhs_contracting_dimensions = [1]>`."""

    name = "stablehlo.dot"

    lhs_batching_dimensions: ArrayAttr[IntAttr]
    rhs_batching_dimensions: ArrayAttr[IntAttr]
    lhs_contracting_dimensions: ArrayAttr[IntAttr]
    rhs_contracting_dimensions: ArrayAttr[IntAttr]


@irdl_attr_definition
class GatherDimensionNumbersAttr(_DimensionNumbers):
    """Gather dimension numbers, e.g.
    `#stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>`."""

    name = "stablehlo.gather"
    INT_FIELDS = ("index_vector_dim",)

    offset_dims: ArrayAttr[IntAttr]
    collapsed_slice_dims: ArrayAttr[IntAttr]
    operand_batching_dims: ArrayAttr[IntAttr]
    start_indices_batching_dims: ArrayAttr[IntAttr]
    start_index_map: ArrayAttr[IntAttr]
    index_vector_dim: IntAttr


@irdl_attr_definition
class ScatterDimensionNumbersAttr(_DimensionNumbers):
    """`#stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], ...>`."""

    name = "stablehlo.scatter"
    INT_FIELDS = ("index_vector_dim",)

    update_window_dims: ArrayAttr[IntAttr]
    inserted_window_dims: ArrayAttr[IntAttr]
    input_batching_dims: ArrayAttr[IntAttr]
    scatter_indices_batching_dims: ArrayAttr[IntAttr]
    scatter_dims_to_operand_dims: ArrayAttr[IntAttr]
    index_vector_dim: IntAttr


@irdl_attr_definition
class ConvDimensionNumbersAttr(ParametrizedAttribute):
    """`#stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>`: where batch, feature and
    spatial dims sit in the input, kernel and output."""

    name = "stablehlo.conv"

    input_batch_dimension: IntAttr
    input_feature_dimension: IntAttr
    input_spatial_dimensions: ArrayAttr[IntAttr]
    kernel_input_feature_dimension: IntAttr
    kernel_output_feature_dimension: IntAttr
    kernel_spatial_dimensions: ArrayAttr[IntAttr]
    output_batch_dimension: IntAttr
    output_feature_dimension: IntAttr
    output_spatial_dimensions: ArrayAttr[IntAttr]

    LAYOUT_LETTERS: ClassVar[tuple[tuple[str, str], ...]] = (("b", "f"), ("i", "o"), ("b", "f"))

    @staticmethod
    def make(
        input: tuple[int, int, Sequence[int]],
        kernel: tuple[int, int, Sequence[int]],
        output: tuple[int, int, Sequence[int]],
    ) -> ConvDimensionNumbersAttr:
        """From (batch-or-input-feature, feature-or-output-feature, spatial dims) per tensor."""
        params: list[Attribute] = []
        for first, second, spatial in (input, kernel, output):
            params += [IntAttr(first), IntAttr(second), _ints(spatial)]
        return ConvDimensionNumbersAttr.new(params)

    def layout(self, which: int) -> tuple[int, int, list[int]]:
        """(batch or input-feature dim, feature or output-feature dim, spatial dims) of
        the input (0), kernel (1) or output (2)."""
        a, b, s = self.parameters[3 * which : 3 * which + 3]
        assert isinstance(a, IntAttr) and isinstance(b, IntAttr) and isinstance(s, ArrayAttr)
        return a.data, b.data, [x.data for x in s.data]

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        parser.parse_punctuation("<")
        parts: list[tuple[int, int, list[int]]] = []
        for index, (first, second) in enumerate(cls.LAYOUT_LETTERS):
            if index == 1:
                parser.parse_keyword("x")
            elif index == 2:
                parser.parse_punctuation("->")
            items = parser.parse_comma_separated_list(parser.Delimiter.SQUARE, lambda: _parse_conv_item(parser))
            expected = sorted([first, second, *map(str, range(len(items) - 2))])
            if sorted(items) != expected:
                parser.raise_error(
                    f"conv layout [{', '.join(items)}] needs '{first}', '{second}' and spatial dims 0..{len(items) - 3}"
                )
            spatial = [items.index(str(n)) for n in range(len(items) - 2)]
            parts.append((items.index(first), items.index(second), spatial))
        parser.parse_punctuation(">")
        return cls.make(*parts).parameters

    def print_parameters(self, printer: Printer) -> None:
        texts = []
        for which, (first, second) in enumerate(self.LAYOUT_LETTERS):
            a, b, spatial = self.layout(which)
            letters = [""] * (len(spatial) + 2)
            letters[a], letters[b] = first, second
            for n, d in enumerate(spatial):
                letters[d] = str(n)
            texts.append(f"[{', '.join(letters)}]")
        printer.print_string(f"<{texts[0]}x{texts[1]}->{texts[2]}>")


def _parse_conv_item(parser: AttrParser) -> str:
    """One entry of a conv layout: a letter or a spatial dim number."""
    number = parser.parse_optional_integer()
    if number is not None:
        return str(number)
    return parser.parse_identifier()


FLOAT_HEX = re.compile(
    r"dense<(0x[0-9A-Fa-f]+|\[[^\]\[]*(?:\[[^\]]*\][^\]\[]*)*\])>(\s*:\s*tensor<(?:[0-9?]+x)*(f16|bf16|f32|f64)>)"
)
_FLOAT_DTYPES = {"f16": np.float16, "bf16": None, "f32": np.float32, "f64": np.float64}
_FLOAT_BITS = {"f16": np.uint16, "bf16": np.uint16, "f32": np.uint32, "f64": np.uint64}


def _float_hex_to_bytes(match: re.Match[str]) -> str:
    """Rewrite float constants holding hex bit patterns (`dense<0xFF800000>`, MLIR's spelling of
    -inf and NaN) as the raw-data form `dense<"0x...">`, which reads unambiguously."""
    body, suffix, element = match.group(1), match.group(2), match.group(3)
    if "0x" not in body:
        return match.group(0)
    items = [t for t in re.split(r"[\s,\[\]]+", body) if t]
    bits = _FLOAT_BITS[element]
    words = []
    try:
        for item in items:
            if item.startswith("0x"):
                words.append(int(item, 16))
            elif element == "bf16":
                words.append(int(np.array(float(item), np.float32).view(np.uint32)) >> 16)
            else:
                words.append(int(np.array(float(item), _FLOAT_DTYPES[element]).view(bits)))
    except ValueError:  # not a list of numbers: left to the parser's diagnostic
        return match.group(0)
    if any(word >= 1 << (8 * np.dtype(bits).itemsize) for word in words):
        return match.group(0)  # a bit pattern wider than the element type: left to the parser's diagnostic
    data = np.array(words, dtype=bits).astype(np.dtype(bits).newbyteorder("<")).tobytes()
    return f'dense<"0x{data.hex().upper()}">{suffix}'


def normalize_float_hex(text: str) -> str:
    """MLIR text with float constants' hex bit patterns in the raw-data form xDSL reads
    correctly (xDSL takes `dense<0xFF800000> : tensor<f32>` for an integer)."""
    return FLOAT_HEX.sub(_float_hex_to_bytes, text) if "dense<" in text and "0x" in text else text


# Dimension numbers in StableHLO's pretty syntax: a convolution layout `[b, 0, 1, f]x[...]->[...]`
# and the conv, dot, gather and scatter attributes. Their numbers are dimension indices.
_DIMENSION_SYNTAX = re.compile(
    r"\[[^\]\n]*\]x\[[^\]\n]*\]->\[[^\]\n]*\]|#stablehlo\.(?:conv|dot|gather|scatter)<[^>\n]*>"
)
_NUMBER = re.compile(r"\d+")


def _dimension_numbers_in_range(text: str) -> bool:
    """Whether every dimension index in `text`'s pretty dimension syntax is below tflc's rank
    limit (jaxlib's parser allocates by such an index: `2147483647` in a layout takes 16 GB)."""
    from tflc.ir_compat import MAX_RANK

    for match in _DIMENSION_SYNTAX.finditer(text):
        if any(int(n) >= MAX_RANK for n in _NUMBER.findall(match.group(0))):
            return False
    return True


SourcePosition = tuple[str, int, int] | None  # (file, line, column) of an op, as its text gave it


def to_generic_form(text: str) -> str | None:
    """`text` (StableHLO's pretty form, as `jax.jit(f).lower(x).as_text()` writes it) in
    MLIR's generic form, through jaxlib's MLIR bindings; None without jaxlib, when jaxlib
    cannot parse it either, or when a dimension index is out of any rank's range."""
    reprint = to_generic_form_with_positions(text)
    return None if reprint is None else reprint[0]


def to_generic_form_with_positions(text: str) -> tuple[str, list[SourcePosition]] | None:
    """`to_generic_form`, with each op's position in `text` in pre-order (the order of
    `Operation.walk`; file "-" is `text` itself): the reprint carries no locations, which
    would make xDSL's parse a third slower."""
    if not _dimension_numbers_in_range(text):
        return None
    try:
        from jax._src.interpreters.mlir import make_ir_context  # jax's context: func, stablehlo, chlo, ...
        from jaxlib.mlir import ir
    except ImportError:
        return None
    ctx = make_ir_context()
    ctx.allow_unregistered_dialects = True
    with ctx:
        try:
            module = ir.Module.parse(text)
        except Exception:  # jaxlib's MLIRError: keep tflc's own parse error
            return None
        generic = cast(str, module.operation.get_asm(print_generic_op_form=True, enable_debug_info=False))
        positions: list[SourcePosition] = []
        stack: list[Any] = [module.operation]
        while stack:  # iterative: nesting depth is checked after xDSL's parse
            op = stack.pop()
            positions.append(_file_position(op.location))
            for region in reversed(list(op.regions)):
                for block in reversed(list(region.blocks)):
                    stack.extend(reversed(list(block.operations)))
    return generic, positions


def _file_position(location: Any) -> SourcePosition:
    """A jaxlib file location's (file, line, column); None for other kinds."""
    try:
        return str(location.filename), int(location.start_line), int(location.start_col)
    except (AttributeError, ValueError, TypeError):  # a name, fused, call-site or unknown location
        return None


# ----------------------------------------------------------------------------
# Base classes
# ----------------------------------------------------------------------------


def is_hlo_element_type(element: Attribute) -> bool:
    """Whether `element` is one of StableHLO's element types: i1, 2- to 64-bit integers,
    floats up to f64, complex<f32> and complex<f64>, and quantized types (not `index`)."""
    from tflc.dialects.quant import UniformQuantizedType

    if isinstance(element, IntegerType):
        return element.width.data in (1, 2, 4, 8, 16, 32, 64)
    if isinstance(element, ComplexType):
        return isinstance(element.element_type, Float32Type | Float64Type)
    if isinstance(element, UniformQuantizedType):
        return True
    return isinstance(element, AnyFloat) and not isinstance(element, Float80Type | Float128Type)


@dataclass(frozen=True)
class HLOTensorConstraint(AttrConstraint):
    """A ranked tensor of a StableHLO element type: the operands and results of stablehlo ops."""

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        """Check that `attr` is a ranked tensor type of a StableHLO element type."""
        if not isinstance(attr, TensorType):
            raise VerifyException(f"expected a ranked tensor, got {attr}")
        if not is_hlo_element_type(attr.element_type):
            raise VerifyException(f"element type {attr.element_type} is not a StableHLO element type")

    def get_bases(self) -> set[type[Attribute]] | None:
        """The attribute classes this constraint accepts."""
        return {TensorType}

    def mapping_type_vars(
        self, type_var_mapping: Mapping[Any, AttrConstraint | IntConstraint]
    ) -> HLOTensorConstraint:
        """No type variables inside."""
        return self


HLOTensor = HLOTensorConstraint()


def _tensor(value: SSAValue) -> TensorType:
    """The type of a value its operand/result def constrains to a tensor (checked before verify_)."""
    ty = value.type
    assert isinstance(ty, TensorType)
    return ty


def compatible_shapes(*shapes: Sequence[int]) -> bool:
    """Whether shapes agree in rank and in every dim known in both (`?` matches any size)."""
    if len({len(s) for s in shapes}) != 1:
        return False
    for dims in zip(*shapes):
        known = {d for d in dims if d >= 0}
        if len(known) > 1:
            return False
    return True


# The dimension, window, stride and flag arrays of stablehlo ops hold integers (i64, or i1 flags).
INT_ARRAY = DenseArrayBase.constr(IntegerType)


class StableHLOOp(IRDLOperation):
    """Base of stablehlo ops."""


class ElementwiseUnaryOp(StableHLOOp):
    """`result = f(operand)`, elementwise."""

    operand = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    result_accuracy = opt_prop_def(Attribute)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        if not compatible_shapes(_tensor(self.operand).get_shape(), _tensor(self.result).get_shape()):
            raise VerifyException(f"operand shape {self.operand.type} differs from result shape {self.result.type}")


class ElementwiseBinaryOp(StableHLOOp):
    """`result = f(lhs, rhs)`, elementwise on operands of one shape.

    Prints `stablehlo.add %a, %b : tensor<..>` when all types are equal, the generic
    form otherwise; both parse.
    """

    lhs = operand_def(HLOTensor)
    rhs = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        if not compatible_shapes(*(_tensor(v).get_shape() for v in (self.lhs, self.rhs, self.result))):
            raise VerifyException("operands and result must have the same shape")

    def has_uniform_types(self) -> bool:
        """Whether the short form can be printed (one type, no attributes)."""
        return self.lhs.type == self.rhs.type == self.result.type and not self.attributes

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.lhs)
        printer.print_string(", ")
        printer.print_operand(self.rhs)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> ElementwiseBinaryOp:
        lhs = parser.parse_unresolved_operand()
        parser.parse_punctuation(",")
        rhs = parser.parse_unresolved_operand()
        parser.parse_punctuation(":")
        ty = parser.parse_type()
        operands = parser.resolve_operands([lhs, rhs], [ty, ty], parser.pos)
        return cls.create(operands=operands, result_types=[ty])


def _i64_array(values: Sequence[int]) -> DenseArrayBase:
    from xdsl.dialects.builtin import i64

    return DenseArrayBase.from_list(i64, [int(v) for v in values])


def array_values(attr: Attribute | None, default: Sequence[int] = ()) -> list[int]:
    """The ints of an `array<i64: ...>` property, a dense elements attribute or a bool array."""
    if attr is None:
        return list(default)
    if isinstance(attr, DenseArrayBase):
        return [int(v) for v in attr.get_values()]
    if isinstance(attr, DenseIntOrFPElementsAttr):
        from tflc.tensors import dense_to_numpy

        return [int(v) for v in dense_to_numpy(attr).reshape(-1)]
    raise ValueError(f"expected an integer array, got {attr}")


# ----------------------------------------------------------------------------
# Constants and elementwise ops
# ----------------------------------------------------------------------------


@irdl_op_definition
class ConstantOp(StableHLOOp):
    """`stablehlo.constant`: a constant tensor."""

    name = "stablehlo.constant"
    value = prop_def(Attribute)
    output = result_def(HLOTensor)
    traits = traits_def(Pure(), ConstantLike())

    def __init__(self, value: DenseIntOrFPElementsAttr):
        super().__init__(properties={"value": value}, result_types=[value.type])

    def verify_(self) -> None:
        if getattr(self.value, "type", None) != self.output.type:
            raise VerifyException(f"value type {getattr(self.value, 'type', None)} does not match {self.output.type}")


def _unary(op_name: str, doc: str) -> type[ElementwiseUnaryOp]:
    cls = type(
        op_name.title().replace("_", "") + "Op",
        (ElementwiseUnaryOp,),
        {"name": f"stablehlo.{op_name}", "__doc__": doc},
    )
    return irdl_op_definition(cls)


def _binary(op_name: str, doc: str) -> type[ElementwiseBinaryOp]:
    cls = type(
        op_name.title().replace("_", "") + "Op",
        (ElementwiseBinaryOp,),
        {"name": f"stablehlo.{op_name}", "__doc__": doc},
    )
    return irdl_op_definition(cls)


AbsOp = _unary("abs", "|x|.")
NegateOp = _unary("negate", "-x.")
ExponentialOp = _unary("exponential", "e^x.")
ExponentialMinusOneOp = _unary("exponential_minus_one", "e^x - 1.")
LogOp = _unary("log", "ln x.")
LogPlusOneOp = _unary("log_plus_one", "ln(1 + x).")
SqrtOp = _unary("sqrt", "sqrt x.")
RsqrtOp = _unary("rsqrt", "1 / sqrt x.")
CbrtOp = _unary("cbrt", "cube root.")
TanhOp = _unary("tanh", "tanh x.")
LogisticOp = _unary("logistic", "1 / (1 + e^-x).")
SineOp = _unary("sine", "sin x.")
CosineOp = _unary("cosine", "cos x.")
TanOp = _unary("tan", "tan x.")
FloorOp = _unary("floor", "floor x.")
CeilOp = _unary("ceil", "ceil x.")
SignOp = _unary("sign", "sign x.")
NotOp = _unary("not", "logical or bitwise not.")
RoundNearestEvenOp = _unary("round_nearest_even", "round half to even.")
RoundNearestAfzOp = _unary("round_nearest_afz", "round half away from zero.")
IsFiniteOp = _unary("is_finite", "whether x is finite (i1 result).")
ConvertOp = _unary("convert", "element type conversion.")
BitcastConvertOp = _unary("bitcast_convert", "reinterpret the bits (same element width).")

AddOp = _binary("add", "x + y.")
SubtractOp = _binary("subtract", "x - y.")
MultiplyOp = _binary("multiply", "x * y.")
DivideOp = _binary("divide", "x / y.")
RemainderOp = _binary("remainder", "x % y (sign of x).")
MaximumOp = _binary("maximum", "max(x, y).")
MinimumOp = _binary("minimum", "min(x, y).")
PowerOp = _binary("power", "x ** y.")
Atan2Op = _binary("atan2", "atan2(x, y).")
AndOp = _binary("and", "logical or bitwise and.")
OrOp = _binary("or", "logical or bitwise or.")
XorOp = _binary("xor", "logical or bitwise xor.")
ShiftLeftOp = _binary("shift_left", "x << y.")
ShiftRightArithmeticOp = _binary("shift_right_arithmetic", "x >> y (sign-extending).")
ShiftRightLogicalOp = _binary("shift_right_logical", "x >> y (zero-filling).")


@irdl_op_definition
class CompareOp(StableHLOOp):
    """`stablehlo.compare`: elementwise comparison to i1."""

    name = "stablehlo.compare"
    lhs = operand_def(HLOTensor)
    rhs = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    comparison_direction = prop_def(ComparisonDirectionAttr)
    compare_type = opt_prop_def(ComparisonTypeAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class SelectOp(StableHLOOp):
    """`stablehlo.select`: `pred ? on_true : on_false` (pred scalar or elementwise)."""

    name = "stablehlo.select"
    pred = operand_def(HLOTensor)
    on_true = operand_def(HLOTensor)
    on_false = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class ClampOp(StableHLOOp):
    """`stablehlo.clamp`: min(max(operand, min), max), min/max scalar or elementwise."""

    name = "stablehlo.clamp"
    min = operand_def(HLOTensor)
    operand = operand_def(HLOTensor)
    max = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class ReducePrecisionOp(StableHLOOp):
    """`stablehlo.reduce_precision`: round to fewer exponent/mantissa bits."""

    name = "stablehlo.reduce_precision"
    operand = operand_def(HLOTensor)
    output = result_def(HLOTensor)
    exponent_bits = prop_def(IntegerAttr)
    mantissa_bits = prop_def(IntegerAttr)
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# Shape ops
# ----------------------------------------------------------------------------


@irdl_op_definition
class BroadcastInDimOp(StableHLOOp):
    """`stablehlo.broadcast_in_dim`: operand dim i goes to result dim broadcast_dimensions[i]."""

    name = "stablehlo.broadcast_in_dim"
    operand = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    broadcast_dimensions = prop_def(INT_ARRAY)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        _verify_broadcast_dimensions(self.broadcast_dimensions, _tensor(self.operand), _tensor(self.result))


def _verify_broadcast_dimensions(attr: DenseArrayBase, operand: TensorType, result: TensorType) -> None:
    """broadcast_dimensions: one distinct result dimension per operand dimension, where the
    operand's size is 1 or the result's."""
    dims = array_values(attr)
    rank = operand.get_num_dims()
    if len(dims) != rank:
        raise VerifyException(f"broadcast_dimensions has {len(dims)} entries for an operand of rank {rank}")
    result_shape = result.get_shape()
    for dim, size in zip(dims, operand.get_shape()):
        if not 0 <= dim < len(result_shape):
            raise VerifyException(
                f"broadcast_dimensions entry {dim} is not a dimension of the rank-{len(result_shape)} result"
            )
        if size >= 0 and result_shape[dim] >= 0 and size not in (1, result_shape[dim]):
            raise VerifyException(
                f"operand dimension of size {size} cannot broadcast to result dimension {dim} "
                f"of size {result_shape[dim]}"
            )
    if len(set(dims)) != len(dims):
        raise VerifyException(f"broadcast_dimensions {list(dims)} names a result dimension twice")


@irdl_op_definition
class DynamicBroadcastInDimOp(StableHLOOp):
    """`stablehlo.dynamic_broadcast_in_dim`: broadcast_in_dim to a shape read at run time."""

    name = "stablehlo.dynamic_broadcast_in_dim"
    operand = operand_def(HLOTensor)
    output_dimensions = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    broadcast_dimensions = prop_def(INT_ARRAY)
    known_expanding_dimensions = opt_prop_def(INT_ARRAY)
    known_nonexpanding_dimensions = opt_prop_def(INT_ARRAY)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        _verify_broadcast_dimensions(self.broadcast_dimensions, _tensor(self.operand), _tensor(self.result))


@irdl_op_definition
class ReshapeOp(StableHLOOp):
    """`stablehlo.reshape`: same elements, static result shape."""

    name = "stablehlo.reshape"
    operand = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class DynamicReshapeOp(StableHLOOp):
    """`stablehlo.dynamic_reshape`: reshape to a shape read at run time."""

    name = "stablehlo.dynamic_reshape"
    operand = operand_def(HLOTensor)
    output_shape = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class GetDimensionSizeOp(StableHLOOp):
    """`stablehlo.get_dimension_size`: one dim of the operand as a tensor<i32>."""

    name = "stablehlo.get_dimension_size"
    operand = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    dimension = prop_def(IntegerAttr)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        operand = self.operand.type
        dimension = self.dimension.value.data
        rank = operand.get_num_dims() if isinstance(operand, TensorType) else None
        if rank is not None and not 0 <= dimension < rank:
            raise VerifyException(f"dimension {dimension} is not a dimension of the rank-{rank} operand")


@irdl_op_definition
class TransposeOp(StableHLOOp):
    """`stablehlo.transpose`: result dim i is operand dim permutation[i]."""

    name = "stablehlo.transpose"
    operand = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    permutation = prop_def(INT_ARRAY)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        rank = _tensor(self.operand).get_num_dims()
        if sorted(array_values(self.permutation)) != list(range(rank)):
            raise VerifyException(f"permutation {array_values(self.permutation)} is not a permutation of 0..{rank - 1}")


@irdl_op_definition
class SliceOp(StableHLOOp):
    """`stablehlo.slice`: static start, limit and stride per dim."""

    name = "stablehlo.slice"
    operand = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    start_indices = prop_def(INT_ARRAY)
    limit_indices = prop_def(INT_ARRAY)
    strides = prop_def(INT_ARRAY)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        shape = _tensor(self.operand).get_shape()
        for name in ("start_indices", "limit_indices", "strides"):
            _verify_per_dimension(self, name, len(shape), "operand dimension")
        bounds = zip(array_values(self.start_indices), array_values(self.limit_indices), array_values(self.strides))
        for dim, (start, limit, stride) in enumerate(bounds):
            if stride <= 0 or start < 0 or limit < start or (shape[dim] >= 0 and limit > shape[dim]):
                raise VerifyException(
                    f"dimension {dim} is sliced [{start}:{limit}:{stride}], not within its size {shape[dim]} "
                    "with a positive stride"
                )


@irdl_op_definition
class DynamicSliceOp(StableHLOOp):
    """`stablehlo.dynamic_slice`: scalar start indices (clamped), static sizes."""

    name = "stablehlo.dynamic_slice"
    operand = operand_def(HLOTensor)
    start_indices = var_operand_def(HLOTensor)
    result = result_def(HLOTensor)
    slice_sizes = prop_def(INT_ARRAY)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        shape = _tensor(self.operand).get_shape()
        _verify_per_dimension(self, "slice_sizes", len(shape), "operand dimension")
        if len(self.start_indices) != len(shape):
            raise VerifyException(f"{len(self.start_indices)} start indices for an operand of rank {len(shape)}")
        for dim, size in enumerate(array_values(self.slice_sizes)):
            if size < 0 or (shape[dim] >= 0 and size > shape[dim]):
                raise VerifyException(f"slice size {size} of dimension {dim} is not within its size {shape[dim]}")


@irdl_op_definition
class DynamicUpdateSliceOp(StableHLOOp):
    """`stablehlo.dynamic_update_slice`: write `update` at scalar start indices (clamped)."""

    name = "stablehlo.dynamic_update_slice"
    operand = operand_def(HLOTensor)
    update = operand_def(HLOTensor)
    start_indices = var_operand_def(HLOTensor)
    result = result_def(HLOTensor)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        rank = _tensor(self.operand).get_num_dims()
        if _tensor(self.update).get_num_dims() != rank or len(self.start_indices) != rank:
            raise VerifyException(
                f"the update (rank {_tensor(self.update).get_num_dims()}) and the {len(self.start_indices)} start "
                f"indices must match the operand's rank {rank}"
            )


@irdl_op_definition
class ConcatenateOp(StableHLOOp):
    """`stablehlo.concatenate` along `dimension`."""

    name = "stablehlo.concatenate"
    inputs = var_operand_def(HLOTensor)
    result = result_def(HLOTensor)
    dimension = prop_def(IntegerAttr)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        rank = _tensor(self.result).get_num_dims()
        _verify_dimension(self.dimension.value.data, rank, "dimension")
        if not self.inputs or any(_tensor(v).get_num_dims() != rank for v in self.inputs):
            raise VerifyException(f"the inputs must be one or more tensors of the result's rank {rank}")


@irdl_op_definition
class PadOp(StableHLOOp):
    """`stablehlo.pad`: low/high (possibly negative) and interior padding with a scalar."""

    name = "stablehlo.pad"
    operand = operand_def(HLOTensor)
    padding_value = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    edge_padding_low = prop_def(INT_ARRAY)
    edge_padding_high = prop_def(INT_ARRAY)
    interior_padding = prop_def(INT_ARRAY)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        rank = _tensor(self.operand).get_num_dims()
        for name in ("edge_padding_low", "edge_padding_high", "interior_padding"):
            _verify_per_dimension(self, name, rank, "operand dimension")
        if any(v < 0 for v in array_values(self.interior_padding)):
            raise VerifyException(f"interior_padding {array_values(self.interior_padding)} has a negative entry")


@irdl_op_definition
class IotaOp(StableHLOOp):
    """`stablehlo.iota`: 0, 1, 2, ... along `iota_dimension`."""

    name = "stablehlo.iota"
    output = result_def(HLOTensor)
    iota_dimension = prop_def(IntegerAttr)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        _verify_dimension(self.iota_dimension.value.data, _tensor(self.output).get_num_dims(), "iota_dimension")


@irdl_op_definition
class ReverseOp(StableHLOOp):
    """`stablehlo.reverse` along `dimensions`."""

    name = "stablehlo.reverse"
    operand = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    dimensions = prop_def(INT_ARRAY)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        _verify_dimension_set(array_values(self.dimensions), _tensor(self.operand).get_num_dims())


# ----------------------------------------------------------------------------
# Linear algebra and convolution
# ----------------------------------------------------------------------------


@irdl_op_definition
class DotGeneralOp(StableHLOOp):
    """`stablehlo.dot_general`: batch dims, then lhs free dims, then rhs free dims."""

    name = "stablehlo.dot_general"
    lhs = operand_def(HLOTensor)
    rhs = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    dot_dimension_numbers = prop_def(DotDimensionNumbersAttr)
    precision_config = opt_prop_def(ArrayAttr)
    algorithm = opt_prop_def(Attribute)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        numbers = self.dot_dimension_numbers
        for side, value in (("lhs", self.lhs), ("rhs", self.rhs)):
            rank = _tensor(value).get_num_dims()
            for kind in ("batching", "contracting"):
                field = f"{side}_{kind}_dimensions"
                bad = [d for d in numbers.dims(field) if not 0 <= d < rank] if field in numbers.fields() else []
                if bad:
                    raise VerifyException(f"{field} {bad} are not dimensions of the rank-{rank} {side}")


@irdl_op_definition
class DotOp(StableHLOOp):
    """`stablehlo.dot`: vector/matrix products (lhs last dim with rhs first dim)."""

    name = "stablehlo.dot"
    lhs = operand_def(HLOTensor)
    rhs = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    precision_config = opt_prop_def(ArrayAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class ConvolutionOp(StableHLOOp):
    """`stablehlo.convolution` with strides, padding, dilations and groups."""

    name = "stablehlo.convolution"
    lhs = operand_def(HLOTensor)
    rhs = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    window_strides = opt_prop_def(INT_ARRAY)
    padding = opt_prop_def(DenseIntOrFPElementsAttr)
    lhs_dilation = opt_prop_def(INT_ARRAY)
    rhs_dilation = opt_prop_def(INT_ARRAY)
    window_reversal = opt_prop_def(INT_ARRAY)
    dimension_numbers = prop_def(ConvDimensionNumbersAttr)
    feature_group_count = prop_def(IntegerAttr)
    batch_group_count = prop_def(IntegerAttr)
    precision_config = opt_prop_def(ArrayAttr)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        lhs = self.lhs.type
        if isinstance(lhs, TensorType) and lhs.get_num_dims() >= 2:
            spatial = lhs.get_num_dims() - 2
            _verify_padding(self.padding, spatial, "spatial dimension")
            for name in ("window_strides", "lhs_dilation", "rhs_dilation", "window_reversal"):
                _verify_per_dimension(self, name, spatial, "spatial dimension")


def _verify_dimension(dim: int, rank: int, name: str) -> None:
    """`dim` is a dimension of a rank-`rank` tensor."""
    if not 0 <= dim < rank:
        raise VerifyException(f"{name} {dim} is not a dimension of a rank-{rank} tensor")


def _verify_dimension_set(dims: Sequence[int], rank: int) -> None:
    """`dims` are distinct dimensions of a rank-`rank` tensor."""
    if len(set(dims)) != len(dims) or any(not 0 <= d < rank for d in dims):
        raise VerifyException(f"dimensions {list(dims)} are not distinct dimensions of a rank-{rank} tensor")


def _verify_per_dimension(op: Operation, name: str, count: int, what: str) -> None:
    """The array property `name` (when given) holds one entry per `what`."""
    attr = op.properties.get(name)
    if isinstance(attr, DenseArrayBase) and len(attr) != count:
        raise VerifyException(f"{name} has {len(attr)} entries; it takes one per {what} ({count})")


def _is_numpy_integer(element: Attribute) -> bool:
    """An integer type of 8, 16, 32 or 64 bits (the widths attribute data is read in)."""
    return isinstance(element, IntegerType) and element.width.data in (8, 16, 32, 64)


def _verify_padding(padding: Attribute | None, count: int, what: str) -> None:
    """`padding` (when given) holds one (low, high) pair per `what`: a [count, 2] tensor."""
    if isinstance(padding, DenseIntOrFPElementsAttr) and not _is_numpy_integer(padding.get_element_type()):
        raise VerifyException(f"padding holds {padding.get_element_type()}; it takes 8- to 64-bit integers (i64)")
    if isinstance(padding, DenseIntOrFPElementsAttr) and list(padding.get_shape()) != [count, 2]:
        raise VerifyException(
            f"padding has shape {list(padding.get_shape())}; it takes one (low, high) pair per {what}: [{count}, 2]"
        )


# ----------------------------------------------------------------------------
# Reductions, gather and scatter (ops with a reducer region)
# ----------------------------------------------------------------------------


@irdl_op_definition
class ReturnOp(StableHLOOp):
    """`stablehlo.return`: the results of a region."""

    name = "stablehlo.return"
    values = var_operand_def()
    traits = traits_def(IsTerminator())


@irdl_op_definition
class ReduceOp(StableHLOOp):
    """`stablehlo.reduce` over `dimensions` with a reducer region (N inputs, N inits)."""

    name = "stablehlo.reduce"
    inputs = var_operand_def(HLOTensor)
    outputs = var_result_def(HLOTensor)
    dimensions = prop_def(INT_ARRAY)
    body = region_def("single_block")

    def verify_(self) -> None:
        if not self.inputs or len(self.inputs) % 2:
            raise VerifyException(f"takes inputs and as many init values, not {len(self.inputs)} operands")
        _verify_dimension_set(array_values(self.dimensions), _tensor(self.inputs[0]).get_num_dims())

    def half(self) -> int:
        """How many inputs (as many init values follow)."""
        return len(self.inputs) // 2


@irdl_op_definition
class ReduceWindowOp(StableHLOOp):
    """`stablehlo.reduce_window`: pooling (windows, strides, dilations, padding)."""

    name = "stablehlo.reduce_window"
    inputs = var_operand_def(HLOTensor)
    outputs = var_result_def(HLOTensor)
    window_dimensions = prop_def(INT_ARRAY)
    window_strides = opt_prop_def(INT_ARRAY)
    base_dilations = opt_prop_def(INT_ARRAY)
    window_dilations = opt_prop_def(INT_ARRAY)
    padding = opt_prop_def(DenseIntOrFPElementsAttr)
    body = region_def("single_block")

    def verify_(self) -> None:
        first = self.inputs[0].type if self.inputs else None
        if isinstance(first, TensorType):
            _verify_padding(self.padding, first.get_num_dims(), "input dimension")
            for name in ("window_dimensions", "window_strides", "base_dilations", "window_dilations"):
                _verify_per_dimension(self, name, first.get_num_dims(), "input dimension")


def _verify_dimension_lists(numbers: _DimensionNumbers, ranks: dict[str, int], indices_rank: int) -> None:
    """Each dimension list of gather/scatter dimension numbers names distinct dimensions of
    the tensor it indexes (`ranks`: that tensor's rank), and index_vector_dim is at most the
    indices' rank."""
    for name, rank in ranks.items():
        dims = numbers.dims(name)
        for dim in dims:
            if not 0 <= dim < rank:
                raise VerifyException(f"{name} entry {dim} is not a dimension of a rank-{rank} tensor")
        if len(set(dims)) != len(dims):
            raise VerifyException(f"{name} {dims} names a dimension twice")
    vector_dim = numbers.dim("index_vector_dim")
    if not 0 <= vector_dim <= indices_rank:
        raise VerifyException(f"index_vector_dim {vector_dim} is out of range for indices of rank {indices_rank}")


@irdl_op_definition
class GatherOp(StableHLOOp):
    """`stablehlo.gather`: slices of `operand` at `start_indices`."""

    name = "stablehlo.gather"
    operand = operand_def(HLOTensor)
    start_indices = operand_def(HLOTensor)
    result = result_def(HLOTensor)
    dimension_numbers = prop_def(GatherDimensionNumbersAttr)
    slice_sizes = prop_def(INT_ARRAY)
    indices_are_sorted = opt_prop_def(BoolAttr)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        numbers = self.dimension_numbers
        operand = _tensor(self.operand)
        rank = operand.get_num_dims()
        _verify_dimension_lists(
            numbers,
            {
                "offset_dims": _tensor(self.result).get_num_dims(),
                "collapsed_slice_dims": rank,
                "operand_batching_dims": rank,
                "start_indices_batching_dims": _tensor(self.start_indices).get_num_dims(),
                "start_index_map": rank,
            },
            _tensor(self.start_indices).get_num_dims(),
        )
        sizes = array_values(self.slice_sizes)
        if len(sizes) != rank:
            raise VerifyException(f"slice_sizes has {len(sizes)} entries for an operand of rank {rank}")
        for size, dim in zip(sizes, operand.get_shape()):
            if size < 0 or (dim >= 0 and size > dim):
                raise VerifyException(f"slice size {size} does not fit operand dimension of size {dim}")


@irdl_op_definition
class ScatterOp(StableHLOOp):
    """`stablehlo.scatter`: combine `updates` into `inputs` at `scatter_indices` (N inputs,
    one indices tensor, N updates)."""

    name = "stablehlo.scatter"
    inputs = var_operand_def(HLOTensor)
    outputs = var_result_def(HLOTensor)
    scatter_dimension_numbers = prop_def(ScatterDimensionNumbersAttr)
    indices_are_sorted = opt_prop_def(BoolAttr)
    unique_indices = opt_prop_def(BoolAttr)
    update_computation = region_def("single_block")

    def verify_(self) -> None:
        if len(self.inputs) % 2 != 1 or len(self.outputs) != len(self.inputs) // 2:
            raise VerifyException(
                f"takes N inputs, one indices tensor and N updates, and gives N results; got "
                f"{len(self.inputs)} operands and {len(self.outputs)} results"
            )
        count = len(self.inputs) // 2
        rank = _tensor(self.inputs[0]).get_num_dims()
        indices_rank = _tensor(self.inputs[count]).get_num_dims()
        _verify_dimension_lists(
            self.scatter_dimension_numbers,
            {
                "update_window_dims": _tensor(self.inputs[count + 1]).get_num_dims(),
                "inserted_window_dims": rank,
                "input_batching_dims": rank,
                "scatter_indices_batching_dims": indices_rank,
                "scatter_dims_to_operand_dims": rank,
            },
            indices_rank,
        )


@irdl_op_definition
class SortOp(StableHLOOp):
    """`stablehlo.sort` along `dimension` with a comparator region."""

    name = "stablehlo.sort"
    inputs = var_operand_def(HLOTensor)
    outputs = var_result_def(HLOTensor)
    dimension = opt_prop_def(IntegerAttr)
    is_stable = opt_prop_def(BoolAttr)
    comparator = region_def("single_block")


# ----------------------------------------------------------------------------
# Control flow and calls
# ----------------------------------------------------------------------------


@irdl_op_definition
class WhileOp(StableHLOOp):
    """`stablehlo.while`: `cond` region gives an i1, `body` the next loop values."""

    name = "stablehlo.while"
    operand = var_operand_def()
    outputs = var_result_def()
    cond = region_def("single_block")
    body = region_def("single_block")


@irdl_op_definition
class IfOp(StableHLOOp):
    """`stablehlo.if`: one region runs, chosen by a tensor<i1>."""

    name = "stablehlo.if"
    pred = operand_def(HLOTensor)
    outputs = var_result_def()
    true_branch = region_def("single_block")
    false_branch = region_def("single_block")


@irdl_op_definition
class CaseOp(StableHLOOp):
    """`stablehlo.case`: region `index` runs (the last one when out of range)."""

    name = "stablehlo.case"
    index = operand_def(HLOTensor)
    outputs = var_result_def()
    branches = var_region_def("single_block")


@irdl_op_definition
class OptimizationBarrierOp(StableHLOOp):
    """`stablehlo.optimization_barrier`: forwards its operands."""

    name = "stablehlo.optimization_barrier"
    operand = var_operand_def()
    outputs = var_result_def()


@irdl_op_definition
class CreateTokenOp(StableHLOOp):
    """`stablehlo.create_token`: a fresh token."""

    name = "stablehlo.create_token"
    output = result_def(TokenType)
    traits = traits_def(Pure())


@irdl_op_definition
class AfterAllOp(StableHLOOp):
    """`stablehlo.after_all`: a token after all input tokens."""

    name = "stablehlo.after_all"
    inputs = var_operand_def(TokenType)
    result = result_def(TokenType)
    traits = traits_def(Pure())


@irdl_op_definition
class CustomCallOp(StableHLOOp):
    """`stablehlo.custom_call @target(...)`: a call into the runtime (JAX emits a few:
    `shape_assertion`, `Sharding`, `annotate_device_placement`)."""

    name = "stablehlo.custom_call"
    inputs = var_operand_def()
    outputs = var_result_def()
    call_target_name = prop_def(StringAttr)
    has_side_effect = opt_prop_def(BoolAttr)
    backend_config = opt_prop_def(Attribute)
    api_version = opt_prop_def(IntegerAttr)
    called_computations = opt_prop_def(ArrayAttr)
    operand_layouts = opt_prop_def(ArrayAttr)
    result_layouts = opt_prop_def(ArrayAttr)
    output_operand_aliases = opt_prop_def(ArrayAttr)


_OPS: list[type[Operation]] = [
    v
    for v in list(globals().values())
    if isinstance(v, type) and issubclass(v, StableHLOOp) and getattr(v, "name", "").startswith("stablehlo.")
]

StableHLO = Dialect(
    "stablehlo",
    _OPS,
    [
        TokenType,
        ComparisonDirectionAttr,
        ComparisonTypeAttr,
        PrecisionAttr,
        DotDimensionNumbersAttr,
        GatherDimensionNumbersAttr,
        ScatterDimensionNumbersAttr,
        ConvDimensionNumbersAttr,
    ],
)
