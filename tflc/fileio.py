"""Reading inputs, and writing output files so that a failure never leaves a partial file behind.

`read_user_file` reads a file named on the command line: a regular file whole, a pipe or
device (or stdin, `read_stream`) up to `limits.MAX_STREAM_BYTES`. Files a model directory
holds must be regular files (`check_regular_file`): a FIFO there would block the open
and a device never end.

`write_atomically` writes a regular file through a temporary file in the same directory
and a rename, so readers see the old file or the whole new one. It follows a symlink
to its target (the link stays), writes device nodes and FIFOs (`/dev/null`,
`/dev/stdout`) directly, writes `-` to stdout, keeps an existing file's mode (a new
file gets the umask default), refuses to overwrite an input of the run, removes its
temporary file on SIGTERM and SIGHUP as on any error, and names the user's path in
every error.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from tflc.errors import TflcError

_inputs: set[str] = set()


def read_stream(stream: BinaryIO, name: str) -> bytes:
    """All the bytes of a pipe, device or stdin, refusing more than limits.MAX_STREAM_BYTES."""
    from tflc.limits import MAX_STREAM_BYTES

    data = bytearray()
    while chunk := stream.read(1 << 20):
        data += chunk
        if len(data) > MAX_STREAM_BYTES:
            raise TflcError(
                f"{name}: the input is not a regular file and goes on past {MAX_STREAM_BYTES} bytes; "
                "save it to a file and pass that"
            )
    return bytes(data)


def read_user_file(path: str) -> bytes:
    """The bytes of a file named on the command line (a pipe or device: see `read_stream`)."""
    with open(path, "rb") as f:
        if stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return f.read()
        return read_stream(f, path)


def check_regular_file(path: str, what: str) -> None:
    """Refuse a file of a model directory that is not a regular file (FileNotFoundError if absent)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise TflcError(f"{path}: the {what} is not a regular file (a FIFO or device); replace it with the file")


def register_input(path: str) -> None:
    """Mark a file or directory as an input of this run: outputs may not overwrite it."""
    if path and path != "-":
        _inputs.add(os.path.realpath(path))


def _overwrites_input(target: str) -> str | None:
    """The input `target` would overwrite (itself, or a file inside an input directory)."""
    for item in _inputs:
        if target == item or (os.path.isdir(item) and target.startswith(item.rstrip(os.sep) + os.sep)
                              and os.path.exists(target)):
            return item
    return None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while an output was being written."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into an exception (so temporary files are removed), then re-raise them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        raise _Terminated(signum)

    caught = [s for s in (signal.SIGTERM, signal.SIGHUP) if signal.getsignal(s) is not signal.SIG_IGN]
    previous = {s: signal.signal(s, handler) for s in caught}  # one ignored from the start (nohup) stays ignored
    try:
        yield
    except _Terminated as term:
        for s, h in previous.items():
            signal.signal(s, h)
        previous = {}
        os.kill(os.getpid(), term.signum)  # the default action: end as the signal says
        raise SystemExit(128 + term.signum) from None
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _write_all(out, chunks: Iterable[bytes | memoryview | str]) -> int:
    size = 0
    for chunk in chunks:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        out.write(data)
        size += len(data)
    return size


def _cannot(path: str, err: OSError) -> TflcError:
    return TflcError(f"{path}: cannot write the output ({err.strerror or err})")


def write_atomically(path: str, chunks: Iterable[bytes | memoryview | str]) -> int:
    """Write `chunks` to `path` (see the module docstring); returns the size written."""
    if path == "-":
        out = sys.stdout.buffer
        size = _write_all(out, chunks)
        out.flush()
        return size
    target = os.path.realpath(path)
    if (item := _overwrites_input(target)) is not None:
        what = "the input" if item == target else f"a file of the input {item}"
        raise TflcError(f"{path}: refusing to overwrite {what}; choose another output path")
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise _cannot(path, err) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise TflcError(f"{path}: is a directory; give an output file path")
    with _cleanup_on_signals():
        if mode is not None and not stat.S_ISREG(mode):  # a device node, FIFO or socket
            try:
                with open(target, "wb") as out:
                    return _write_all(out, chunks)
            except OSError as err:
                raise _cannot(path, err) from None
        return _replace(path, target, chunks, None if mode is None else stat.S_IMODE(mode))


def _replace(path: str, target: str, chunks: Iterable[bytes | memoryview | str], mode: int | None) -> int:
    directory = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tflc-", suffix=".tmp")
    except FileNotFoundError:
        directory = os.path.dirname(path) or "."
        raise TflcError(f"{path}: cannot write the output (directory {directory} does not exist)") from None
    except OSError as err:
        raise _cannot(path, err) from None
    try:
        try:
            os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as out:
                size = _write_all(out, chunks)
            os.replace(tmp, target)
        except OSError as err:
            raise _cannot(path, err) from None
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    return size
