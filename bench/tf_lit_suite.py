"""Run TensorFlow's converter lit tests through tflc and report, per test file, how many
test functions parse, run through the matching tflc passes, contain the tfl ops the
file's CHECK lines name, and pass the CHECK lines verbatim (FileCheck); and whether any
crashes tflc (an exception that is not one of tflc's diagnostics).

Usage:
    python bench/tf_lit_suite.py LITERT_CHECKOUT [--files legalize-tf.mlir,optimize.mlir]
                                 [--json report.json] [--crashes] [--misses]

LITERT_CHECKOUT is a checkout of google-ai-edge/LiteRT (its `tflite/converter/tests/`
is read; a path to that directory works too). Nothing of it is copied anywhere.

Each function is run on its own, in a module with the functions it references; each
`// -----` chunk of `-split-input-file` tests is its own scope. TF's pass flags map to
tflc's passes (`-tfl-legalize-tf` -> legalize-tf, `-tfl-optimize` -> tflc's optimization
passes, ...); files whose passes tflc has no counterpart for are parsed and verified only,
and `flatbuffer_translate` tests round-trip through tflc's FlatBuffer export and import.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

OPTIMIZE = ["tfl-fold-constants", "tfl-remove-redundant", "tfl-fuse-pad", "tfl-fuse-affine", "tfl-fuse-activations"]
LEGALIZE = ["prepare-tf", "lower-control-flow", "legalize-tf{allow-unsupported=true}"]
"""tflc's legalization: TF's -tfl-legalize-tf also does what tflc splits into these. It is
a partial conversion (ops without a lowering stay, for Flex), as `allow-unsupported`; a
function still counts only when it has every tfl op its CHECK lines name."""
FLAG_PASSES: dict[str, list[str]] = {
    "tfl-legalize-tf": LEGALIZE,
    "tfl-legalize-tf-while": LEGALIZE,
    "tfl-lower-static-tensor-list": LEGALIZE,
    "tfl-legalize-tensorlist": LEGALIZE,
    "tfl-legalize-variables": LEGALIZE,
    "tfl-legalize-hashtables": LEGALIZE,
    "tfl-prepare-tf": ["prepare-tf"],
    "tfl-optimize": OPTIMIZE,
    "canonicalize": ["canonicalize", "tfl-fold-constants"],
    "cse": ["cse"],
    "inline": ["tf-inline"],
    "tf-shape-inference": ["tf-shape-inference"],
    "tfl-large-constant-fold": ["tfl-fold-constants"],
}
IGNORED_FLAGS = {"split-input-file", "o", "dump-input", "mlir-print-debuginfo", "allow-unregistered-dialect"}
FUNC = re.compile(r"^[ \t]*func\.func\b[^@]*@(\"[^\"]+\"|[\w.$-]+)", re.MULTILINE)
SYMBOL = re.compile(r"@(\"[^\"]+\"|[\w.$-]+)")
TFL_OP = re.compile(r"\btfl\.[a-z_0-9]+")
_LEADING_COMMENTS = re.compile(r"^(?:\s*//[^\n]*\n)*\s*")
CHECK_LINE = re.compile(r"^\s*//\s*([A-Z][A-Z0-9_-]*?)(-LABEL|-NEXT|-SAME|-DAG|-NOT|-EMPTY)?:(.*)$")


@dataclass
class FileReport:
    """Counts for one test file."""

    name: str
    mode: str
    passes: list[str]
    functions: int = 0
    parse: int = 0
    run: int = 0
    named_ops_total: int = 0
    named_ops_match: int = 0
    filecheck: int = 0
    crashes: list[str] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)  # functions without some op their CHECK lines name

    def row(self) -> str:
        """One line of the table."""
        ops = f"{self.named_ops_match}/{self.named_ops_total}" if self.named_ops_total else "-"
        return (
            f"{self.name:58s} {self.mode:9s} {self.functions:5d} {self.parse:5d} {self.run:5d} "
            f"{ops:>9s} {self.filecheck:5d} {len(self.crashes):5d}"
        )


def _run_spec(text: str) -> tuple[str, list[str], list[str], str, bool]:
    """(mode, tflc passes, unknown flags, check prefix, split) from the file's RUN lines."""
    runs = [m.group(1) for m in re.finditer(r"//\s*RUN:(.*)", text)]
    first = " ".join(runs[:1])
    for line in runs[1:]:
        if first.rstrip().endswith("\\"):
            first = first.rstrip()[:-1] + " " + line
    tool_part = first.split("|")[0]
    prefix = "CHECK"
    m = re.search(r"--?check-prefix(?:es)?[= ]([A-Za-z0-9_,-]+)", first)
    if m:
        prefix = m.group(1).split(",")[0]
    split = "split-input-file" in tool_part
    if "flatbuffer_translate" in tool_part or "mlir-to-tflite-flatbuffer" in first:
        return "roundtrip", [], [], prefix, split
    passes: list[str] = []
    unknown: list[str] = []
    for flag in re.findall(r"(?:^|\s)--?([a-z][\w-]*)(?:[=\s]|$)", tool_part):
        if flag in IGNORED_FLAGS:
            continue
        if flag in FLAG_PASSES:
            passes.extend(p for p in FLAG_PASSES[flag] if p not in passes)
        else:
            unknown.append(flag)
    mode = "passes" if passes and not unknown else ("partial" if passes else "parse")
    return mode, passes, unknown, prefix, split


def _functions(chunk: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of each function in a chunk: its header, then its body braces."""
    out = []
    for m in FUNC.finditer(chunk):
        body = _body_brace(chunk, m.end())
        if isinstance(body, tuple) or body < 0:
            end = body[1] if isinstance(body, tuple) else len(chunk)
            out.append((m.group(1).strip('"'), m.start(), end))
            continue
        out.append((m.group(1).strip('"'), m.start(), _match_brace(chunk, body)))
    return out


def _body_brace(text: str, i: int) -> int | tuple[str, int]:
    """Where a function's body `{` is, or ('decl', end) for a declaration without body."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "([<":
            depth += 1
        elif c in ")]>":
            if c == ">" and text[i - 1] == "-":
                pass
            else:
                depth -= 1
        elif c == "{" and depth == 0:
            if text[:i].rstrip().endswith("attributes"):
                i = _match_brace(text, i)
                continue
            return i
        elif c == "\n" and depth == 0:
            before = text[:i].rstrip()
            after = _LEADING_COMMENTS.sub("", text[i : i + 4096])
            if not before.endswith(("->", ",", "attributes")) and not after.startswith(("->", "attributes", "{")):
                return ("decl", i)
        i += 1
    return -1


def _match_brace(text: str, open_at: int) -> int:
    """The index after the `}` matching the `{` at `open_at` (strings and comments skipped)."""
    depth, i, n = 0, open_at, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "/" and text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                return n
            continue
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _check_lines(region: str, prefix: str) -> list[str]:
    """The FileCheck directive lines (with `prefix`) in a piece of the test file."""
    lines = []
    for line in region.splitlines():
        m = CHECK_LINE.match(line)
        if m and m.group(1) == prefix:
            lines.append(line.strip())
    return lines


def _named_ops(checks: list[str], prefix: str) -> set[str]:
    """tfl ops that positive CHECK lines name."""
    names: set[str] = set()
    for line in checks:
        m = CHECK_LINE.match(line)
        if m and m.group(2) != "-NOT":
            names.update(TFL_OP.findall(m.group(3)))
    return names


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout()


def _module_text(chunk: str, funcs: list[tuple[str, int, int]], index: int) -> str:
    """The function at `index` with the functions it references (transitively), and the
    chunk's top-level alias definitions, as one module."""
    by_name = {name: (s, e) for name, s, e in funcs}
    wanted = [funcs[index][0]]
    seen = {funcs[index][0]}
    while wanted:
        name = wanted.pop()
        s, e = by_name[name]
        for ref in SYMBOL.findall(chunk[s:e]):
            ref = ref.strip('"')
            if ref in by_name and ref not in seen:
                seen.add(ref)
                wanted.append(ref)
    order = [f for f in funcs if f[0] in seen]
    aliases = "\n".join(m.group(0) for m in re.finditer(r"^[#!][\w$.-]+ = .*$", chunk, re.MULTILINE))
    header = ""
    m = re.search(r"^module\b", chunk, re.MULTILINE)
    if m:
        body = _body_brace(chunk, m.end())
        if isinstance(body, int) and body >= 0:
            header = chunk[m.start() : body + 1]
    body = "\n".join(chunk[s:e] for _, s, e in order)
    return f"{aliases}\n{header}\n{body}\n{'}' if header else ''}\n"


def _run_function(text: str, passes: list[str], mode: str) -> tuple[str, str]:
    """('parse'|'run'|'ok', output or error) for one function's module."""
    from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException

    from tflc.errors import TflcError
    from tflc.ir import module_to_text, parse_module, verify_module
    from tflc.pipeline import parse_pipeline, run_passes

    diagnostics = (ParseError, DiagnosticException, VerifyException, TflcError)
    try:
        module = parse_module(text, "test.mlir")
        verify_module(module)
    except diagnostics as err:
        return "parse-failed", str(err).strip().splitlines()[-1][:160]
    if mode == "roundtrip":
        from tflc.backend.export import export_module
        from tflc.backend.importer import import_model

        try:
            module = import_model(export_module(module), "test.tflite")
        except diagnostics as err:
            return "run-failed", str(err).strip().splitlines()[0][:160]
        return "ok", module_to_text(module)
    try:
        run_passes(module, parse_pipeline(",".join(passes)))
    except diagnostics as err:
        lines = str(err).strip().splitlines()
        # For grouped reports, the first op named: `... lowering: tf.Foo x1`.
        grouped = len(lines) > 1 and lines[0].endswith(":")
        first = lines[0] + (" " + lines[1].strip().split(" (first")[0] if grouped else "")
        return "run-failed", first[:200]
    return "ok", module_to_text(module)


def _filecheck(checks: list[str], output: str, prefix: str) -> bool:
    """Whether FileCheck accepts `output` against these CHECK lines, verbatim."""
    if not checks:
        return False
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write("\n".join(checks) + "\n")
        path = f.name
    try:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "filecheck"), path, f"--check-prefix={prefix}"],
            input=output,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        Path(path).unlink()
    return result.returncode == 0


def run_file(path: Path, root: Path, with_filecheck: bool) -> FileReport:
    """Run every test function of one file."""
    text = path.read_text(errors="replace")
    mode, passes, unknown, prefix, split = _run_spec(text)
    report = FileReport(str(path.relative_to(root)), mode, passes)
    chunks = text.split("// -----") if split else [text]
    for chunk in chunks:
        funcs = _functions(chunk)
        previous_end = 0
        for index, (name, _start, end) in enumerate(funcs):
            report.functions += 1
            region = chunk[previous_end:end]
            previous_end = end
            checks = _check_lines(region, prefix)
            signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(60)
            try:
                status, output = _run_function(_module_text(chunk, funcs, index), passes, mode)
            except _Timeout:
                report.crashes.append(f"{name}: timeout")
                continue
            except Exception as err:  # noqa: BLE001 - a crash is what this bench counts
                report.crashes.append(f"{name}: {type(err).__name__}: {str(err)[:160]}")
                continue
            finally:
                signal.alarm(0)
            named = _named_ops(checks, prefix)
            report.named_ops_total += bool(named)
            if status == "parse-failed":
                report.errors[output] += 1
                if named:
                    report.misses.append(f"{name}: does not parse: {output[:120]}")
                continue
            report.parse += 1
            if status == "run-failed":
                report.errors[output] += 1
                if named:
                    report.misses.append(f"{name}: {output[:120]}")
                continue
            report.run += 1
            func_out = _function_output(output, name)
            if named and all(op in func_out for op in named):
                report.named_ops_match += 1
            elif named:
                report.misses.append(f"{name}: no {', '.join(sorted(op for op in named if op not in func_out))}")
            if with_filecheck and _filecheck(checks, output, prefix):
                report.filecheck += 1
    return report


def _function_output(output: str, name: str) -> str:
    """The printed text of one function of a module."""
    for m in FUNC.finditer(output):
        if m.group(1).strip('"') == name:
            body = output.find("{", output.find(")", m.end()))
            return output[m.start() : _match_brace(output, body)] if body >= 0 else ""
    return output


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("litert", help="LiteRT checkout, or its tflite/converter/tests directory")
    parser.add_argument("--files", help="comma-separated test files (relative to the tests directory)")
    parser.add_argument("--json", help="write the counts here")
    parser.add_argument("--no-filecheck", action="store_true", help="skip the verbatim FileCheck runs")
    parser.add_argument("--crashes", action="store_true", help="list every crash")
    parser.add_argument("--misses", action="store_true", help="list the functions missing an op TF's CHECK lines name")
    parser.add_argument(
        "--errors", type=int, default=0, metavar="N", help="list the N most common diagnostics per file"
    )
    args = parser.parse_args(argv)
    root = Path(args.litert)
    if (root / "tflite" / "converter" / "tests").is_dir():
        root = root / "tflite" / "converter" / "tests"
    files = (
        [root / f for f in args.files.split(",")] if args.files else sorted(root.rglob("*.mlir"))
    )
    columns = ("funcs", "parse", "run", "CHECK-ops", "fchk", "crash")
    print(f"{'file':58s} {'mode':9s} " + " ".join(f"{c:>9s}" if c == "CHECK-ops" else f"{c:>5s}" for c in columns))
    reports = []
    for path in files:
        report = run_file(path, root, not args.no_filecheck)
        reports.append(report)
        print(report.row(), flush=True)
        if args.crashes:
            for crash in report.crashes:
                print(f"    crash: {crash}")
        if args.misses:
            for miss in report.misses:
                print(f"    miss: {miss}")
        for message, count in report.errors.most_common(args.errors):
            print(f"    {count:4d} x {message}")
    total = FileReport("TOTAL", "", [])
    for r in reports:
        total.functions += r.functions
        total.parse += r.parse
        total.run += r.run
        total.named_ops_total += r.named_ops_total
        total.named_ops_match += r.named_ops_match
        total.filecheck += r.filecheck
        total.crashes += r.crashes
    print(total.row())
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [
                    {
                        "file": r.name, "mode": r.mode, "passes": r.passes, "functions": r.functions,
                        "parse": r.parse, "run": r.run, "named_ops_total": r.named_ops_total,
                        "named_ops_match": r.named_ops_match, "filecheck": r.filecheck,
                        "crashes": r.crashes,
                    }
                    for r in reports
                ],
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
