"""What every tflc command shares: reading inputs and reporting errors cleanly."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def read_input(path: str | None) -> tuple[bytes, str]:
    """The bytes of an input file (stdin for None or '-') and the name to report it by."""
    if path is None or path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    from tflc.fileio import register_input

    register_input(path)
    with open(path, "rb") as f:
        return f.read(), path


def run_tool(name: str, body: Callable[[], int | None]) -> int:
    """Run a command's body; report user errors as one line on stderr with exit code 1."""
    from xdsl.utils.exceptions import DiagnosticException, ParseError

    from tflc.errors import TflcError

    try:
        rc = body() or 0
        sys.stdout.flush()
        return rc
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
    except BrokenPipeError:  # the reader went away (`tflc-opt --list-passes | head`): end quietly
        _silence_stdout()
        return 141
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        print(f"{name}: error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug in tflc, not in the input: one line, traceback on request
        if os.environ.get("TFLC_TRACEBACK"):
            raise
        print(
            f"{name}: internal error: {type(err).__name__}: {err}; this is a tflc bug: please report it "
            "with the input (TFLC_TRACEBACK=1 prints the traceback)",
            file=sys.stderr,
        )
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
