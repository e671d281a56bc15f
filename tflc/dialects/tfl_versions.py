"""TFLite operator versions of tfl ops, and the minimum runtime version of a model.

A TFLite runtime picks an operator's kernel by the version in its OperatorCode: each
newer kernel feature (int8 or int16 inputs, hybrid weights, per-channel scales,
broadcasting above 4-D, fused activations, keep_num_dims...) has a higher version. A
runtime rejects a version it does not have, and a version too low for the op's types
and options may select a kernel that misruns it. The rules below are TFLite's public facts (LiteRT's
`tflite/converter/tools/versioning/op_version.cc`, `op_signature.cc` and
`runtime_version.cc`), restated per op family and keyed by op class.

A rule sees what TFLite's op signature sees in the exported file:

- element types by their TFLite name, a quantized type by its storage type, and
  `NOTYPE` for an absent optional operand (`tfl.no_value`);
- dims as exported, a dynamic dim as 1;
- quantization scales (per-channel when one scale per channel of the right dim);
- options as written; a property the op does not carry has its schema default.

TensorFlow's exporter writes a QuantizationParameters table on every tensor, float
ones included, so TFLite's "input is quantized" tests (ADD, MUL, ABS) hold for every
model it writes; the rules follow it (`_QUANTIZATION_TABLE_ON_EVERY_TENSOR`).
Branches for element types tflc has no tensor type for (int4, int2, uint4, float8)
are left out.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from xdsl.dialects.builtin import IntegerAttr, TensorType, UnrankedTensorType
from xdsl.ir import Attribute, Operation, SSAValue

from tflc.dialects import tfl
from tflc.dialects.quant import UniformQuantizedType
from tflc.tensors import UnsupportedTypeError, tflite_type_name

Rule = Callable[[Operation], int]

F16, F32, F64 = "FLOAT16", "FLOAT32", "FLOAT64"
BF16 = "BFLOAT16"
I8, I16, I32, I64 = "INT8", "INT16", "INT32", "INT64"
U8, U16, U32 = "UINT8", "UINT16", "UINT32"
BOOL, STRING, COMPLEX64 = "BOOL", "STRING", "COMPLEX64"
NOTYPE = "NOTYPE"

# See the module docstring: TFLite's `input_quantized` tests are true on TF's output.
_QUANTIZATION_TABLE_ON_EVERY_TENSOR = True


# ----------------------------------------------------------------------------
# What a rule sees of an op
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TensorSignature:
    """An operand or result as the exported file describes it."""

    type: str
    dims: tuple[int, ...] = ()
    scales: tuple[float, ...] = ()
    axis: int = 0

    @property
    def rank(self) -> int:
        """The number of dims."""
        return len(self.dims)


_ABSENT = TensorSignature(NOTYPE)


def tensor_signature(value: SSAValue) -> TensorSignature:
    """The TFLite type name, exported dims and quantization scales of a value."""
    ty = value.type
    if isinstance(ty, UnrankedTensorType):
        return TensorSignature(_type_name(ty.element_type))
    if not isinstance(ty, TensorType):
        return _ABSENT
    shape = ty.get_shape()
    dims = tuple(1 if d < 0 else d for d in shape) if min(shape, default=0) < 0 else tuple(shape)
    element = ty.element_type
    if isinstance(element, UniformQuantizedType):
        scales = tuple(element.scale_values)
        return TensorSignature(_type_name(element.storage_type), dims, scales, element.axis or 0)
    return TensorSignature(_type_name(element), dims)


@lru_cache(maxsize=256)
def _type_name(element: Attribute) -> str:
    """The TFLite TensorType name of an element type (NOTYPE if it has none)."""
    try:
        return tflite_type_name(element)
    except UnsupportedTypeError:
        return NOTYPE


def _in(op: Operation, index: int) -> TensorSignature:
    """Operand `index` of an op (absent past the last one)."""
    return tensor_signature(op.operands[index]) if index < len(op.operands) else _ABSENT


def _out(op: Operation, index: int = 0) -> TensorSignature:
    """Result `index` of an op (absent past the last one)."""
    return tensor_signature(op.results[index]) if index < len(op.results) else _ABSENT


def _types(op: Operation) -> tuple[str, str, str]:
    """The types of input 0, input 1 and output 0: the pattern most rules test."""
    return _in(op, 0).type, _in(op, 1).type, _out(op).type


def _prop(op: Operation, name: str, default: bool | int | str) -> bool | int | str:
    """A property as a Python value (bool, int or enum name), else the schema default."""
    attr = op.properties.get(name)
    if attr is None:
        attr = op.attributes.get(name)
    if attr is None:
        return default
    if isinstance(attr, IntegerAttr):
        value = attr.value.data
        return bool(value) if isinstance(default, bool) else value
    data = getattr(attr, "data", default)
    return data.value if isinstance(data, enum.Enum) else data


def _has_activation(op: Operation) -> bool:
    """Whether the op fuses an activation function."""
    return _prop(op, "fused_activation_function", "NONE") != "NONE"


def _broadcasts_above_4d(op: Operation) -> bool:
    """A binary op whose inputs differ in shape and one has more than 4 dims."""
    if len(op.operands) < 2:
        return False
    inputs = [tensor_signature(v) for v in op.operands]
    return inputs[0].dims != inputs[1].dims and max(t.rank for t in inputs) > 4


def _scales_per_dim(tensor: TensorSignature, dim: int) -> bool:
    """Whether a tensor has one quantization scale per index of dim `dim`."""
    if not tensor.scales or not -tensor.rank <= dim < tensor.rank:
        return False
    return tensor.dims[dim] > 0 and len(tensor.scales) == tensor.dims[dim]


def _per_axis(tensor: TensorSignature) -> bool:
    """More than one scale, one per index of the quantized dimension."""
    return len(tensor.scales) > 1 and _scales_per_dim(tensor, tensor.axis)


# ----------------------------------------------------------------------------
# Registration
# ----------------------------------------------------------------------------

_RULES: dict[type[Operation], Rule] = {}


def version_rule(*classes: type[Operation]) -> Callable[[Rule], Rule]:
    """Register a rule as the version rule of the given tfl op classes."""

    def register(rule: Rule) -> Rule:
        for cls in classes:
            if cls in _RULES:
                raise ValueError(f"{cls.name} has two version rules")
            _RULES[cls] = rule
        return rule

    return register


def _by_input_type(classes: Iterable[type[Operation]], versions: dict[str, int], index: int = 0) -> None:
    """Register rules giving `versions[type of input index]`, else 1."""

    def rule(op: Operation) -> int:
        return versions.get(_in(op, index).type, 1)

    version_rule(*classes)(rule)


NOT_OPERATORS: frozenset[type[Operation]] = frozenset({tfl.ConstOp, tfl.QConstOp, tfl.NoValueOp})
"""tfl ops exported as tensors (constants, absent operands), never as operators."""

CUSTOM_OPERATORS: frozenset[type[Operation]] = frozenset({tfl.CustomOp})
"""tfl ops exported as CUSTOM operators: their kernel is named by custom_code, their version is 1."""

def is_version_1_only(cls: type[Operation]) -> bool:
    """An op class without a rule whose BuiltinOperator TFLite has at version 1 only
    (one entry in RUNTIME_VERSIONS), or a custom operator: its version is 1, and it needs nothing here."""
    if cls in CUSTOM_OPERATORS:
        return True
    if cls in _RULES or not issubclass(cls, tfl.TFLOp):
        return False
    return len(RUNTIME_VERSIONS.get(cls.builtin_name(), ())) == 1


def operator_version(op: Operation) -> int:
    """The OperatorCode version TFLite's rules give a tfl op for its types and options."""
    rule = _RULES.get(type(op))
    return 1 if rule is None else rule(op)


def has_version_rule(cls: type[Operation]) -> bool:
    """Whether an op class has a version rule."""
    return cls in _RULES


# ----------------------------------------------------------------------------
# Convolution and pooling
# ----------------------------------------------------------------------------


@version_rule(tfl.Conv2DOp)
def _conv_2d(op: Operation) -> int:
    """int16x8 with a quantized bias 8, grouped 6, int16 4, int8 3, hybrid 2 (per-channel 5)."""
    x, w, y = _types(op)
    if (x, w, y) == (I16, I8, I16) and _prop(op, "quantized_bias_type", 0):
        return 8
    inp, filt = _in(op, 0), _in(op, 1)
    if inp.rank and filt.rank == 4 and inp.rank == 4 and inp.dims[3] != filt.dims[3]:
        return 6
    if (x, w, y) == (I16, I16, I16):
        return 4
    if (x, w, y) == (I8, I8, I8):
        return 3
    if (x, w, y) == (F32, I8, F32):
        return 5 if _scales_per_dim(filt, 0) else 2
    return 1


@version_rule(tfl.DepthwiseConv2DOp)
def _depthwise_conv_2d(op: Operation) -> int:
    """int16 5, hybrid 4 (per-channel 6), int8 3, dilated 2."""
    x, w, y = _types(op)
    if (x, w, y) == (I16, I16, I16):
        return 5
    if (x, w, y) == (F32, I8, F32):
        return 6 if _scales_per_dim(_in(op, 1), 3) else 4
    if (x, w, y) == (I8, I8, I8):
        return 3
    if _prop(op, "dilation_w_factor", 1) != 1 or _prop(op, "dilation_h_factor", 1) != 1:
        return 2
    return 1


@version_rule(tfl.TransposeConvOp)
def _transpose_conv(op: Operation) -> int:
    """Fused activation 4, a bias 3, int8 weights 2 (operands: output_shape, weights, input, bias)."""
    x, w, y = _types(op)
    if (x, w, y) == (I16, I8, I16) and _prop(op, "quantized_bias_type", 0):
        return 5
    if _has_activation(op):
        return 4
    if len(op.operands) == 4 and _in(op, 3).type != NOTYPE:
        return 3
    if w == I8:
        return 2
    return 1


@version_rule(tfl.MaxPool2DOp, tfl.AveragePool2DOp)
def _pool_2d(op: Operation) -> int:
    """int16 3, int8 2."""
    x, _, y = _types(op)
    if x == I16 and y == I16:
        return 3
    return 2 if x == I8 else 1


# ----------------------------------------------------------------------------
# Linear algebra
# ----------------------------------------------------------------------------


@version_rule(tfl.FullyConnectedOp)
def _fully_connected(op: Operation) -> int:
    """The FULLY_CONNECTED table: kernel (float, hybrid, int8, int16) by options.

    Per-channel hybrid 12, int16 with a quantized bias 11, int16 7, no bias operand
    at all 6, keep_num_dims 5, int8 4, hybrid 3 (asymmetric inputs 9), shuffled weights 2.
    """
    x, w, y = _types(op)
    if (x, w, y) == (F32, I8, F32) and _scales_per_dim(_in(op, 1), 0):
        return 12
    if (x, w, y) == (I16, I8, I16) and _prop(op, "quantized_bias_type", 0):
        return 11
    if (x, w, y) == (I16, I16, I16):
        return 7
    if len(op.operands) == 2:
        return 6
    if _prop(op, "keep_num_dims", False):
        return 5
    if (x, w, y) == (I8, I8, I8):
        return 4
    if (x, w, y) == (F32, I8, F32):
        return 9 if _prop(op, "asymmetric_quantize_inputs", False) else 3
    if _prop(op, "weights_format", "DEFAULT") == "SHUFFLED4x16INT8":
        return 2
    return 1


@version_rule(tfl.BatchMatMulOp)
def _batch_matmul(op: Operation) -> int:
    """int16 3, int8 2, hybrid with asymmetric inputs 4."""
    x, w, y = _types(op)
    if x == I16:
        return 3
    if x == I8:
        return 2
    if (x, w, y) == (F32, I8, F32) and _prop(op, "asymmetric_quantize_inputs", False):
        return 4
    return 1


@version_rule(tfl.UnidirectionalSequenceRnnOp)
def _sequence_rnn(op: Operation) -> int:
    """Hybrid (int8 weights, float output) 2, with asymmetric inputs 3."""
    _, w, y = _types(op)
    if (w, y) == (I8, F32):
        return 3 if _prop(op, "asymmetric_quantize_inputs", False) else 2
    return 1


@version_rule(tfl.UnidirectionalSequenceLstmOp)
def _sequence_lstm(op: Operation) -> int:
    """int16 activations with int8 weights 5, diagonal recurrent tensors 4, hybrid 2
    (asymmetric inputs 3); the weights TFLite looks at are input_to_forget_weights."""
    x, w, y = _in(op, 0).type, _in(op, 2).type, _out(op).type
    if (x, w, y) == (I16, I8, I16):
        return 5
    if _prop(op, "diagonal_recurrent_tensors", False):
        return 4
    if (x, w, y) == (F32, I8, F32):
        return 3 if _prop(op, "asymmetric_quantize_inputs", False) else 2
    return 1


# ----------------------------------------------------------------------------
# Elementwise binary ops
# ----------------------------------------------------------------------------


@version_rule(tfl.AddOp)
def _add(op: Operation) -> int:
    """float16 6, unquantized int16 5, int64 4, int16 without power-of-two scales 3, int8 2."""
    x, _, y = _types(op)
    if x == F16:
        return 6
    if x == I16 and not (_QUANTIZATION_TABLE_ON_EVERY_TENSOR or _in(op, 0).scales):
        return 5
    if x == I64:
        return 4
    if x == I16 and y == I16 and not _prop(op, "pot_scale_int16", True):
        return 3
    return 2 if x == I8 else 1


@version_rule(tfl.SubOp)
def _sub(op: Operation) -> int:
    """int16 without power-of-two scales 5, int64 4, broadcasting above 4-D 3, int8 2."""
    x, _, y = _types(op)
    if x == I16 and y == I16 and not _prop(op, "pot_scale_int16", True):
        return 5
    if x == I64:
        return 4
    if _broadcasts_above_4d(op):
        return 3
    return 2 if x == I8 else 1


@version_rule(tfl.MulOp)
def _mul(op: Operation) -> int:
    """float16 8, unquantized int16 or uint32 7, complex64 6, int64 5, int16 4,
    quantized with input scales over output scale >= 1 3, int8 2."""
    x = _in(op, 0)
    quantized = _QUANTIZATION_TABLE_ON_EVERY_TENSOR or bool(x.scales or _in(op, 1).scales)
    if x.type == F16:
        return 8
    if (x.type == I16 and not quantized) or x.type == U32:
        return 7
    versions = {COMPLEX64: 6, I64: 5, I16: 4}
    if x.type in versions:
        return versions[x.type]
    lhs, rhs, out = x.scales, _in(op, 1).scales, _out(op).scales
    if lhs and rhs and out and 0 not in (lhs[0], rhs[0], out[0]) and lhs[0] * rhs[0] / out[0] >= 1.0:
        return 3
    return 2 if x.type == I8 else 1


@version_rule(tfl.DivOp)
def _div(op: Operation) -> int:
    """Broadcasting above 4-D 2."""
    return 2 if _broadcasts_above_4d(op) else 1


@version_rule(tfl.MaximumOp, tfl.MinimumOp)
def _maximum_minimum(op: Operation) -> int:
    """int16 4, broadcasting above 4-D 3, int8 2."""
    x, _, y = _types(op)
    if x == I16 and y == I16:
        return 4
    if _broadcasts_above_4d(op):
        return 3
    return 2 if x == I8 else 1


@version_rule(tfl.FloorDivOp)
def _floor_div(op: Operation) -> int:
    """int8 or int16 3, float32 2."""
    return {I16: 3, I8: 3, F32: 2}.get(_in(op, 0).type, 1)


_by_input_type([tfl.FloorModOp], {I16: 2, I8: 2})
_by_input_type([tfl.SquaredDifferenceOp], {I8: 2})

# Comparisons
_by_input_type([tfl.EqualOp], {I16: 5, STRING: 3, I8: 2})
_by_input_type([tfl.NotEqualOp], {I16: 4, STRING: 3, I8: 2})
_by_input_type([tfl.LessOp, tfl.GreaterEqualOp], {I16: 3, I8: 2})
_by_input_type([tfl.GreaterOp, tfl.LessEqualOp], {I8: 2})


# Sparse-to-dense and where (issue 14 lowerings)
_by_input_type([tfl.SparseToDenseOp], {I8: 3, U8: 3, I64: 2}, index=2)


@version_rule(tfl.WhereOp)
def _where(op: Operation) -> int:
    """A bool condition 1, any other 2."""
    return 1 if _in(op, 0).type == BOOL else 2


@version_rule(tfl.SelectOp)
def _select(op: Operation) -> int:
    """uint32 4, a 5-D operand 3, int8 condition 2."""
    if _in(op, 0).type == U32:
        return 4
    if any(_in(op, i).rank == 5 for i in range(3)):
        return 3
    return 2 if _in(op, 0).type == I8 else 1


_by_input_type([tfl.SelectV2Op], {U32: 2})


# ----------------------------------------------------------------------------
# Elementwise unary ops and activations
# ----------------------------------------------------------------------------


@version_rule(tfl.AbsOp)
def _abs(op: Operation) -> int:
    """int32 5, int16 3 (quantized) or 4, int8 or uint8 2."""
    x = _in(op, 0)
    if x.type == I32:
        return 5
    if x.type == I16:
        return 3 if _QUANTIZATION_TABLE_ON_EVERY_TENSOR or x.scales else 4
    return 2 if x.type in (I8, U8) else 1


_by_input_type([tfl.ReluOp], {I16: 3, I8: 2, U8: 2})
_by_input_type([tfl.Relu6Op, tfl.RsqrtOp], {I16: 3, I8: 2})
_by_input_type([tfl.ExpOp, tfl.LogOp, tfl.SqrtOp], {I8: 2, I16: 2})
_by_input_type([tfl.SignOp], {I32: 2})
_by_input_type([tfl.SinOp, tfl.CosOp], {F16: 2})
_by_input_type([tfl.LeakyReluOp], {I16: 2})
_by_input_type([tfl.GeluOp], {F16: 3, I8: 2, U8: 2})
_by_input_type([tfl.LogSoftmaxOp], {I8: 2})
_by_input_type([tfl.SoftmaxOp], {F16: 4, I16: 3, I8: 2})


@version_rule(tfl.TanhOp, tfl.LogisticOp)
def _tanh_logistic(op: Operation) -> int:
    """int16 3, int8 2."""
    x, _, y = _types(op)
    if x == I16 and y == I16:
        return 3
    return 2 if x == I8 else 1


@version_rule(tfl.CastOp)
def _cast(op: Operation) -> int:
    """bfloat16 7, float64 or float16 5, uint16 4, int8 3, uint32 2 (either side)."""
    types = {_in(op, 0).type, _out(op).type}
    for versions, version in (({BF16}, 7), ({F64, F16}, 5), ({U16}, 4), ({I8}, 3), ({U32}, 2)):
        if types & versions:
            return version
    return 1


# ----------------------------------------------------------------------------
# Reductions and scans
# ----------------------------------------------------------------------------

_by_input_type([tfl.MeanOp, tfl.ReduceMaxOp, tfl.ReduceMinOp], {I16: 3, I8: 2})
_by_input_type([tfl.SumOp], {I8: 2})
_by_input_type([tfl.ReduceProdOp], {I8: 2, I16: 2})
_by_input_type([tfl.ArgMaxOp, tfl.ArgMinOp], {BOOL: 3, I8: 2})


@version_rule(tfl.TopKV2Op)
def _topk_v2(op: Operation) -> int:
    """int16 input, k or indices 3, int8 2."""
    if I16 in (_in(op, 0).type, _in(op, 1).type, _out(op, 1).type):
        return 3
    return 2 if _in(op, 0).type == I8 else 1


# ----------------------------------------------------------------------------
# Shape ops: transpose, concatenation, slicing, padding, gather
# ----------------------------------------------------------------------------


@version_rule(tfl.TransposeOp)
def _transpose(op: Operation) -> int:
    """float16 9, above 6-D or bfloat16 8, above 5-D 6, int16 5, above 4-D 4, bool 3, int8 2."""
    x = _in(op, 0)
    if x.type == F16:
        return 9
    if x.rank > 6 or x.type == BF16:
        return 8
    if x.rank > 5:
        return 6
    if x.type == I16:
        return 5
    if x.rank > 4:
        return 4
    return {BOOL: 3, I8: 2}.get(x.type, 1)


_by_input_type([tfl.ConcatenationOp], {F16: 6, U32: 4, I16: 3, I8: 2})


@version_rule(tfl.PackOp)
def _pack(op: Operation) -> int:
    """int8 2, int16 3, uint32 4."""
    x, _, y = _types(op)
    if x == I8:
        return 2
    if x == I16 and y == I16:
        return 3
    return 4 if x == U32 else 1


@version_rule(tfl.UnpackOp)
def _unpack(op: Operation) -> int:
    """int8 or uint8 2, bool 3, int16 4, float16 or bfloat16 5."""
    x, _, y = _types(op)
    if x in (I8, U8):
        return 2
    if x == BOOL:
        return 3
    if x == I16 and y == I16:
        return 4
    return 5 if x in (F16, BF16) else 1


@version_rule(tfl.GatherOp)
def _gather(op: Operation) -> int:
    """int16 indices 6, batch_dims 5, int16 4, bool 3, int8 2."""
    if _in(op, 1).type == I16:
        return 6
    if _prop(op, "batch_dims", 0) != 0:
        return 5
    return {I16: 4, BOOL: 3, I8: 2}.get(_in(op, 0).type, 1)


@version_rule(tfl.GatherNdOp)
def _gather_nd(op: Operation) -> int:
    """bool 5, int16 indices 4, int16 3, string 2."""
    if _in(op, 0).type == BOOL:
        return 5
    if _in(op, 1).type == I16:
        return 4
    return {I16: 3, STRING: 2}.get(_in(op, 0).type, 1)


@version_rule(tfl.SliceOp)
def _slice(op: Operation) -> int:
    """float16 8, uint32 6, above 4-D 5, int16 4, string 3, int8 2."""
    x = _in(op, 0)
    if x.type == F16:
        return 8
    if x.type == U32:
        return 6
    if x.rank > 4:
        return 5
    return {I16: 4, STRING: 3, I8: 2}.get(x.type, 1)


@version_rule(tfl.StridedSliceOp)
def _strided_slice(op: Operation) -> int:
    """offset 8, uint32 7, ellipsis or new-axis masks 6, string 5, above 4-D 4, bool 3, int8 2."""
    x = _in(op, 0)
    if _prop(op, "offset", False):
        return 8
    if x.type == U32:
        return 7
    if _prop(op, "ellipsis_mask", 0) != 0 or _prop(op, "new_axis_mask", 0) != 0:
        return 6
    if x.type == STRING:
        return 5
    if x.rank > 4:
        return 4
    return {BOOL: 3, I8: 2}.get(x.type, 1)


# SPLIT's value is its second operand (the first is the axis).
_by_input_type([tfl.SplitOp], {I16: 4, I32: 3, I8: 2}, index=1)
_by_input_type([tfl.SplitVOp], {I8: 2})
_by_input_type([tfl.TileOp], {I8: 3, STRING: 2})
_by_input_type([tfl.SqueezeOp], {STRING: 2})


@version_rule(tfl.PadOp, tfl.PadV2Op)
def _pad(op: Operation) -> int:
    """bool 5, above 4-D 4, int16 3, int8 2."""
    x = _in(op, 0)
    if x.type == BOOL:
        return 5
    if x.rank > 4:
        return 4
    return {I16: 3, I8: 2}.get(x.type, 1)


_by_input_type([tfl.MirrorPadOp], {I16: 3, I8: 2})


@version_rule(tfl.BroadcastToOp)
def _broadcast_to(op: Operation) -> int:
    """2 at least (version 1 was withdrawn), int8 or int16 3."""
    return 3 if _in(op, 0).type in (I8, I16) else 2


_by_input_type([tfl.ReverseV2Op], {I8: 3, BOOL: 2})


@version_rule(tfl.ResizeBilinearOp)
def _resize_bilinear(op: Operation) -> int:
    """int16 4, half-pixel centers 3, int8 2."""
    x = _in(op, 0).type
    if x == I16:
        return 4
    if _prop(op, "half_pixel_centers", False):
        return 3
    return 2 if x == I8 else 1


@version_rule(tfl.ResizeNearestNeighborOp)
def _resize_nearest_neighbor(op: Operation) -> int:
    """int16 4, half-pixel centers or aligned corners 3, int8 2."""
    x = _in(op, 0).type
    if x == I16:
        return 4
    if _prop(op, "half_pixel_centers", False) or _prop(op, "align_corners", False):
        return 3
    return 2 if x == I8 else 1


_by_input_type([tfl.DepthToSpaceOp, tfl.SpaceToDepthOp], {I8: 2})


@version_rule(tfl.SpaceToBatchNdOp, tfl.BatchToSpaceNdOp)
def _space_batch(op: Operation) -> int:
    """int16 4, not 4-D 3, int8 2."""
    x = _in(op, 0)
    if x.type == I16:
        return 4
    if x.rank != 4:
        return 3
    return 2 if x.type == I8 else 1


_by_input_type([tfl.RangeOp], {I64: 2})
# FILL's value is its second operand (the first is the shape).
_by_input_type([tfl.FillOp], {F16: 4, I8: 3, I16: 3, BOOL: 2, STRING: 2}, index=1)


@version_rule(tfl.DynamicUpdateSliceOp)
def _dynamic_update_slice(op: Operation) -> int:
    """bfloat16 6, int16 4, float16 3, int64 indices 2."""
    versions = {BF16: 6, I16: 4, F16: 3}
    x = _in(op, 0).type
    if x in versions:
        return versions[x]
    return 2 if _in(op, 2).type == I64 else 1


# ----------------------------------------------------------------------------
# Quantization
# ----------------------------------------------------------------------------


@version_rule(tfl.QuantizeOp)
def _quantize(op: Operation) -> int:
    """Per-channel output 3, int16 output 2."""
    y = _out(op)
    if _per_axis(y):
        return 3
    return 2 if y.type == I16 else 1


@version_rule(tfl.DequantizeOp)
def _dequantize(op: Operation) -> int:
    """int16 or float16 3, int8 2 (per-channel 5)."""
    x = _in(op, 0)
    if x.type in (I16, F16):
        return 3
    if x.type == I8:
        return 5 if _per_axis(x) else 2
    return 1


# ----------------------------------------------------------------------------
# Minimum runtime version
# ----------------------------------------------------------------------------

# The TFLite release that first runs each version of every BuiltinOperator, by name:
# entry i is version i + 1 ("" for a version that was never released).
RUNTIME_VERSIONS: dict[str, tuple[str, ...]] = {
    "ABS": ("1.13.0", "2.4.0", "2.5.0", "2.6.0", "2.12.0"),
    "ADD": ("1.5.0", "1.14.0", "2.4.0", "2.6.0", "2.13.0", "2.23.0"),
    "ADD_N": ("1.14.0",),
    "ARG_MAX": ("1.9.0", "1.14.0", "2.9.0"),
    "ARG_MIN": ("1.9.0", "1.14.0", "2.9.0"),
    "ASSIGN_VARIABLE": ("2.6.0",),
    "ATAN2": ("2.10.0",),
    "AVERAGE_POOL_2D": ("1.5.0", "1.14.0", "2.3.0"),
    "BATCH_MATMUL": ("2.3.0", "2.3.0", "2.4.0", "2.5.0"),
    "BATCH_TO_SPACE_ND": ("1.6.0", "1.14.0", "2.3.0", "2.12.0"),
    "BIDIRECTIONAL_SEQUENCE_LSTM": ("1.14.0", "1.14.0", "1.14.0"),
    "BIDIRECTIONAL_SEQUENCE_RNN": ("1.14.0", "1.14.0", "2.3.0"),
    "BITCAST": ("2.13.0",),
    "BITWISE_XOR": ("2.13.0",),
    "BROADCAST_ARGS": ("2.6.0",),
    "BROADCAST_TO": ("", "2.5.0", "2.5.0", "2.23.0"),
    "BUCKETIZE": ("2.8.0",),
    "CALL_ONCE": ("2.5.0",),
    "CAST": ("1.5.0", "2.7.0", "2.8.0", "2.9.0", "2.12.0", "2.15.0", "2.17.0", "2.21.0", "2.23.0"),
    "CEIL": ("1.14.0",),
    "COMPLEX_ABS": ("2.5.0",),
    "CONCATENATION": ("1.5.0", "1.14.0", "2.3.0", "2.14.0", "2.21.0", "2.23.0", "2.23.0"),
    "CONV_2D": ("1.5.0", "1.14.0", "1.14.0", "2.3.0", "2.4.0", "2.9.0", "2.11.0", "2.15.0"),
    "CONV_3D": ("2.5.0",),
    "CONV_3D_TRANSPOSE": ("2.6.0",),
    "COS": ("1.14.0", "2.23.0"),
    "CUMSUM": ("2.4.0",),
    "DENSIFY": ("2.2.0",),
    "DEPTHWISE_CONV_2D": ("1.5.0", "1.12.0", "1.14.0", "2.2.0", "2.3.0", "2.3.0", "2.11.0"),
    "DEPTH_TO_SPACE": ("2.1.0", "2.5.0"),
    "DEQUANTIZE": ("1.13.1", "1.14.0", "1.15.0", "2.2.0", "2.7.0", "2.18.0", "2.21.0", "2.22.0", "2.23.0"),
    "DILATE": ("2.15.0",),
    "DIV": ("1.6.0", "2.3.0"),
    "DYNAMIC_UPDATE_SLICE": ("2.9.0", "2.17.0", "2.19.0", "2.20.0", "2.21.0", "2.22.0"),
    "ELU": ("1.14.0",),
    "EMBEDDING_LOOKUP": ("1.13.0", "1.14.0", "1.14.0", "2.18.0", "2.21.0"),
    "EMBEDDING_LOOKUP_SPARSE": ("1.5.0",),
    "EQUAL": ("1.14.0", "1.14.0", "2.3.0", "2.13.0", "2.21.0"),
    "EXP": ("1.7.0", "2.12.0"),
    "EXPAND_DIMS": ("1.10.0",),
    "FAKE_QUANT": ("1.5.0", "1.10.0"),
    "FILL": ("1.13.0", "2.3.0", "2.5.0", "2.12.0", "2.23.0"),
    "FLOOR": ("1.9.0",),
    "FLOOR_DIV": ("1.14.0", "1.14.0", "2.13.0"),
    "FLOOR_MOD": ("1.13.0", "2.13.0"),
    "FULLY_CONNECTED": (
        "1.5.0", "1.10.0", "1.14.0", "1.14.0", "2.0.0", "2.1.0", "2.3.0", "2.3.0", "2.3.0",
        "2.11.0", "2.15.0", "2.17.0", "2.18.0", "2.21.0",
    ),
    "GATHER": ("1.6.0", "1.14.0", "1.15.0", "2.4.0", "2.5.0", "2.13.0", "2.15.0", "2.23.0"),
    "GATHER_ND": ("1.14.0", "2.3.0", "2.5.0", "2.13.0", "2.16.0", "2.23.0"),
    "GELU": ("2.9.0", "2.9.0", "2.23.0"),
    "GREATER": ("1.14.0", "1.14.0"),
    "GREATER_EQUAL": ("1.14.0", "1.14.0", "2.13.0"),
    "HARD_SWISH": ("1.15.0",),
    "HASHTABLE": ("2.5.0",),
    "HASHTABLE_FIND": ("2.5.0",),
    "HASHTABLE_IMPORT": ("2.5.0",),
    "HASHTABLE_LOOKUP": ("1.5.0",),
    "HASHTABLE_SIZE": ("2.5.0",),
    "IF": ("1.15.0",),
    "IMAG": ("2.5.0",),
    "L2_NORMALIZATION": ("1.5.0", "1.14.0"),
    "L2_POOL_2D": ("1.5.0",),
    "LEAKY_RELU": ("1.13.1", "2.3.0"),
    "LESS": ("1.14.0", "1.14.0", "2.13.0"),
    "LESS_EQUAL": ("1.14.0", "1.14.0"),
    "LOCAL_RESPONSE_NORMALIZATION": ("1.5.0",),
    "LOG": ("1.14.0", "2.15.0"),
    "LOGICAL_AND": ("1.11.0",),
    "LOGICAL_NOT": ("1.11.0",),
    "LOGICAL_OR": ("1.11.0",),
    "LOGISTIC": ("1.14.0", "1.14.0", "2.3.0"),
    "LOG_SOFTMAX": ("1.14.0", "1.14.0"),
    "LSH_PROJECTION": ("1.5.0",),
    "LSTM": ("1.7.0", "1.10.0", "1.14.0", "2.3.0"),
    "MATRIX_DIAG": ("1.14.0",),
    "MATRIX_SET_DIAG": ("1.14.0",),
    "MAXIMUM": ("1.14.0", "1.14.0", "2.3.0", "2.3.0"),
    "MAX_POOL_2D": ("1.5.0", "1.14.0", "2.3.0"),
    "MEAN": ("1.6.0", "1.14.0", "2.4.0"),
    "MINIMUM": ("1.14.0", "1.14.0", "2.3.0", "2.3.0"),
    "MIRROR_PAD": ("1.13.1", "2.3.0", "2.12.0"),
    "MUL": ("1.5.0", "1.14.0", "1.15.0", "2.3.0", "2.6.0", "2.11.0", "2.13.0", "2.23.0"),
    "MULTINOMIAL": ("2.8.0",),
    "NEG": ("1.9.0",),
    "NON_MAX_SUPPRESSION_V4": ("2.1.0",),
    "NON_MAX_SUPPRESSION_V5": ("2.1.0",),
    "NOT_EQUAL": ("1.14.0", "1.14.0", "2.3.0", "2.21.0"),
    "ONE_HOT": ("1.11.0",),
    "PACK": ("1.11.0", "1.14.0", "2.3.0", "2.13.0", "2.23.0"),
    "PAD": ("1.5.0", "1.14.0", "2.4.0", "2.6.0", "2.20.0", "2.23.0"),
    "PADV2": ("1.9.0", "1.14.0", "2.4.0", "2.6.0", "2.20.0", "2.23.0"),
    "POW": ("1.10.0",),
    "PRELU": ("1.8.0",),
    "QUANTIZE": ("1.14.0", "1.15.0", "2.7.0", "2.21.0", "2.21.0", "2.21.0"),
    "RANDOM_STANDARD_NORMAL": ("2.8.0",),
    "RANDOM_UNIFORM": ("2.8.0",),
    "RANGE": ("1.13.0", "2.14.0"),
    "RANK": ("1.14.0",),
    "READ_VARIABLE": ("2.6.0",),
    "REAL": ("2.5.0",),
    "REDUCE_ALL": ("2.6.0",),
    "REDUCE_ANY": ("1.11.0",),
    "REDUCE_MAX": ("1.11.0", "1.14.0", "2.5.0"),
    "REDUCE_MIN": ("1.11.0", "1.14.0", "2.5.0"),
    "REDUCE_PROD": ("1.11.0", "2.6.0"),
    "REDUCE_WINDOW": ("2.15.0",),
    "RELU": ("1.5.0", "2.1.0", "2.5.0"),
    "RELU6": ("1.5.0", "1.14.0", "2.5.0"),
    "RELU_0_TO_1": ("2.10.0",),
    "RELU_N1_TO_1": ("1.5.0",),
    "RESHAPE": ("1.5.0",),
    "RESIZE_BILINEAR": ("1.7.0", "1.14.0", "2.2.0", "2.5.0"),
    "RESIZE_NEAREST_NEIGHBOR": ("1.13.1", "1.14.0", "2.3.0", "2.4.0"),
    "REVERSE_SEQUENCE": ("1.14.0",),
    "REVERSE_V2": ("1.14.0", "2.2.0", "2.5.0", "2.23.0"),
    "RFFT2D": ("2.5.0",),
    "RIGHT_SHIFT": ("2.13.0",),
    "RNN": ("1.5.0", "1.14.0", "2.3.0"),
    "ROUND": ("1.14.0",),
    "RSQRT": ("1.10.0", "2.5.0", "2.15.0"),
    "SCATTER_ND": ("2.1.0",),
    "SEGMENT_SUM": ("2.2.0",),
    "SELECT": ("1.14.0", "1.14.0", "2.12.0", "2.12.0"),
    "SELECT_V2": ("2.2.0", "2.12.0"),
    "SHAPE": ("1.10.0",),
    "SIGN": ("2.11.0", "2.12.0"),
    "SIN": ("1.9.0", "2.23.0"),
    "SKIP_GRAM": ("1.5.0",),
    "SLICE": ("1.14.0", "1.14.0", "1.14.0", "2.4.0", "2.5.0", "2.14.0", "2.21.0", "2.23.0"),
    "SOFTMAX": ("1.5.0", "1.14.0", "2.3.0", "2.23.0"),
    "SPACE_TO_BATCH_ND": ("1.6.0", "1.14.0", "2.3.0", "2.12.0"),
    "SPACE_TO_DEPTH": ("1.5.0", "1.14.0"),
    "SPARSE_TO_DENSE": ("1.9.0", "1.14.0", "1.15.0"),
    "SPLIT": ("1.5.0", "1.14.0", "1.14.0", "2.3.0", "2.23.0"),
    "SPLIT_V": ("1.13.1", "2.3.0", "2.23.0"),
    "SQRT": ("1.10.0", "2.21.0"),
    "SQUARE": ("1.12.0",),
    "SQUARED_DIFFERENCE": ("1.13.1", "2.5.0"),
    "SQUEEZE": ("1.6.0", "2.5.0"),
    "STABLEHLO_ADD": ("2.16.0",),
    "STABLEHLO_AND": ("2.17.0",),
    "STABLEHLO_CASE": ("2.17.0",),
    "STABLEHLO_CBRT": ("2.17.0",),
    "STABLEHLO_COMPOSITE": ("2.17.0",),
    "STABLEHLO_GATHER": ("2.16.0",),
    "STABLEHLO_MAXIMUM": ("2.16.0",),
    "STABLEHLO_MINIMUM": ("2.16.0",),
    "STABLEHLO_MULTIPLY": ("2.16.0",),
    "STABLEHLO_PAD": ("2.16.0",),
    "STABLEHLO_REDUCE_WINDOW": ("2.16.0",),
    "STABLEHLO_RNG_BIT_GENERATOR": ("2.15.0",),
    "STABLEHLO_SCATTER": ("2.15.0",),
    "STABLEHLO_SHIFT_LEFT": ("2.17.0",),
    "STRIDED_SLICE": ("1.6.0", "1.14.0", "2.1.0", "2.2.0", "2.5.0", "2.6.0", "2.14.0", "2.14.0"),
    "SUB": ("1.6.0", "1.14.0", "2.3.0", "2.4.0", "2.4.0"),
    "SUM": ("1.10.0", "1.15.0"),
    "SVDF": ("1.5.0", "1.14.0", "2.2.0", "2.3.0"),
    "TANH": ("1.14.0", "1.14.0", "2.3.0"),
    "TILE": ("1.10.1", "2.2.0", "2.8.0"),
    "TOPK_V2": ("1.7.0", "1.14.0", "2.13.0"),
    "TRANSPOSE": ("1.6.0", "1.14.0", "1.15.0", "2.3.0", "2.4.0", "2.12.0", "2.14.4", "2.22.0", "2.23.0"),
    "TRANSPOSE_CONV": ("1.9.0", "2.2.0", "2.3.0", "2.13.0", "2.15.0"),
    "UNIDIRECTIONAL_SEQUENCE_LSTM": ("1.13.1", "1.14.0", "2.3.0", "2.12.0"),
    "UNIDIRECTIONAL_SEQUENCE_RNN": ("1.14.0", "1.14.0", "2.3.0"),
    "UNIQUE": ("1.14.0",),
    "UNPACK": ("1.11.0", "1.14.0", "2.2.0", "2.3.0", "2.22.0", "2.23.0"),
    "UNSORTED_SEGMENT_MAX": ("2.10.0",),
    "UNSORTED_SEGMENT_MIN": ("2.11.0",),
    "UNSORTED_SEGMENT_PROD": ("2.10.0",),
    "UNSORTED_SEGMENT_SUM": ("2.10.0",),
    "VAR_HANDLE": ("2.6.0",),
    "WHERE": ("1.14.0", "2.8.0"),
    "WHILE": ("1.15.0",),
    "ZEROS_LIKE": ("1.12.0",),
}


def runtime_version(builtin: str, version: int) -> str:
    """The first TFLite release running version `version` of a BuiltinOperator ("" if unknown)."""
    releases = RUNTIME_VERSIONS.get(builtin, ())
    return releases[version - 1] if 0 < version <= len(releases) else ""


def _release_key(release: str) -> tuple[int, ...]:
    """A release string as numbers, compared component by component."""
    return tuple(int(part) for part in release.split(".") if part.isdigit())


def min_runtime_version(pairs: Iterable[tuple[str, int]]) -> str:
    """The oldest TFLite release that runs all (BuiltinOperator name, version) pairs.

    Pairs with no known release are skipped, as TensorFlow's converter does; no pairs
    give "".
    """
    releases = [r for r in (runtime_version(b, v) for b, v in pairs) if r]
    return max(releases, key=_release_key, default="")
