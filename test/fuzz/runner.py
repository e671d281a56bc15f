"""Run one fuzz case in a forked child under a memory limit and a CPU-time limit, and judge it.

The parent imports tflc once; each case forks, so a case costs milliseconds, and a
hang, a crash or an out-of-memory kill ends only the child. A case is judged by
what a user would see: a clean run (exit 0, the output written), a clean rejection
(exit 1, one `tool: error:` message, no output file, no temporary file left), or a
finding: a traceback, an internal error, a hang, a MemoryError, a crash by signal,
a leftover file, an error message naming a temporary file, or an output that
ai-edge-litert will not load.
"""

from __future__ import annotations

import os
import resource
import select
import shutil
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

FINDINGS = ("traceback", "internal", "hang", "memory", "crash", "leftover", "tempname", "litert", "unclear")


@dataclass
class Case:
    """One input: the files to lay out, the tool and its arguments, the output to check."""

    tool: str  # tflc-opt | tflc-translate | tflc-convert
    argv: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    output: str | None = None  # the output path the case asks for (relative)
    check_litert: bool = False  # a .tflite output must load in ai-edge-litert


@dataclass
class Outcome:
    """How a case ended: `ok`, `rejected` or one of FINDINGS, with the evidence."""

    kind: str
    rc: int | None
    stderr: str
    seconds: float = 0.0


def tool_main(tool: str) -> Callable[[list[str]], int]:
    """The in-process entry point of a tflc command."""
    if tool == "tflc-opt":
        from tflc.tools.opt import main
    elif tool == "tflc-translate":
        from tflc.tools.translate import main
    else:
        from tflc.tools.convert import main
    return main


def preload() -> None:
    """Import everything a case may reach, once, so forked children start warm (jax's MLIR
    bindings too: StableHLO text that xDSL cannot parse goes through them)."""
    import ai_edge_litert.interpreter  # noqa: F401

    try:
        import jax._src.interpreters.mlir  # noqa: F401
        import jaxlib.mlir.ir  # noqa: F401
    except ImportError:  # jax is optional: the StableHLO fallback is not reached then
        pass

    import tflc.backend.export  # noqa: F401
    import tflc.backend.importer  # noqa: F401
    import tflc.converter  # noqa: F401
    import tflc.frontend.saved_model  # noqa: F401
    import tflc.passes  # noqa: F401
    import tflc.pipeline  # noqa: F401
    import tflc.tools.convert  # noqa: F401
    import tflc.tools.opt  # noqa: F401
    import tflc.tools.translate  # noqa: F401


def _litert_loads(path: str) -> str | None:
    """None if ai-edge-litert loads the model and allocates its tensors, else why not."""
    from ai_edge_litert.interpreter import Interpreter

    try:
        interpreter = Interpreter(model_path=path)
        interpreter.allocate_tensors()
    except Exception as err:  # noqa: BLE001 - any refusal is the finding
        if "Select TensorFlow op" in str(err):  # Flex ops need TensorFlow's delegate, not a defect
            return None
        return f"{type(err).__name__}: {err}"
    return None


def _child(case: Case, workdir: str, mem_bytes: int, cpu_seconds: float) -> None:
    """The forked child: limits, redirections, the tool, the litert check; never returns."""
    rc = 97
    try:
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        cpu = int(cpu_seconds + 0.999)  # SIGXCPU past this much CPU time: a hang
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(workdir)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        out = os.open(os.path.join(workdir, "..", "stdout"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(os.path.join(workdir, "..", "stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(err, 2)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.environ.pop("TFLC_TRACEBACK", None)
        try:
            rc = tool_main(case.tool)(case.argv)
        except SystemExit as exit_:
            rc = exit_.code if isinstance(exit_.code, int) else 2
        if rc == 0 and case.check_litert and case.output and os.path.exists(case.output):
            why = _litert_loads(case.output)
            if why is not None:
                print(f"LITERT-REJECT: {why}", file=sys.stderr)
                rc = 98
    except MemoryError:
        print("MemoryError (uncaught)", file=sys.stderr)
        rc = 96
    except BaseException:  # noqa: BLE001 - a traceback is the finding
        traceback.print_exc()
        rc = 99
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(rc)


WALL_FACTOR = 3.0
"""A case is a hang past `timeout` seconds of CPU time, or `WALL_FACTOR` times that of wall
time (the machine is shared: wall time alone would count waiting for a core as hanging)."""


def run_case(case: Case, scratch: str, timeout: float = 20.0, mem_bytes: int = 4 << 30) -> Outcome:
    """Lay out a case's files in a fresh directory under `scratch`, run it, judge it."""
    import time

    workdir = os.path.join(scratch, "case")
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    for rel, data in case.files.items():
        path = os.path.join(workdir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    before = _listing(workdir)
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(case, workdir, mem_bytes, timeout)
    status, timed_out = _wait(pid, timeout * WALL_FACTOR)
    seconds = time.monotonic() - start
    with open(os.path.join(scratch, "stderr"), errors="replace") as f:
        stderr = f.read()
    after = _listing(workdir)
    kind, rc = _judge(case, status, timed_out, stderr, before, after)
    return Outcome(kind, rc, stderr, seconds)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    fd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            return status, True
        _, status = os.waitpid(pid, 0)
        return status, False
    finally:
        os.close(fd)


def _listing(root: str) -> set[str]:
    out = set()
    for dirpath, _, files in os.walk(root):
        for name in files:
            out.add(os.path.relpath(os.path.join(dirpath, name), root))
    return out


def _judge(
    case: Case, status: int, timed_out: bool, stderr: str, before: set[str], after: set[str]
) -> tuple[str, int | None]:
    if timed_out:
        return "hang", None
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return "hang", -sig
        return ("memory" if sig == signal.SIGKILL else "crash"), -sig
    rc = os.WEXITSTATUS(status)
    if "Traceback (most recent call last)" in stderr or rc == 99:
        return "traceback", rc
    if "MemoryError" in stderr or rc == 96:
        return "memory", rc
    if f"{case.tool}: internal error" in stderr:  # (the input's own text may be quoted in a diagnostic)
        return "internal", rc
    if rc == 98:
        return "litert", rc
    new = after - before
    if any(os.path.basename(p).startswith(".tflc-") for p in new):
        return "leftover", rc
    if ".tflc-" in stderr:
        return "tempname", rc
    if rc == 0:
        return "ok", rc
    if case.output and case.output in new:
        return "leftover", rc
    if rc == 2 and "usage:" in stderr:
        return "rejected", rc
    if rc == 1 and f"{case.tool}: error:" in stderr:
        return "rejected", rc
    return "unclear", rc
