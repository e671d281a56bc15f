"""TensorFlow-free reader for tensor-bundle checkpoints (`<prefix>.index` + `<prefix>.data-*`).

The index is a LevelDB-format table mapping tensor names to BundleEntryProto
(key "" holds the BundleHeaderProto); the data files hold the raw tensor bytes.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import Any

import google_crc32c
import numpy as np
from google.protobuf.message import DecodeError, Message

from tflc.fileio import check_regular_file
from tflc.frontend.errors import FrontendError
from tflc.frontend.proto import tensor_bundle_pb2, trackable_object_graph_pb2, types_pb2

__all__ = [
    "OBJECT_GRAPH_KEY",
    "Checkpoint",
    "crc32c",
    "numpy_dtype",
]

#: Checkpoint key of the string tensor holding the serialized TrackableObjectGraph.
OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"

_CORRUPT = "the checkpoint is corrupt, re-export the SavedModel"

# --------------------------------------------------------------------------- dtypes

_DT = types_pb2.DataType
_NUMPY_DTYPES: dict[int, Any] = {
    _DT.DT_FLOAT: np.float32,
    _DT.DT_DOUBLE: np.float64,
    _DT.DT_INT32: np.int32,
    _DT.DT_UINT8: np.uint8,
    _DT.DT_INT16: np.int16,
    _DT.DT_INT8: np.int8,
    _DT.DT_COMPLEX64: np.complex64,
    _DT.DT_INT64: np.int64,
    _DT.DT_BOOL: np.bool_,
    _DT.DT_QINT8: np.int8,
    _DT.DT_QUINT8: np.uint8,
    _DT.DT_QINT32: np.int32,
    _DT.DT_QINT16: np.int16,
    _DT.DT_QUINT16: np.uint16,
    _DT.DT_UINT16: np.uint16,
    _DT.DT_COMPLEX128: np.complex128,
    _DT.DT_HALF: np.float16,
    _DT.DT_UINT32: np.uint32,
    _DT.DT_UINT64: np.uint64,
    # Without ml_dtypes, bfloat16 is exposed as its raw uint16 bit pattern.
    _DT.DT_BFLOAT16: np.uint16,
}
try:  # ml_dtypes comes with TensorFlow/JAX; it is optional here.
    import ml_dtypes as _ml

    _NUMPY_DTYPES[_DT.DT_BFLOAT16] = _ml.bfloat16
    for _name, _dt in [
        ("float8_e5m2", _DT.DT_FLOAT8_E5M2),
        ("float8_e4m3fn", _DT.DT_FLOAT8_E4M3FN),
        ("float8_e4m3fnuz", _DT.DT_FLOAT8_E4M3FNUZ),
        ("float8_e4m3b11fnuz", _DT.DT_FLOAT8_E4M3B11FNUZ),
        ("float8_e5m2fnuz", _DT.DT_FLOAT8_E5M2FNUZ),
    ]:
        if hasattr(_ml, _name):
            _NUMPY_DTYPES[_dt] = getattr(_ml, _name)
except ImportError:  # pragma: no cover - depends on the environment
    pass


def dtype_name(dtype: int) -> str:
    """Return the DataType enum name (e.g. "DT_FLOAT") of `dtype`, or its number."""
    try:
        return _DT.Name(dtype)
    except ValueError:
        return str(dtype)


def numpy_dtype(dtype: int, byteorder: str = "<") -> np.dtype[Any] | None:
    """Return the numpy dtype storing DataType `dtype` (None for strings/unsupported types)."""
    base = _NUMPY_DTYPES.get(dtype)
    if base is None:
        return None
    result = np.dtype(base)
    return result.newbyteorder(byteorder) if result.itemsize > 1 and byteorder != "=" else result


# --------------------------------------------------------------------------- crc32c

_MASK_DELTA = 0xA282EAD8


def crc32c(data: bytes | bytearray | memoryview | np.ndarray, crc: int = 0) -> int:
    """Return the CRC-32C of `data`, continuing from a previous result `crc` (C implementation)."""
    if isinstance(data, np.ndarray):
        data = np.ascontiguousarray(data).tobytes()
    elif not isinstance(data, bytes):
        data = bytes(data)
    return google_crc32c.extend(crc, data)


def _unmask(masked: int) -> int:
    """Invert TensorFlow's/LevelDB's crc masking."""
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


# --------------------------------------------------------------------------- table format

_FOOTER_SIZE = 48
_TABLE_MAGIC = 0xDB4775248B80FB57
_BLOCK_TRAILER_SIZE = 5
_COMPRESSION_NAMES = {
    1: "snappy",
    2: "zlib",
    3: "bz2",
    4: "lz4",
    5: "lz4hc",
    6: "xpress",
    7: "zstd",
}


class _Corrupt(Exception):
    """Internal: a structural problem, turned into FrontendError with the file name."""


def _varint(buf: bytes | memoryview, pos: int, limit: int) -> tuple[int, int]:
    """Decode a base-128 varint at `pos` (must end before `limit`); return (value, new pos)."""
    result = 0
    shift = 0
    while True:
        if pos >= limit:
            raise _Corrupt("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise _Corrupt("malformed varint")


def _read_block(data: bytes, offset: int, size: int, what: str) -> memoryview:
    """Return the verified, uncompressed contents of the block at (offset, size)."""
    end = offset + size
    if end + _BLOCK_TRAILER_SIZE > len(data) - _FOOTER_SIZE:
        raise _Corrupt(f"truncated {what} block")
    kind = data[end]
    (stored,) = struct.unpack_from("<I", data, end + 1)
    if crc32c(memoryview(data)[offset : end + 1]) != _unmask(stored):
        raise _Corrupt(f"checksum mismatch in {what} block")
    if kind != 0:
        name = _COMPRESSION_NAMES.get(kind, f"type {kind}")
        raise _Corrupt(
            f"{what} block uses {name} compression, which is not supported (only uncompressed "
            "tables, as TensorFlow writes them); re-save the checkpoint with TensorFlow"
        )
    return memoryview(data)[offset:end]


def _block_entries(block: memoryview, what: str) -> Iterator[tuple[bytes, memoryview]]:
    """Yield (key, value) of a table block, undoing the shared-prefix key compression."""
    if len(block) < 4:
        raise _Corrupt(f"truncated {what} block")
    (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    limit = len(block) - 4 - 4 * num_restarts
    if limit < 0:
        raise _Corrupt(f"bad restart array in {what} block")
    pos = 0
    key = b""
    while pos < limit:
        shared, pos = _varint(block, pos, limit)
        unshared, pos = _varint(block, pos, limit)
        value_len, pos = _varint(block, pos, limit)
        if shared > len(key) or pos + unshared + value_len > limit:
            raise _Corrupt(f"bad entry in {what} block")
        key = key[:shared] + bytes(block[pos : pos + unshared])
        pos += unshared
        yield key, block[pos : pos + value_len]
        pos += value_len


def _read_table(data: bytes) -> dict[bytes, memoryview]:
    """Return every key/value of a LevelDB-format table held in `data`."""
    if len(data) < _FOOTER_SIZE:
        raise _Corrupt("truncated table footer")
    footer = len(data) - _FOOTER_SIZE
    (magic,) = struct.unpack_from("<Q", data, len(data) - 8)
    if magic != _TABLE_MAGIC:
        raise _Corrupt("bad table magic number (not a checkpoint index, or truncated)")
    _meta_offset, pos = _varint(data, footer, len(data) - 8)
    _meta_size, pos = _varint(data, pos, len(data) - 8)
    index_offset, pos = _varint(data, pos, len(data) - 8)
    index_size, pos = _varint(data, pos, len(data) - 8)
    entries: dict[bytes, memoryview] = {}
    index = _read_block(data, index_offset, index_size, "index")
    for _, handle in _block_entries(index, "index"):
        block_offset, hpos = _varint(handle, 0, len(handle))
        block_size, _ = _varint(handle, hpos, len(handle))
        for key, value in _block_entries(
            _read_block(data, block_offset, block_size, "data"), "data"
        ):
            entries[key] = value
    return entries


def _parse(message: Message, payload: bytes | memoryview, what: str) -> None:
    """Parse `payload` into `message`, turning protobuf errors into _Corrupt."""
    try:
        message.ParseFromString(bytes(payload))
    except (DecodeError, ValueError, RuntimeError) as exc:
        raise _Corrupt(f"cannot parse {what}") from exc


# --------------------------------------------------------------------------- checkpoint


class Checkpoint:
    """A tensor-bundle checkpoint; the index is read eagerly, tensor data only on `read`."""

    def __init__(self, prefix: str | os.PathLike[str], verify_checksums: bool = True) -> None:
        """Open `<prefix>.index` (e.g. prefix "saved/variables/variables")."""
        self.prefix: str = os.fspath(prefix)
        self.index_path: str = self.prefix + ".index"
        self.verify_checksums: bool = verify_checksums
        try:
            check_regular_file(self.index_path, "checkpoint index")
            with open(self.index_path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise FrontendError(
                "checkpoint index not found; export the model with tf.saved_model.save "
                "so that its variables are saved",
                self.index_path,
            ) from None
        except OSError as exc:
            raise FrontendError(
                f"cannot read the checkpoint index ({exc.strerror})", self.index_path
            ) from exc
        self.header = tensor_bundle_pb2.BundleHeaderProto()
        self._entries: dict[str, tensor_bundle_pb2.BundleEntryProto] = {}
        try:
            raw = _read_table(data)
            if b"" not in raw:
                raise _Corrupt("missing bundle header")
            _parse(self.header, raw.pop(b""), "the bundle header")
            for key, value in raw.items():
                entry = tensor_bundle_pb2.BundleEntryProto()
                _parse(entry, value, f"the entry of {key.decode('utf-8', 'replace')!r}")
                self._entries[key.decode("utf-8", "surrogateescape")] = entry
        except _Corrupt as exc:
            raise FrontendError(f"{exc}; {_CORRUPT}", self.index_path) from None
        if self.header.num_shards < 1:
            raise FrontendError(f"bundle header has no data shards; {_CORRUPT}", self.index_path)
        self._byteorder = ">" if self.header.endianness == self.header.BIG else "<"
        self._check_shard_sizes()

    def keys(self) -> list[str]:
        """Return the names of all tensors in the checkpoint, sorted."""
        return sorted(self._entries)

    def __contains__(self, key: object) -> bool:
        """Return whether a tensor named `key` is in the checkpoint."""
        return key in self._entries

    def __len__(self) -> int:
        """Return the number of tensors in the checkpoint."""
        return len(self._entries)

    def entry(self, key: str) -> tensor_bundle_pb2.BundleEntryProto:
        """Return the index entry (dtype, shape, shard, offset, size, crc) of tensor `key`."""
        try:
            return self._entries[key]
        except KeyError:
            raise KeyError(f"{key!r} is not in checkpoint {self.prefix}") from None

    def dtype(self, key: str) -> int:
        """Return the DataType enum of tensor `key`."""
        return int(self.entry(key).dtype)

    def shape(self, key: str) -> tuple[int, ...]:
        """Return the shape of tensor `key`."""
        return tuple(int(d.size) for d in self.entry(key).shape.dim)

    def data_path(self, shard_id: int) -> str:
        """Return the path of data shard `shard_id`."""
        return f"{self.prefix}.data-{shard_id:05d}-of-{self.header.num_shards:05d}"

    def read(self, key: str) -> np.ndarray:
        """Read tensor `key` from its data file (bytes objects in an object array for strings)."""
        entry = self.entry(key)
        shape = self.shape(key)
        if entry.slices:
            raise FrontendError(
                f"tensor {key!r} is a partitioned variable, which is not supported; "
                "save the model without variable partitioning",
                self.index_path,
            )
        path = self.data_path(entry.shard_id)
        count = int(np.prod(shape, dtype=np.int64))
        if entry.dtype == _DT.DT_STRING:
            buf = self._read_bytes(path, entry)
            return self._decode_strings(buf, count, path, key).reshape(shape)
        dtype = numpy_dtype(entry.dtype, self._byteorder)
        if dtype is None:
            raise FrontendError(
                f"tensor {key!r} has dtype {dtype_name(entry.dtype)}, which cannot be read",
                self.index_path,
            )
        if entry.size != count * dtype.itemsize:
            raise FrontendError(
                f"entry of {key!r} has size {entry.size} but {shape} x {dtype_name(entry.dtype)} "
                f"needs {count * dtype.itemsize} bytes; {_CORRUPT}",
                self.index_path,
            )
        buf = self._read_bytes(path, entry)
        if self.verify_checksums and crc32c(buf) != _unmask(entry.crc32c):
            raise FrontendError(f"checksum mismatch for tensor {key!r}; {_CORRUPT}", path)
        return np.frombuffer(buf, dtype=dtype).reshape(shape)

    def object_graph(self) -> trackable_object_graph_pb2.TrackableObjectGraph | None:
        """Return the TrackableObjectGraph under OBJECT_GRAPH_KEY, or None (TF1 checkpoints)."""
        if OBJECT_GRAPH_KEY not in self._entries:
            return None
        value = self.read(OBJECT_GRAPH_KEY).reshape(-1)
        graph = trackable_object_graph_pb2.TrackableObjectGraph()
        try:
            if value.size != 1:
                raise _Corrupt("object graph is not a scalar string")
            _parse(graph, value[0], "the object graph")
        except _Corrupt as exc:
            raise FrontendError(
                f"{exc}; {_CORRUPT}", self.data_path(self.entry(OBJECT_GRAPH_KEY).shard_id)
            ) from None
        return graph

    # ------------------------------------------------------------------ helpers

    def _check_shard_sizes(self) -> None:
        """Fail early if a data shard is missing or shorter than the entries pointing into it."""
        needed: dict[int, int] = {}
        for entry in self._entries.values():
            if entry.slices:
                continue
            if (
                not 0 <= entry.shard_id < self.header.num_shards
                or entry.offset < 0
                or entry.size < 0
            ):
                raise FrontendError(
                    f"entry points outside the data shards; {_CORRUPT}", self.index_path
                )
            needed[entry.shard_id] = max(needed.get(entry.shard_id, 0), entry.offset + entry.size)
        for shard_id, end in sorted(needed.items()):
            path = self.data_path(shard_id)
            try:
                size = os.stat(path).st_size
            except FileNotFoundError:
                raise FrontendError(f"checkpoint data file is missing; {_CORRUPT}", path) from None
            except OSError as exc:
                raise FrontendError(
                    f"cannot read the checkpoint data ({exc.strerror})", path
                ) from exc
            if size < end:
                raise FrontendError(f"truncated data file; {_CORRUPT}", path)

    def _read_bytes(self, path: str, entry: tensor_bundle_pb2.BundleEntryProto) -> bytearray:
        """Read the `entry.size` bytes at `entry.offset` of data file `path`."""
        if entry.shard_id >= self.header.num_shards or entry.offset < 0 or entry.size < 0:
            raise FrontendError(
                f"entry points outside the data shards; {_CORRUPT}", self.index_path
            )
        try:
            check_regular_file(path, "checkpoint data file")
            with open(path, "rb") as f:
                if os.fstat(f.fileno()).st_size < entry.offset + entry.size:
                    raise FrontendError(f"truncated data file; {_CORRUPT}", path)
                f.seek(entry.offset)
                buf = bytearray(entry.size)
                if f.readinto(buf) != entry.size:
                    raise FrontendError(f"truncated data file; {_CORRUPT}", path)
        except FileNotFoundError:
            raise FrontendError(f"checkpoint data file is missing; {_CORRUPT}", path) from None
        except OSError as exc:
            raise FrontendError(f"cannot read the checkpoint data ({exc.strerror})", path) from exc
        return buf

    def _decode_strings(self, buf: bytearray, count: int, path: str, key: str) -> np.ndarray:
        """Decode TF's string layout: varint64 lengths, masked crc of the lengths, the bytes."""
        view = memoryview(buf)
        if count == 0 and not view:  # TF may write nothing at all for an empty string tensor
            return np.empty(0, dtype=object)
        try:
            lengths = []
            pos = 0
            for _ in range(count):
                length, pos = _varint(view, pos, len(view))
                lengths.append(length)
            if pos + 4 + sum(lengths) != len(view):
                raise _Corrupt(f"string tensor {key!r} has inconsistent lengths")
        except _Corrupt as exc:
            raise FrontendError(f"{exc}; {_CORRUPT}", path) from None
        if self.verify_checksums:
            # Lengths are checksummed as little-endian uint32s (uint64s past 4 GiB), not varints.
            order = self._byteorder
            if all(length <= 0xFFFFFFFF for length in lengths):
                length_bytes = np.asarray(lengths, dtype=f"{order}u4").tobytes()
            else:
                length_bytes = b"".join(
                    struct.pack(f"{order}I" if length <= 0xFFFFFFFF else f"{order}Q", length)
                    for length in lengths
                )
            (stored_lengths_crc,) = struct.unpack_from(f"{order}I", view, pos)
            lengths_crc = crc32c(length_bytes)
            whole = crc32c(view[pos:], lengths_crc)
            if _unmask(stored_lengths_crc) != lengths_crc or whole != _unmask(
                self.entry(key).crc32c
            ):
                raise FrontendError(f"checksum mismatch for tensor {key!r}; {_CORRUPT}", path)
        pos += 4
        out = np.empty(count, dtype=object)
        for i, length in enumerate(lengths):
            out[i] = bytes(view[pos : pos + length])
            pos += length
        return out
