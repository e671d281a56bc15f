"""Captured lookup tables (tf.lookup.StaticHashTable, Keras StringLookup/IntegerLookup).

A signature function that captures a table gets a `tf.HashTableV2` op in place of the
resource argument, named by the table's `shared_name` as TensorFlow's importer does. The
table is filled once by an initializer function listed in the module's
`tf_saved_model.session_initializer`:

- SavedModel: the table's own `_initialize` function, its captured constants as
  `tf.Const` ops and its asset files (TextFileInitializer) as the absolute path of the
  file in the SavedModel's `assets/` directory (read later by `legalize-hashtables`);
- concrete functions and Keras models: the table's current contents, exported with
  TensorFlow (`LookupTableExportV2`) and imported as constants, sorted by key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects.builtin import BoolAttr, FunctionType, ModuleOp, NameLoc, NoneAttr, StringAttr, TensorType
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Operation, Region

from tflc.frontend.errors import FrontendError
from tflc.frontend.proto import function_pb2, node_def_pb2
from tflc.frontend.saved_model_reader import asset_path

TABLE_OPS = frozenset(
    {"HashTableV2", "HashTable", "MutableHashTableV2", "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2"}
)
MUTABLE_TABLE_OPS = frozenset({"MutableHashTableV2", "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2"})
LOOKUP_OPS = frozenset({"LookupTableFindV2", "LookupTableImportV2", "LookupTableInsertV2", "LookupTableExportV2"})


@dataclass
class TableInitArg:
    """One argument of a table's initializer function: the table, a constant or an asset path."""

    kind: str  # "table", "constant" or "asset"
    value: Attribute | None = None  # the constant (dense or tensor_proto)
    path: str = ""  # the asset file


@dataclass
class TableSource:
    """A captured lookup table: the op creating it and how it is filled."""

    key: str  # identity of the table in the model (shared by every function capturing it)
    name: str  # its object path or node name, for messages and function names
    op: str  # the TF op creating it (HashTableV2, MutableHashTableV2, ...)
    key_dtype: int
    value_dtype: int
    shared_name: str
    initializer: function_pb2.FunctionDef | None = None
    init_args: list[TableInitArg] = field(default_factory=list)
    contents: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None


def table_attributes(source: TableSource) -> dict[str, Attribute]:
    """The attributes of the `tf.HashTableV2` op creating the table."""
    from tflc.tensors import element_type_from_tf

    return {
        "container": StringAttr(""),
        "key_dtype": element_type_from_tf(source.key_dtype),
        "shared_name": StringAttr(source.shared_name),
        "use_node_name_sharing": BoolAttr.from_bool(False),
        "value_dtype": element_type_from_tf(source.value_dtype),
    }


def table_op(source: TableSource) -> Operation:
    """A `tf.<op>` creating the table (a resource handle)."""
    from tflc.dialects.tf import ResourceType
    from tflc.dialects import make_context

    op_class = make_context().get_optional_op("tf." + source.op)
    assert op_class is not None  # unregistered tf ops parse as generic ops
    op = op_class.create(result_types=[TensorType(ResourceType([]), [])], attributes=table_attributes(source))
    op.location = NameLoc(StringAttr(source.name), NoneAttr())
    return op


# --------------------------------------------------------------------------- SavedModel


def saved_model_table(
    resolver: Any, key: str, node: node_def_pb2.NodeDef, obj: Any, node_id: int | None, path: str
) -> TableSource:
    """The table a SavedModel signature captures (graph node `node`, object `obj`)."""
    name = path or node.name
    if node.op not in TABLE_OPS:
        raise FrontendError(
            f"signature {key!r} captures the resource {name!r} made by {node.op}, which tflc cannot convert "
            "(only variables, constants and lookup tables can be captured)",
            resolver.pb_path,
        )
    source = TableSource(
        key=f"node:{node_id}" if node_id is not None else node.name,
        name=name,
        op="HashTableV2" if node.op == "HashTable" else node.op,
        key_dtype=int(node.attr["key_dtype"].type),
        value_dtype=int(node.attr["value_dtype"].type),
        shared_name=node.attr["shared_name"].s.decode("utf-8", "replace") or node.name,
    )
    from tflc.tensors import UnsupportedTypeError, element_type_from_tf

    for what, dtype in (("key", source.key_dtype), ("value", source.value_dtype)):
        try:
            element_type_from_tf(dtype)
        except UnsupportedTypeError as err:
            message = f"signature {key!r}: the {what}s of lookup table {name!r}: {err}"
            raise FrontendError(message, resolver.pb_path) from None
    if node.op in MUTABLE_TABLE_OPS:
        _check_mutable(resolver, key, name, node)
        source.contents = _checkpoint_contents(resolver, key, name, node_id, path)
        return source
    init = _child(resolver, obj, "_initialize")
    if init is None or not init.function.concrete_functions:
        raise FrontendError(
            f"signature {key!r}: lookup table {name!r} ({node.op}) has no initializer in the SavedModel; "
            "tflc converts tables filled by an initializer (tf.lookup.StaticHashTable with "
            "KeyValueTensorInitializer or TextFileInitializer)",
            resolver.pb_path,
        )
    function_name = init.function.concrete_functions[0]
    fdef = resolver.library.get(function_name) if function_name in resolver.library else None
    bound = resolver.object_graph.concrete_functions[function_name].bound_inputs
    if fdef is None or len(bound) != len(fdef.signature.input_arg):
        raise FrontendError(
            f"signature {key!r}: the initializer {function_name!r} of lookup table {name!r} does not match "
            "its captured inputs; re-export the SavedModel",
            resolver.pb_path,
        )
    source.initializer = fdef
    for bound_id in bound:
        source.init_args.append(_init_arg(resolver, key, name, bound_id, node_id))
    return source


def _check_mutable(resolver: Any, key: str, name: str, node: node_def_pb2.NodeDef) -> None:
    """A mutable table TFLite can hold: a MutableHashTable with one scalar value per key."""
    if node.op == "MutableDenseHashTableV2":
        raise FrontendError(
            f"signature {key!r} captures the DenseHashTable {name!r} (MutableDenseHashTableV2), which "
            "TFLite's hashtable builtins cannot hold; use tf.lookup.experimental.MutableHashTable or "
            "tf.lookup.StaticHashTable",
            resolver.pb_path,
        )
    if node.op == "MutableHashTableOfTensorsV2":
        shape = node.attr["value_shape"].shape
        if shape.unknown_rank or len(shape.dim) > 0:
            raise FrontendError(
                f"signature {key!r} captures the lookup table {name!r} whose values are tensors "
                "(MutableHashTableOfTensorsV2); TFLite's hashtable builtins hold one scalar value per key: "
                "give the table scalar values (a scalar default_value)",
                resolver.pb_path,
            )


def _checkpoint_contents(
    resolver: Any, key: str, name: str, node_id: int | None, path: str
) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    """The keys and values a mutable table's saveable wrote to the checkpoint (`<key>-keys`, `<key>-values`)."""
    ckpt_key = resolver.checkpoint_key(node_id, path, "table") if node_id is not None else None
    checkpoint = resolver.checkpoint()
    where = checkpoint.index_path
    if ckpt_key is None or f"{ckpt_key}-keys" not in checkpoint or f"{ckpt_key}-values" not in checkpoint:
        raise FrontendError(
            f"signature {key!r}: mutable lookup table {name!r} has no contents in the checkpoint "
            f"(its keys and values); re-export the SavedModel",
            where,
        )

    def contents() -> tuple[np.ndarray, np.ndarray]:
        keys, values = checkpoint.read(f"{ckpt_key}-keys"), checkpoint.read(f"{ckpt_key}-values")
        _check_scalar_entries(name, keys, values, where)
        order = np.argsort(keys, kind="stable")  # deterministic whatever the checkpoint's bucket order
        return keys[order], values[order]

    return contents


def _check_scalar_entries(name: str, keys: np.ndarray, values: np.ndarray, source: str) -> None:
    """A table's exported contents are one scalar value per scalar key, as TFLite's tables hold them."""
    if keys.ndim != 1 or values.shape != keys.shape:
        raise FrontendError(
            f"lookup table {name!r} exports keys of shape {list(keys.shape)} and values of shape "
            f"{list(values.shape)} (a DenseHashTable or a table of tensors); TFLite's hashtable builtins "
            "hold one scalar value per scalar key: use tf.lookup.StaticHashTable or "
            "tf.lookup.experimental.MutableHashTable with scalar values",
            source,
        )


def _child(resolver: Any, obj: Any, local_name: str) -> Any:
    """The object graph child `local_name` of `obj`, or None."""
    if obj is None:
        return None
    for ref in obj.children:
        if ref.local_name == local_name and 0 <= ref.node_id < len(resolver.object_graph.nodes):
            return resolver.object_graph.nodes[ref.node_id]
    return None


def _init_arg(resolver: Any, key: str, table: str, bound_id: int, table_id: int | None) -> TableInitArg:
    """What an initializer's captured input is: the table itself, a constant or an asset file."""
    from tflc.frontend.graph_import import _tensor_attr

    if bound_id == table_id:
        return TableInitArg("table")
    if not 0 <= bound_id < len(resolver.object_graph.nodes):
        raise FrontendError(
            f"signature {key!r}: the initializer of lookup table {table!r} captures object {bound_id}, "
            "which the object graph does not hold; re-export the SavedModel",
            resolver.pb_path,
        )
    obj = resolver.object_graph.nodes[bound_id]
    kind = obj.WhichOneof("kind")
    if kind == "constant" and obj.constant.operation in resolver.nodes:
        const = resolver.nodes[obj.constant.operation]
        try:
            return TableInitArg("constant", _tensor_attr(const.attr["value"].tensor))
        except ValueError as err:
            raise FrontendError(f"constant {const.name!r} of lookup table {table!r}: {err}", resolver.pb_path) from None
    if kind == "asset":
        files = resolver.meta_graph.asset_file_def
        index = obj.asset.asset_file_def_index
        if not 0 <= index < len(files):
            raise FrontendError(f"lookup table {table!r} reads an asset the SavedModel does not list", resolver.pb_path)
        return TableInitArg("asset", path=asset_path(resolver.root, files[index].filename, resolver.pb_path))
    raise FrontendError(
        f"signature {key!r}: the initializer of lookup table {table!r} captures a {kind or 'value'} "
        "(only constants and asset files are supported)",
        resolver.pb_path,
    )


# --------------------------------------------------------------------------- concrete functions


def concrete_table(
    handle: Any, arg: str, name: str, library: Mapping[str, function_pb2.FunctionDef], fdef: Any, source: str
) -> TableSource | None:
    """The lookup table behind a captured resource handle (None: the function uses it as no table)."""
    dtypes = _lookup_dtypes(library, fdef.signature.name, arg, 0)
    if dtypes is None:
        return None
    key_dtype, value_dtype = dtypes

    def contents() -> tuple[np.ndarray, np.ndarray]:
        import tensorflow as tf

        try:
            keys, values = tf.raw_ops.LookupTableExportV2(
                table_handle=handle, Tkeys=tf.dtypes.as_dtype(key_dtype), Tvalues=tf.dtypes.as_dtype(value_dtype)
            )
        except tf.errors.OpError as err:
            raise FrontendError(f"cannot read lookup table '{name}': {err.message}", source) from None
        keys_np, values_np = keys.numpy(), values.numpy()
        _check_scalar_entries(name, keys_np, values_np, source)
        order = sorted(range(len(keys_np)), key=lambda i: keys_np[i])
        return keys_np[order], values_np[order]

    return TableSource(f"handle:{id(handle)}", name, "HashTableV2", key_dtype, value_dtype, name, contents=contents)


def _lookup_dtypes(
    library: Mapping[str, function_pb2.FunctionDef], function: str, arg: str, depth: int
) -> tuple[int, int] | None:
    """The (key, value) dtypes of the lookup ops a function applies to its argument `arg`."""
    fdef = library.get(function)
    if fdef is None or depth > 16:
        return None
    for node in fdef.node_def:
        inputs = [i.split(":")[0] for i in node.input if not i.startswith("^")]
        if arg not in inputs:
            continue
        if node.op in LOOKUP_OPS and "Tin" in node.attr:
            return int(node.attr["Tin"].type), int(node.attr["Tout"].type)
        if node.op in ("StatefulPartitionedCall", "PartitionedCall") and node.attr["f"].func.name:
            callee = library.get(node.attr["f"].func.name)
            if callee is None:
                continue
            position = inputs.index(arg)
            if position < len(callee.signature.input_arg):
                found = _lookup_dtypes(
                    library, callee.signature.name, callee.signature.input_arg[position].name, depth + 1
                )
                if found is not None:
                    return found
    return None


# --------------------------------------------------------------------------- the module


def add_table_initializers(functions: Any, module: ModuleOp, tables: Sequence[TableSource]) -> None:
    """One initializer function per table, listed in a `tf_saved_model.session_initializer`."""
    from tflc.dialects.tf_saved_model import SessionInitializerOp

    unique = list({t.key: t for t in tables}.values())
    if not unique:
        return
    names: list[str] = []
    taken = {f.sym_name.data for f in module.ops if isinstance(f, FuncOp)}
    for table in unique:
        base = "init_" + "".join(c if c.isalnum() or c == "_" else "_" for c in table.name)
        name, n = base, 0
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        func = _initializer_function(functions, table, name)
        func.sym_visibility = StringAttr("private")
        module.body.block.add_op(func)
        names.append(name)
    first = module.body.block.first_op
    init = SessionInitializerOp(names)
    module.body.block.insert_op_before(init, first) if first else module.body.block.add_op(init)


def _initializer_function(functions: Any, table: TableSource, name: str) -> FuncOp:
    """The function filling `table`: its SavedModel initializer, or an import of its contents."""
    from tflc.dialects import tf

    if table.initializer is None:
        assert table.contents is not None
        keys, values = table.contents()
        block = Block()
        handle = table_op(table)
        block.add_op(handle)
        operands = [handle.results[0]]
        for array in (keys, values):
            const = tf.ConstOp.create(
                result_types=[_attr_type(_constant(array))], attributes={"value": _constant(array)}
            )
            const.location = handle.location
            block.add_op(const)
            operands.append(const.results[0])
        op_class = functions.ctx.get_optional_op("tf.LookupTableImportV2")
        block.add_op(op_class.create(operands=operands, result_types=[]))
        block.add_op(ReturnOp())
        return FuncOp(name, FunctionType.from_lists([], []), Region(block))
    func = functions.build(table.initializer, name)
    block = func.body.block
    first = block.first_op
    assert first is not None
    for arg, spec in zip(list(block.args), table.init_args, strict=True):
        if spec.kind == "table":
            new = table_op(table)
        else:
            value = spec.value if spec.kind == "constant" else _constant(np.array(spec.path.encode(), dtype=object))
            assert value is not None
            new = tf.ConstOp.create(result_types=[_attr_type(value)], attributes={"value": value})
            new.location = NameLoc(StringAttr(spec.path or table.name), NoneAttr())
        block.insert_op_before(new, first)
        arg.replace_all_uses_with(new.results[0])
    for arg in reversed(list(block.args)):
        block.erase_arg(arg)
    ret = block.last_op
    assert isinstance(ret, ReturnOp)
    block.erase_op(ret)
    block.add_op(ReturnOp())
    func.function_type = FunctionType.from_lists([], [])
    return func


def _constant(array: np.ndarray) -> Attribute:
    """A constant attribute for numbers or strings."""
    from tflc.tensors import numpy_to_dense, strings_to_attr

    if array.dtype == object or array.dtype.kind in "SU":
        return strings_to_attr(array.astype(object))
    return numpy_to_dense(array)


def _attr_type(value: Attribute) -> Attribute:
    """The tensor type of a constant attribute."""
    ty: Attribute = value.type  # type: ignore[attr-defined]
    return ty
