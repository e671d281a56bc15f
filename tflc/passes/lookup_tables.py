"""`legalize-hashtables`: TensorFlow lookup tables become TFLite's hashtable builtins.

- Tables filled from a text file (`tf.InitializeTableFromTextFileV2` with a constant file
  name, e.g. a SavedModel asset) are read now and filled by `tf.LookupTableImportV2` of
  constants, as TensorFlow's converter does; `tf.InitializeTableV2` is an import.
- int64 -> int64 and string -> string tables (Keras IntegerLookup) with constant contents,
  which TFLite's kernels do not take, become two supported tables through an index:
  int64 -> string -> int64 and string -> int64 -> string, exact for every key.
- `tf.HashTableV2`, `tf.LookupTableFindV2`, `tf.LookupTableImportV2` and
  `tf.LookupTableSizeV2` become `tfl.hashtable`, `tfl.hashtable_find`,
  `tfl.hashtable_import` and `tfl.hashtable_size` (its 1-element result reshaped to
  TensorFlow's scalar); a table's id is a hash of its shared name.
- The functions of the `tf_saved_model.session_initializer` are merged into the
  `tfl_session_init` function (shared with `lower-variables`), which each exported
  function runs first through `tfl.call_once`.

Tables of other key and value types, or used by other ops (inserts, removals,
exports), are reported with the node that makes them.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FunctionType,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from tflc.dialects import tf, tfl
from tflc.dialects.tf import ResourceType, StringType, tf_op_name
from tflc.dialects.tf_saved_model import SessionInitializerOp, exported_names
from tflc.dialects.tfl_hashtable import SUPPORTED_PAIRS
from tflc.errors import ConversionError, describe_location
from tflc.fileio import check_regular_file
from tflc.passes.variables import SESSION_INIT
from tflc.tensors import constant_to_numpy, numpy_to_dense, strings_to_attr, tflite_type_name

TABLE_OPS = frozenset(
    {"tf.HashTableV2", "tf.MutableHashTableV2", "tf.MutableHashTableOfTensorsV2", "tf.MutableDenseHashTableV2"}
)
FIND, IMPORT, SIZE = "tf.LookupTableFindV2", "tf.LookupTableImportV2", "tf.LookupTableSizeV2"
TEXT_FILE, INITIALIZE = "tf.InitializeTableFromTextFileV2", "tf.InitializeTableV2"
WHOLE_LINE, LINE_NUMBER = -2, -1
RESOURCE_1 = TensorType(ResourceType([]), [1])

LOWERINGS: dict[str, tuple[type[tfl.TFLOp], ...]] = {
    "tf.HashTableV2": (tfl.HashtableOp,),
    "tf.MutableHashTableV2": (tfl.HashtableOp,),
    FIND: (tfl.HashtableFindOp,),
    IMPORT: (tfl.HashtableImportOp,),
    SIZE: (tfl.HashtableSizeOp, tfl.ReshapeOp),
    TEXT_FILE: (tfl.HashtableImportOp,),
    INITIALIZE: (tfl.HashtableImportOp,),
}
"""The TF lookup-table ops this pass lowers and the tfl ops they become (for the docs)."""


@dataclass(frozen=True)
class LegalizeHashtables(ModulePass):
    """Lower TF lookup tables to TFLite's hashtable builtins, initialized once."""

    name = "legalize-hashtables"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        tables = [o for o in op.walk() if tf_op_name(o) in TABLE_OPS]
        if not tables:
            return
        _merge_session_initializers(op)
        for o in list(op.walk()):
            if tf_op_name(o) in (TEXT_FILE, INITIALIZE):
                _to_import(o)
        groups: dict[str, list[Operation]] = {}
        for table in tables:
            _check_kind(table)
            _check_uses(table)
            groups.setdefault(_shared_name(table), []).append(table)
        for group in groups.values():
            _split_if_unsupported(group)
        tables = [o for o in op.walk() if tf_op_name(o) in TABLE_OPS]
        ids = _table_ids({_shared_name(t) for t in tables})
        for table in tables:
            _legalize(table, ids[_shared_name(table)])


# --------------------------------------------------------------------------- session initializer


def _merge_session_initializers(module: ModuleOp) -> None:
    """Move the session initializers' ops into `tfl_session_init`; call it once from each exported function."""
    funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}
    inits = [o for o in module.ops if isinstance(o, SessionInitializerOp)]
    names = [n for init in inits for n in init.names()]
    if not names:
        return
    target = funcs.get(SESSION_INIT)
    if target is None:
        target = FuncOp(SESSION_INIT, FunctionType.from_lists([], []), Region(Block([ReturnOp()])))
        target.sym_visibility = StringAttr("private")
        module.body.block.add_op(target)
    ret = target.body.block.last_op
    assert isinstance(ret, ReturnOp)
    for name in names:
        func = funcs.get(name)
        if func is None:
            raise ConversionError(f"tf_saved_model.session_initializer names @{name}, which the module does not define")
        if func.args:
            raise ConversionError(f"session initializer @{name} takes arguments; tflc runs initializers without inputs")
        for o in list(func.body.block.ops):
            if isinstance(o, ReturnOp):
                continue
            o.detach()
            target.body.block.insert_op_before(o, ret)
        module.body.block.erase_op(func)
    for init in inits:
        module.body.block.erase_op(init)
    for func in funcs.values():
        if not exported_names(func):
            continue
        first = func.body.block.first_op
        if isinstance(first, tfl.CallOnceOp):
            continue
        call = tfl.CallOnceOp.build([], [], session_init_function=StringAttr(SESSION_INIT))
        if first is None:
            func.body.block.add_op(call)
        else:
            func.body.block.insert_op_before(call, first)


# --------------------------------------------------------------------------- text files


def _to_import(init: Operation) -> None:
    """tf.InitializeTableFromTextFileV2 (its file read now) / tf.InitializeTableV2 -> tf.LookupTableImportV2."""
    table = init.operands[0]
    if tf_op_name(init) == INITIALIZE:
        keys, values = init.operands[1], init.operands[2]
    else:
        filename = _constant(init.operands[1])
        if filename is None or filename.size != 1:
            raise ConversionError(
                f"{describe_location(init.location)}: the lookup table's text file is not a constant file name; "
                "tflc reads the file at conversion time"
            )
        key_type, value_type = _table_types(table, init)
        path = _as_str(filename.reshape(-1)[0])
        key_array, value_array = read_text_file(
            path,
            _int_attr(init, "key_index", WHOLE_LINE),
            _int_attr(init, "value_index", LINE_NUMBER),
            key_type,
            value_type,
            _int_attr(init, "vocab_size", -1),
            _str_attr(init, "delimiter", "\t"),
            _int_attr(init, "offset", 0),
        )
        keys = _insert_constant(init, key_array)
        values = _insert_constant(init, value_array)
    new = _tf_op(IMPORT, [table, keys, values], [])
    new.location = init.location
    block = init.parent_block()
    assert block is not None
    block.insert_op_before(new, init)
    block.erase_op(init)


def read_text_file(
    path: str,
    key_index: int,
    value_index: int,
    key_type: Attribute,
    value_type: Attribute,
    vocab_size: int = -1,
    delimiter: str = "\t",
    offset: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The keys and values TensorFlow's text file initializer reads from `path`."""
    try:
        check_regular_file(path, "lookup table's text file")
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
    except OSError as err:
        raise ConversionError(f"{path}: cannot read the lookup table's text file ({err.strerror})") from None
    if lines and lines[-1] == b"":
        lines.pop()
    if vocab_size > 0:
        if len(lines) < vocab_size:
            raise ConversionError(
                f"{path}: the lookup table's vocab_size is {vocab_size} but the file has {len(lines)} lines"
            )
        lines = lines[:vocab_size]
    keys, values = [], []
    sep = delimiter.encode()
    for number, raw in enumerate(lines):
        line = raw.removesuffix(b"\r")
        if not line:
            raise ConversionError(f"{path}:{number + 1}: empty line in the lookup table's text file")
        columns = line.split(sep) if sep else [line]
        keys.append(_column(path, number, line, columns, key_index, key_type, offset))
        values.append(_column(path, number, line, columns, value_index, value_type, offset))
    return _array(keys, key_type), _array(values, value_type)


def _column(
    path: str, number: int, line: bytes, columns: list[bytes], index: int, ty: Attribute, offset: int
) -> object:
    if index == LINE_NUMBER:
        return number + offset
    if index == WHOLE_LINE:
        text = line
    elif 0 <= index < len(columns):
        text = columns[index]
    else:
        raise ConversionError(f"{path}:{number + 1}: the line has {len(columns)} column(s), column {index} is read")
    if isinstance(ty, StringType):
        return text
    try:
        return float(text) if tflite_type_name(ty).startswith("FLOAT") else int(text)
    except ValueError:
        raise ConversionError(f"{path}:{number + 1}: {text!r} is not a number") from None


def _array(items: list[object], ty: Attribute) -> np.ndarray:
    if isinstance(ty, StringType):
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    from tflc.tensors import numpy_dtype

    return np.array(items, dtype=numpy_dtype(ty))


# --------------------------------------------------------------------------- checks and the unsupported pairs


def _check_kind(table: Operation) -> None:
    """TFLite's tables are hash maps with one scalar value per key: no dense tables, no tensor values."""
    name = tf_op_name(table)
    where = f"{describe_location(table.location)}: lookup table '{_shared_name(table)}'"
    fix = "use tf.lookup.StaticHashTable or tf.lookup.experimental.MutableHashTable with scalar values"
    if name == "tf.MutableDenseHashTableV2":
        raise ConversionError(f"{where} is a DenseHashTable, which TFLite's hashtable builtins cannot hold; {fix}")
    shape = table.attributes.get("value_shape") or table.properties.get("value_shape")
    if name == "tf.MutableHashTableOfTensorsV2" and not (isinstance(shape, tf.ShapeAttr) and shape.shape() == []):
        raise ConversionError(
            f"{where} holds tensor values ({shape}), which TFLite's hashtable builtins cannot hold; {fix}"
        )


def _check_uses(table: Operation) -> None:
    """Only finds, imports and sizes can use a table in TFLite."""
    for use in table.results[0].uses:
        name = tf_op_name(use.operation)
        if name not in (FIND, IMPORT, SIZE) or use.index != 0:
            raise ConversionError(
                f"{describe_location(use.operation.location)}: {name or use.operation.name} uses lookup table "
                f"'{_shared_name(table)}' ({describe_location(table.location)}); TFLite's hashtable builtins only "
                "find, import and size static tables"
            )


def _split_if_unsupported(group: list[Operation]) -> bool:
    """Replace the ops of an int64 -> int64 or string -> string table (one shared name) by two
    supported tables (True if it did)."""
    table = group[0]
    key, value = _dtype(table, "key_dtype"), _dtype(table, "value_dtype")
    pair = (_type_name(key), _type_name(value))
    if pair in SUPPORTED_PAIRS:
        return False
    supported = " and ".join(f"{k.lower()} -> {v.lower()}" for k, v in SUPPORTED_PAIRS)
    where = f"{describe_location(table.location)}: lookup table '{_shared_name(table)}'"
    if pair not in (("INT64", "INT64"), ("STRING", "STRING")):
        raise ConversionError(
            f"{where} maps {pair[0].lower()} -> {pair[1].lower()}; TFLite's hashtable kernels support {supported} "
            "tables (tflc also converts int64 -> int64 and string -> string tables with constant contents); "
            "give the table int64 or string values"
        )
    imports = [u.operation for t in group for u in t.results[0].uses if tf_op_name(u.operation) == IMPORT]
    contents = [(_constant(o.operands[1]), _constant(o.operands[2])) for o in imports]
    if not imports or any(k is None or v is None for k, v in contents):
        raise ConversionError(
            f"{where} maps {pair[0].lower()} -> {pair[1].lower()}, which TFLite's kernels do not support "
            f"({supported}); "
            "tflc splits such tables in two when their contents are constants, and these are not"
        )
    # key -> index of the value (in the type TFLite pairs with the key's) -> value
    middle_string = pair[0] == "INT64"
    unique = list(dict.fromkeys(v for _, values in contents for v in np.asarray(values).reshape(-1).tolist()))
    index = {v: i for i, v in enumerate(unique)}
    middle_dtype = object if middle_string else np.int64

    def encode(indices: list[int]) -> np.ndarray:
        return np.array([str(i).encode() if middle_string else i for i in indices], dtype=middle_dtype)

    middle_type: Attribute = StringType() if middle_string else i64
    name = _shared_name(table)
    for table in group:
        first_table = _table_like(table, f"{name}/index", key, middle_type)
        second_table = _table_like(table, f"{name}/values", middle_type, value)
        block = table.parent_block()
        assert block is not None
        block.insert_op_before(first_table, table)
        block.insert_op_before(second_table, table)
        for o in [u.operation for u in table.results[0].uses]:
            op_name = tf_op_name(o)
            if op_name == IMPORT:
                keys, values = _constant(o.operands[1]), _constant(o.operands[2])
                assert keys is not None and values is not None
                middle = encode([index[v] for v in np.asarray(values).reshape(-1).tolist()])
                first = _tf_op(IMPORT, [first_table.results[0], o.operands[1], _insert_constant(o, middle)], [])
                positions = _insert_constant(o, encode(list(range(len(unique)))))
                distinct = _insert_constant(o, np.array(unique, dtype=np.asarray(values).dtype))
                second = _tf_op(IMPORT, [second_table.results[0], positions, distinct], [])
                _replace(o, [first, second], [])
            elif op_name == FIND:
                missing = _insert_constant(o, np.array(b"" if middle_string else -1, dtype=middle_dtype))
                keys_type = o.operands[1].type
                mid_type = TensorType(middle_type, keys_type.get_shape()) if isinstance(keys_type, TensorType) else None
                step = _tf_op(FIND, [first_table.results[0], o.operands[1], missing], [mid_type or o.results[0].type])
                final = _tf_op(FIND, [second_table.results[0], step.results[0], o.operands[2]], [o.results[0].type])
                _replace(o, [step, final], list(final.results))
            elif op_name == SIZE:
                size = _tf_op(SIZE, [first_table.results[0]], [o.results[0].type])
                _replace(o, [size], list(size.results))
        block.erase_op(table)
    return True


def _table_like(table: Operation, shared_name: str, key: Attribute, value: Attribute) -> Operation:
    attrs = dict(table.attributes)
    attrs.update(shared_name=StringAttr(shared_name), key_dtype=key, value_dtype=value)
    new = _tf_op("tf.HashTableV2", [], [table.results[0].type], attrs)
    new.location = table.location
    return new


# --------------------------------------------------------------------------- legalization


def _table_ids(names: set[str]) -> dict[str, int]:
    """A distinct int32 id per shared name: a hash, away from the small ids of resource variables."""
    ids: dict[str, int] = {}
    taken: set[int] = set()
    for name in sorted(names):
        salt = 0
        while True:
            h = zlib.crc32(name.encode() + (b"#%d" % salt if salt else b""))
            value = h - (1 << 32) if h >= (1 << 31) else h
            if value not in taken and not 0 <= value < (1 << 16):
                break
            salt += 1
        ids[name] = value
        taken.add(value)
    return ids


def _legalize(table: Operation, table_id: int) -> None:
    """The table and its finds, imports and sizes as tfl ops."""
    key, value = _dtype(table, "key_dtype"), _dtype(table, "value_dtype")
    new = tfl.HashtableOp.build(
        [], [RESOURCE_1], table_id=IntegerAttr(table_id, 32), key_dtype=_type_name(key), value_dtype=_type_name(value)
    )
    handle = new.results[0]
    uses = [u.operation for u in table.results[0].uses]
    _replace(table, [new], [handle])
    for o in uses:
        name = tf_op_name(o)
        if name == FIND:
            keys, default = o.operands[1], o.operands[2]
            result_type = o.results[0].type
            if not isinstance(result_type, TensorType) and isinstance(keys.type, TensorType):
                result_type = TensorType(value, keys.type.get_shape())  # the kernel's result has the keys' shape
            find = tfl.HashtableFindOp.build([handle, keys, default], [result_type])
            _replace(o, [find], list(find.results))
        elif name == IMPORT:
            _replace(o, [tfl.HashtableImportOp.build([handle, o.operands[1], o.operands[2]], [])], [])
        elif name == SIZE:
            size = tfl.HashtableSizeOp.build([handle], [TensorType(i64, [1])])
            result = o.results[0].type
            if isinstance(result, TensorType) and result.get_shape() == ():
                shape = tfl.ConstOp(numpy_to_dense(np.zeros([0], np.int32)))
                reshape = tfl.ReshapeOp(size.results[0], shape.results[0], result)
                _replace(o, [size, shape, reshape], list(reshape.results))
            else:
                _replace(o, [size], list(size.results))


# --------------------------------------------------------------------------- helpers


def _replace(old: Operation, new: list[Operation], results: list[SSAValue]) -> None:
    block = old.parent_block()
    assert block is not None
    for o in new:
        if o.parent is None:
            o.location = old.location
            block.insert_op_before(o, old)
    for r, v in zip(old.results, results, strict=False):
        r.replace_all_uses_with(v)
    block.erase_op(old)


def _tf_op(
    name: str, operands: list[SSAValue], result_types: list[Attribute], attributes: dict[str, Attribute] | None = None
) -> Operation:
    from tflc.dialects import make_context

    op_class = make_context().get_optional_op(name)
    assert op_class is not None
    return op_class.create(operands=operands, result_types=result_types, attributes=attributes or {})


def _insert_constant(anchor: Operation, array: np.ndarray) -> SSAValue:
    value = strings_to_attr(array) if array.dtype == object else numpy_to_dense(array)
    const = tf.ConstOp.create(result_types=[value.type], attributes={"value": value})  # type: ignore[attr-defined]
    const.location = anchor.location
    block = anchor.parent_block()
    assert block is not None
    block.insert_op_before(const, anchor)
    return const.results[0]


def _constant(value: SSAValue) -> np.ndarray | None:
    owner = value.owner
    if isinstance(owner, tf.ConstOp | tfl.ConstOp):
        attr = owner.value
        if isinstance(attr, DenseIntOrFPElementsAttr | tf.TensorProtoAttr):
            return constant_to_numpy(attr)
    return None


def _table_types(table: SSAValue, near: Operation) -> tuple[Attribute, Attribute]:
    owner = table.owner
    if not isinstance(owner, Operation) or tf_op_name(owner) not in TABLE_OPS:
        raise ConversionError(
            f"{describe_location(near.location)}: initializes a lookup table tflc cannot trace to its op"
        )
    return _dtype(owner, "key_dtype"), _dtype(owner, "value_dtype")


def _dtype(table: Operation, name: str) -> Attribute:
    attr = table.attributes.get(name) or table.properties.get(name)
    if attr is None:
        raise ConversionError(f"{describe_location(table.location)}: {tf_op_name(table)} has no {name}")
    return attr


def _type_name(ty: Attribute) -> str:
    try:
        return tflite_type_name(ty)
    except ValueError:
        return str(ty)


def _shared_name(table: Operation) -> str:
    attr = table.attributes.get("shared_name") or table.properties.get("shared_name")
    if isinstance(attr, StringAttr) and attr.data:
        return attr.data
    from tflc.errors import location_name

    return location_name(table.location) or "table"


def _int_attr(op: Operation, name: str, default: int) -> int:
    attr = op.attributes.get(name)
    return attr.value.data if isinstance(attr, IntegerAttr) else default


def _str_attr(op: Operation, name: str, default: str) -> str:
    attr = op.attributes.get(name)
    return attr.data if isinstance(attr, StringAttr) else default


def _as_str(value: object) -> str:
    return os.fsdecode(value) if isinstance(value, bytes | str) else str(value)
