"""`tfl-quantize-int8`: full-integer quantization from calibrated ranges (`quant.range`).

Activations become asymmetric int8 (`!quant.uniform<i8:f32, scale:zero_point>`) from
their calibrated ranges; weights symmetric int8 (per channel for convolutions); biases
int32 with scale = input scale x weight scale. Ops that only move data (reshape,
pooling, concatenation, ...) share one scale between operands and results; softmax,
logistic and tanh have TFLite's fixed output scales. Ops without an int8 kernel, or
without ranges, stay float between `tfl.dequantize` and `tfl.quantize`.

Quantization-aware trained models bring their own parameters: a `tfl.quantize` +
`tfl.dequantize` pair on a float value (a lowered FakeQuant op) gives that value its
trained parameters (uint8 ones shifted to int8) and goes; weights that are
`tfl.dequantize` of a quantized constant keep their trained scales. Trained parameters
win over calibrated ranges; with no calibration at all (`Optimize.DEFAULT` on a QAT
model) only the values with trained parameters are quantized.

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
from tflc.dialects.quant import UniformQuantizedType, dequantize, quantized_element
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
from tflc.passes.quantized_constants import dequantized_constant


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
    trained: dict[SSAValue, UniformQuantizedType] = field(default_factory=dict)  # from quantize/dequantize pairs
    shared: set[SSAValue] = field(default_factory=set)  # values that get parameters through same-scale ops
    params: dict[SSAValue, UniformQuantizedType] = field(default_factory=dict)
    quantized: dict[SSAValue, SSAValue] = field(default_factory=dict)  # float value -> its int8 twin
    kept_float: list[Operation] = field(default_factory=list)

    def run(self) -> None:
        block = self.func.body.block
        self.take_trained_parameters(block)
        self.propagate_known(block)
        ops = [o for o in block.ops if self.quantizable(o)]
        self.kept_float = [
            o
            for o in block.ops
            if o not in ops and not _is_constant(o) and not isinstance(o, ReturnOp) and _has_float(o)
            and dequantized_constant(o.results[0] if o.results else o.operands[0]) is None  # trained weights
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

    # -- trained parameters -------------------------------------------------------

    def take_trained_parameters(self, block: Block) -> None:
        """Each float value guarded by a quantize/dequantize pair gets the pair's parameters (int8);
        the pair goes (the value's readers read it directly, or its int8 twin)."""
        for op in list(block.ops):
            if not isinstance(op, tfl.DequantizeOp) or not isinstance(op.input.owner, tfl.QuantizeOp):
                continue
            quantize_op = op.input.owner
            source = quantize_op.input
            qtype = quantized_element(quantize_op.output.type)
            if not _is_f32(source) or qtype is None or qtype.axis is not None:
                continue
            self.trained[source] = _signed(qtype)
            op.output.replace_all_uses_with(source)
            Rewriter.erase_op(op)
            if not quantize_op.output.uses:
                Rewriter.erase_op(quantize_op)

    def known(self, value: SSAValue) -> bool:
        """Whether a value has parameters to quantize with (a calibrated range, trained ones, or
        ones a same-scale op passes on)."""
        return value in self.ranges or value in self.trained or value in self.shared

    def propagate_known(self, block: Block) -> None:
        """Mark the values a same-scale op gives parameters: its results from a known input (forward),
        its inputs from a known result (backward), forward again for what the backward sweep found."""
        ops = list(block.ops)
        for sweep in (ops, ops[::-1], ops):
            for op in sweep:
                spec = spec_of(op)
                if spec is None or spec.result != "same":
                    continue
                indices = self.activation_indices(op, spec)
                inputs = [op.operands[i] for i in indices if _constant(op.operands[i]) is None]
                results = _float_results(op)
                if any(self.known(v) for v in inputs):
                    self.shared.update(r for r in results if not self.known(r))
                if results and all(self.known(r) for r in results):
                    self.shared.update(v for v in inputs if _is_f32(v) and not self.known(v))

    # -- which ops ------------------------------------------------------------------

    def quantizable(self, op: Operation) -> bool:
        spec = spec_of(op)
        if spec is None or not op.results or not all(_is_f32(r) or _is_index_or_bool(r) for r in op.results):
            return False  # integer and bool results (arg_max indices, comparisons) keep their type
        if spec.result == "range" and not all(self.known(r) for r in _float_results(op)):
            return False
        for index in self.activation_indices(op, spec):
            value = op.operands[index]
            if not _is_f32(value):
                return False
            if _constant(value) is None and not self.known(value):
                return False
        if (slots := int8_weights(op)) is not None:
            weight_index, _, bias_slot = slots
            if _constant(op.operands[weight_index]) is None:
                return False
            if bias_slot is not None:
                bias = op.operands[bias_slot]
                if not isinstance(bias.type, NoneType) and _constant(bias) is None:
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
        fixed: dict[SSAValue, UniformQuantizedType] = {}

        def find(v: SSAValue) -> SSAValue:
            parent.setdefault(v, v)
            while parent[v] is not v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        specs = {op: spec_of(op) for op in ops}
        for value, qtype in self.trained.items():
            fixed[find(value)] = qtype
        for op in ops:
            spec = specs[op]
            assert spec is not None
            if spec.result == "fixed":
                assert spec.fixed is not None
                scale, zero_point = spec.fixed
                for r in _float_results(op):  # the kernel's output scale wins over a trained one
                    fixed[find(r)] = UniformQuantizedType("i8", [scale], [zero_point])
        for op in ops:
            spec = specs[op]
            assert spec is not None
            if spec.result != "same":
                continue
            indices = self.activation_indices(op, spec)
            members = [op.operands[i] for i in indices if _constant(op.operands[i]) is None]
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
                if _constant(v) is None:
                    groups.setdefault(find(v), [v] if v not in groups.get(find(v), []) else [])
        for root, members in groups.items():
            if root in fixed:
                qtype = fixed[root]
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
        after = self.requantize_after(op, spec)
        if after is not None:  # the op works at its input's parameters; its trained ones follow it
            result_types = [TensorType(after[0], _shape(r)) if _is_f32(r) else r.type for r in op.results]
        input_type: UniformQuantizedType | None = None
        weight_type: UniformQuantizedType | None = None
        for i, value in enumerate(op.operands):
            if i in activations:
                shared = quantized_element(result_types[0]) if spec.result == "same" else None
                operands[i] = self.activation(op, value, shared)
                input_type = input_type or quantized_element(operands[i].type)
            elif i == weight:
                trained = _trained_weights(value, channel_axis)
                if trained is not None:
                    weight_type = quantized_element(trained.type)
                    operands[i] = trained
                    continue
                array = _constant(value)
                assert array is not None
                axis = channel_axis
                if isinstance(op, tfl.FullyConnectedOp) and not self.options.per_channel_dense:
                    axis = None
                weight_type = symmetric_type(array, axis)
                operands[i] = self.insert_const(op, array, weight_type)
        if bias is not None and not isinstance(op.operands[bias].type, NoneType):
            assert input_type is not None and weight_type is not None
            array = _constant(op.operands[bias])
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
            if after is not None:
                requantize = tfl.QuantizeOp.build([result], [TensorType(after[1], _shape(old))])
                requantize.location = op.location
                Rewriter.insert_op(requantize, InsertPoint.after(new))
                stats.record("requantize")
                result = requantize.results[0]
            dequantize = tfl.DequantizeOp.build([result], [old.type])
            dequantize.location = op.location
            assert isinstance(result.owner, Operation)
            Rewriter.insert_op(dequantize, InsertPoint.after(result.owner))
            old.replace_all_uses_with(dequantize.results[0])
            self.quantized[dequantize.results[0]] = result
            if old in self.params:
                self.params[dequantize.results[0]] = self.params[old]
        Rewriter.erase_op(op)

    def requantize_after(
        self, op: Operation, spec: Spec
    ) -> tuple[UniformQuantizedType, UniformQuantizedType] | None:
        """(input parameters, result parameters) of a one-input same-scale op whose result has
        other parameters (trained ones): it runs at its input's and a requantize follows, as TF writes it."""
        if spec.result != "same" or len(_float_results(op)) != 1:
            return None
        inputs = [op.operands[i] for i in self.activation_indices(op, spec) if _constant(op.operands[i]) is None]
        if len(inputs) != 1:
            return None
        source, result = self.params.get(inputs[0]), self.params.get(_float_results(op)[0])
        if source is None or result is None or source == result:
            return None
        return source, result

    def result_type(self, op: Operation, result: SSAValue, spec: Spec) -> UniformQuantizedType:
        if result in self.params:
            return self.params[result]
        bounds = self.ranges.get(result, (0.0, 1.0))
        return asymmetric_type(*bounds)

    def activation(self, op: Operation, value: SSAValue, shared: UniformQuantizedType | None) -> SSAValue:
        """The int8 form of an activation operand (requantized to `shared` if given)."""
        array = _constant(value)
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


def _constant(value: SSAValue) -> np.ndarray | None:
    """The float array of a float constant or of a dequantized quantized constant."""
    array = float_constant(value)
    if array is not None:
        return array
    source = dequantized_constant(value)
    return None if source is None else dequantize(*source)


def _trained_weights(value: SSAValue, channel_axis: int | None) -> SSAValue | None:
    """The quantized constant behind dequantized weights when int8 kernels take it as it is
    (symmetric: zero points 0; per tensor or per channel on the op's channel axis)."""
    source = dequantized_constant(value)
    if source is None:
        return None
    _, qtype = source
    if qtype.storage_name != "i8" or any(qtype.zero_point_values):
        return None
    if qtype.axis is not None and qtype.axis != channel_axis:
        return None
    owner = value.owner
    assert isinstance(owner, tfl.DequantizeOp)
    return owner.input


def _signed(qtype: UniformQuantizedType) -> UniformQuantizedType:
    """An activation type stored as int8 (a uint8 one shifted by 128, its storage range too)."""
    if qtype.storage_name != "u8":
        return qtype
    low, high = qtype.range
    return UniformQuantizedType(
        "i8", qtype.scale_values, [z - 128 for z in qtype.zero_point_values], storage_range=(low - 128, high - 128)
    )


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
