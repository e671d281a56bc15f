"""`tfl-quantize-int8`: full-integer quantization from calibrated ranges (`quant.range`).

Activations become asymmetric int8 (`!quant.uniform<i8:f32, scale:zero_point>`) from
their calibrated ranges; weights symmetric int8 (per channel for convolutions); biases
int32 with scale = input scale x weight scale. Ops that only move data (reshape,
pooling, concatenation, ...) share one scale between operands and results; softmax,
logistic and tanh have TFLite's fixed output scales. Ops without an int8 kernel, or
without ranges, stay float between `tfl.dequantize` and `tfl.quantize`.

Signature inputs and outputs stay float32 unless `inference_input_type` /
`inference_output_type` is `int8` or `uint8`; their names never change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import FunctionType, ModuleOp, NoneType, TensorType, f32, i1, i32, i64
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Block, BlockArgument, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from tflc.dialects import tfl
from tflc.dialects.quant import UniformQuantizedType, quantized_element
from tflc.dialects.tf_saved_model import module_signatures
from tflc.dialects.tfl_traits import AffineWeights, Int8Quantization, trait_of
from tflc.errors import ConversionError, describe_location
from tflc.passes import stats
from tflc.passes.quantize import (
    asymmetric_type,
    bias_index,
    float_constant,
    qconst,
    symmetric_type,
    weight_operand,
)
from tflc.passes.quantize_calibration import RANGE_ATTR, read_ranges, strip_ranges


@dataclass(frozen=True)
class Spec:
    """How an op quantizes: its activation operands and how its result gets its parameters."""

    activations: tuple[int, ...] | None = (0,)  # None: every operand
    result: str = "range"  # "range" (own calibrated range), "same" (shares its inputs'), "fixed"
    fixed: tuple[float, int] | None = None


def spec_of(op: Operation) -> Spec | None:
    """How an op quantizes, from its `Int8Quantization` trait (None: no int8 kernel here)."""
    trait = trait_of(op, Int8Quantization)
    if trait is None:
        return None
    if trait.activations is None:
        indices = None
    else:
        indices = tuple(type(op).operand_index(name) for name in trait.activations)  # type: ignore[attr-defined]
    return Spec(indices, trait.result, trait.fixed)


def int8_weights(op: Operation) -> tuple[int, int | None, int | None] | None:
    """(weight index, its channel axis, bias index) of an op whose weights go int8, else None."""
    trait = trait_of(op, AffineWeights)
    slot = weight_operand(op)
    if trait is None or slot is None or not trait.int8_weights:
        return None
    return slot.index, slot.channel_axis, bias_index(op)


IO_TYPES = ("float32", "int8", "uint8")


@dataclass(frozen=True)
class QuantizeInt8Pass(ModulePass):
    """Quantize calibrated tfl ops to int8 (activations, weights per channel for convolutions, int32 biases)."""

    name = "tfl-quantize-int8"
    inference_input_type: str = "float32"
    inference_output_type: str = "float32"
    per_channel_dense: bool = True
    """Quantize fully_connected weights per output channel (TensorFlow 2.16+ does)."""
    allow_float: bool = True
    """Keep ops without an int8 kernel float; False makes them an error (TFLITE_BUILTINS_INT8 only)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for name in (self.inference_input_type, self.inference_output_type):
            if name not in IO_TYPES:
                raise ConversionError(f"inference type '{name}' must be one of {', '.join(IO_TYPES)}")
        ranges = read_ranges(op)
        signature_funcs = {f for f, _ in module_signatures(op)}
        for func in [f for f in op.ops if isinstance(f, FuncOp) and f in signature_funcs]:
            _FunctionQuantizer(func, ranges, self).run()
        strip_ranges(op)
        _erase_dead(op)


@dataclass
class _FunctionQuantizer:
    func: FuncOp
    ranges: dict[SSAValue, tuple[float, float]]
    options: QuantizeInt8Pass
    params: dict[SSAValue, UniformQuantizedType] = field(default_factory=dict)
    quantized: dict[SSAValue, SSAValue] = field(default_factory=dict)  # float value -> its int8 twin
    kept_float: list[Operation] = field(default_factory=list)

    def run(self) -> None:
        block = self.func.body.block
        ops = [o for o in block.ops if self.quantizable(o)]
        self.kept_float = [
            o
            for o in block.ops
            if o not in ops and not _is_constant(o) and not isinstance(o, ReturnOp) and _has_float(o)
        ]
        if self.kept_float and not self.options.allow_float:
            names = sorted({o.name for o in self.kept_float})
            first = self.kept_float[0]
            raise ConversionError(
                f"full integer quantization (TFLITE_BUILTINS_INT8 only): {', '.join(names)} cannot be "
                f"quantized (first at {describe_location(first.location)}); add OpsSet.TFLITE_BUILTINS "
                "to keep them float"
            )
        self.assign_parameters(ops)
        for op in ops:
            self.rewrite(op)
        self.boundaries(block)

    # -- which ops ------------------------------------------------------------------

    def quantizable(self, op: Operation) -> bool:
        spec = spec_of(op)
        if spec is None or not op.results or not all(_is_f32(r) or _is_index_or_bool(r) for r in op.results):
            return False  # integer and bool results (arg_max indices, comparisons) keep their type
        if spec.result == "range" and not all(r in self.ranges for r in _float_results(op)):
            return False
        for index in self.activation_indices(op, spec):
            value = op.operands[index]
            if not _is_f32(value):
                return False
            if float_constant(value) is None and value not in self.ranges:
                return False
        if (slots := int8_weights(op)) is not None:
            weight_index, _, bias_slot = slots
            if float_constant(op.operands[weight_index]) is None:
                return False
            if bias_slot is not None:
                bias = op.operands[bias_slot]
                if not isinstance(bias.type, NoneType) and float_constant(bias) is None:
                    return False
        return True

    @staticmethod
    def activation_indices(op: Operation, spec: Spec) -> tuple[int, ...]:
        if spec.activations is None:
            return tuple(range(len(op.operands)))
        return tuple(i for i in spec.activations if i < len(op.operands))

    # -- parameters -----------------------------------------------------------------

    def assign_parameters(self, ops: list[Operation]) -> None:
        """Give every value to quantize its type; 'same' ops tie their operands and results."""
        parent: dict[SSAValue, SSAValue] = {}
        fixed: dict[SSAValue, tuple[float, int]] = {}

        def find(v: SSAValue) -> SSAValue:
            parent.setdefault(v, v)
            while parent[v] is not v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        specs = {op: spec_of(op) for op in ops}
        for op in ops:
            spec = specs[op]
            assert spec is not None
            if spec.result == "fixed":
                for r in _float_results(op):
                    fixed[find(r)] = spec.fixed  # type: ignore[assignment]
        for op in ops:
            spec = specs[op]
            assert spec is not None
            if spec.result != "same":
                continue
            indices = self.activation_indices(op, spec)
            members = [op.operands[i] for i in indices if float_constant(op.operands[i]) is None]
            members += _float_results(op)
            for other in members[1:]:
                a, b = find(members[0]), find(other)
                if a is b:
                    continue
                if a in fixed and b in fixed and fixed[a] != fixed[b]:
                    continue  # conflicting fixed scales: requantize instead
                parent[b] = a
                if b in fixed:
                    fixed[a] = fixed.pop(b)
        groups: dict[SSAValue, list[SSAValue]] = {}
        for v in list(parent):
            groups.setdefault(find(v), []).append(v)
        for op in ops:
            spec = specs[op]
            assert spec is not None
            for v in [*(op.operands[i] for i in self.activation_indices(op, spec)), *_float_results(op)]:
                if float_constant(v) is None:
                    groups.setdefault(find(v), [v] if v not in groups.get(find(v), []) else [])
        for root, members in groups.items():
            if root in fixed:
                scale, zero_point = fixed[root]
                qtype = UniformQuantizedType("i8", [scale], [zero_point])
            else:
                bounds = [self.ranges[m] for m in members if m in self.ranges]
                if not bounds:
                    continue
                qtype = asymmetric_type(min(b[0] for b in bounds), max(b[1] for b in bounds))
            for m in members:
                self.params[m] = qtype

    # -- rewriting ------------------------------------------------------------------

    def rewrite(self, op: Operation) -> None:
        spec = spec_of(op)
        assert spec is not None
        activations = self.activation_indices(op, spec)
        slots = int8_weights(op)
        weight, channel_axis, bias = slots if slots is not None else (None, None, None)
        operands: list[SSAValue] = list(op.operands)
        result_types = [
            TensorType(self.result_type(op, r, spec), _shape(r)) if _is_f32(r) else r.type for r in op.results
        ]
        input_type: UniformQuantizedType | None = None
        weight_type: UniformQuantizedType | None = None
        for i, value in enumerate(op.operands):
            if i in activations:
                shared = quantized_element(result_types[0]) if spec.result == "same" else None
                operands[i] = self.activation(op, value, shared)
                input_type = input_type or quantized_element(operands[i].type)
            elif i == weight:
                array = float_constant(value)
                assert array is not None
                axis = channel_axis
                if isinstance(op, tfl.FullyConnectedOp) and not self.options.per_channel_dense:
                    axis = None
                weight_type = symmetric_type(array, axis)
                operands[i] = self.insert_const(op, array, weight_type)
        if bias is not None and not isinstance(op.operands[bias].type, NoneType):
            assert input_type is not None and weight_type is not None
            array = float_constant(op.operands[bias])
            assert array is not None
            scales = np.asarray(weight_type.scale_values, np.float64) * input_type.scale_values[0]
            per_axis = len(scales) > 1
            bias_type = UniformQuantizedType(
                "i32", [float(s) for s in scales], axis=0 if per_axis else -1
            )
            operands[bias] = self.insert_const(op, array, bias_type)
        attributes = {k: v for k, v in op.attributes.items() if k != RANGE_ATTR}
        new = op.__class__.create(
            operands=operands, result_types=result_types, properties=dict(op.properties), attributes=attributes
        )
        new.location = op.location
        Rewriter.insert_op(new, InsertPoint.before(op))
        for old, result in zip(op.results, new.results):
            if not _is_f32(old):
                old.replace_all_uses_with(result)  # an index or bool result: the same type
                continue
            dequantize = tfl.DequantizeOp.build([result], [old.type])
            dequantize.location = op.location
            Rewriter.insert_op(dequantize, InsertPoint.after(new))
            old.replace_all_uses_with(dequantize.results[0])
            self.quantized[dequantize.results[0]] = result
            if old in self.params:
                self.params[dequantize.results[0]] = self.params[old]
        Rewriter.erase_op(op)

    def result_type(self, op: Operation, result: SSAValue, spec: Spec) -> UniformQuantizedType:
        if result in self.params:
            return self.params[result]
        bounds = self.ranges.get(result, (0.0, 1.0))
        return asymmetric_type(*bounds)

    def activation(self, op: Operation, value: SSAValue, shared: UniformQuantizedType | None) -> SSAValue:
        """The int8 form of an activation operand (requantized to `shared` if given)."""
        array = float_constant(value)
        if array is not None:
            qtype = shared or asymmetric_type(float(array.min(initial=0.0)), float(array.max(initial=0.0)))
            return self.insert_const(op, array, qtype)
        wanted = shared or self.params.get(value)
        assert wanted is not None, f"no quantization parameters for an operand of {op.name}"
        source = self.quantized.get(value)
        if source is None:
            source = self.quantize(value, wanted)
        if quantized_element(source.type) != wanted:
            requantize = tfl.QuantizeOp.build([source], [TensorType(wanted, _shape(value))])
            requantize.location = op.location
            Rewriter.insert_op(requantize, InsertPoint.before(op))
            stats.record("requantize")
            return requantize.results[0]
        return source

    def quantize(self, value: SSAValue, qtype: UniformQuantizedType) -> SSAValue:
        """A tfl.quantize of a float value, placed right after its definition (made once)."""
        quantize = tfl.QuantizeOp.build([value], [TensorType(qtype, _shape(value))])
        if isinstance(value, BlockArgument):
            quantize.location = self.func.location
            Rewriter.insert_op(quantize, InsertPoint.at_start(value.block))
        else:
            owner = value.owner
            assert isinstance(owner, Operation)
            quantize.location = owner.location
            Rewriter.insert_op(quantize, InsertPoint.after(owner))
        self.quantized[value] = quantize.results[0]
        return quantize.results[0]

    def insert_const(self, op: Operation, array: np.ndarray, qtype: UniformQuantizedType) -> SSAValue:
        const = qconst(array, qtype)
        const.location = op.location
        Rewriter.insert_op(const, InsertPoint.before(op))
        return const.results[0]

    # -- signature inputs and outputs --------------------------------------------------

    def boundaries(self, block: Block) -> None:
        changed = False
        if self.options.inference_input_type != "float32":
            for arg in list(block.args):
                changed |= self.integer_input(arg)
        if self.options.inference_output_type != "float32":
            ret = block.last_op
            assert isinstance(ret, ReturnOp)
            operands = [self.integer_output(ret, v) for v in ret.operands]
            ret.operands = operands
            changed = True
        if changed:
            block = self.func.body.block
            ret = block.last_op
            assert isinstance(ret, ReturnOp)
            self.func.function_type = FunctionType.from_lists(
                [a.type for a in block.args], [v.type for v in ret.operands]
            )

    def integer_input(self, arg: BlockArgument) -> bool:
        """Make a float32 argument int8 (or uint8, requantized to int8 inside)."""
        twin = self.quantized.get(arg)
        if twin is None or not isinstance(twin.owner, tfl.QuantizeOp):
            return False
        qtype = quantized_element(twin.type)
        assert qtype is not None
        quantize = twin.owner
        float_users = {u.operation for u in arg.uses if u.operation is not quantize}
        signed = self.options.inference_input_type == "int8"
        new_type = twin.type if signed else TensorType(_unsigned(qtype), _shape(twin))
        block = arg.block
        new_arg = Rewriter.replace_value_with_new_type(arg, new_type)
        if signed:
            twin.replace_all_uses_with(new_arg)
            Rewriter.erase_op(quantize)
        if float_users:
            dequantize = tfl.DequantizeOp.build([new_arg], [TensorType(f32, _shape(new_arg))])
            dequantize.location = self.func.location
            Rewriter.insert_op(dequantize, InsertPoint.at_start(block))
            new_arg.replace_uses_with_if(dequantize.results[0], lambda use: use.operation in float_users)
        return True

    def integer_output(self, ret: ReturnOp, value: SSAValue) -> SSAValue:
        source = self.quantized.get(value)
        if source is None:
            bounds = self.ranges.get(value)
            if bounds is None or not _is_f32(value):
                return value
            source = self.quantize(value, asymmetric_type(*bounds))
        if self.options.inference_output_type == "uint8":
            qtype = quantized_element(source.type)
            assert qtype is not None
            requantize = tfl.QuantizeOp.build([source], [TensorType(_unsigned(qtype), _shape(source))])
            requantize.location = ret.location
            Rewriter.insert_op(requantize, InsertPoint.before(ret))
            return requantize.results[0]
        return source


def _unsigned(qtype: UniformQuantizedType) -> UniformQuantizedType:
    """The uint8 twin of an int8 type (zero point + 128)."""
    return UniformQuantizedType("u8", qtype.scale_values, [z + 128 for z in qtype.zero_point_values])


def _shape(value: SSAValue) -> tuple[int, ...]:
    assert isinstance(value.type, TensorType)
    return tuple(value.type.get_shape())


def _float_results(op: Operation) -> list[SSAValue]:
    """The float32 results of an op (the ones int8 quantization gives parameters)."""
    return [r for r in op.results if _is_f32(r)]


def _is_index_or_bool(value: SSAValue) -> bool:
    """Whether a value is an int32/int64 or bool tensor (kept as it is by int8 quantization)."""
    ty = value.type
    return isinstance(ty, TensorType) and ty.element_type in (i1, i32, i64)


def _is_f32(value: SSAValue) -> bool:
    return isinstance(value.type, TensorType) and value.type.element_type == f32


def _is_constant(op: Operation) -> bool:
    return isinstance(op, tfl.ConstOp | tfl.QConstOp | tfl.NoValueOp)


def _has_float(op: Operation) -> bool:
    return any(_is_f32(v) for v in (*op.operands, *op.results))


def _erase_dead(module: ModuleOp) -> None:
    """Drop quantize/dequantize ops and constants left without users."""
    for func in module.ops:
        if not isinstance(func, FuncOp):
            continue
        for op in reversed(list(func.body.block.ops)):
            if isinstance(op, tfl.DequantizeOp | tfl.QuantizeOp | tfl.ConstOp | tfl.QConstOp | tfl.NoValueOp):
                if not any(r.uses for r in op.results):
                    Rewriter.erase_op(op)
