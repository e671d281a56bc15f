"""What every tflc command shares: clean errors and atomic output files."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable


def write_atomically(path: str, data: bytes | str) -> None:
    """Write `path` through a temporary file and a rename, so no partial file is left."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tflc-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode() if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_input(path: str | None) -> tuple[bytes, str]:
    """The bytes of an input file (stdin for None or '-') and the name to report it by."""
    if path is None or path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    with open(path, "rb") as f:
        return f.read(), path


def run_tool(name: str, body: Callable[[], int | None]) -> int:
    """Run a command's body; report user errors as one line on stderr with exit code 1."""
    from xdsl.utils.exceptions import DiagnosticException, ParseError

    from tflc.errors import TflcError

    try:
        return body() or 0
    except (TflcError, ParseError, DiagnosticException) as err:
        message = str(err).rstrip()
        print(f"{name}: error: {message}", file=sys.stderr)
        return 1
    except FileNotFoundError as err:
        print(f"{name}: error: {err.filename}: no such file", file=sys.stderr)
        return 1
    except (IsADirectoryError, PermissionError) as err:
        print(f"{name}: error: {err.filename}: {err.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
