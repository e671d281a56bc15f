"""Calibration for full-integer quantization: run the float model on representative
inputs in ai-edge-litert (every intermediate tensor kept) and record each value's range.

Ranges are written into the IR as `quant.range = [array<f32: min, max>, ...]` (one per
result; an empty array for results without one) and as a `quant.range` argument
attribute, so that `tfl-quantize-int8` can run from MLIR text alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    ModuleOp,
    TensorType,
    f32,
)
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute, BlockArgument, Operation, SSAValue

from tflc.dialects import tfl
from tflc.dialects.tf_saved_model import Signature, module_signatures
from tflc.errors import ConversionError

RANGE_ATTR = "quant.range"
Sample = tuple[str, dict[str, np.ndarray]]


def collect_samples(
    dataset: Callable[[], Iterable[Any]] | Iterable[Any], module: ModuleOp, limit: int | None = None
) -> list[Sample]:
    """The representative dataset as (signature key, named inputs) pairs.

    Items may be dicts of inputs, lists/tuples of inputs in signature order, or
    `(signature_key, inputs)` pairs for models with several signatures (as in TensorFlow).
    """
    signatures = {sig.key: sig for _, sig in module_signatures(module)}
    dtypes = {sig.key: _input_dtypes(func, sig) for func, sig in module_signatures(module)}
    arg_types = {
        sig.key: dict(zip(sig.inputs, func.function_type.inputs.data)) for func, sig in module_signatures(module)
    }
    default = "serving_default" if "serving_default" in signatures else next(iter(signatures), None)
    items = dataset() if callable(dataset) else dataset
    samples: list[Sample] = []
    for n, item in enumerate(items):
        if limit is not None and n >= limit:
            break
        key = default
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            key, item = item
        if key not in signatures:
            raise ConversionError(
                f"representative_dataset item {n} is for signature '{key}', which the model does not have; "
                f"signatures: {', '.join(signatures)}"
            )
        named = _named_inputs(item, signatures[key], n)
        checked = {k: _checked_input(v, dtypes[key].get(k), arg_types[key].get(k), k, n) for k, v in named.items()}
        samples.append((key, checked))
    if not samples:
        raise ConversionError("representative_dataset yielded no samples; calibration needs at least one")
    return samples


def _input_dtypes(func: FuncOp, signature: Signature) -> dict[str, np.dtype]:
    """The numpy dtype of each signature input (samples are cast to it, as TensorFlow does)."""
    from tflc.tensors import UnsupportedTypeError, numpy_dtype

    dtypes: dict[str, np.dtype] = {}
    for name, arg in zip(signature.inputs, func.body.block.args):
        if isinstance(arg.type, TensorType):
            try:
                dtypes[name] = numpy_dtype(arg.type.element_type)
            except UnsupportedTypeError:
                pass
    return dtypes


def _checked_input(
    value: np.ndarray, dtype: np.dtype | None, arg_type: Attribute | None, name: str, n: int
) -> np.ndarray:
    """A sample input cast to its signature dtype, after checking its kind, shape and values."""
    where = f"representative_dataset item {n}, input '{name}'"
    if value.dtype.kind not in "biuf":
        raise ConversionError(f"{where}: has dtype {value.dtype}; calibration needs numbers")
    if dtype is not None:
        if dtype.kind in "biu" and value.dtype.kind == "f":
            raise ConversionError(f"{where}: has float values but the input is {dtype}")
        value = value.astype(dtype, copy=False)
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        raise ConversionError(f"{where}: contains NaN or infinity; calibration needs finite values")
    if isinstance(arg_type, TensorType):
        expected = list(arg_type.get_shape())
        if len(expected) != value.ndim or any(e >= 0 and e != d for e, d in zip(expected, value.shape)):
            shown = "x".join("?" if e < 0 else str(e) for e in expected) or "a scalar"
            raise ConversionError(f"{where}: has shape {list(value.shape)} but the input is {shown}")
    return value


def _named_inputs(item: Any, signature: Signature, n: int) -> dict[str, np.ndarray]:
    if isinstance(item, dict):
        named = {str(k): np.asarray(v) for k, v in item.items()}
    else:
        values = list(item) if isinstance(item, list | tuple) else [item]
        if len(values) != len(signature.inputs):
            raise ConversionError(
                f"representative_dataset item {n} has {len(values)} inputs; signature '{signature.key}' "
                f"takes {len(signature.inputs)} ({', '.join(signature.inputs)})"
            )
        named = {name: np.asarray(v) for name, v in zip(signature.inputs, values)}
    missing = set(signature.inputs) - set(named)
    if missing:
        raise ConversionError(
            f"representative_dataset item {n} lacks input(s) {', '.join(sorted(missing))} "
            f"of signature '{signature.key}'"
        )
    return {k: (v.numpy() if hasattr(v, "numpy") else v) for k, v in named.items()}


def interpreter(model: bytes, keep_all: bool = False) -> Any:
    """An ai-edge-litert interpreter without default delegates (intermediates readable)."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    return Interpreter(
        model_content=model,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
        experimental_preserve_all_tensors=keep_all,
    )


def calibrate(
    module: ModuleOp, samples: Sequence[Sample], select_tf_ops: bool = False, allow_custom_ops: bool = False
) -> dict[SSAValue, tuple[float, float]]:
    """The (min, max) of every float32 value of the signature functions over the samples
    (the float model exported with the conversion's Flex and custom-op settings)."""
    from tflc.backend.export import export_module

    indices: dict[SSAValue, tuple[int, int]] = {}
    model = export_module(
        module, select_tf_ops=select_tf_ops, allow_custom_ops=allow_custom_ops, tensor_indices=indices, validate=False
    )  # run in litert right below
    runtime = interpreter(model, keep_all=True)
    try:
        runtime.allocate_tensors()
    except RuntimeError as err:
        from tflc.dialects.tf import is_tf_op, tf_op_name

        kept = sorted({tf_op_name(o) for o in module.walk() if is_tf_op(o) or o.name == "tfl.custom"})
        raise ConversionError(
            "calibration runs the float model in ai-edge-litert, which cannot run it"
            + (f" (it has no kernels for {', '.join(kept)})" if kept else "")
            + f": {str(err).strip().splitlines()[0]}; full integer quantization needs a model of TFLite builtins "
            "(drop Select TF ops / custom ops for these ops, or skip int8 quantization)"
        ) from None
    functions = {sig.key: func for func, sig in module_signatures(module)}
    watched: dict[str, list[SSAValue]] = {}
    for key, func in functions.items():
        watched[key] = [v for v in _float_values(func) if v in indices]
    ranges: dict[SSAValue, tuple[float, float]] = {}
    for key, inputs in samples:
        runtime.get_signature_runner(key)(**inputs)
        for value in watched[key]:
            subgraph, tensor = indices[value]
            try:
                data = runtime.get_tensor(tensor, subgraph)
            except ValueError:  # never written (a While result nothing reads): no range
                continue
            if data.size == 0:
                continue
            low, high = float(np.min(data)), float(np.max(data))
            if value in ranges:
                low, high = min(low, ranges[value][0]), max(high, ranges[value][1])
            ranges[value] = (low, high)
    return ranges


def _float_values(func: FuncOp) -> list[SSAValue]:
    values: list[SSAValue] = [a for a in func.body.block.args if _is_f32(a)]
    for op in func.body.block.ops:
        if isinstance(op, tfl.ConstOp | tfl.QConstOp):
            continue
        values.extend(r for r in op.results if _is_f32(r))
    return values


def _is_f32(value: SSAValue) -> bool:
    return isinstance(value.type, TensorType) and value.type.element_type == f32


def annotate(module: ModuleOp, ranges: dict[SSAValue, tuple[float, float]]) -> None:
    """Write calibrated ranges into the IR as `quant.range` attributes."""
    for func in module.ops:
        if not isinstance(func, FuncOp):
            continue
        block = func.body.block
        if any(a in ranges for a in block.args):
            old = func.arg_attrs.data if func.arg_attrs is not None else [DictionaryAttr({})] * len(block.args)
            func.arg_attrs = ArrayAttr(
                [
                    DictionaryAttr({**attrs.data, RANGE_ATTR: _range_attr(ranges.get(arg))}) if arg in ranges else attrs
                    for arg, attrs in zip(block.args, old)
                ]
            )
        for op in block.ops:
            if any(r in ranges for r in op.results):
                op.attributes[RANGE_ATTR] = ArrayAttr([_range_attr(ranges.get(r)) for r in op.results])


def _range_attr(bounds: tuple[float, float] | None) -> DenseArrayBase:
    return DenseArrayBase.from_list(f32, [] if bounds is None else [bounds[0], bounds[1]])


def read_ranges(module: ModuleOp) -> dict[SSAValue, tuple[float, float]]:
    """The `quant.range` annotations of a module, by value."""
    ranges: dict[SSAValue, tuple[float, float]] = {}
    for func in module.ops:
        if not isinstance(func, FuncOp):
            continue
        block = func.body.block
        if func.arg_attrs is not None:
            for arg, attrs in zip(block.args, func.arg_attrs.data):
                _read(attrs.data.get(RANGE_ATTR), arg, ranges)
        for op in func.walk():
            attr = op.attributes.get(RANGE_ATTR)
            if isinstance(attr, ArrayAttr):
                for result, bounds in zip(op.results, attr.data):
                    _read(bounds, result, ranges)
    return ranges


def _read(attr: Attribute | None, value: SSAValue, ranges: dict[SSAValue, tuple[float, float]]) -> None:
    if isinstance(attr, DenseArrayBase):
        bounds = attr.get_values()
        if len(bounds) == 2:
            ranges[value] = (float(bounds[0]), float(bounds[1]))


def strip_ranges(module: ModuleOp) -> None:
    """Remove `quant.range` annotations (after quantization)."""
    for func in module.ops:
        if not isinstance(func, FuncOp):
            continue
        if func.arg_attrs is not None:
            func.arg_attrs = ArrayAttr(
                [DictionaryAttr({k: v for k, v in a.data.items() if k != RANGE_ATTR}) for a in func.arg_attrs.data]
            )
        for op in func.walk():
            op.attributes.pop(RANGE_ATTR, None)


def is_argument(value: SSAValue) -> bool:
    """Whether a value is a block argument."""
    return isinstance(value, BlockArgument)


def owner_op(value: SSAValue) -> Operation | None:
    """The op defining a value (None for block arguments)."""
    return value.owner if isinstance(value.owner, Operation) else None
