"""The `tf` dialect (TensorFlow graph ops) and the `tf_type` dialect of TF element types.

Ops use MLIR's generic form exactly as TensorFlow's tools write it, e.g.
`"tf.AddV2"(%a, %b) {T = "tfdtype$DT_FLOAT"} : (...) -> ...`. TF attributes stay in
the op's attribute dictionary, as TensorFlow writes them. `tf.*` ops that are not
registered here still parse (see `tflc.dialects.TflcContext`) so that passes can
name them in their reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    BytesAttr,
    IntegerAttr,
    NoneType,
    StringAttr,
    TensorType,
    UnrankedTensorType,
    UnregisteredOp,
)
from xdsl.ir import (
    Attribute,
    Dialect,
    Operation,
    ParametrizedAttribute,
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
    opt_attr_def,
    attr_def,
    base,
    param_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

# ----------------------------------------------------------------------------
# tf_type: element types TensorFlow adds to MLIR
# ----------------------------------------------------------------------------


@irdl_attr_definition
class StringType(ParametrizedAttribute, TypeAttribute):
    """`!tf_type.string`: a TF string element (variable-length bytes)."""

    name = "tf_type.string"


class _SubtypedType(ParametrizedAttribute, TypeAttribute):
    """A tf_type element with an optional `<tensor<...>, ...>` subtype list."""

    subtypes: ArrayAttr = param_def()

    def __init__(self, subtypes: Sequence[Attribute] = ()):
        super().__init__(ArrayAttr(subtypes))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        """Parse the optional `<tensor<...>, ...>` subtype list."""
        types = parser.parse_optional_comma_separated_list(
            parser.Delimiter.ANGLE, parser.parse_type
        )
        return (ArrayAttr(types or ()),)

    def print_parameters(self, printer: Printer) -> None:
        """Print the subtype list only when there is one."""
        if self.subtypes.data:
            with printer.in_angle_brackets():
                printer.print_list(self.subtypes.data, printer.print_attribute)


@irdl_attr_definition
class VariantType(_SubtypedType):
    """`!tf_type.variant` or `!tf_type.variant<tensor<2xf32>>`: a TF variant element
    (tensor lists, datasets, ...), with the types it holds when TF knows them."""

    name = "tf_type.variant"


@irdl_attr_definition
class ResourceType(_SubtypedType):
    """`!tf_type.resource` or `!tf_type.resource<tensor<f32>>`: a handle to a variable."""

    name = "tf_type.resource"


def _simple_type(type_name: str, doc: str) -> type[ParametrizedAttribute]:
    """A parameterless `!tf_type.<name>` element type."""
    cls = type(
        f"TF_{type_name}_Type",
        (ParametrizedAttribute, TypeAttribute),
        {"name": f"tf_type.{type_name}", "__doc__": doc, "__module__": __name__},
    )
    return irdl_attr_definition(cls)


QUANTIZED_TYPES = [
    _simple_type(n, f"`!tf_type.{n}`: TF's legacy quantized element type.")
    for n in ("qint8", "qint16", "qint32", "quint8", "quint16")
]
REF_TYPES = [
    _simple_type(n, f"`!tf_type.{n}`: a TF1 reference (`*_REF`) element type.")
    for n in (
        "f16ref", "f32ref", "f64ref", "bf16ref", "int8ref", "int16ref", "int32ref", "int64ref",
        "uint8ref", "uint16ref", "uint32ref", "uint64ref", "boolref", "stringref", "resourceref",
        "variantref", "complex64ref", "complex128ref", "qint8ref", "qint16ref", "qint32ref",
        "quint8ref", "quint16ref",
    )
]


_LEGACY_TYPES = frozenset(QUANTIZED_TYPES + REF_TYPES)


def _compatible_shapes(a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two ranked shapes agree where both dimensions are static."""
    return len(a) == len(b) and all(x == y or x < 0 or y < 0 for x, y in zip(a, b, strict=True))


@irdl_attr_definition
class ShapeAttr(ParametrizedAttribute):
    """`#tf_type.shape<2x?x3>` (ranked) or `#tf_type.shape<*>` (unranked): a TF shape value."""

    name = "tf_type.shape"

    dims: ArrayAttr = param_def()
    """The dims (-1 for unknown); `ranked` says whether the rank is known."""
    ranked: BoolAttr = param_def()

    def __init__(self, dims: Sequence[int] | None):
        super().__init__(
            ArrayAttr([IntegerAttr(d, 64) for d in (dims or ())]), BoolAttr(dims is not None, 1)
        )

    def shape(self) -> list[int] | None:
        """The dims (-1 unknown), or None when the rank is unknown."""
        if not self.ranked.value.data:
            return None
        return [d.value.data for d in self.dims.data]  # type: ignore[attr-defined]

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        """Parse `<*>`, `<>` or `<2x?x3>`."""
        with parser.in_angle_brackets():
            if parser.parse_optional_punctuation("*") is not None:
                dims: list[int] | None = None
            else:
                dims = [-1 if d < 0 else d for d in parser.parse_dimension_list()]
        return (
            ArrayAttr([IntegerAttr(d, 64) for d in (dims or ())]),
            BoolAttr(dims is not None, 1),
        )

    def print_parameters(self, printer: Printer) -> None:
        """Print `<*>` or `<2x?x3>`."""
        dims = self.shape()
        text = "*" if dims is None else "x".join("?" if d < 0 else str(d) for d in dims)
        printer.print_string(f"<{text}>")


@irdl_attr_definition
class FuncAttr(ParametrizedAttribute):
    """`#tf_type.func<@name, {attrs}>`: a function reference with attributes (TF `func` attr)."""

    name = "tf_type.func"

    callee: Attribute = param_def()
    attrs: Attribute = param_def()

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        """Parse `<@name, {attrs}>`."""
        with parser.in_angle_brackets():
            callee = parser.parse_attribute()
            parser.parse_punctuation(",")
            attrs = parser.parse_attribute()
        return (callee, attrs)

    def print_parameters(self, printer: Printer) -> None:
        """Print `<@name, {attrs}>`."""
        with printer.in_angle_brackets():
            printer.print_attribute(self.callee)
            printer.print_string(", ")
            printer.print_attribute(self.attrs)


@irdl_attr_definition
class TensorProtoAttr(ParametrizedAttribute):
    """A constant TF keeps as a serialized TensorProto (strings and other data MLIR's dense
    form cannot hold), written as TensorFlow does: `#tf_type<tensor_proto : "0x..."> :
    tensor<2x!tf_type.string>` (tflc's older `#tf_type.tensor_proto<"0x..." : type>` parses too)."""

    name = "tf_type.tensor_proto"

    data: BytesAttr = param_def(base(BytesAttr))
    type: Attribute = param_def()
    """The tensor type (`none` until the trailing `: type` of TF's spelling is read)."""

    def __init__(self, data: bytes, type: Attribute):
        super().__init__(BytesAttr(data), type)

    def tensor_type(self) -> TensorType:
        """The constant's tensor type."""
        assert isinstance(self.type, TensorType), "tensor_proto attribute without its type"
        return self.type

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        """Parse `<"0x..." : type>` or, inside TF's opaque spelling, `: "0x..."`."""
        if parser.parse_optional_punctuation(":") is not None:
            text = parser.parse_str_literal()
            ty: Attribute = NoneType()
        else:
            with parser.in_angle_brackets():
                text = parser.parse_str_literal()
                parser.parse_punctuation(":")
                ty = parser.parse_type()
        if not text.startswith("0x"):
            parser.raise_error("expected a hex string starting with 0x")
        try:
            data = bytes.fromhex(text[2:])
        except ValueError:
            parser.raise_error("expected a hex string of whole bytes (0x followed by pairs of hex digits)")
        return (BytesAttr(data), ty)

    def print_parameters(self, printer: Printer) -> None:
        """Print `<"0x..." : type>` (tflc's printer writes TF's spelling instead)."""
        with printer.in_angle_brackets():
            printer.print_string(f'"0x{self.data.data.hex().upper()}" : ')
            printer.print_attribute(self.type)


TFType = Dialect(
    "tf_type",
    [],
    [StringType, VariantType, ResourceType, TensorProtoAttr, ShapeAttr, FuncAttr, *QUANTIZED_TYPES, *REF_TYPES],
)

# ----------------------------------------------------------------------------
# tf ops, grouped by family
# ----------------------------------------------------------------------------


def is_tf_element_type(element: Attribute) -> bool:
    """Whether `element` is one of TensorFlow's data types (its legacy quantized and
    reference types included), not an MLIR type TF has no DataType for (`index`, `i4`)."""
    from tflc.tensors import has_tf_dtype  # tflc.tensors imports this module

    return has_tf_dtype(element) or type(element) in _LEGACY_TYPES


@dataclass(frozen=True)
class TFTensor(AttrConstraint):
    """A TF tensor: ranked or unranked (TF graphs may not know a tensor's rank), of one of
    TensorFlow's data types."""

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        """Check that `attr` is a tensor type of a TF element type."""
        if not isinstance(attr, TensorType | UnrankedTensorType):
            raise VerifyException(f"expected a tensor, got {attr}")
        if not is_tf_element_type(attr.element_type):
            raise VerifyException(f"element type {attr.element_type} is not a TensorFlow data type")

    def get_bases(self) -> set[type[Attribute]] | None:
        """The attribute classes this constraint accepts."""
        return {TensorType, UnrankedTensorType}

    def mapping_type_vars(self, type_var_mapping: Mapping[Any, AttrConstraint | IntConstraint]) -> TFTensor:
        """No type variables inside."""
        return self


AnyTensor = TFTensor()
"""The operand/result constraint of tf ops."""


def verify_tf_types(op: Operation) -> None:
    """Check that the tensors an unregistered tf op takes and gives hold TF data types."""
    for kind, values in (("operand", op.operands), ("result", op.results)):
        for index, value in enumerate(values):
            ty = value.type
            if isinstance(ty, TensorType | UnrankedTensorType) and not is_tf_element_type(ty.element_type):
                raise VerifyException(
                    f"{kind} {index} has element type {ty.element_type}, which is not a TensorFlow data type"
                )


class TFOp(IRDLOperation):
    """Base of tf ops: generic format, TF attributes in the attribute dictionary."""


class UnaryOp(TFOp):
    """A tf op `y = f(x)`."""

    x = operand_def(AnyTensor)
    y = result_def(AnyTensor)
    traits = traits_def(Pure())


class BinaryOp(TFOp):
    """A tf op `z = f(x, y)` with TF broadcasting."""

    x = operand_def(AnyTensor)
    y = operand_def(AnyTensor)
    z = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class ConstOp(TFOp):
    """`tf.Const`: a constant tensor in its `value` attribute."""

    name = "tf.Const"
    value = attr_def(Attribute)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())

    def verify_(self) -> None:
        value_type = getattr(self.value, "type", None)
        if not isinstance(value_type, TensorType):
            raise VerifyException(f"value must be a tensor constant, got {self.value}")
        element = value_type.element_type
        result = self.output.type
        assert isinstance(result, TensorType | UnrankedTensorType)
        if result.element_type != element:
            raise VerifyException(f"value type {value_type} does not match result type {result}")
        if isinstance(result, TensorType) and not _compatible_shapes(result.get_shape(), value_type.get_shape()):
            raise VerifyException(f"value type {value_type} does not match result type {result}")


@irdl_op_definition
class IdentityOp(TFOp):
    name = "tf.Identity"
    input = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


# Elementwise binary
@irdl_op_definition
class AddV2Op(BinaryOp):
    name = "tf.AddV2"


@irdl_op_definition
class AddOp(BinaryOp):
    name = "tf.Add"


@irdl_op_definition
class SubOp(BinaryOp):
    name = "tf.Sub"


@irdl_op_definition
class MulOp(BinaryOp):
    name = "tf.Mul"


@irdl_op_definition
class RealDivOp(BinaryOp):
    name = "tf.RealDiv"


@irdl_op_definition
class PowOp(BinaryOp):
    name = "tf.Pow"


@irdl_op_definition
class MaximumOp(BinaryOp):
    name = "tf.Maximum"


@irdl_op_definition
class MinimumOp(BinaryOp):
    name = "tf.Minimum"


# Comparisons: a boolean `z` with the broadcast shape of `x` and `y`
class CompareOp(TFOp):
    """A tf comparison `z = x <op> y` with TF broadcasting and a boolean result."""

    x = operand_def(AnyTensor)
    y = operand_def(AnyTensor)
    z = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class LessOp(CompareOp):
    name = "tf.Less"


@irdl_op_definition
class LessEqualOp(CompareOp):
    name = "tf.LessEqual"


@irdl_op_definition
class GreaterOp(CompareOp):
    name = "tf.Greater"


@irdl_op_definition
class GreaterEqualOp(CompareOp):
    name = "tf.GreaterEqual"


# Elementwise unary
@irdl_op_definition
class NegOp(UnaryOp):
    name = "tf.Neg"


@irdl_op_definition
class SquareOp(UnaryOp):
    name = "tf.Square"


@irdl_op_definition
class SqrtOp(UnaryOp):
    name = "tf.Sqrt"


@irdl_op_definition
class RsqrtOp(UnaryOp):
    name = "tf.Rsqrt"


@irdl_op_definition
class ExpOp(UnaryOp):
    name = "tf.Exp"


@irdl_op_definition
class LogOp(UnaryOp):
    name = "tf.Log"


@irdl_op_definition
class TanhOp(UnaryOp):
    name = "tf.Tanh"


@irdl_op_definition
class SigmoidOp(UnaryOp):
    name = "tf.Sigmoid"


@irdl_op_definition
class ReluOp(UnaryOp):
    name = "tf.Relu"


@irdl_op_definition
class Relu6Op(UnaryOp):
    name = "tf.Relu6"


@irdl_op_definition
class SoftmaxOp(UnaryOp):
    name = "tf.Softmax"


@irdl_op_definition
class CastOp(UnaryOp):
    """`tf.Cast`: element type conversion (`SrcT`, `DstT`, `Truncate` attributes)."""

    name = "tf.Cast"
    Truncate = opt_attr_def(BoolAttr)


# Linear algebra
@irdl_op_definition
class MatMulOp(TFOp):
    name = "tf.MatMul"
    a = operand_def(AnyTensor)
    b = operand_def(AnyTensor)
    product = result_def(AnyTensor)
    transpose_a = opt_attr_def(BoolAttr)
    transpose_b = opt_attr_def(BoolAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class BatchMatMulV2Op(TFOp):
    name = "tf.BatchMatMulV2"
    x = operand_def(AnyTensor)
    y = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    adj_x = opt_attr_def(BoolAttr)
    adj_y = opt_attr_def(BoolAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class BiasAddOp(TFOp):
    name = "tf.BiasAdd"
    value = operand_def(AnyTensor)
    bias = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    data_format = opt_attr_def(StringAttr)
    traits = traits_def(Pure())


# Shape
@irdl_op_definition
class ReshapeOp(TFOp):
    name = "tf.Reshape"
    tensor = operand_def(AnyTensor)
    shape = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class TransposeOp(TFOp):
    name = "tf.Transpose"
    x = operand_def(AnyTensor)
    perm = operand_def(AnyTensor)
    y = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class ConcatV2Op(TFOp):
    name = "tf.ConcatV2"
    values = var_operand_def(AnyTensor)
    axis = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class PackOp(TFOp):
    """`tf.Pack`: stack N tensors along a new `axis`."""

    name = "tf.Pack"
    values = var_operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class ShapeOp(TFOp):
    """`tf.Shape`: the runtime shape of a tensor (`out_type` int32 or int64)."""

    name = "tf.Shape"
    input = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class GatherV2Op(TFOp):
    """`tf.GatherV2`: gather slices of `params` along `axis` (`batch_dims` attribute)."""

    name = "tf.GatherV2"
    params = operand_def(AnyTensor)
    indices = operand_def(AnyTensor)
    axis = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


# Reductions
class ReductionOp(TFOp):
    """A tf reduction over `reduction_indices`, keeping dims when `keep_dims`."""

    input = operand_def(AnyTensor)
    reduction_indices = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    keep_dims = opt_attr_def(BoolAttr)
    traits = traits_def(Pure())


@irdl_op_definition
class MeanOp(ReductionOp):
    name = "tf.Mean"


@irdl_op_definition
class SumOp(ReductionOp):
    name = "tf.Sum"


@irdl_op_definition
class ProdOp(ReductionOp):
    name = "tf.Prod"



# More of the elementwise, comparison and reduction families. Frozen GraphDefs carry no
# `_output_shapes`: being typed by family lets tf-shape-inference give them shapes.


@irdl_op_definition
class SinOp(UnaryOp):
    name = "tf.Sin"


@irdl_op_definition
class CosOp(UnaryOp):
    name = "tf.Cos"


@irdl_op_definition
class AbsOp(UnaryOp):
    name = "tf.Abs"


@irdl_op_definition
class FloorOp(UnaryOp):
    name = "tf.Floor"


@irdl_op_definition
class CeilOp(UnaryOp):
    name = "tf.Ceil"


@irdl_op_definition
class RoundOp(UnaryOp):
    name = "tf.Round"


@irdl_op_definition
class SignOp(UnaryOp):
    name = "tf.Sign"


@irdl_op_definition
class EluOp(UnaryOp):
    name = "tf.Elu"


@irdl_op_definition
class LogSoftmaxOp(UnaryOp):
    name = "tf.LogSoftmax"


@irdl_op_definition
class LogicalNotOp(UnaryOp):
    name = "tf.LogicalNot"


@irdl_op_definition
class SquaredDifferenceOp(BinaryOp):
    name = "tf.SquaredDifference"


@irdl_op_definition
class FloorDivOp(BinaryOp):
    name = "tf.FloorDiv"


@irdl_op_definition
class FloorModOp(BinaryOp):
    name = "tf.FloorMod"


@irdl_op_definition
class LogicalAndOp(BinaryOp):
    name = "tf.LogicalAnd"


@irdl_op_definition
class LogicalOrOp(BinaryOp):
    name = "tf.LogicalOr"


@irdl_op_definition
class EqualOp(CompareOp):
    name = "tf.Equal"


@irdl_op_definition
class NotEqualOp(CompareOp):
    name = "tf.NotEqual"


@irdl_op_definition
class MaxOp(ReductionOp):
    name = "tf.Max"


@irdl_op_definition
class MinOp(ReductionOp):
    name = "tf.Min"


@irdl_op_definition
class AnyOp(ReductionOp):
    name = "tf.Any"


@irdl_op_definition
class AllOp(ReductionOp):
    name = "tf.All"



# Convolutions, pooling, normalization and shape manipulation, with named operands so that
# tf-shape-inference can type them (frozen GraphDefs carry no `_output_shapes`).
@irdl_op_definition
class Conv2DOp(TFOp):
    """`tf.Conv2D`: NHWC input, HWIO filter (`strides`, `padding`, `dilations`, `data_format`)."""

    name = "tf.Conv2D"
    input = operand_def(AnyTensor)
    filter = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class DepthwiseConv2dNativeOp(TFOp):
    """`tf.DepthwiseConv2dNative`: NHWC input, HWC-multiplier filter."""

    name = "tf.DepthwiseConv2dNative"
    input = operand_def(AnyTensor)
    filter = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


class PoolOp(TFOp):
    """A tf 2-D pooling over `ksize` windows (`strides`, `padding`, `data_format`)."""

    input = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class MaxPoolOp(PoolOp):
    name = "tf.MaxPool"


@irdl_op_definition
class AvgPoolOp(PoolOp):
    name = "tf.AvgPool"


class FusedBatchNormBase(TFOp):
    """A tf fused batch norm: `y` has the shape of `x`; the statistics that of `scale`."""

    x = operand_def(AnyTensor)
    scale = operand_def(AnyTensor)
    offset = operand_def(AnyTensor)
    mean = operand_def(AnyTensor)
    variance = operand_def(AnyTensor)
    outputs = var_result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class FusedBatchNormOp(FusedBatchNormBase):
    name = "tf.FusedBatchNorm"


@irdl_op_definition
class FusedBatchNormV3Op(FusedBatchNormBase):
    name = "tf.FusedBatchNormV3"


@irdl_op_definition
class ExpandDimsOp(TFOp):
    name = "tf.ExpandDims"
    input = operand_def(AnyTensor)
    dim = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class SqueezeOp(TFOp):
    """`tf.Squeeze`: drop the size-1 dims in `squeeze_dims` (all of them if empty)."""

    name = "tf.Squeeze"
    input = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class PadOp(TFOp):
    name = "tf.Pad"
    input = operand_def(AnyTensor)
    paddings = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class MirrorPadOp(TFOp):
    name = "tf.MirrorPad"
    input = operand_def(AnyTensor)
    paddings = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class PadV2Op(TFOp):
    name = "tf.PadV2"
    input = operand_def(AnyTensor)
    paddings = operand_def(AnyTensor)
    constant_values = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class SliceOp(TFOp):
    name = "tf.Slice"
    input = operand_def(AnyTensor)
    begin = operand_def(AnyTensor)
    size = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class StridedSliceOp(TFOp):
    """`tf.StridedSlice` (`begin_mask`, `end_mask`, `shrink_axis_mask`, ... attributes)."""

    name = "tf.StridedSlice"
    input = operand_def(AnyTensor)
    begin = operand_def(AnyTensor)
    end = operand_def(AnyTensor)
    strides = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class SelectV2Op(TFOp):
    """`tf.SelectV2`: `condition ? t : e` with broadcasting of all three."""

    name = "tf.SelectV2"
    condition = operand_def(AnyTensor)
    t = operand_def(AnyTensor)
    e = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class TileOp(TFOp):
    name = "tf.Tile"
    input = operand_def(AnyTensor)
    multiples = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class FillOp(TFOp):
    name = "tf.Fill"
    dims = operand_def(AnyTensor)
    value = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


class ResizeOp(TFOp):
    """A tf image resize of NHWC `images` to `size` = [height, width]."""

    images = operand_def(AnyTensor)
    size = operand_def(AnyTensor)
    resized_images = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class ResizeBilinearOp(ResizeOp):
    name = "tf.ResizeBilinear"


@irdl_op_definition
class ResizeNearestNeighborOp(ResizeOp):
    name = "tf.ResizeNearestNeighbor"


# Complex numbers and real FFTs (typed so that tf-shape-inference gives them shapes).


@irdl_op_definition
class ComplexAbsOp(UnaryOp):
    name = "tf.ComplexAbs"


@irdl_op_definition
class RealOp(UnaryOp):
    name = "tf.Real"


@irdl_op_definition
class ImagOp(UnaryOp):
    name = "tf.Imag"


class RealFFTOp(TFOp):
    """A tf FFT of a real signal over its innermost dims, each cropped or zero-padded to `fft_length`."""

    input = operand_def(AnyTensor)
    fft_length = operand_def(AnyTensor)
    output = result_def(AnyTensor)
    traits = traits_def(Pure())


@irdl_op_definition
class RFFTOp(RealFFTOp):
    name = "tf.RFFT"


@irdl_op_definition
class RFFT2DOp(RealFFTOp):
    name = "tf.RFFT2D"


COMPLEX_OPS: list[type[Operation]] = [ComplexAbsOp, RealOp, ImagOp, RFFTOp, RFFT2DOp]


SHAPED_OPS: list[type[Operation]] = [
    Conv2DOp, DepthwiseConv2dNativeOp, MaxPoolOp, AvgPoolOp, FusedBatchNormOp, FusedBatchNormV3Op, ExpandDimsOp,
    SqueezeOp, PadOp, MirrorPadOp, PadV2Op, SliceOp, StridedSliceOp, SelectV2Op, TileOp, FillOp, ResizeBilinearOp,
    ResizeNearestNeighborOp,
]

FAMILY_OPS: list[type[Operation]] = [
    SinOp, CosOp, AbsOp, FloorOp, CeilOp, RoundOp, SignOp, EluOp, LogSoftmaxOp, LogicalNotOp, SquaredDifferenceOp,
    FloorDivOp, FloorModOp, LogicalAndOp, LogicalOrOp, EqualOp, NotEqualOp, MaxOp, MinOp, AnyOp, AllOp,
]


TF_OPS: list[type[Operation]] = [
    ConstOp,
    IdentityOp,
    AddV2Op,
    AddOp,
    SubOp,
    MulOp,
    RealDivOp,
    PowOp,
    MaximumOp,
    MinimumOp,
    LessOp,
    LessEqualOp,
    GreaterOp,
    GreaterEqualOp,
    NegOp,
    SquareOp,
    SqrtOp,
    RsqrtOp,
    ExpOp,
    LogOp,
    TanhOp,
    SigmoidOp,
    ReluOp,
    Relu6Op,
    SoftmaxOp,
    CastOp,
    MatMulOp,
    BatchMatMulV2Op,
    BiasAddOp,
    ReshapeOp,
    TransposeOp,
    ConcatV2Op,
    MeanOp,
    SumOp,
    ProdOp,
    PackOp,
    ShapeOp,
    GatherV2Op,
]

TF = Dialect("tf", TF_OPS + FAMILY_OPS + SHAPED_OPS + COMPLEX_OPS, [])


def tf_op_name(op: Operation) -> str:
    """The TF op name of a tf-dialect op, registered or not (`tf.AddV2`)."""
    if isinstance(op, UnregisteredOp):
        return op.op_name.data
    return op.name


def is_tf_op(op: Operation) -> bool:
    """Whether `op` belongs to the tf dialect (registered or not)."""
    return tf_op_name(op).startswith("tf.")


def bool_attr(op: Operation, name: str, default: bool = False) -> bool:
    """Read a TF boolean attribute (`transpose_a = true`) with its default."""
    attr = op.attributes.get(name)
    if isinstance(attr, IntegerAttr):
        return bool(attr.value.data)
    return default


def str_attr(op: Operation, name: str, default: str = "") -> str:
    """Read a TF string attribute (`data_format = "NHWC"`) with its default."""
    attr = op.attributes.get(name)
    if isinstance(attr, StringAttr):
        return attr.data
    return default

