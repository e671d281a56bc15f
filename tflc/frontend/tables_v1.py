"""Lookup tables of TF1 SavedModels: the table initializers of the init op become the session initializer.

A TF1 SavedModel fills its tables (`tf.compat.v1.tables_initializer()`) in the op a
SavedModel loader runs once after restoring the variables: the `__saved_model_init_op`
signature, or the `saved_model_main_op` / `legacy_init_op` collection (simple_save and
`Builder(main_op=..., legacy_init_op=...)`). The table initializers that op reaches
(`InitializeTableV2`, `InitializeTableFromTextFileV2`, `LookupTableImportV2`) become one
function listed in `tf_saved_model.session_initializer`, their inputs pruned from the
graph; asset file names (the `saved_model_assets` collection or the MetaGraphDef's
`asset_file_def`) become the path of the file in the SavedModel's `assets/` directory,
as the loader feeds them. Mutable tables are filled from the checkpoint as the graph's
Saver restores them (`RestoreV2` -> `LookupTableImportV2`): their keys and values become
constants imported by the same function. Variable initializers are dropped: TF1
variables are frozen. Only the tables the converted signatures use are filled.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

import numpy as np
from google.protobuf.message import DecodeError, Message
from xdsl.dialects.builtin import ModuleOp, StringAttr

from tflc.frontend.checkpoint import Checkpoint
from tflc.frontend.errors import FrontendError
from tflc.frontend.functionalize import parse_ref
from tflc.frontend.graph_def import graph_function
from tflc.frontend.graph_import import FunctionImporter
from tflc.frontend.saved_model_reader import asset_path
from tflc.frontend.proto import function_pb2, lazy_saved_model_pb2, meta_graph_pb2, node_def_pb2, types_pb2

__all__ = ["add_v1_table_initializer", "init_op_name"]

INIT_OP_SIGNATURE_KEY = "__saved_model_init_op"
INIT_OP_COLLECTIONS = ("saved_model_main_op", "legacy_init_op")
"""Where a SavedModel loader finds the init op, in the order it looks."""
TABLE_OPS = frozenset(
    {"HashTableV2", "HashTable", "MutableHashTableV2", "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2"}
)
TABLE_INIT_OPS = frozenset(
    {"InitializeTableV2", "InitializeTable", "InitializeTableFromTextFileV2", "InitializeTableFromTextFile",
     "LookupTableImportV2"}
)
_ASSETS_COLLECTION = "saved_model_assets"
_ANY_LIST_FIELD = 5  # CollectionDef.any_list, which tflc's proto subset leaves unparsed


def init_op_name(meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef) -> str | None:
    """The node the SavedModel loader runs once after restoring (None: no init op)."""
    if INIT_OP_SIGNATURE_KEY in meta_graph.signature_def:
        outputs = meta_graph.signature_def[INIT_OP_SIGNATURE_KEY].outputs
        if INIT_OP_SIGNATURE_KEY in outputs:
            return parse_ref(outputs[INIT_OP_SIGNATURE_KEY].name)[0]
    for collection in INIT_OP_COLLECTIONS:
        if collection in meta_graph.collection_def:
            names = meta_graph.collection_def[collection].node_list.value
            if names:
                return parse_ref(names[0])[0]
    return None


def asset_paths(root: str, meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef) -> dict[str, str]:
    """Graph node -> the absolute path of the asset file the loader feeds it."""
    files: list[meta_graph_pb2.AssetFileDef] = list(meta_graph.asset_file_def)
    if _ASSETS_COLLECTION in meta_graph.collection_def:
        try:
            files.extend(_any_list_assets(meta_graph.collection_def[_ASSETS_COLLECTION]))
        except DecodeError as err:
            raise FrontendError(
                f"collection '{_ASSETS_COLLECTION}' holds a corrupt AssetFileDef ({err}); re-export the SavedModel",
                os.path.join(root, "saved_model.pb"),
            ) from None
    pb_path = os.path.join(root, "saved_model.pb")
    return {
        parse_ref(f.tensor_info.name)[0]: asset_path(root, f.filename, pb_path) for f in files if f.tensor_info.name
    }


def _any_list_assets(collection: Message) -> list[meta_graph_pb2.AssetFileDef]:
    """The AssetFileDefs of a CollectionDef's any_list (kept by protobuf as an unknown field)."""
    from google.protobuf import any_pb2, empty_pb2
    from google.protobuf.unknown_fields import UnknownFieldSet

    found = []
    fields = UnknownFieldSet(collection)
    for field in (fields[i] for i in range(len(fields))):
        if field.field_number != _ANY_LIST_FIELD or not isinstance(field.data, bytes):
            continue
        items = UnknownFieldSet(empty_pb2.Empty.FromString(field.data))  # AnyList: repeated Any value = 1
        for item in (items[i] for i in range(len(items))):
            if item.field_number == 1 and isinstance(item.data, bytes):
                value = any_pb2.Any.FromString(item.data)
                if value.type_url.endswith("/tensorflow.AssetFileDef"):
                    found.append(meta_graph_pb2.AssetFileDef.FromString(value.value))
    return found


def _reachable(nodes: Mapping[str, node_def_pb2.NodeDef], start: str) -> set[str]:
    """The nodes `start` depends on through data and control edges."""
    seen: set[str] = set()
    pending = [start]
    while pending:
        name = pending.pop()
        if name in seen or name not in nodes:
            continue
        seen.add(name)
        pending.extend(parse_ref(r.lstrip("^"))[0] for r in nodes[name].input)
    return seen


def _table_node(nodes: Mapping[str, node_def_pb2.NodeDef], ref: str) -> str:
    """The node making the table handle `ref` names (through Identity nodes)."""
    name = parse_ref(ref)[0]
    seen = {name}
    while name in nodes and nodes[name].op == "Identity" and nodes[name].input:
        name = parse_ref(nodes[name].input[0])[0]
        if name in seen:  # an Identity cycle: the graph is malformed, the caller finds no table
            break
        seen.add(name)
    return name


def _restored_tables(
    nodes: Mapping[str, node_def_pb2.NodeDef],
    meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef,
    used: set[str],
    pb_path: str,
) -> list[tuple[node_def_pb2.NodeDef, tuple[str, str]]]:
    """The Saver's imports of checkpoint tensors into the used (mutable) tables, with the
    checkpoint keys of their keys and values."""
    restore = parse_ref(meta_graph.saver_def.restore_op_name)[0] if meta_graph.saver_def.restore_op_name else ""
    if restore not in nodes:
        return []
    found = []
    reachable = _reachable(nodes, restore)
    for node in nodes.values():
        if node.name not in reachable or node.op != "LookupTableImportV2" or len(node.input) < 3:
            continue
        if _table_node(nodes, node.input[0]) not in used:
            continue
        keys = [_checkpoint_key(nodes, ref) for ref in node.input[1:3]]
        if keys[0] is None or keys[1] is None:
            raise FrontendError(
                f"the Saver restores lookup table '{_table_node(nodes, node.input[0])}' (node '{node.name}') from "
                "tensors tflc cannot trace to the checkpoint; re-export the SavedModel",
                pb_path,
            )
        found.append((node, (keys[0], keys[1])))
    return found


def _checkpoint_key(nodes: Mapping[str, node_def_pb2.NodeDef], ref: str) -> str | None:
    """The checkpoint key of the RestoreV2 output `ref` names (through Identity nodes)."""
    name, index = parse_ref(ref)
    seen = {name}
    while name in nodes and nodes[name].op == "Identity" and nodes[name].input:
        name, index = parse_ref(nodes[name].input[0])
        if name in seen:  # an Identity cycle
            return None
        seen.add(name)
    restore = nodes.get(name)
    if restore is None or restore.op != "RestoreV2" or len(restore.input) < 2:
        return None
    names = nodes.get(parse_ref(restore.input[1])[0])
    if names is None or names.op != "Const":
        return None
    values = list(names.attr["value"].tensor.string_val)
    return values[index].decode("utf-8", "replace") if index < len(values) else None


def _restored_import(
    node: node_def_pb2.NodeDef, keys_key: str, values_key: str, checkpoint: Checkpoint
) -> list[node_def_pb2.NodeDef]:
    """Const nodes holding a restored table's keys and values (sorted by key) and the import of them."""
    from tflc.frontend.saved_model_v1 import const_node

    missing = [k for k in (keys_key, values_key) if k not in checkpoint]
    if missing:
        raise FrontendError(
            f"the Saver restores lookup table '{parse_ref(node.input[0])[0]}' from '{missing[0]}', which the "
            "checkpoint does not hold; re-export the SavedModel",
            checkpoint.index_path,
        )
    keys, values = checkpoint.read(keys_key), checkpoint.read(values_key)
    if keys.ndim != 1 or values.shape != keys.shape:
        raise FrontendError(
            f"lookup table '{parse_ref(node.input[0])[0]}' has checkpoint keys of shape {list(keys.shape)} and "
            f"values of shape {list(values.shape)}; TFLite's hashtable builtins hold one scalar value per key: "
            "use a MutableHashTable with scalar values",
            checkpoint.index_path,
        )
    order = np.argsort(keys, kind="stable")
    consts = [
        const_node(f"{node.name}/{what}", array[order], checkpoint.dtype(key))
        for what, array, key in (("keys", keys, keys_key), ("values", values, values_key))
    ]
    copy = node_def_pb2.NodeDef()
    copy.CopyFrom(node)
    del copy.input[:]
    copy.input.extend([node.input[0], consts[0].name, consts[1].name])
    return [*consts, copy]


def _asset_const(name: str, path: str) -> node_def_pb2.NodeDef:
    """A Const node holding an asset file's path."""
    from tflc.frontend.saved_model_v1 import const_node

    return const_node(name, np.array(os.fsencode(path), dtype=object), types_pb2.DT_STRING)


def add_v1_table_initializer(
    root: str,
    meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef,
    nodes: Mapping[str, node_def_pb2.NodeDef],
    functions: FunctionImporter,
    module: ModuleOp,
    replace: Callable[[node_def_pb2.NodeDef], node_def_pb2.NodeDef],
    generated: dict[str, function_pb2.FunctionDef],
    checkpoint: Callable[[], Checkpoint],
) -> None:
    """Add the session initializer filling the tables the module's signatures use (the functions
    functionalizing its control flow go to `generated`, the importer's library)."""
    from xdsl.dialects.func import FuncOp

    from tflc.dialects.tf import tf_op_name
    from tflc.dialects.tf_saved_model import SessionInitializerOp
    from tflc.errors import location_name

    pb_path = os.path.join(root, "saved_model.pb")
    table_ops = {"tf." + t for t in TABLE_OPS}
    used = {
        location_name(o.location) or ""
        for f in module.ops
        if isinstance(f, FuncOp)
        for o in f.walk()
        if tf_op_name(o) in table_ops
    }
    if not used:
        return
    init = init_op_name(meta_graph)
    inits: list[node_def_pb2.NodeDef] = []
    if init is not None:
        if init not in nodes:
            raise FrontendError(f"the SavedModel's init op names the missing node '{init}'; re-export it", pb_path)
        reachable = _reachable(nodes, init)
        inits = [
            n
            for n in nodes.values()
            if n.name in reachable and n.op in TABLE_INIT_OPS and n.input and _table_node(nodes, n.input[0]) in used
        ]  # only the tables the converted signatures use
    restored = _restored_tables(nodes, meta_graph, used, pb_path)
    filled = {_table_node(nodes, n.input[0]) for n in inits} | {_table_node(nodes, n.input[0]) for n, _ in restored}
    missing = sorted(name for name in used if name not in filled)
    if missing:
        problem = (
            f"which the init op '{init}' does not initialize"
            if init is not None
            else "but the SavedModel has no init op (main_op or legacy_init_op) to initialize it"
        )
        kind = nodes[missing[0]].op if missing[0] in nodes else "HashTableV2"
        hint = (
            "the graph's Saver does not restore it: re-export the SavedModel with the table saved"
            if kind.startswith("Mutable")
            else "save the SavedModel with main_op=tf.compat.v1.tables_initializer() (legacy_init_op in simple_save)"
        )
        raise FrontendError(f"the signatures use lookup table '{missing[0]}' ({kind}), {problem}; {hint}", pb_path)
    assets = asset_paths(root, meta_graph)

    def substitute(node: node_def_pb2.NodeDef) -> node_def_pb2.NodeDef:
        if node.name in assets:
            return _asset_const(node.name, assets[node.name])
        return replace(node)

    outputs = list(dict.fromkeys(r for n in inits for r in n.input if not r.startswith("^")))
    outputs += [n.input[0] for n, _ in restored if n.input[0] not in outputs]
    taken = set(generated) | set(functions.library) | {f.sym_name.data for f in module.ops if isinstance(f, FuncOp)}
    name = "init_all_tables"
    while name in taken:
        name += "_"
    fdef, made = graph_function(nodes, [], outputs, pb_path, replace=substitute, taken=taken, name=name)
    generated.update(made)
    for node in inits:
        copy = node_def_pb2.NodeDef()
        copy.CopyFrom(node)
        del copy.input[:]
        copy.input.extend(r for r in node.input if not r.startswith("^"))
        fdef.node_def.append(copy)
    for node, (keys_key, values_key) in restored:  # the checkpoint's contents, as the Saver restores them
        fdef.node_def.extend(_restored_import(node, keys_key, values_key, checkpoint()))
    del fdef.signature.output_arg[:]
    fdef.ret.clear()
    func = functions.build(fdef, name, [])
    func.sym_visibility = StringAttr("private")
    module.body.block.add_op(func)
    block = module.body.block
    first = block.first_op
    initializer = SessionInitializerOp([name])
    block.insert_op_before(initializer, first) if first is not None else block.add_op(initializer)
