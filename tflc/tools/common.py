"""What every tflc command shares: reading inputs and reporting errors cleanly."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable


def read_input(path: str | None) -> tuple[bytes, str]:
    """The bytes of an input file (stdin for None or '-') and the name to report it by."""
    from tflc.fileio import read_stream, read_user_file, register_input

    if path is None or path == "-":
        return read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>"
    register_input(path)
    return read_user_file(path), path


def add_version(parser: argparse.ArgumentParser) -> None:
    """`--version`: tflc's version and xDSL's."""
    from importlib.metadata import PackageNotFoundError, version

    from tflc import __version__

    try:
        xdsl = version("xdsl")
    except PackageNotFoundError:  # pragma: no cover - xdsl is a dependency
        xdsl = "unknown"
    parser.add_argument("--version", action="version", version=f"{parser.prog} (tflc) {__version__}, xDSL {xdsl}")


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`| head`): exit quietly, as Unix tools do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a killed writer


def run_tool(name: str, body: Callable[[], int | None]) -> int:
    """Run a command's body; report user errors as one line on stderr with exit code 1."""
    from xdsl.utils.exceptions import DiagnosticException, ParseError

    from tflc.errors import TflcError

    try:
        code = body() or 0
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
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
