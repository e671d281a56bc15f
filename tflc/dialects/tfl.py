"""The `tfl` dialect: TensorFlow Lite builtin ops with TFLite's attribute names and enums.

Each op maps to one TFLite builtin operator: by default the upper-cased op name
(`tfl.fully_connected` -> FULLY_CONNECTED); `BUILTIN_OPTIONS` names the schema's
BuiltinOptions table whose fields are the op's properties in camelCase.
"""

from __future__ import annotations

from xdsl.dialects.builtin import (
    AnyFloat,
    BoolAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    NoneType,
    StringAttr,
    TensorType,
    UnitAttr,
    i32,
)
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import ConstantLike, Pure
from xdsl.utils.exceptions import VerifyException

from tflc.dialects.tf import ResourceType, StringType

# TFLite enums, spelled as in the FlatBuffer schema.
ACTIVATIONS = ("NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT")
PADDINGS = ("SAME", "VALID")
WEIGHTS_FORMATS = ("DEFAULT", "SHUFFLED4x16INT8")
ENUM_PROPS: dict[str, tuple[str, ...]] = {
    "fused_activation_function": ACTIVATIONS,
    "padding": PADDINGS,
    "weights_format": WEIGHTS_FORMATS,
}


def element_type(value: SSAValue | Attribute) -> Attribute:
    """The element type of a tensor value or type."""
    ty = value.type if isinstance(value, SSAValue) else value
    assert isinstance(ty, TensorType)
    return ty.element_type


def is_tflite_element_type(ty: Attribute) -> bool:
    """Whether TFLite has a tensor type for this element type."""
    return isinstance(ty, AnyFloat | IntegerType | StringType | ResourceType)


class TFLOp(IRDLOperation):
    """Base of tfl ops: checks TFLite enums and element types."""

    def verify_(self) -> None:
        for prop, allowed in ENUM_PROPS.items():
            attr = self.properties.get(prop)
            if isinstance(attr, StringAttr) and attr.data not in allowed:
                raise VerifyException(
                    f"{prop} must be one of {', '.join(allowed)}, "
                    f"got \"{attr.data}\""
                )
        for value in (*self.operands, *self.results):
            ty = value.type
            if isinstance(ty, TensorType) and not is_tflite_element_type(ty.element_type):
                raise VerifyException(
                    "has no TFLite tensor type for element type "
                    f"{ty.element_type}"
                )


class UnaryOp(TFLOp):
    """A TFLite elementwise op `y = f(x)`."""

    x = operand_def(TensorType)
    y = result_def(TensorType)
    traits = traits_def(Pure())


class BinaryOp(TFLOp):
    """A TFLite binary op with broadcasting.

    Prints `tfl.add %a, %b {...} : tensor<..>` when all types are equal and the
    generic form otherwise; both forms parse.
    """

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())

    def has_uniform_types(self) -> bool:
        """Whether operands and result share one type (short form printable)."""
        return self.lhs.type == self.rhs.type == self.output.type

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.lhs)
        printer.print_string(", ")
        printer.print_operand(self.rhs)
        printer.print_op_attributes(
            {**self.properties, **self.attributes}, print_keyword=False
        )
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
        return cls.create(
            operands=operands, result_types=[ty], properties=props, attributes=other
        )


class FusedBinaryOp(BinaryOp):
    """A TFLite binary op with a fused activation."""

    fused_activation_function = prop_def(StringAttr)


# ----------------------------------------------------------------------------
# Constants
# ----------------------------------------------------------------------------


@irdl_op_definition
class ConstOp(TFLOp):
    """`tfl.pseudo_const`: a constant tensor, written as a buffer."""

    name = "tfl.pseudo_const"
    value = prop_def(Attribute)
    output = result_def(TensorType)
    traits = traits_def(Pure(), ConstantLike())

    def __init__(self, value: Attribute):
        super().__init__(properties={"value": value}, result_types=[value.type])  # type: ignore[attr-defined]

    def verify_(self) -> None:
        super().verify_()
        value_type = getattr(self.value, "type", None)
        if value_type != self.output.type:
            raise VerifyException(
                f"value type {value_type} does not match "
                f"result type {self.output.type}"
            )


@irdl_op_definition
class NoValueOp(TFLOp):
    """`tfl.no_value`: an absent optional operand (e.g. fully_connected without bias)."""

    name = "tfl.no_value"
    value = prop_def(UnitAttr)
    none_val = result_def(NoneType)
    traits = traits_def(Pure(), ConstantLike())

    def __init__(self):
        super().__init__(properties={"value": UnitAttr()}, result_types=[NoneType()])


# ----------------------------------------------------------------------------
# Elementwise
# ----------------------------------------------------------------------------


@irdl_op_definition
class AddOp(FusedBinaryOp):
    name = "tfl.add"


@irdl_op_definition
class SubOp(FusedBinaryOp):
    name = "tfl.sub"


@irdl_op_definition
class MulOp(FusedBinaryOp):
    name = "tfl.mul"


@irdl_op_definition
class DivOp(FusedBinaryOp):
    name = "tfl.div"


@irdl_op_definition
class PowOp(BinaryOp):
    name = "tfl.pow"


@irdl_op_definition
class MaximumOp(BinaryOp):
    name = "tfl.maximum"


@irdl_op_definition
class MinimumOp(BinaryOp):
    name = "tfl.minimum"


@irdl_op_definition
class NegOp(UnaryOp):
    name = "tfl.neg"


@irdl_op_definition
class SquareOp(UnaryOp):
    name = "tfl.square"


@irdl_op_definition
class SqrtOp(UnaryOp):
    name = "tfl.sqrt"


@irdl_op_definition
class RsqrtOp(UnaryOp):
    name = "tfl.rsqrt"


@irdl_op_definition
class ExpOp(UnaryOp):
    name = "tfl.exp"


@irdl_op_definition
class LogOp(UnaryOp):
    name = "tfl.log"


@irdl_op_definition
class TanhOp(UnaryOp):
    name = "tfl.tanh"


@irdl_op_definition
class LogisticOp(UnaryOp):
    name = "tfl.logistic"


@irdl_op_definition
class ReluOp(UnaryOp):
    name = "tfl.relu"


@irdl_op_definition
class Relu6Op(UnaryOp):
    name = "tfl.relu6"


@irdl_op_definition
class CastOp(UnaryOp):
    name = "tfl.cast"


@irdl_op_definition
class SoftmaxOp(TFLOp):
    name = "tfl.softmax"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    beta = prop_def(FloatAttr)
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# Linear algebra
# ----------------------------------------------------------------------------


@irdl_op_definition
class FullyConnectedOp(TFLOp):
    """`tfl.fully_connected`: output = input x filter^T + bias (filter is [out, in])."""

    name = "tfl.fully_connected"
    input = operand_def(TensorType)
    filter = operand_def(TensorType)
    bias = operand_def(TensorType | NoneType)
    output = result_def(TensorType)
    fused_activation_function = prop_def(StringAttr)
    weights_format = prop_def(StringAttr)
    keep_num_dims = prop_def(BoolAttr)
    asymmetric_quantize_inputs = opt_prop_def(BoolAttr)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        super().verify_()
        filter_type = self.filter.type
        assert isinstance(filter_type, TensorType)
        if filter_type.get_num_dims() != 2:
            raise VerifyException("filter must be a 2-D tensor")


@irdl_op_definition
class BatchMatMulOp(TFLOp):
    name = "tfl.batch_matmul"
    x = operand_def(TensorType)
    y = operand_def(TensorType)
    output = result_def(TensorType)
    adj_x = prop_def(BoolAttr)
    adj_y = prop_def(BoolAttr)
    asymmetric_quantize_inputs = opt_prop_def(BoolAttr)
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# Shape
# ----------------------------------------------------------------------------


@irdl_op_definition
class ReshapeOp(TFLOp):
    name = "tfl.reshape"
    input = operand_def(TensorType)
    shape = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class TransposeOp(TFLOp):
    name = "tfl.transpose"
    input = operand_def(TensorType)
    perm = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class ConcatenationOp(TFLOp):
    name = "tfl.concatenation"
    values = var_operand_def(TensorType)
    output = result_def(TensorType)
    axis = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(StringAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class PackOp(TFLOp):
    name = "tfl.pack"
    values = var_operand_def(TensorType)
    output = result_def(TensorType)
    axis = prop_def(IntegerAttr[IntegerType])
    values_count = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())

    def verify_(self) -> None:
        super().verify_()
        if self.values_count.value.data != len(self.values):
            raise VerifyException(
                f"values_count is {self.values_count.value.data} but there are "
                f"{len(self.values)} operands"
            )


@irdl_op_definition
class ShapeOp(TFLOp):
    """`tfl.shape`: the runtime shape; its result element type is the option's out_type."""

    name = "tfl.shape"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class GatherOp(TFLOp):
    name = "tfl.gather"
    params = operand_def(TensorType)
    indices = operand_def(TensorType)
    output = result_def(TensorType)
    axis = prop_def(IntegerAttr[IntegerType])
    batch_dims = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# Reductions
# ----------------------------------------------------------------------------


class ReducerOp(TFLOp):
    """A TFLite reduction over the axes in its second operand."""

    input = operand_def(TensorType)
    axes = operand_def(TensorType)
    output = result_def(TensorType)
    keep_dims = prop_def(BoolAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class MeanOp(ReducerOp):
    name = "tfl.mean"


@irdl_op_definition
class SumOp(ReducerOp):
    name = "tfl.sum"


@irdl_op_definition
class ReduceProdOp(ReducerOp):
    name = "tfl.reduce_prod"


# ----------------------------------------------------------------------------
# Resource variables
# ----------------------------------------------------------------------------


@irdl_op_definition
class VarHandleOp(TFLOp):
    """`tfl.var_handle`: the handle of the resource variable named `shared_name`."""

    name = "tfl.var_handle"
    resource_handle = result_def(TensorType)
    container = prop_def(StringAttr)
    shared_name = prop_def(StringAttr)


@irdl_op_definition
class ReadVariableOp(TFLOp):
    """`tfl.read_variable`: the current value of a resource variable."""

    name = "tfl.read_variable"
    resource_id = operand_def(TensorType)
    result = result_def(TensorType)


@irdl_op_definition
class AssignVariableOp(TFLOp):
    """`tfl.assign_variable`: store a value in a resource variable."""

    name = "tfl.assign_variable"
    resource_id = operand_def(TensorType)
    value = operand_def(TensorType)


@irdl_op_definition
class CallOnceOp(TFLOp):
    """`tfl.call_once`: run the `session_init_function` subgraph once per interpreter."""

    name = "tfl.call_once"
    session_init_function = prop_def(StringAttr)


VARIABLE_OPS: list[type[Operation]] = [VarHandleOp, ReadVariableOp, AssignVariableOp, CallOnceOp]

TFL_OPS: list[type[Operation]] = [
    *VARIABLE_OPS,
    ConstOp,
    NoValueOp,
    AddOp,
    SubOp,
    MulOp,
    DivOp,
    PowOp,
    MaximumOp,
    MinimumOp,
    NegOp,
    SquareOp,
    SqrtOp,
    RsqrtOp,
    ExpOp,
    LogOp,
    TanhOp,
    LogisticOp,
    ReluOp,
    Relu6Op,
    CastOp,
    SoftmaxOp,
    FullyConnectedOp,
    BatchMatMulOp,
    ReshapeOp,
    TransposeOp,
    ConcatenationOp,
    MeanOp,
    SumOp,
    ReduceProdOp,
    PackOp,
    ShapeOp,
    GatherOp,
]

TFL = Dialect("tfl", TFL_OPS, [])

# The BuiltinOptions table each op writes; its fields are the op's properties in
# camelCase. Ops not listed write no options.
BUILTIN_OPTIONS: dict[str, str] = {
    "tfl.add": "AddOptions",
    "tfl.sub": "SubOptions",
    "tfl.mul": "MulOptions",
    "tfl.div": "DivOptions",
    "tfl.pow": "PowOptions",
    "tfl.maximum": "MaximumMinimumOptions",
    "tfl.minimum": "MaximumMinimumOptions",
    "tfl.neg": "NegOptions",
    "tfl.square": "SquareOptions",
    "tfl.exp": "ExpOptions",
    "tfl.softmax": "SoftmaxOptions",
    "tfl.fully_connected": "FullyConnectedOptions",
    "tfl.batch_matmul": "BatchMatMulOptions",
    "tfl.transpose": "TransposeOptions",
    "tfl.concatenation": "ConcatenationOptions",
    "tfl.mean": "ReducerOptions",
    "tfl.sum": "ReducerOptions",
    "tfl.reduce_prod": "ReducerOptions",
    "tfl.pack": "PackOptions",
    "tfl.shape": "ShapeOptions",
    "tfl.gather": "GatherOptions",
}

BUILTIN_OPTIONS.update(
    {
        "tfl.var_handle": "VarHandleOptions",
        "tfl.read_variable": "ReadVariableOptions",
        "tfl.assign_variable": "AssignVariableOptions",
        "tfl.call_once": "CallOnceOptions",
    }
)

# BuiltinOperator names that are not the upper-cased op name.
BUILTIN_CODES: dict[str, str] = {}


def builtin_code(op_name: str) -> str:
    """The TFLite BuiltinOperator name of a tfl op (`tfl.fully_connected` -> FULLY_CONNECTED)."""
    return BUILTIN_CODES.get(op_name) or op_name.removeprefix("tfl.").upper()



def i32_attr(value: int) -> IntegerAttr:
    """An i32 attribute, as TFLite's integer options are."""
    return IntegerAttr(value, i32)
