"""The facts tfl ops carry: tensor constraints, TFLite enums and traits for their roles.

- `TFLTensor`: an operand/result constraint on TFLite element types (by kind: `f32`,
  `i32`, `qi8` for any int8-quantized type, ...) and rank, optionally shared between
  operands (`same="T"`: all operands constrained with "T" have one element kind);
- `TFLEnum`: a string property restricted to a FlatBuffer enum's member names, naming
  that enum so the backend can write it;
- traits: which operands are weights (`AffineWeights`), how an op is quantized to int8
  (`Int8Quantization`), whether it applies a fused activation (`FusesActivation`), whether
  it *is* one (`Activation`), how it folds on constants (`NumpyFolder`, `NumpyReducer`,
  `ReshapeLike`), identity elements (`RightIdentity`), broadcasting (`Broadcasting`),
  hybrid kernels (`HybridKernel`) and function references (`SubgraphRefs`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from xdsl.dialects.builtin import (
    AnyFloat,
    ComplexType,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    NoneType,
    Signedness,
    StringAttr,
    TensorType,
    UnrankedTensorType,
)
from xdsl.ir import Attribute, Operation
from xdsl.irdl import AttrConstraint, IntConstraint, VerificationContext
from xdsl.traits import OpTrait
from xdsl.utils.exceptions import VerifyException

if TYPE_CHECKING:
    from typing_extensions import TypeVar as ConstraintTypeVar  # the TypeVar class xDSL's constraints use

# -- element kinds ----------------------------------------------------------------------

F32, F16, F64 = "f32", "f16", "f64"
I1, I8, U8, I16, I32, I64, U16, U32 = "i1", "i8", "u8", "i16", "i32", "i64", "u16", "u32"
QI8, QU8, QI16, QI32 = "qi8", "qu8", "qi16", "qi32"
STRING, RESOURCE, VARIANT, COMPLEX64 = "string", "resource", "variant", "complex64"
COMPLEX128 = "complex128"

QUANTIZED = frozenset({QI8, QU8, QI16})
"""Quantized activation kinds."""
INTEGERS = frozenset({I8, U8, I16, I32, I64})
ANY_KIND: frozenset[str] | None = None
"""Any TFLite element type."""


@lru_cache(maxsize=4096)
def element_kind(element: Attribute) -> str | None:
    """The TFLite kind of an element type (`f32`, `qi8`, ...), or None if TFLite has none."""
    from tflc.dialects.quant import UniformQuantizedType
    from tflc.dialects.tf import ResourceType, StringType, VariantType

    if isinstance(element, Float32Type):
        return F32
    if isinstance(element, Float16Type):
        return F16
    if isinstance(element, Float64Type):
        return F64
    if isinstance(element, IntegerType):
        width = element.width.data
        if width == 1:
            return I1
        prefix = "u" if element.signedness.data == Signedness.UNSIGNED else "i"
        name = f"{prefix}{width}"
        return name if name in {I8, U8, I16, I32, I64, U16, U32, "u64"} else None
    if isinstance(element, UniformQuantizedType):
        return {"i8": QI8, "u8": QU8, "i16": QI16, "i32": QI32}.get(element.storage_name)
    if isinstance(element, StringType):
        return STRING
    if isinstance(element, ResourceType):
        return RESOURCE
    if isinstance(element, VariantType):
        return VARIANT
    if isinstance(element, ComplexType) and isinstance(element.element_type, Float32Type):
        return COMPLEX64
    if isinstance(element, ComplexType) and isinstance(element.element_type, Float64Type):
        return COMPLEX128
    if isinstance(element, AnyFloat):  # bf16
        return "bf16"
    return None


def kinds(*groups: str | frozenset[str]) -> frozenset[str]:
    """A set of element kinds from kinds and sets of kinds."""
    out: set[str] = set()
    for group in groups:
        out |= {group} if isinstance(group, str) else set(group)
    return frozenset(out)


@dataclass(frozen=True)
class TFLTensor(AttrConstraint):
    """A TFLite tensor: ranked or unranked, of the given element kinds and rank bounds.

    `same` names a variable: every operand/result constrained with the same name must
    have one element kind (quantized types of one storage count as one kind, whatever
    their scales). `optional` also accepts `none` (an absent operand, `tfl.no_value`).
    """

    allowed: frozenset[str] | None = None
    min_rank: int | None = None
    max_rank: int | None = None
    same: str | None = None
    optional: bool = False

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        """Check the tensor type `attr` against the constraint."""
        if isinstance(attr, NoneType):
            if self.optional:
                return
            raise VerifyException("expected a tensor, got none")
        if not isinstance(attr, TensorType | UnrankedTensorType):
            raise VerifyException(f"expected a tensor, got {attr}")
        kind = element_kind(attr.element_type)
        if kind is None:
            raise VerifyException(f"has no TFLite tensor type for element type {attr.element_type}")
        if self.allowed is not None and kind not in self.allowed:
            raise VerifyException(
                f"expected a tensor of {', '.join(sorted(self.allowed))}, got {attr} (element kind {kind})"
            )
        if isinstance(attr, TensorType):
            rank = attr.get_num_dims()
            if self.min_rank is not None and self.min_rank == self.max_rank and rank != self.min_rank:
                raise VerifyException(f"expected a {self.min_rank}-D tensor, got {attr}")
            if self.min_rank is not None and rank < self.min_rank:
                raise VerifyException(f"expected a tensor of rank >= {self.min_rank}, got {attr}")
            if self.max_rank is not None and rank > self.max_rank:
                raise VerifyException(f"expected a tensor of rank <= {self.max_rank}, got {attr}")
        if self.same is not None:
            key = f"tfl.element_kind.{self.same}"
            existing = constraint_context.get_variable(key)
            if existing is None:
                constraint_context.set_attr_variable(key, StringAttr(kind))
            elif existing != StringAttr(kind):
                assert isinstance(existing, StringAttr)
                raise VerifyException(
                    f"element type {attr.element_type} differs from the {existing.data} of the other "
                    f"operands/results it must match"
                )

    def get_bases(self) -> set[type[Attribute]] | None:
        """The attribute classes this constraint accepts."""
        bases: set[type[Attribute]] = {TensorType, UnrankedTensorType}
        return bases | {NoneType} if self.optional else bases

    def mapping_type_vars(
        self, type_var_mapping: Mapping[ConstraintTypeVar, AttrConstraint | IntConstraint]
    ) -> TFLTensor:
        """No type variables inside."""
        return self


def tensor(
    *allowed: str | frozenset[str],
    rank: int | None = None,
    min_rank: int | None = None,
    max_rank: int | None = None,
    same: str | None = None,
    optional: bool = False,
) -> TFLTensor:
    """A `TFLTensor` constraint (no kinds given: any TFLite element type)."""
    if rank is not None:
        min_rank = max_rank = rank
    return TFLTensor(kinds(*allowed) if allowed else None, min_rank, max_rank, same, optional)


@dataclass(frozen=True)
class TFLEnum(AttrConstraint):
    """A string property holding a member name of the FlatBuffer enum `flatbuffer_enum`."""

    flatbuffer_enum: str
    values: tuple[str, ...]
    mlir_attr: str | None = None
    """TensorFlow's MLIR enum attribute for the property (`#tfl<mirror_pad_attr SYMMETRIC>`);
    None: TensorFlow writes it as a string, as tflc keeps every enum."""

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        """Check that `attr` is a string (its value is checked by the op, naming the property)."""
        if not isinstance(attr, StringAttr):
            raise VerifyException(f"expected one of {', '.join(self.values)}, got {attr}")

    def get_bases(self) -> set[type[Attribute]] | None:
        """Only strings."""
        return {StringAttr}

    def mapping_type_vars(
        self, type_var_mapping: Mapping[ConstraintTypeVar, AttrConstraint | IntConstraint]
    ) -> TFLEnum:
        """No type variables inside."""
        return self


ACTIVATION = TFLEnum("ActivationFunctionType", ("NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"))
PADDING = TFLEnum("Padding", ("SAME", "VALID"))
WEIGHTS_FORMAT = TFLEnum("FullyConnectedOptionsWeightsFormat", ("DEFAULT", "SHUFFLED4x16INT8"))
MIRROR_PAD_MODE = TFLEnum("MirrorPadMode", ("REFLECT", "SYMMETRIC"), "mirror_pad_attr")
TENSOR_TYPE = TFLEnum(
    "TensorType",
    (
        "FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8",
        "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4", "BFLOAT16",
    ),
)


# -- traits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AffineWeights(OpTrait):
    """An op computing `input x filter + bias`: its weight operand, the weight's output-channel
    axis (None: quantized per tensor), its bias and activation operands, by operand name.

    `fusable`: a following mul/add by a per-channel constant folds into filter and bias.
    `int8_weights`: full-integer quantization makes the filter int8 and the bias int32.
    """

    filter: str = "filter"
    channel_axis: int | None = 0
    bias: str | None = "bias"
    input: str = "input"
    fusable: bool = True
    int8_weights: bool = True


@dataclass(frozen=True)
class StatefulOperands(OpTrait):
    """Operands the kernel keeps as variable tensors across invocations (a recurrent op's
    state): the model writes each as a tensor of its own, marked `is_variable`, holding no
    data (the runtime starts it at zero)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class HybridKernel(OpTrait):
    """TFLite has a hybrid kernel (float activations, int8 weights) for this op;
    `asymmetric_inputs`: it takes `asymmetric_quantize_inputs`."""

    asymmetric_inputs: bool = False


@dataclass(frozen=True)
class Int8Quantization(OpTrait):
    """How the op quantizes to int8: its activation operands (by name; None: every
    operand) and where its result's parameters come from: `range` (its own calibrated
    range), `same` (its inputs' scale) or `fixed` (TFLite's fixed `scale, zero_point`)."""

    activations: tuple[str, ...] | None = ("input",)
    result: str = "range"
    fixed: tuple[float, int] | None = None


def own_range(*operands: str) -> Int8Quantization:
    """int8 with the result's own calibrated range."""
    return Int8Quantization(operands or ("input",))


def same_scale(*operands: str, every_operand: bool = False) -> Int8Quantization:
    """int8 where operands and result share one scale (data movement)."""
    return Int8Quantization(None if every_operand else (operands or ("input",)), "same")


def fixed_range(scale: float, zero_point: int, *operands: str) -> Int8Quantization:
    """int8 with TFLite's fixed output scale and zero point."""
    return Int8Quantization(operands or ("input",), "fixed", (scale, zero_point))


@dataclass(frozen=True)
class FusesActivation(OpTrait):
    """TFLite's kernel applies the op's `fused_activation_function` (RELU, RELU6, RELU_N1_TO_1)."""


@dataclass(frozen=True)
class Activation(OpTrait):
    """The op is the activation `name` and can be fused into a producer that `FusesActivation`."""

    name: str


@dataclass(frozen=True)
class NumpyFolder(OpTrait):
    """The op's value on constant operands, computed elementwise by `fn` (then its fused activation);
    `elementwise=False` for a folder that is not (a transpose): it gets the whole arrays."""

    fn: Callable[..., np.ndarray]
    elementwise: bool = True


@dataclass(frozen=True)
class NumpyReducer(OpTrait):
    """The op reduces its input over constant axes like numpy's `fn(x, axis=...)`."""

    fn: Callable[..., np.ndarray]


@dataclass(frozen=True)
class ReshapeLike(OpTrait):
    """The op only changes its first operand's shape: on a constant it is a reshape."""


@dataclass(frozen=True)
class RightIdentity(OpTrait):
    """`op(x, identity)` is `x` (and `op(identity, x)` too when `commutative`)."""

    identity: float
    commutative: bool = False


@dataclass(frozen=True)
class Broadcasting(OpTrait):
    """The op broadcasts its operands numpy-style; TFLite's kernel broadcasts up to
    `max_rank` dimensions (None: any), so operands of other shapes above it need an
    explicit `tfl.broadcast_to` (operands of one static shape never do)."""

    max_rank: int | None = None


@cache
def max_broadcast_rank(op_class: type[Operation]) -> int | None:
    """The rank up to which `op_class`'s kernel broadcasts (the smallest its Broadcasting
    traits state: a class keeps the traits of its bases too), or None (any rank)."""
    ranks = [t.max_rank for t in op_class.get_traits_of_type(Broadcasting) if t.max_rank is not None]
    return min(ranks) if ranks else None


@dataclass(frozen=True)
class SubgraphRefs(OpTrait):
    """The op's function properties and the options field holding each one's subgraph index."""

    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def verify(self, op: Operation) -> None:
        """Each referenced function exists and its types fit the op."""
        from tflc.dialects.tfl_verify import verify_subgraph_refs

        verify_subgraph_refs(op, self)


_TraitT = TypeVar("_TraitT", bound=OpTrait)


@cache
def _class_trait(op_class: type[Operation], trait: type[OpTrait]) -> OpTrait | None:
    return op_class.get_trait(trait)


def trait_of(op: Operation, trait: type[_TraitT]) -> _TraitT | None:
    """The op's trait of class `trait`, or None (looked up once per op class)."""
    found = _class_trait(type(op), trait)  # type: ignore[arg-type]  # classes are hashable (typeshed: dataclass eq)
    return found  # type: ignore[return-value]


def has_trait(op: Operation, trait: type[OpTrait]) -> bool:
    """Whether the op has a trait of class `trait` (looked up once per op class)."""
    return _class_trait(type(op), trait) is not None  # type: ignore[arg-type]  # classes are hashable


def activation_fn(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The numpy function of a TFLite fused activation."""
    table: dict[str, Callable[[np.ndarray], Any]] = {
        "NONE": lambda x: x,
        "RELU": lambda x: np.maximum(x, 0),
        "RELU6": lambda x: np.clip(x, 0, 6),
        "RELU_N1_TO_1": lambda x: np.clip(x, -1, 1),
        "TANH": np.tanh,
    }
    return table[name]
