"""Import traced TensorFlow functions (concrete functions, Keras models) into a tf-dialect module.

Each concrete function becomes an exported function as `saved_model.py` builds one
for a SavedModel signature: its FunctionDef (and the library it calls) imported
into the tf dialect, arguments and results named as TensorFlow's SavedModel
signatures would name them, captured variables as `tf_saved_model.global_tensor`
ops holding their current values, captured constants as `tf.Const` ops.
TensorFlow's TFLite converter is never used; TensorFlow itself is imported only
inside the functions, so this module imports without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from tflc.dialects.tf_saved_model import DEFAULT_SIGNATURE_KEY, mark_module
from tflc.frontend.errors import FrontendError
from tflc.frontend.graph_import import FunctionImporter
from tflc.frontend.proto import function_pb2, graph_pb2, types_pb2
from tflc.frontend.lookup_tables import add_table_initializers, concrete_table
from tflc.frontend.saved_model import signature_function, table_captures
from tflc.frontend.saved_model_reader import (
    Capture,
    SavedModelData,
    Signature,
    TensorSpec,
)

__all__ = ["import_concrete_functions", "import_keras_model"]

SOURCE = "<concrete functions>"
KERAS_SOURCE = "<keras model>"

_INFERENCE_NAME = re.compile(r"^__inference_(.+?)_\d+$")


def import_concrete_functions(funcs: Sequence[Any], trackable_obj: Any = None) -> ModuleOp:
    """A tf-dialect module with one exported function per concrete function (keys from their names)."""
    concrete = [_concrete_function(f) for f in funcs]
    if not concrete:
        raise FrontendError("no concrete functions to convert", SOURCE)
    keys = _signature_keys(concrete)
    return _build_module(list(zip(keys, concrete)), trackable_obj, SOURCE)


def import_keras_model(model: Any) -> ModuleOp:
    """A tf-dialect module with the Keras model traced as the `serving_default` signature."""
    func = _trace_keras_model(model)
    return _build_module([(DEFAULT_SIGNATURE_KEY, func)], model, KERAS_SOURCE)


# --------------------------------------------------------------------------- signature keys


def _concrete_function(func: Any) -> Any:
    """A ConcreteFunction, tracing a `tf.function` with an input signature."""
    if hasattr(func, "function_def") and hasattr(func, "captured_inputs"):
        return func
    if hasattr(func, "get_concrete_function"):
        try:
            return func.get_concrete_function()
        except (TypeError, ValueError) as err:
            name = getattr(func, "__name__", repr(func))
            raise FrontendError(
                f"cannot trace tf.function '{name}' without arguments ({err}); give it an input_signature "
                "or pass func.get_concrete_function(tf.TensorSpec(...))",
                SOURCE,
            ) from None
    raise FrontendError(f"{func!r} is not a TensorFlow concrete function or tf.function", SOURCE)


def _python_name(func: Any) -> str:
    """The Python name of the function a ConcreteFunction traced (`encode`)."""
    graph_name = getattr(func.graph, "name", "")
    if graph_name:
        return str(graph_name)
    name = func.name.decode() if isinstance(func.name, bytes) else str(func.name)
    match = _INFERENCE_NAME.match(name)
    return match.group(1) if match else name


def _signature_keys(funcs: Sequence[Any]) -> list[str]:
    """`serving_default` for one function, else each function's Python name (unique)."""
    if len(funcs) == 1:
        return [DEFAULT_SIGNATURE_KEY]
    keys = [_python_name(f) for f in funcs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise FrontendError(
            f"several concrete functions are named {', '.join(repr(d) for d in duplicates)}; "
            "signature keys come from function names, so give each function a distinct name "
            "(or save a SavedModel with explicit signature keys)",
            SOURCE,
        )
    return keys


# --------------------------------------------------------------------------- module


def _build_module(entries: Sequence[tuple[str, Any]], trackable_obj: Any, source: str) -> ModuleOp:
    """One exported function per (key, ConcreteFunction), sharing global tensors for shared variables."""
    library: dict[str, function_pb2.FunctionDef] = {}
    signatures: dict[str, Signature] = {}
    names = _VariableNames(entries, trackable_obj)
    for key, func in entries:
        library.update(_library(func))
        signatures[key] = _signature(key, func, names, source, library)
    data = SavedModelData(source, frozenset(), signatures, library, graph_pb2.GraphDef())
    module = ModuleOp([])
    mark_module(module)
    functions = FunctionImporter(library, module, source)
    globals_: dict[str, str] = {}
    for signature in signatures.values():
        module.body.block.add_op(signature_function(functions, data, signature, module, globals_))
    add_table_initializers(functions, module, table_captures(signatures.values()))
    return module


def _signature(
    key: str, func: Any, names: _VariableNames, source: str, library: Mapping[str, function_pb2.FunctionDef]
) -> Signature:
    """The signature of one concrete function: named inputs and outputs, captures."""
    fdef = func.function_def
    captured = list(func.captured_inputs)
    num_inputs = len(fdef.signature.input_arg) - len(captured)
    if num_inputs < 0:
        raise FrontendError(f"function '{key}' has fewer arguments than captured values", source)
    inputs = _input_specs(func, num_inputs, source, key)
    outputs = _output_specs(func, source, key)
    captures = [
        _capture(num_inputs + i, handle, fdef, names, source, library) for i, handle in enumerate(captured)
    ]
    return Signature(key, fdef.signature.name, inputs, outputs, captures)


def _input_specs(func: Any, count: int, source: str, key: str) -> list[TensorSpec]:
    """Input names as SavedModel signatures name them: TensorSpec `name=`, else the argument name."""
    fdef = func.function_def
    spec_names = _structured_input_names(func)
    specs = []
    for index in range(count):
        arg = fdef.signature.input_arg[index]
        name = _user_specified_name(fdef, index) or (spec_names[index] if index < len(spec_names) else None)
        tensor = func.inputs[index]
        specs.append(TensorSpec(name or arg.name, int(arg.type), _dims(tensor.shape)))
    _check_unique([s.name for s in specs], "input", key, source)
    return specs


def _structured_input_names(func: Any) -> list[str | None]:
    """The names of the flattened TensorSpecs of a function's input signature."""
    import tensorflow as tf

    flat = tf.nest.flatten(func.structured_input_signature, expand_composites=False)
    return [getattr(s, "name", None) for s in flat if isinstance(s, tf.TensorSpec)]


def _user_specified_name(fdef: Any, index: int) -> str | None:
    """The `_user_specified_name` TensorFlow gave argument `index` (the Python or TensorSpec name)."""
    if index not in fdef.arg_attr:
        return None
    attrs = fdef.arg_attr[index].attr
    if "_user_specified_name" not in attrs:
        return None
    return attrs["_user_specified_name"].s.decode("utf-8", errors="replace") or None


def _output_specs(func: Any, source: str, key: str) -> list[TensorSpec]:
    """Output names: dict keys (sorted, as TensorFlow flattens dicts), else `output_0..N`."""
    import tensorflow as tf

    structure = func.structured_outputs
    if isinstance(structure, Mapping):
        names = [str(k) for k in sorted(structure)]
        flat = [structure[k] for k in sorted(structure)]
    else:
        flat = list(structure) if isinstance(structure, (list, tuple)) else [structure]
        names = [f"output_{i}" for i in range(len(flat))]
    if not all(isinstance(t, tf.Tensor) for t in flat):
        raise FrontendError(
            f"function '{key}' must return a tensor, a flat list or tuple of tensors, or a dict of tensors "
            f"(got {type(structure).__name__} with nested or non-tensor values)",
            source,
        )
    results = func.function_def.signature.output_arg
    if len(results) != len(flat):
        raise FrontendError(f"function '{key}' returns {len(results)} tensors for {len(flat)} outputs", source)
    return [TensorSpec(n, int(r.type), _dims(t.shape)) for n, r, t in zip(names, results, flat)]


def _check_unique(names: Sequence[str], what: str, key: str, source: str) -> None:
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FrontendError(f"signature '{key}' has several {what}s named {', '.join(duplicates)}", source)


def _dims(shape: Any) -> tuple[int, ...] | None:
    """A TensorShape as dims (-1 unknown), None for an unknown rank."""
    if shape.rank is None:
        return None
    return tuple(-1 if d is None else int(d) for d in shape.as_list())


# --------------------------------------------------------------------------- captures


class _VariableNames:
    """Unique global tensor names for captured variables, by the identity of their handles."""

    def __init__(self, entries: Iterable[tuple[str, Any]], trackable_obj: Any):
        self.known: dict[int, str] = {}
        for _, func in entries:
            for var in func.graph.variables:
                self.known.setdefault(id(var.handle), var.name.split(":")[0])
        for path, var in _module_variables(trackable_obj):
            self.known[id(var.handle)] = path
        for path, table in _module_tables(trackable_obj):
            self.known[id(table.resource_handle)] = path
        self.assigned: dict[int, str] = {}
        self.used: set[str] = set()

    def name(self, handle: Any, fallback: str) -> str:
        """The global tensor name for a handle (the same for every function capturing it)."""
        if id(handle) in self.assigned:
            return self.assigned[id(handle)]
        base = self.known.get(id(handle), fallback) or "variable"
        name, n = base, 0
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        self.assigned[id(handle)] = name
        return name


def _module_variables(obj: Any) -> list[tuple[str, Any]]:
    """(attribute path, variable) pairs of a tf.Module, e.g. ('const', v) for `root.const`."""
    if obj is None or not hasattr(obj, "_flatten"):
        return []
    import tensorflow as tf

    def is_variable(value: Any) -> bool:
        return isinstance(value, tf.Variable) and hasattr(value, "handle")

    try:
        found = obj._flatten(predicate=is_variable, with_path=True)
        return [(".".join(str(p) for p in path), var) for path, var in found]
    except (AttributeError, TypeError, ValueError):  # not a plain tf.Module (e.g. a Keras model)
        return []


def _module_tables(obj: Any) -> list[tuple[str, Any]]:
    """(attribute path, lookup table) pairs of a tf.Module, e.g. ('vocab', table) for `root.vocab`."""
    if obj is None or not hasattr(obj, "_flatten"):
        return []
    import tensorflow as tf

    def is_table(value: Any) -> bool:
        return isinstance(value, tf.lookup.experimental.DenseHashTable | tf.lookup.experimental.MutableHashTable) or (
            isinstance(value, tf.lookup.StaticHashTable)
        )

    try:
        found = obj._flatten(predicate=is_table, with_path=True)
        return [(".".join(str(p) for p in path), table) for path, table in found]
    except (AttributeError, TypeError, ValueError):  # not a plain tf.Module (e.g. a Keras model)
        return []


def _capture(
    index: int,
    value: Any,
    fdef: Any,
    names: _VariableNames,
    source: str,
    library: Mapping[str, function_pb2.FunctionDef],
) -> Capture:
    """A captured eager tensor bound to trailing argument `index`: variable handle, lookup table or constant."""
    import tensorflow as tf

    arg = fdef.signature.input_arg[index].name
    if value.dtype == tf.resource and not _has_handle_data(value):
        table = concrete_table(value, arg, names.name(value, arg), library, fdef, source)
        if table is not None:
            return Capture(index, "table", table.name, None, types_pb2.DT_RESOURCE, (), arg, _no_value, table)
    if value.dtype == tf.resource:
        dtype, shape = _handle_dtype_shape(value, arg, source)
        name = names.name(value, arg)
        loader = _variable_reader(value, dtype, arg, source)
        return Capture(index, "variable", name, name, dtype, shape, name, loader)
    array = np.array(value.numpy(), dtype=object) if value.dtype == tf.string else value.numpy()
    dtype = int(value.dtype.as_datatype_enum)
    return Capture(index, "constant", "", None, dtype, array.shape, arg, lambda: array)


def _has_handle_data(handle: Any) -> bool:
    """Whether a resource handle carries a variable's dtype and shape."""
    data = getattr(handle, "_handle_data", None)
    return data is not None and data.is_set and bool(list(data.shape_and_type))


def _no_value() -> np.ndarray:
    raise AssertionError("a lookup table has no tensor value")


def _handle_dtype_shape(handle: Any, arg: str, source: str) -> tuple[int, tuple[int, ...] | None]:
    """The dtype and shape of the variable behind a resource handle."""
    data = getattr(handle, "_handle_data", None)
    items = list(data.shape_and_type) if data is not None and data.is_set else []
    if not items:
        raise FrontendError(f"captured resource '{arg}' is not a variable (no dtype or shape)", source)
    shape = None if items[0].shape.unknown_rank else tuple(int(d.size) for d in items[0].shape.dim)
    return int(items[0].dtype), shape


def _variable_reader(handle: Any, dtype: int, arg: str, source: str) -> Callable[[], np.ndarray]:
    """A loader reading the variable's current value (at conversion time)."""

    def load() -> np.ndarray:
        import tensorflow as tf

        try:
            return tf.raw_ops.ReadVariableOp(resource=handle, dtype=tf.dtypes.as_dtype(dtype)).numpy()
        except tf.errors.OpError as err:
            raise FrontendError(f"cannot read captured variable '{arg}': {err.message}", source) from None

    return load


# --------------------------------------------------------------------------- FunctionDefs


def _library(func: Any) -> dict[str, function_pb2.FunctionDef]:
    """The FunctionDef of a concrete function and of every function it calls, with output shapes."""
    graphs = _function_graphs(func.graph)
    fdefs = [func.function_def, *func.graph.as_graph_def().library.function]
    graphs[func.function_def.signature.name] = func.graph
    library = {}
    for fdef in fdefs:
        name = fdef.signature.name
        library[name] = _annotated(fdef, graphs.get(name))
    return library


def _function_graphs(graph: Any) -> dict[str, Any]:
    """The FuncGraphs of the library functions a graph calls (transitively), by name."""
    found: dict[str, Any] = {}
    pending = [graph]
    while pending:
        for name, atomic in getattr(pending.pop(), "_functions", {}).items():
            sub = getattr(atomic, "graph", None)
            name = name.decode() if isinstance(name, bytes) else str(name)
            if sub is not None and name not in found:
                found[name] = sub
                pending.append(sub)
    return found


def _annotated(tf_fdef: Any, graph: Any) -> function_pb2.FunctionDef:
    """Our FunctionDef proto for TensorFlow's, with `_output_shapes` and handle data from its graph."""
    fdef = tf_fdef.__class__()
    fdef.CopyFrom(tf_fdef)
    if graph is not None:
        _add_output_shapes(fdef, graph)
        _add_handle_data(fdef, graph)
    return function_pb2.FunctionDef.FromString(fdef.SerializeToString())


def _add_output_shapes(fdef: Any, graph: Any) -> None:
    """Give each node the static output shapes TensorFlow inferred while tracing."""
    ops = {op.name: op for op in graph.get_operations()}
    for node in fdef.node_def:
        op = ops.get(node.name)
        if op is None or op.type != node.op or "_output_shapes" in node.attr:
            continue
        shapes = node.attr["_output_shapes"].list.shape
        for tensor in op.outputs:
            shapes.add().CopyFrom(tensor.shape.as_proto())


def _add_handle_data(fdef: Any, graph: Any) -> None:
    """Record the dtype and shape behind each resource argument (`_handle_dtypes`/`_handle_shapes`)."""
    from tensorflow.python.ops import handle_data_util

    for index, arg in enumerate(fdef.signature.input_arg):
        if arg.type != types_pb2.DT_RESOURCE or arg.handle_data or index >= len(graph.inputs):
            continue
        data = handle_data_util.get_resource_handle_data(graph.inputs[index])
        if not data.is_set or not data.shape_and_type:
            continue
        attrs = fdef.arg_attr[index].attr
        attrs["_handle_dtypes"].list.type.extend(int(s.dtype) for s in data.shape_and_type)
        for item in data.shape_and_type:
            attrs["_handle_shapes"].list.shape.add().CopyFrom(item.shape)


# --------------------------------------------------------------------------- Keras


def _trace_keras_model(model: Any) -> Any:
    """A ConcreteFunction calling the model on its input specs and returning a dict of named outputs."""
    import tensorflow as tf

    structure = _keras_inputs(model)
    flat = tf.nest.flatten(structure)
    names = _keras_input_names(structure, flat)
    specs = [tf.TensorSpec(list(t.shape), tf.dtypes.as_dtype(t.dtype), name=n) for t, n in zip(flat, names)]

    def serve(*args: Any) -> Any:
        # As TensorFlow 2.21's converter (and Keras 3's export): dict outputs keep their
        # keys, other outputs are output_0..N in the model's output order.
        outputs = model(tf.nest.pack_sequence_as(structure, list(args)), training=False)
        if isinstance(outputs, Mapping):
            return dict(outputs)
        values = tf.nest.flatten(outputs)
        return {f"output_{i}": v for i, v in enumerate(values)}

    serve.__name__ = DEFAULT_SIGNATURE_KEY
    return tf.function(serve, input_signature=specs, autograph=False).get_concrete_function()


def _keras_inputs(model: Any) -> Any:
    """The model's input structure of KerasTensors (or TensorSpecs from `input_shape`)."""
    import tensorflow as tf

    structure = getattr(model, "_inputs_struct", None)
    if structure is not None:
        return structure
    try:
        inputs = list(model.inputs)
    except (AttributeError, ValueError):
        inputs = []
    if inputs:
        return inputs[0] if len(inputs) == 1 else inputs
    shape = getattr(model, "input_shape", None) if getattr(model, "built", False) else None
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return tf.TensorSpec(shape, tf.float32, name="inputs")
    raise FrontendError(
        f"Keras model '{getattr(model, 'name', model)}' has no known inputs; build it with keras.Input, "
        "or trace it yourself: tf.function(lambda x: model(x)).get_concrete_function(tf.TensorSpec(...)) "
        "and use import_concrete_functions",
        KERAS_SOURCE,
    )


def _keras_input_names(structure: Any, flat: Sequence[Any]) -> list[str]:
    """Dict keys for dict inputs, else the Keras Input names."""
    if isinstance(structure, Mapping) and len(structure) == len(flat):
        return [str(k) for k in sorted(structure)]
    return [getattr(t, "name", None) or f"input_{i}" for i, t in enumerate(flat)]
