"""Writing output files so that a failure never leaves a partial file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable


def write_atomically(path: str, chunks: Iterable[bytes | memoryview | str]) -> int:
    """Write `chunks` to `path` through a temporary file and a rename; returns the size."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tflc-", suffix=".tmp")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                data = chunk.encode() if isinstance(chunk, str) else chunk
                out.write(data)
                size += len(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return size
