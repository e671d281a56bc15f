"""The `tfl` dialect: TensorFlow Lite builtin ops with TFLite's attribute names and enums.

Each op maps to one TFLite builtin operator: by default the upper-cased op name
(`tfl.fully_connected` -> FULLY_CONNECTED); `BUILTIN_OPTIONS` names the schema's
BuiltinOptions table whose fields are the op's properties in camelCase.
"""

from __future__ import annotations

from xdsl.dialects.builtin import (
    AnyFloat,
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
    var_result_def,
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
    "mode": ("REFLECT", "SYMMETRIC"),
}


def element_type(value: SSAValue | Attribute) -> Attribute:
    """The element type of a tensor value or type."""
    ty = value.type if isinstance(value, SSAValue) else value
    assert isinstance(ty, TensorType)
    return ty.element_type


def is_tflite_element_type(ty: Attribute) -> bool:
    """Whether TFLite has a tensor type for this element type."""
    from tflc.dialects.quant import UniformQuantizedType

    return isinstance(ty, AnyFloat | IntegerType | StringType | ResourceType | UniformQuantizedType)


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
# Convolution and pooling (NHWC activations)
# ----------------------------------------------------------------------------


class _ConvBase(TFLOp):
    """Common operands of TFLite convolutions: input, filter and optional bias."""

    input = operand_def(TensorType)
    filter = operand_def(TensorType)
    bias = operand_def(TensorType | NoneType)
    output = result_def(TensorType)
    padding = prop_def(StringAttr)
    stride_h = prop_def(IntegerAttr[IntegerType])
    stride_w = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(StringAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class Conv2DOp(_ConvBase):
    """`tfl.conv_2d`: NHWC input, OHWI filter, bias [O]."""

    name = "tfl.conv_2d"
    dilation_h_factor = prop_def(IntegerAttr[IntegerType])
    dilation_w_factor = prop_def(IntegerAttr[IntegerType])


@irdl_op_definition
class DepthwiseConv2DOp(_ConvBase):
    """`tfl.depthwise_conv_2d`: NHWC input, filter [1, H, W, Cin * multiplier]."""

    name = "tfl.depthwise_conv_2d"
    dilation_h_factor = prop_def(IntegerAttr[IntegerType])
    dilation_w_factor = prop_def(IntegerAttr[IntegerType])
    depth_multiplier = prop_def(IntegerAttr[IntegerType])


@irdl_op_definition
class Conv3DOp(_ConvBase):
    """`tfl.conv_3d`: NDHWC input, DHWIO filter, bias [O]."""

    name = "tfl.conv_3d"
    stride_d = prop_def(IntegerAttr[IntegerType])
    dilation_d_factor = prop_def(IntegerAttr[IntegerType])
    dilation_h_factor = prop_def(IntegerAttr[IntegerType])
    dilation_w_factor = prop_def(IntegerAttr[IntegerType])


@irdl_op_definition
class TransposeConvOp(TFLOp):
    """`tfl.transpose_conv`: output_shape, OHWI weights, NHWC input, optional bias."""

    name = "tfl.transpose_conv"
    output_shape = operand_def(TensorType)
    weights = operand_def(TensorType)
    input = operand_def(TensorType)
    bias = operand_def(TensorType | NoneType)
    output = result_def(TensorType)
    padding = prop_def(StringAttr)
    stride_h = prop_def(IntegerAttr[IntegerType])
    stride_w = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(StringAttr)
    traits = traits_def(Pure())


class _Pool2DOp(TFLOp):
    input = operand_def(TensorType)
    output = result_def(TensorType)
    padding = prop_def(StringAttr)
    stride_h = prop_def(IntegerAttr[IntegerType])
    stride_w = prop_def(IntegerAttr[IntegerType])
    filter_height = prop_def(IntegerAttr[IntegerType])
    filter_width = prop_def(IntegerAttr[IntegerType])
    fused_activation_function = prop_def(StringAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class MaxPool2DOp(_Pool2DOp):
    name = "tfl.max_pool_2d"


@irdl_op_definition
class AveragePool2DOp(_Pool2DOp):
    name = "tfl.average_pool_2d"


# ----------------------------------------------------------------------------
# More elementwise ops, comparisons and logic
# ----------------------------------------------------------------------------


def _unary(op_name: str) -> type[Operation]:
    return irdl_op_definition(type(op_name.split(".")[1].title().replace("_", "") + "Op", (UnaryOp,), {"name": op_name}))


def _binary(op_name: str) -> type[Operation]:
    return irdl_op_definition(type(op_name.split(".")[1].title().replace("_", "") + "Op", (BinaryOp,), {"name": op_name}))


AbsOp = _unary("tfl.abs")
FloorOp = _unary("tfl.floor")
CeilOp = _unary("tfl.ceil")
RoundOp = _unary("tfl.round")
SignOp = _unary("tfl.sign")
SinOp = _unary("tfl.sin")
CosOp = _unary("tfl.cos")
EluOp = _unary("tfl.elu")
HardSwishOp = _unary("tfl.hard_swish")
LogSoftmaxOp = _unary("tfl.log_softmax")
LogicalNotOp = _unary("tfl.logical_not")
ZerosLikeOp = _unary("tfl.zeros_like")

SquaredDifferenceOp = _binary("tfl.squared_difference")
FloorDivOp = _binary("tfl.floor_div")
FloorModOp = _binary("tfl.floor_mod")
EqualOp = _binary("tfl.equal")
NotEqualOp = _binary("tfl.not_equal")
LessOp = _binary("tfl.less")
LessEqualOp = _binary("tfl.less_equal")
GreaterOp = _binary("tfl.greater")
GreaterEqualOp = _binary("tfl.greater_equal")
LogicalAndOp = _binary("tfl.logical_and")
LogicalOrOp = _binary("tfl.logical_or")


@irdl_op_definition
class LeakyReluOp(TFLOp):
    name = "tfl.leaky_relu"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    alpha = prop_def(FloatAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class GeluOp(TFLOp):
    """`tfl.gelu`: exact (erf) or tanh-approximated GELU."""

    name = "tfl.gelu"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    approximate = prop_def(BoolAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class PReluOp(TFLOp):
    name = "tfl.prelu"
    input = operand_def(TensorType)
    alpha = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class AddNOp(TFLOp):
    name = "tfl.add_n"
    inputs = var_operand_def(TensorType)
    sum = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class SelectOp(TFLOp):
    """`tfl.select`: condition of the same shape as the values, or a vector over dim 0."""

    name = "tfl.select"
    condition = operand_def(TensorType)
    x = operand_def(TensorType)
    y = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class SelectV2Op(TFLOp):
    """`tfl.select_v2`: broadcasting select."""

    name = "tfl.select_v2"
    condition = operand_def(TensorType)
    x = operand_def(TensorType)
    y = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# More reductions and scans
# ----------------------------------------------------------------------------


@irdl_op_definition
class ReduceMaxOp(ReducerOp):
    name = "tfl.reduce_max"


@irdl_op_definition
class ReduceMinOp(ReducerOp):
    name = "tfl.reduce_min"


@irdl_op_definition
class ReduceAnyOp(ReducerOp):
    name = "tfl.reduce_any"


@irdl_op_definition
class ReduceAllOp(ReducerOp):
    name = "tfl.reduce_all"


class _ArgOp(TFLOp):
    """Index of the max/min along `dim`; the result type gives output_type."""

    input = operand_def(TensorType)
    dim = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class ArgMaxOp(_ArgOp):
    name = "tfl.arg_max"


@irdl_op_definition
class ArgMinOp(_ArgOp):
    name = "tfl.arg_min"


@irdl_op_definition
class TopKV2Op(TFLOp):
    name = "tfl.topk_v2"
    input = operand_def(TensorType)
    k = operand_def(TensorType)
    values = result_def(TensorType)
    indices = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class CumsumOp(TFLOp):
    name = "tfl.cumsum"
    input = operand_def(TensorType)
    axis = operand_def(TensorType)
    output = result_def(TensorType)
    exclusive = prop_def(BoolAttr)
    reverse = prop_def(BoolAttr)
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# More shape ops: padding, slicing, splitting, tiling, gather/scatter
# ----------------------------------------------------------------------------


@irdl_op_definition
class PadOp(TFLOp):
    name = "tfl.pad"
    input = operand_def(TensorType)
    padding = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class PadV2Op(TFLOp):
    name = "tfl.padv2"
    input = operand_def(TensorType)
    padding = operand_def(TensorType)
    constant_values = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class MirrorPadOp(TFLOp):
    name = "tfl.mirror_pad"
    input = operand_def(TensorType)
    pad = operand_def(TensorType)
    output = result_def(TensorType)
    mode = prop_def(StringAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class SqueezeOp(TFLOp):
    name = "tfl.squeeze"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    squeeze_dims = prop_def(ArrayAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class ExpandDimsOp(TFLOp):
    name = "tfl.expand_dims"
    input = operand_def(TensorType)
    dim = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class SliceOp(TFLOp):
    name = "tfl.slice"
    input = operand_def(TensorType)
    begin = operand_def(TensorType)
    size = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class StridedSliceOp(TFLOp):
    name = "tfl.strided_slice"
    input = operand_def(TensorType)
    begin = operand_def(TensorType)
    end = operand_def(TensorType)
    strides = operand_def(TensorType)
    output = result_def(TensorType)
    begin_mask = prop_def(IntegerAttr[IntegerType])
    end_mask = prop_def(IntegerAttr[IntegerType])
    ellipsis_mask = prop_def(IntegerAttr[IntegerType])
    new_axis_mask = prop_def(IntegerAttr[IntegerType])
    shrink_axis_mask = prop_def(IntegerAttr[IntegerType])
    offset = prop_def(BoolAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class SplitOp(TFLOp):
    name = "tfl.split"
    split_dim = operand_def(TensorType)
    value = operand_def(TensorType)
    outputs = var_result_def(TensorType)
    num_splits = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())


@irdl_op_definition
class SplitVOp(TFLOp):
    name = "tfl.split_v"
    value = operand_def(TensorType)
    size_splits = operand_def(TensorType)
    split_dim = operand_def(TensorType)
    outputs = var_result_def(TensorType)
    num_splits = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())


@irdl_op_definition
class UnpackOp(TFLOp):
    name = "tfl.unpack"
    input = operand_def(TensorType)
    outputs = var_result_def(TensorType)
    num = prop_def(IntegerAttr[IntegerType])
    axis = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())


@irdl_op_definition
class TileOp(TFLOp):
    name = "tfl.tile"
    input = operand_def(TensorType)
    multiples = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class BroadcastToOp(TFLOp):
    name = "tfl.broadcast_to"
    input = operand_def(TensorType)
    shape = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class GatherNdOp(TFLOp):
    name = "tfl.gather_nd"
    params = operand_def(TensorType)
    indices = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class ScatterNdOp(TFLOp):
    name = "tfl.scatter_nd"
    indices = operand_def(TensorType)
    updates = operand_def(TensorType)
    shape = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class ReverseV2Op(TFLOp):
    name = "tfl.reverse_v2"
    input = operand_def(TensorType)
    axis = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


class _ResizeOp(TFLOp):
    input = operand_def(TensorType)
    size = operand_def(TensorType)
    output = result_def(TensorType)
    align_corners = prop_def(BoolAttr)
    half_pixel_centers = prop_def(BoolAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class ResizeBilinearOp(_ResizeOp):
    name = "tfl.resize_bilinear"


@irdl_op_definition
class ResizeNearestNeighborOp(_ResizeOp):
    name = "tfl.resize_nearest_neighbor"


class _BlockOp(TFLOp):
    input = operand_def(TensorType)
    output = result_def(TensorType)
    block_size = prop_def(IntegerAttr[IntegerType])
    traits = traits_def(Pure())


@irdl_op_definition
class DepthToSpaceOp(_BlockOp):
    name = "tfl.depth_to_space"


@irdl_op_definition
class SpaceToDepthOp(_BlockOp):
    name = "tfl.space_to_depth"


@irdl_op_definition
class SpaceToBatchNdOp(TFLOp):
    name = "tfl.space_to_batch_nd"
    input = operand_def(TensorType)
    block_shape = operand_def(TensorType)
    paddings = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class BatchToSpaceNdOp(TFLOp):
    name = "tfl.batch_to_space_nd"
    input = operand_def(TensorType)
    block_shape = operand_def(TensorType)
    indices = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class RangeOp(TFLOp):
    name = "tfl.range"
    start = operand_def(TensorType)
    limit = operand_def(TensorType)
    delta = operand_def(TensorType)
    result = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class FillOp(TFLOp):
    name = "tfl.fill"
    dims = operand_def(TensorType)
    input = operand_def(TensorType)
    result = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class RankOp(TFLOp):
    name = "tfl.rank"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class DynamicUpdateSliceOp(TFLOp):
    """`tfl.dynamic_update_slice`: `operand` with `update` written at `start_indices`."""

    name = "tfl.dynamic_update_slice"
    operand = operand_def(TensorType)
    update = operand_def(TensorType)
    start_indices = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


# ----------------------------------------------------------------------------
# Control flow: bodies are functions of the module, exported as subgraphs
# ----------------------------------------------------------------------------


@irdl_op_definition
class WhileOp(TFLOp):
    """`tfl.while`: loop `body` while `cond` holds; both are functions over all loop values."""

    name = "tfl.while"
    input = var_operand_def(TensorType)
    output = var_result_def(TensorType)
    cond = prop_def(SymbolRefAttr)
    body = prop_def(SymbolRefAttr)


@irdl_op_definition
class IfOp(TFLOp):
    """`tfl.if`: call `then_branch` or `else_branch` (functions) on the inputs."""

    name = "tfl.if"
    cond = operand_def(TensorType)
    input = var_operand_def(TensorType)
    output = var_result_def(TensorType)
    then_branch = prop_def(SymbolRefAttr)
    else_branch = prop_def(SymbolRefAttr)


CONTROL_FLOW_SUBGRAPHS: dict[str, dict[str, str]] = {
    "tfl.while": {"cond": "condSubgraphIndex", "body": "bodySubgraphIndex"},
    "tfl.if": {"then_branch": "thenSubgraphIndex", "else_branch": "elseSubgraphIndex"},
}
"""For each control-flow op: its function properties and the options field holding their subgraph index."""


NN_OPS: list[type[Operation]] = [
    Conv2DOp, DepthwiseConv2DOp, Conv3DOp, TransposeConvOp, MaxPool2DOp, AveragePool2DOp,
    AbsOp, FloorOp, CeilOp, RoundOp, SignOp, SinOp, CosOp, EluOp, HardSwishOp, LogSoftmaxOp,
    LogicalNotOp, ZerosLikeOp, SquaredDifferenceOp, FloorDivOp, FloorModOp, EqualOp, NotEqualOp,
    LessOp, LessEqualOp, GreaterOp, GreaterEqualOp, LogicalAndOp, LogicalOrOp, LeakyReluOp,
    GeluOp, PReluOp, AddNOp, SelectOp, SelectV2Op, ReduceMaxOp, ReduceMinOp, ReduceAnyOp,
    ReduceAllOp, ArgMaxOp, ArgMinOp, TopKV2Op, CumsumOp, PadOp, PadV2Op, MirrorPadOp, SqueezeOp,
    ExpandDimsOp, SliceOp, StridedSliceOp, SplitOp, SplitVOp, UnpackOp, TileOp, BroadcastToOp,
    GatherNdOp, ScatterNdOp, ReverseV2Op, ResizeBilinearOp, ResizeNearestNeighborOp,
    DepthToSpaceOp, SpaceToDepthOp, SpaceToBatchNdOp, BatchToSpaceNdOp, RangeOp, FillOp, RankOp,
    DynamicUpdateSliceOp, WhileOp, IfOp,
]
"""The ops of the CNN/transformer legalization (issue 4), registered with the dialect."""

NN_OPTIONS: dict[str, str] = {
    "tfl.conv_2d": "Conv2DOptions",
    "tfl.depthwise_conv_2d": "DepthwiseConv2DOptions",
    "tfl.conv_3d": "Conv3DOptions",
    "tfl.transpose_conv": "TransposeConvOptions",
    "tfl.max_pool_2d": "Pool2DOptions",
    "tfl.average_pool_2d": "Pool2DOptions",
    "tfl.abs": "AbsOptions",
    "tfl.sign": "SignOptions",
    "tfl.cos": "CosOptions",
    "tfl.hard_swish": "HardSwishOptions",
    "tfl.log_softmax": "LogSoftmaxOptions",
    "tfl.logical_not": "LogicalNotOptions",
    "tfl.zeros_like": "ZerosLikeOptions",
    "tfl.squared_difference": "SquaredDifferenceOptions",
    "tfl.floor_div": "FloorDivOptions",
    "tfl.floor_mod": "FloorModOptions",
    "tfl.equal": "EqualOptions",
    "tfl.not_equal": "NotEqualOptions",
    "tfl.less": "LessOptions",
    "tfl.less_equal": "LessEqualOptions",
    "tfl.greater": "GreaterOptions",
    "tfl.greater_equal": "GreaterEqualOptions",
    "tfl.logical_and": "LogicalAndOptions",
    "tfl.logical_or": "LogicalOrOptions",
    "tfl.leaky_relu": "LeakyReluOptions",
    "tfl.gelu": "GeluOptions",
    "tfl.add_n": "AddNOptions",
    "tfl.select": "SelectOptions",
    "tfl.select_v2": "SelectV2Options",
    "tfl.reduce_max": "ReducerOptions",
    "tfl.reduce_min": "ReducerOptions",
    "tfl.reduce_any": "ReducerOptions",
    "tfl.reduce_all": "ReducerOptions",
    "tfl.arg_max": "ArgMaxOptions",
    "tfl.arg_min": "ArgMinOptions",
    "tfl.topk_v2": "TopKV2Options",
    "tfl.cumsum": "CumsumOptions",
    "tfl.pad": "PadOptions",
    "tfl.padv2": "PadV2Options",
    "tfl.mirror_pad": "MirrorPadOptions",
    "tfl.squeeze": "SqueezeOptions",
    "tfl.expand_dims": "ExpandDimsOptions",
    "tfl.slice": "SliceOptions",
    "tfl.strided_slice": "StridedSliceOptions",
    "tfl.split": "SplitOptions",
    "tfl.split_v": "SplitVOptions",
    "tfl.unpack": "UnpackOptions",
    "tfl.tile": "TileOptions",
    "tfl.broadcast_to": "BroadcastToOptions",
    "tfl.gather_nd": "GatherNdOptions",
    "tfl.scatter_nd": "ScatterNdOptions",
    "tfl.reverse_v2": "ReverseV2Options",
    "tfl.resize_bilinear": "ResizeBilinearOptions",
    "tfl.resize_nearest_neighbor": "ResizeNearestNeighborOptions",
    "tfl.depth_to_space": "DepthToSpaceOptions",
    "tfl.space_to_depth": "SpaceToDepthOptions",
    "tfl.space_to_batch_nd": "SpaceToBatchNDOptions",
    "tfl.batch_to_space_nd": "BatchToSpaceNDOptions",
    "tfl.dynamic_update_slice": "DynamicUpdateSliceOptions",
    "tfl.while": "WhileOptions",
    "tfl.if": "IfOptions",
    "tfl.range": "RangeOptions",
    "tfl.fill": "FillOptions",
    "tfl.rank": "RankOptions",
}


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
    *NN_OPS,
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
    **NN_OPTIONS,
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
BUILTIN_CODES: dict[str, str] = {"tfl.padv2": "PADV2", "tfl.topk_v2": "TOPK_V2"}


def builtin_code(op_name: str) -> str:
    """The TFLite BuiltinOperator name of a tfl op (`tfl.fully_connected` -> FULLY_CONNECTED)."""
    return BUILTIN_CODES.get(op_name) or op_name.removeprefix("tfl.").upper()



def i32_attr(value: int) -> IntegerAttr:
    """An i32 attribute, as TFLite's integer options are."""
    return IntegerAttr(value, i32)


# ----------------------------------------------------------------------------
# Quantization (element types from tflc.dialects.quant)
# ----------------------------------------------------------------------------


@irdl_op_definition
class QConstOp(TFLOp):
    """`tfl.pseudo_qconst`: a quantized constant; `value` holds the stored integers."""

    name = "tfl.pseudo_qconst"
    qtype = prop_def(TensorType)
    value = prop_def(DenseIntOrFPElementsAttr)
    output = result_def(TensorType)
    traits = traits_def(Pure(), ConstantLike())

    def __init__(self, qtype: TensorType, value: DenseIntOrFPElementsAttr):
        super().__init__(properties={"qtype": qtype, "value": value}, result_types=[qtype])

    def verify_(self) -> None:
        super().verify_()
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
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


@irdl_op_definition
class DequantizeOp(TFLOp):
    """`tfl.dequantize`: quantized or float16 to float32."""

    name = "tfl.dequantize"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())


TFL_OPS.extend([QConstOp, QuantizeOp, DequantizeOp])  # TFL holds this list


# CUSTOM operators (tfl.custom) live in tfl_custom.py; the TFL dialect holds TFL_OPS.
from tflc.dialects.tfl_custom import CustomOp  # noqa: E402

TFL_OPS.append(CustomOp)
