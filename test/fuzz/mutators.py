"""Mutators for tflc's inputs: bytes, MLIR text, protobuf messages, FlatBuffers, tables.

Every mutator takes a `random.Random` (so a seed, or hypothesis, replays a case exactly)
and returns new bytes; structure-aware ones decode the input, change one field or
token to a value an attacker would pick (boundary integers, huge dims, bad UTF-8,
cycles made by swapping names), and encode it again so the change reaches past the
decoder.
"""

from __future__ import annotations

import math
import random
import re
import struct
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

INTERESTING_INTS = [
    0,
    1,
    -1,
    2,
    3,
    7,
    8,
    16,
    127,
    128,
    255,
    256,
    -128,
    1000,
    65535,
    65536,
    100000,
    2**31 - 1,
    2**31,
    -(2**31),
    2**32 - 1,
    2**32,
    2**53,
    2**62,
    2**63 - 1,
    -(2**63),
    2**64 - 1,
]
INTERESTING_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-45, 1e38, 3.5e38, 1e300, -1e300, math.inf, -math.inf, math.nan]
BAD_UTF8 = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00", b"\x80\x80"]


# ---------------------------------------------------------------------- bytes


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """One to a few byte-level edits: flips, boundary values, cuts, copies, inserts, splices."""
    buf = bytearray(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 8])):
        if not buf:
            buf += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
            continue
        kind = rng.randrange(9)
        pos = rng.randrange(len(buf))
        if kind == 0:
            buf[pos] ^= 1 << rng.randrange(8)
        elif kind == 1:
            buf[pos] = rng.choice([0, 1, 0x7F, 0x80, 0xFF, rng.randrange(256)])
        elif kind == 2:
            width, fmt = rng.choice([(4, "<i"), (4, "<I"), (8, "<q"), (2, "<h")])
            value = rng.choice(INTERESTING_INTS)
            try:
                packed = struct.pack(fmt, value)
            except struct.error:
                packed = struct.pack(fmt, 0)
            buf[pos : pos + width] = packed
        elif kind == 3:
            del buf[pos : pos + rng.choice([1, 2, 4, 8, rng.randrange(1, 256)])]
        elif kind == 4:
            end = min(len(buf), pos + rng.randrange(1, 64))
            buf[pos:pos] = buf[pos:end] * rng.choice([1, 2, 8])
        elif kind == 5:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif kind == 6:
            del buf[pos:]
        elif kind == 7:
            other = rng.randrange(len(buf))
            size = rng.randrange(1, 32)
            buf[pos : pos + size] = buf[other : other + size]
        else:
            buf[pos:pos] = rng.choice(BAD_UTF8)
    return bytes(buf)


# ---------------------------------------------------------------------- MLIR text

_TOKEN = re.compile(
    rb'"(?:[^"\\\n]|\\.)*"|%[\w.$#-]+|\^[\w.$-]+|@[\w.$-]+|#[\w.$-]+|![\w.$-]+'
    rb"|0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|[A-Za-z_][\w.$]*|->|\s+|."
)
_NUMBER = re.compile(rb"0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?$")
_TYPES = [
    b"f32",
    b"f16",
    b"i1",
    b"i8",
    b"i32",
    b"i64",
    b"ui8",
    b"bf16",
    b"f64",
    b"i4",
    b"complex<f32>",
    b"!tf_type.string",
    b"!tf_type.resource",
    b"index",
    b"none",
]
_DIMS = [b"0", b"1", b"2", b"?", b"100000", b"2147483648", b"9223372036854775807", b"-1", b"99999999999999999999"]


def _tokens(text: bytes) -> list[bytes]:
    return _TOKEN.findall(text)


def _number_like(rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:
        return str(rng.choice(INTERESTING_INTS)).encode()
    if choice == 1:
        return repr(rng.choice(INTERESTING_FLOATS)).replace("inf", "1.0e+400").replace("nan", "0x7FC00000").encode()
    if choice == 2:
        return rng.choice([b"1.0e+300", b"-1.0e+300", b"1.0e-300", b"0x7F800000", b"0xFFFFFFFFFFFFFFFFFF"])
    if choice == 3:
        return str(-rng.choice(INTERESTING_INTS)).encode()
    if choice == 4:
        return b"9" * rng.randrange(1, 40)
    return str(rng.randrange(-3, 300)).encode()


def _nested(rng: random.Random) -> bytes:
    """Deep nesting a recursive-descent parser may not survive."""
    depth = rng.choice([20, 100, 150, 400, 2000])
    kind = rng.randrange(5)
    if kind == 0:
        return b"tensor<" * depth + b"f32" + b">" * depth
    if kind == 1:
        return b'"test.op"() ({' * depth + b"}) : () -> ()" * depth
    if kind == 2:
        return b"[" * depth + b"1" + b"]" * depth
    if kind == 3:
        return b"{a = " * depth + b"1" + b"}" * depth
    return b"(" * depth + b")" * depth


def mutate_mlir(rng: random.Random, text: bytes) -> bytes:
    """Token-level edits of MLIR text (numbers, dims, types, SSA names, strings, nesting)."""
    tokens = _tokens(text)
    if not tokens:
        return mutate_bytes(rng, text)
    for _ in range(rng.choice([1, 1, 2, 3])):
        if not tokens:
            break
        kind = rng.randrange(16)
        i = rng.randrange(len(tokens))
        if kind == 0:  # a number
            numbers = [j for j, t in enumerate(tokens) if _NUMBER.match(t)]
            if numbers:
                tokens[rng.choice(numbers)] = _number_like(rng)
        elif kind == 1:  # a dimension of a shaped type (`2x3xf32` lexes as `2`, `x3xf32`)
            dims = [
                j
                for j, t in enumerate(tokens)
                if re.match(rb"x[\d?]", t)
                or (_NUMBER.match(t) and j + 1 < len(tokens) and tokens[j + 1].startswith(b"x"))
            ]
            if dims:
                j = rng.choice(dims)
                if tokens[j].startswith(b"x"):
                    parts = tokens[j].split(b"x")
                    k = rng.randrange(1, len(parts))
                    if parts[k] and (parts[k][:1].isdigit() or parts[k] == b"?"):
                        parts[k] = rng.choice(_DIMS)
                    tokens[j] = b"x".join(parts)
                else:
                    tokens[j] = rng.choice(_DIMS)
        elif kind == 2:  # an element type
            types = [j for j, t in enumerate(tokens) if re.fullmatch(rb"(x[\d?]+)*x?(f|i|ui|bf)\d+", t) or t in _TYPES]
            if types:
                j = rng.choice(types)
                prefix = tokens[j].rsplit(b"x", 1)[0] + b"x" if b"x" in tokens[j] else b""
                tokens[j] = prefix + rng.choice(_TYPES)
        elif kind == 3:  # an SSA value swapped for another (use before definition, type mismatch)
            values = [j for j, t in enumerate(tokens) if t.startswith(b"%")]
            if len(values) > 1:
                a, b = rng.sample(values, 2)
                tokens[a] = tokens[b]
        elif kind == 4:  # a symbol swapped for another (recursive calls, missing functions)
            symbols = [j for j, t in enumerate(tokens) if t.startswith(b"@")]
            if len(symbols) > 1:
                a, b = rng.sample(symbols, 2)
                tokens[a] = tokens[b]
        elif kind == 5:
            del tokens[i : i + rng.choice([1, 1, 2, 5, 20])]
        elif kind == 6:
            j = min(len(tokens), i + rng.randrange(1, 30))
            tokens[i:i] = tokens[i:j]
        elif kind == 7:  # an identifier replaced by another of the file (op names, attribute names)
            names = [t for t in tokens if re.match(rb"[A-Za-z_]", t)]
            if names:
                tokens[i] = rng.choice(names)
        elif kind == 8:
            tokens[i:i] = [_nested(rng)]
        elif kind == 9:  # an unterminated or odd string
            tokens[i:i] = [rng.choice([b'"', b'"\\', b'"' + b"\\n" * 20, b'"' + b"a" * 60, b'"\\"' * 30])]
        elif kind == 10:
            tokens[i:i] = [rng.choice(BAD_UTF8)]
        elif kind == 11:
            del tokens[i:]
        elif kind == 12:  # a splat or dense literal of a huge type
            tokens[i:i] = [
                rng.choice(
                    [
                        b'%big = "tfl.pseudo_const"() <{value = dense<1.0> : tensor<100000x100000x100000xf32>}>'
                        b" : () -> tensor<100000x100000x100000xf32>\n",
                        b"dense<[1, 300]> : tensor<2xi8>",
                        b"dense<1.0e+300> : tensor<f32>",
                        b"1.0e+300 : f32",
                        b'dense<"0x01"> : tensor<1000000000xf32>',
                    ]
                )
            ]
        elif kind == 14:  # one element type swapped everywhere: the file stays type-consistent, so it
            # passes the verifier and reaches the passes (an index or bf16 model, i32 counts made f32)
            out = b"".join(tokens)
            old, new = rng.choice(_TYPES[:11]), rng.choice(_TYPES)
            swapped = re.sub(rb"(?<=[x<\s(,:])" + re.escape(old) + rb"(?=[>\s,)]|$)", new, out)
            tokens = _tokens(swapped) or tokens
        elif kind == 15:  # the numbers of one op's attributes rewritten together (dims, k, strides, axes)
            lines = b"".join(tokens).split(b"\n")
            ops = [j for j, line in enumerate(lines) if b'"' in line and b"(" in line]
            if ops:
                j = rng.choice(ops)
                value = rng.choice([b"0", b"-1", b"7", b"65", b"2147483647", b"-2147483648", b"4294967296"])
                lines[j] = re.sub(
                    rb"(?<=[\s<,\[(:=])-?\d+(?=\s*[,>\]):])",
                    lambda m, value=value: value if rng.random() < 0.5 else m.group(0),
                    lines[j],
                )
                tokens = _tokens(b"\n".join(lines)) or tokens
        else:
            tokens[i] = rng.choice([b"{", b"}", b"(", b")", b"<", b">", b"[", b"]", b",", b":", b"=", b"->", b"^bb1"])
    out = b"".join(tokens)
    return mutate_bytes(rng, out) if rng.random() < 0.1 else out


# ---------------------------------------------------------------------- protobuf


def _proto_fields(message: Any, depth: int = 0) -> Iterator[tuple[Any, Any, int | None]]:
    """(message, field descriptor, index or None) for every set field, depth-first, bounded."""
    if depth > 40:
        return
    for field, value in message.ListFields():
        if field.is_repeated:
            is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
            if is_map:
                yield message, field, None
                for key in list(value)[:50]:
                    item = value[key]
                    if hasattr(item, "ListFields"):
                        yield from _proto_fields(item, depth + 1)
                continue
            yield message, field, None
            for n, item in enumerate(list(value)[:200]):
                if field.type == field.TYPE_MESSAGE:
                    yield from _proto_fields(item, depth + 1)
                else:
                    yield message, field, n
        elif field.type == field.TYPE_MESSAGE:
            yield message, field, None
            yield from _proto_fields(value, depth + 1)
        else:
            yield message, field, None


def _proto_strings(message: Any) -> list[str]:
    out = []
    for msg, field, index in _proto_fields(message):
        if field.type == field.TYPE_STRING:
            value = getattr(msg, field.name)
            if index is not None:
                out.append(value[index])
            elif not field.is_repeated:
                out.append(value)
    return out


_INT_RANGES = {
    "TYPE_INT32": (-(2**31), 2**31 - 1),
    "TYPE_SINT32": (-(2**31), 2**31 - 1),
    "TYPE_SFIXED32": (-(2**31), 2**31 - 1),
    "TYPE_ENUM": (-(2**31), 2**31 - 1),
    "TYPE_UINT32": (0, 2**32 - 1),
    "TYPE_FIXED32": (0, 2**32 - 1),
    "TYPE_INT64": (-(2**63), 2**63 - 1),
    "TYPE_SINT64": (-(2**63), 2**63 - 1),
    "TYPE_SFIXED64": (-(2**63), 2**63 - 1),
    "TYPE_UINT64": (0, 2**64 - 1),
    "TYPE_FIXED64": (0, 2**64 - 1),
}


def _new_scalar(rng: random.Random, field: Any, old: Any, strings: list[str]) -> Any:
    type_name = {v: k for k, v in vars(type(field)).items() if k.startswith("TYPE_")}[field.type]
    if type_name in _INT_RANGES:
        low, high = _INT_RANGES[type_name]
        if type_name == "TYPE_ENUM" and rng.random() < 0.5:
            return rng.choice([v.number for v in field.enum_type.values] + [99, 1000])
        value = rng.choice(INTERESTING_INTS + [old + 1, old - 1, old * 2])
        return min(max(value, low), high)
    if type_name in ("TYPE_FLOAT", "TYPE_DOUBLE"):
        return rng.choice(INTERESTING_FLOATS)
    if type_name == "TYPE_BOOL":
        return not old
    if type_name == "TYPE_STRING":
        choice = rng.randrange(4)
        if choice == 0 and strings:
            return rng.choice(strings)
        if choice == 1:
            return old[: rng.randrange(len(old) + 1)]
        if choice == 2:
            return old + rng.choice([":0", ":1", ":99", "^", "/", "\u00e9", ""])
        return rng.choice(["", "x", "a" * 300, "\x00", "\ud7ff"])
    if type_name == "TYPE_BYTES":
        return mutate_bytes(rng, old)
    return old


def mutate_proto(rng: random.Random, message: Any) -> None:
    """Change one field of a protobuf message in place (value, repeated count, submessage)."""
    fields = list(_proto_fields(message))
    if not fields:
        return
    strings = _proto_strings(message) if rng.random() < 0.5 else []
    msg, field, index = rng.choice(fields)
    value = getattr(msg, field.name)
    repeated = field.is_repeated
    if repeated and index is None:
        kind = rng.randrange(4)
        is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
        if kind == 0 or not len(value):
            msg.ClearField(field.name)
        elif is_map:
            keys = list(value)
            del value[rng.choice(keys)]
        elif kind == 1:
            del value[rng.randrange(len(value))]
        elif kind == 2:
            item = value[rng.randrange(len(value))]
            if field.type == field.TYPE_MESSAGE:
                value.add().CopyFrom(item)
            else:
                value.append(item)
        else:
            if len(value) > 1 and field.type == field.TYPE_MESSAGE:
                a, b = rng.sample(range(len(value)), 2)
                tmp = type(value[a])()
                tmp.CopyFrom(value[a])
                value[a].CopyFrom(value[b])
                value[b].CopyFrom(tmp)
            elif len(value) > 1:
                a, b = rng.sample(range(len(value)), 2)
                value[a], value[b] = value[b], value[a]
        return
    if field.type == field.TYPE_MESSAGE:
        if rng.random() < 0.5:
            msg.ClearField(field.name)
        else:
            mutate_proto(rng, value)
        return
    old = value[index] if repeated else value
    new = _new_scalar(rng, field, old, strings)
    try:
        if repeated:
            value[index] = new
        else:
            setattr(msg, field.name, new)
    except (ValueError, TypeError):
        pass


def mutate_proto_bytes(rng: random.Random, data: bytes, message_class: type) -> bytes:
    """Decode, change one to three fields, encode (byte-level edits when it does not decode)."""
    message = message_class()
    try:
        message.ParseFromString(data)
    except Exception:
        return mutate_bytes(rng, data)
    for _ in range(rng.choice([1, 1, 2, 3])):
        mutate_proto(rng, message)
    out = message.SerializeToString()
    return mutate_bytes(rng, out) if rng.random() < 0.1 else out


# ---------------------------------------------------------------------- FlatBuffers (.tflite)


def _fb_slots(obj: Any, depth: int = 0) -> Iterator[tuple[Any, str | int]]:
    """(container, key) for every field of a FlatBuffers object-API tree, bounded."""
    if depth > 12:
        return
    items = enumerate(obj) if isinstance(obj, list) else vars(obj).items()
    for key, value in items:
        if isinstance(obj, list) and isinstance(key, int) and key > 64:
            break
        yield obj, key
        if isinstance(value, list) or (hasattr(value, "__dict__") and not isinstance(value, type)):
            yield from _fb_slots(value, depth + 1)


def _new_fb_value(rng: random.Random, value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return rng.choice([0, 1, -1, 2, 3, value + 1, value - 1, 127, 255, 2**31 - 1, -(2**31), 2**15, 100])
    if isinstance(value, float):
        return rng.choice(INTERESTING_FLOATS)
    if isinstance(value, (bytes, str)):
        raw = value.encode() if isinstance(value, str) else value
        return rng.choice([b"", raw + rng.choice(BAD_UTF8), raw[: len(raw) // 2], b"x" * 100, raw * 2])
    if isinstance(value, np.ndarray):
        flat = value.reshape(-1)
        kind = rng.randrange(4)
        if kind == 0:
            return flat[: rng.randrange(len(flat) + 1)].copy()
        if kind == 1:
            return np.concatenate([flat, flat[:8]]) if len(flat) else np.array([1], dtype=value.dtype)
        if kind == 2 and len(flat):
            out = flat.copy()
            info = np.iinfo(out.dtype) if out.dtype.kind in "iu" else None
            out[rng.randrange(len(out))] = (
                rng.choice([0, 1, info.max, info.min]) if info else rng.choice([0.0, np.inf, np.nan, 1e30])
            )
            return out
        return None
    if isinstance(value, list):
        kind = rng.randrange(4)
        if kind == 0:
            return value[: rng.randrange(len(value) + 1)]
        if kind == 1 and value:
            return value + [value[rng.randrange(len(value))]]
        if kind == 2 and len(value) > 1:
            out = list(value)
            a, b = rng.sample(range(len(out)), 2)
            out[a], out[b] = out[b], out[a]
            return out
        return None
    return None  # a table or union dropped


def mutate_flatbuffer(rng: random.Random, data: bytes) -> bytes:
    """Decode a .tflite with the object API, change one to three fields, pack it again."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as fb

    try:
        model = fb.ModelT.InitFromPackedBuf(data, 0)
    except Exception:
        return mutate_bytes(rng, data)
    slots = list(_fb_slots(model))
    for _ in range(rng.choice([1, 1, 2, 3])):
        if not slots:
            break
        container, key = rng.choice(slots)
        value = container[key] if isinstance(container, list) else getattr(container, key)
        if (
            isinstance(container, list)
            and value is not None
            and not isinstance(value, (int, float, bytes, str))
            and rng.random() < 0.3
        ):
            del container[key]
            slots = list(_fb_slots(model))
            continue
        new = _new_fb_value(rng, value)
        if isinstance(container, list):
            container[key] = new
        else:
            setattr(container, key, new)
    try:
        builder = flatbuffers.Builder(len(data) + 1024)
        builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
        out = bytes(builder.Output())
    except Exception:
        return mutate_bytes(rng, data)
    return mutate_bytes(rng, out) if rng.random() < 0.1 else out


# ---------------------------------------------------------------------- LevelDB tables (checkpoint index)

_MASK_DELTA = 0xA282EAD8


def _mask(crc: int) -> int:
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _block(entries: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(_varint(0) + _varint(len(k)) + _varint(len(v)) + k + v for k, v in entries)
    return body + struct.pack("<II", 0, 1)


def write_table(entries: list[tuple[bytes, bytes]]) -> bytes:
    """An uncompressed LevelDB table (one data block) as TensorFlow's bundle index uses."""
    from tflc.frontend.checkpoint import crc32c

    out = bytearray()

    def add(block: bytes) -> tuple[int, int]:
        offset = len(out)
        out.extend(block)
        out.append(0)
        out.extend(struct.pack("<I", _mask(crc32c(block + b"\x00"))))
        return offset, len(block)

    data_handle = add(_block(sorted(entries)))
    meta_handle = add(_block([]))
    last = max((k for k, _ in entries), default=b"") + b"\xff"
    index_handle = add(_block([(last, _varint(data_handle[0]) + _varint(data_handle[1]))]))
    footer = b"".join(_varint(v) for v in (*meta_handle, *index_handle))
    out.extend(footer.ljust(40, b"\x00"))
    out.extend(struct.pack("<Q", 0xDB4775248B80FB57))
    return bytes(out)


def mutate_checkpoint(rng: random.Random, index: bytes, data: bytes) -> tuple[bytes, bytes]:
    """Change a bundle entry or the header (rewriting a valid table), or the data bytes
    with their checksum kept consistent so the change reaches the tensor decoder."""
    from tflc.frontend.checkpoint import _read_table, _unmask, crc32c
    from tflc.frontend.proto import tensor_bundle_pb2

    try:
        table = {k: bytes(v) for k, v in _read_table(index).items()}
    except Exception:
        return mutate_bytes(rng, index), data
    kind = rng.randrange(5)
    if kind == 0:
        return mutate_bytes(rng, index), data
    if kind == 1:
        return index, mutate_bytes(rng, data)
    keys = sorted(table)
    key = rng.choice(keys)
    if kind == 2:  # an entry's or the header's fields
        cls = tensor_bundle_pb2.BundleHeaderProto if key == b"" else tensor_bundle_pb2.BundleEntryProto
        table[key] = mutate_proto_bytes(rng, table[key], cls)
    elif kind == 3:  # the bytes of one tensor, with a matching checksum
        entry = tensor_bundle_pb2.BundleEntryProto()
        if key == b"":
            return mutate_bytes(rng, index), data
        entry.ParseFromString(table[key])
        start, end = entry.offset, entry.offset + entry.size
        if end > len(data):
            return index, mutate_bytes(rng, data)
        piece = mutate_bytes(rng, data[start:end])
        data = data[:start] + piece + data[end:]
        delta = len(piece) - (end - start)
        entry.size = len(piece) if rng.random() < 0.5 else entry.size
        entry.crc32c = _mask(crc32c(piece[: entry.size] if entry.size <= len(piece) else piece))
        table[key] = entry.SerializeToString()
        for other in keys:  # shift the tensors after it
            if other in (b"", key):
                continue
            e = tensor_bundle_pb2.BundleEntryProto()
            e.ParseFromString(table[other])
            if e.offset >= end:
                e.offset += delta
                table[other] = e.SerializeToString()
        _ = _unmask
    else:  # an entry dropped or renamed
        value = table.pop(key)
        if rng.random() < 0.5 and key:
            table[mutate_bytes(rng, key)] = value
    return write_table(list(table.items())), data


MUTATORS: dict[str, Callable[..., Any]] = {
    "bytes": mutate_bytes,
    "mlir": mutate_mlir,
    "proto": mutate_proto_bytes,
    "flatbuffer": mutate_flatbuffer,
    "checkpoint": mutate_checkpoint,
}
