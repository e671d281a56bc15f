"""TFLite's string tensor buffer layout, both ways.

A string buffer is `int32 count`, `int32 offsets[count + 1]` (from the buffer start),
then the bytes of every string back to back.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tflc.errors import TflcError


def pack_strings(strings: Sequence[bytes]) -> bytes:
    """The TFLite buffer holding `strings`."""
    count = len(strings)
    lengths = np.fromiter((len(s) for s in strings), dtype=np.int64, count=count)
    header = 4 * (count + 2)
    offsets = np.concatenate([[0], np.cumsum(lengths)]) + header
    if offsets[-1] > np.iinfo(np.int32).max:
        raise TflcError("a string tensor over 2 GB cannot be stored in a TFLite buffer")
    return np.int32(count).tobytes() + offsets.astype("<i4").tobytes() + b"".join(strings)


def unpack_strings(data: bytes | np.ndarray) -> list[bytes]:
    """The strings in a TFLite string buffer."""
    raw = bytes(data)
    if len(raw) < 4:
        raise TflcError("string buffer is truncated")
    count = int(np.frombuffer(raw, "<i4", 1)[0])
    if count < 0 or len(raw) < 4 * (count + 2):
        raise TflcError("string buffer is truncated")
    offsets = np.frombuffer(raw, "<i4", count + 1, 4)
    if offsets[-1] > len(raw) or np.any(np.diff(offsets) < 0):
        raise TflcError("string buffer offsets are corrupt")
    return [raw[offsets[i] : offsets[i + 1]] for i in range(count)]
