"""Fuzz tflc's parsers and options: `make fuzz FUZZ_SECONDS=600`, or the test suite's short run.

    python test/fuzz/campaign.py [--seconds S | --count N] [--target T ...] [--seed K]
                                 [--seeds-dir DIR] [--findings DIR] [--hypothesis]
                                 [--jobs J] [--summary FILE]

The default mode runs seeded random cases per target, round robin, until the time or
count is used up, counts every outcome and writes each finding as a reproducer under
--findings. `--hypothesis` runs each target as a hypothesis property instead (the
random choices of the mutators are hypothesis's, so a failure is shrunk to a small
case) and stops at the first finding: the test suite's mode.
Each case runs in a forked child limited to 4 GB of address space and --timeout seconds of
CPU time (and three times that of wall time); past either it is a hang.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runner import FINDINGS, Outcome, preload, run_case  # noqa: E402
from targets import TARGETS, build_corpus, save_case  # noqa: E402


def _report(target: str, case_id: str, outcome: Outcome) -> str:
    lines = [line for line in outcome.stderr.strip().splitlines() if line.strip()]
    last = lines[-1][:300] if lines else ""
    return f"[{target} {case_id}] {outcome.kind} rc={outcome.rc} {outcome.seconds:.1f}s: {last}"


def _run_shard(args: argparse.Namespace, corpus, scratch: str, shard: int, jobs: int) -> dict[str, Counter]:
    """The cases of one worker: case number i of each target where i % jobs == shard."""
    counts = {t: Counter() for t in args.target}
    deadline = time.monotonic() + args.seconds if args.seconds else None
    per_target = len(args.target)
    n = shard * per_target
    done = 0
    while True:
        if args.count is not None and n >= args.count * per_target:
            break
        if deadline is not None and time.monotonic() > deadline:
            break
        target = args.target[n % per_target]
        case_seed = f"{args.seed}-{target}-{n // per_target}"
        try:
            case = TARGETS[target](random.Random(case_seed), corpus)
        except Exception as err:  # noqa: BLE001 - a harness defect must not end a long campaign
            print(f"[{target} {case_seed}] generator error {type(err).__name__}: {err}", flush=True)
            counts[target]["generator-error"] += 1
        else:
            outcome = run_case(case, scratch, timeout=args.timeout)
            counts[target][outcome.kind] += 1
            if outcome.kind in FINDINGS:
                print(_report(target, case_seed, outcome), flush=True)
                if args.findings:
                    where = os.path.join(args.findings, f"{outcome.kind}-{case_seed}")
                    save_case(case, where)
                    Path(where, "stderr").write_text(outcome.stderr)
        n += 1
        if n % per_target == 0:
            n += (jobs - 1) * per_target  # skip the other workers' rounds
        done += 1
        if done % 600 == 0:
            found = sum(sum(c[k] for k in FINDINGS) for c in counts.values())
            print(f"progress (worker {shard}): {done} cases, {found} findings", flush=True)
    return counts


def run_random(args: argparse.Namespace, corpus, scratch: str) -> int:
    """Seeded random cases, round robin over the targets, counting every outcome; with
    --jobs, forked workers share the case numbers (the same cases whatever the number)."""
    import json

    start = time.monotonic()
    if args.jobs <= 1:
        counts = _run_shard(args, corpus, scratch, 0, 1)
    else:
        pids = []
        for shard in range(args.jobs):
            shard_scratch = os.path.join(scratch, f"worker{shard}")
            os.makedirs(shard_scratch)
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    result = _run_shard(args, corpus, shard_scratch, shard, args.jobs)
                    Path(shard_scratch, "counts.json").write_text(json.dumps({t: dict(c) for t, c in result.items()}))
                except BaseException:  # noqa: BLE001 - reported by the parent as a missing shard
                    import traceback

                    traceback.print_exc()
                    code = 1
                finally:
                    sys.stdout.flush()
                    os._exit(code)
            pids.append((pid, shard_scratch))
        counts = {t: Counter() for t in args.target}
        for pid, shard_scratch in pids:
            os.waitpid(pid, 0)
            path = Path(shard_scratch, "counts.json")
            if not path.exists():
                print(f"worker in {shard_scratch} ended without its counts", flush=True)
                counts[args.target[0]]["harness-error"] += 1
                continue
            for target, c in json.loads(path.read_text()).items():
                counts[target].update(c)
    total = Counter()
    for target, c in counts.items():
        total.update(c)
        print(f"{target:15} cases={sum(c.values()):6} " + " ".join(f"{k}={v}" for k, v in sorted(c.items())))
    found = sum(total[k] for k in FINDINGS) + total["harness-error"]
    print(f"total cases={sum(total.values())} findings={found} " + " ".join(f"{k}={total[k]}" for k in FINDINGS))
    if args.summary:
        write_summary(args, counts, time.monotonic() - start)
    return 1 if found else 0


def write_summary(args: argparse.Namespace, counts: dict[str, Counter], seconds: float) -> None:
    """The campaign's counts per target and outcome as a Markdown file (--summary)."""
    import subprocess

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
        ).stdout.strip()
    except OSError:
        commit = ""
    commit = commit or os.environ.get("TFLC_FUZZ_COMMIT", "")  # a campaign run from an exported snapshot
    kinds = ["ok", "rejected", *FINDINGS, "generator-error", "harness-error"]
    lines = [
        "# Fuzz campaign summary",
        "",
        "Written by `test/fuzz/campaign.py --summary` at the end of a campaign run.",
        "",
        f"- seed `{args.seed}`, {args.jobs} worker(s), {seconds:.0f} s wall time, "
        f"a hang past {args.timeout:g} s of CPU time (or {args.timeout * 3:g} s of wall time) per case, "
        "4 GB address-space limit per case",
        f"- code at commit `{commit or 'unknown'}`; seeds from the test fixtures"
        + (" and --seeds-dir" if args.seeds_dir else ""),
        "",
        "| target | cases | " + " | ".join(kinds) + " |",
        "|---|---:|" + "---:|" * len(kinds),
    ]
    total = Counter()
    for target, c in counts.items():
        total.update(c)
        lines.append(f"| {target} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in kinds) + " |")
    lines.append(f"| **total** | {sum(total.values())} | " + " | ".join(str(total[k]) for k in kinds) + " |")
    found = sum(total[k] for k in FINDINGS)
    lines += [
        "",
        f"Findings (tracebacks, internal errors, hangs, MemoryErrors, crashes, leftover files, ...): {found}.",
        "",
    ]
    Path(args.summary).parent.mkdir(parents=True, exist_ok=True)
    Path(args.summary).write_text("\n".join(lines))


def load_case(directory: Path):
    """A saved reproducer (its files and `command` line) as a Case."""
    import shlex

    from runner import Case

    tool, *argv = shlex.split((directory / "command").read_text())
    files = {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name not in ("command", "stderr")
    }
    output = None
    for flag in ("-o", "--output-file"):
        if flag in argv[:-1]:
            output = argv[argv.index(flag) + 1]
    return Case(tool, argv, files, output, bool(output and output.endswith(".tflite")))


def run_replay(args: argparse.Namespace, scratch: str) -> int:
    """Replay saved reproducers (test/fuzz/regressions): each must now end cleanly."""
    failed = 0
    directories = sorted(p for p in Path(args.replay).iterdir() if (p / "command").exists())
    for directory in directories:
        outcome = run_case(load_case(directory), scratch, timeout=args.timeout)
        if outcome.kind in FINDINGS:
            failed += 1
            print(_report("replay", directory.name, outcome), flush=True)
    print(f"replayed {len(directories)} reproducers, {failed} still failing")
    return 1 if failed else 0


def _hypothesis_property(target: str, args: argparse.Namespace, corpus, scratch: str):
    """One target's hypothesis property over the mutators' random choices."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    make = TARGETS[target]

    @settings(
        max_examples=args.count or 100,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
    )
    @given(st.randoms(use_true_random=False))
    def prop(rng: random.Random) -> None:
        case = make(rng, corpus)
        outcome = run_case(case, scratch, timeout=args.timeout)
        if outcome.kind in FINDINGS:
            if args.findings:
                save_case(case, os.path.join(args.findings, f"{target}-{outcome.kind}"))
            report = _report(target, case.tool + " " + " ".join(case.argv), outcome)
            raise AssertionError(report + "\n" + outcome.stderr[-3000:])

    return prop


def run_hypothesis(args: argparse.Namespace, corpus, scratch: str) -> int:
    """Each target as a hypothesis property over the mutators' random choices."""
    failed = 0
    for target in args.target:
        prop = _hypothesis_property(target, args, corpus, scratch)
        start = time.monotonic()
        try:
            prop()
            print(f"{target}: {args.count} cases, no finding ({time.monotonic() - start:.1f}s)", flush=True)
        except AssertionError as err:
            failed += 1
            print(f"{target}: FINDING\n{err}", flush=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the fuzz campaign."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help="stop after this long (random mode)")
    parser.add_argument("--count", type=int, help="cases per target")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: all")
    parser.add_argument("--seed", default="0")
    parser.add_argument("--seeds-dir", help="extra SavedModels / .tflite files for the seed corpus")
    parser.add_argument("--findings", help="write reproducers here")
    parser.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        help="CPU seconds per case (3x as wall seconds) before it counts as a hang",
    )
    parser.add_argument("--hypothesis", action="store_true", help="hypothesis mode (stop at the first finding)")
    parser.add_argument("--replay", metavar="DIR", help="replay the reproducers saved under DIR")
    parser.add_argument("--jobs", type=int, default=1, help="forked workers sharing the cases (random mode)")
    parser.add_argument("--summary", metavar="FILE", help="write the counts per target and outcome here (Markdown)")
    args = parser.parse_args(argv)
    args.target = args.target or list(TARGETS)
    if args.seconds is None and args.count is None:
        args.seconds = 60.0
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    preload()
    if args.replay:
        with tempfile.TemporaryDirectory(prefix="tflc-fuzz-") as scratch:
            return run_replay(args, scratch)
    corpus = build_corpus(args.seeds_dir)
    print(
        f"seeds: mlir={len(corpus.mlir)} tfl-mlir={len(corpus.tfl_mlir)} tflite={len(corpus.tflite)} "
        f"saved-models={len(corpus.saved_models)} graph-defs={len(corpus.graph_defs)}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="tflc-fuzz-") as scratch:
        if args.hypothesis:
            return run_hypothesis(args, corpus, scratch)
        return run_random(args, corpus, scratch)


if __name__ == "__main__":
    sys.exit(main())
