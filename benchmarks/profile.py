"""Where does healthlint's time go? cProfile over an in-process lint of a corpus slice.

Runs ``healthlint check`` in this process (``healthlint.cli.main``, one job, JSON report
to /dev/null, no configuration files) over the first files of the benchmark corpus, then
prints:

* a phase summary: loading rules, reading and parsing, each rule kind's check, the
  engine's suppression/finding step, and writing the report, as cumulative seconds;
* the top functions by cumulative time and by own (total) time.

``--by-rule`` also times each rule on its own over documents that are already parsed
(and whose shared analysis, such as sentence splitting, is already done), to show which
rules' patterns are expensive.

    python benchmarks/profile.py [--files 125] [--format md|html|txt] [--rules DIR]
                                 [--top 25] [--by-rule] [--save out.pstats]

125 Markdown files are the 1.4 MB base slice of the suite's scaling runs. Profiling
slows Python code down (roughly 1.5-3x), more for code with many small calls, so read
the shares, not the absolute seconds; ``benchmarks/run.py`` measures speed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This file is called profile.py, and cProfile imports the standard library's ``profile``:
# take this folder off the path while cProfile loads, then put it back for ``corpus``.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
import cProfile
import pstats

sys.path.insert(0, str(HERE))

import argparse
import io
import os
import time

import corpus

CACHE = HERE / ".cache"

# (label, module file suffix, function name): cumulative time of these functions.
PHASES = [
    ("CLI total (healthlint.cli.main)", "healthlint/cli.py", "main"),
    ("load rules (ruleset.load_rules)", "healthlint/ruleset.py", "load_rules"),
    ("compile checks (engine._Compiled)", "healthlint/engine.py", "__init__"),
    ("lint one file (runner.lint_target)", "healthlint/runner.py", "lint_target"),
    ("  read + decode (encoding.decode_bytes)", "healthlint/encoding.py", "decode_bytes"),
    ("  parse (documents.parse_document)", "healthlint/documents/__init__.py", "parse_document"),
    ("  rules (engine.Linter.lint)", "healthlint/engine.py", "lint"),
    ("    suppressions + findings (engine._suppress)", "healthlint/engine.py", "_suppress"),
    ("render report (reporters.render)", "healthlint/reporters/__init__.py", "render"),
]


def corpus_paths(fmt: str, files: int, seed: int) -> list[Path]:
    return corpus.ensure_corpus(CACHE / "corpus" / f"{fmt}-{seed}", fmt, files, seed)


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float | None:
    """Cumulative seconds of the functions called ``name`` in a file ending in ``suffix``.

    Several functions can match (``__init__``, ``lint``); the largest one is taken, which
    for the names above is the engine's own.
    """
    best = None
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if func == name and filename.replace(os.sep, "/").endswith(suffix):
            best = ct if best is None else max(best, ct)
    return best


def kind_times(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Cumulative time of each rule kind's ``Check.run`` (healthlint/checks/KIND.py)."""
    out = []
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = filename.replace(os.sep, "/")
        if func == "run" and "/healthlint/checks/" in path:
            out.append((f"    kind {Path(path).stem}", ct))
    return sorted(out, key=lambda kv: -kv[1])


def print_top(stats: pstats.Stats, key: str, top: int) -> None:
    buffer = io.StringIO()
    stats.stream = buffer  # type: ignore[attr-defined]
    stats.sort_stats(key).print_stats(top)
    lines = buffer.getvalue().splitlines()
    # Drop pstats' preamble up to the column header; shorten the long paths.
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    prefixes = sorted({str(Path(p).resolve()) + os.sep for p in sys.path if p}, key=len, reverse=True)
    for line in lines[start:]:
        for prefix in prefixes:
            line = line.replace(prefix, "")
        print(line.rstrip())


def by_rule(paths: list[Path], rule_dirs: list[Path]) -> None:
    """Time each rule alone over parsed, pre-analysed documents."""
    from healthlint.documents import parse_document
    from healthlint.engine import Linter, Selection
    from healthlint.lexicons import builtin_rules_dir
    from healthlint.ruleset import load_rules

    rules = load_rules([builtin_rules_dir(), *rule_dirs])
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    start = time.perf_counter()
    docs = [parse_document(name, text) for name, text in texts]
    parse_s = time.perf_counter() - start
    full = Linter(rules, Selection())
    start = time.perf_counter()
    for doc in docs:
        full.lint(doc)  # also fills each document's cached analysis (sentences, citations, ...)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    for doc in docs:
        full.lint(doc)
    warm_s = time.perf_counter() - start
    empty = Linter(rules, Selection(select=["NO-SUCH-RULE"]))
    start = time.perf_counter()
    for doc in docs:
        empty.lint(doc)
    base_s = time.perf_counter() - start
    timings = []
    # Selecting a rule by id turns it on even where the profile leaves it off: time only
    # the rules a default run uses, or their shares would not be of that run.
    default = Selection()
    off = [rule.id for rule in rules if default.severity_of(rule) is None]
    for rule in rules:
        if rule.id in off:
            continue
        linter = Linter(rules, Selection(select=[rule.id]))
        start = time.perf_counter()
        found = 0
        for doc in docs:
            found += len(linter.lint(doc))
        timings.append((time.perf_counter() - start - base_s, rule, found))
    total = sum(t for t, _, _ in timings) or 1.0
    print(f"\nPer rule, alone, over {len(docs)} parsed documents (no profiler):")
    print(f"  parse {parse_s:.2f} s; all rules on fresh documents {cold_s:.2f} s, on analysed ones "
          f"{warm_s:.2f} s (so shared analysis such as sentence splitting ~{cold_s - warm_s:.2f} s); "
          f"engine overhead with no rule {base_s:.3f} s, subtracted below")
    if off:
        print(f"  not timed, off in the default profile: {', '.join(off)}")
    print(f"  {'rule':<8} {'kind':<20} {'seconds':>8} {'share':>6} {'findings':>9}")
    for seconds, rule, found in sorted(timings, key=lambda t: -t[0])[:40]:
        print(f"  {rule.id:<8} {rule.kind:<20} {seconds:8.3f} {seconds / total:6.1%} {found:9d}")
    if len(timings) > 40:
        rest = sorted(timings, key=lambda t: -t[0])[40:]
        print(f"  ... {len(rest)} more rules, {sum(t for t, _, _ in rest):.3f} s together")


def check_help(cli) -> str:
    """``healthlint check --help``, to see which options this version has."""
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        cli.build_parser().parse_args(["check", "--help"])
    except SystemExit:
        pass
    finally:
        sys.stdout = stdout
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=125, help="number of corpus files (default 125, ~1.4 MB)")
    ap.add_argument("--format", choices=sorted(corpus.RENDER), default="md")
    ap.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    ap.add_argument("--rules", type=Path, action="append", default=[], help="extra rule folder (repeatable)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--by-rule", action="store_true", help="also time each rule on its own")
    ap.add_argument("--save", type=Path, help="write the raw profile (pstats) here, e.g. for snakeviz")
    args = ap.parse_args()

    from healthlint import cli

    paths = corpus_paths(args.format, args.files, args.seed)
    size = sum(p.stat().st_size for p in paths)
    argv = ["check", "--no-config", "--jobs", "1", "--format", "json", "--output", os.devnull]
    if "--no-cache" in check_help(cli):
        argv.append("--no-cache")  # profile the work itself, not a cache lookup
    for folder in args.rules:
        argv += ["--rules", str(folder)]
    argv += [str(p) for p in paths]

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse errors, --help
        code = exc.code
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    if args.save:
        stats.dump_stats(str(args.save))

    print(f"healthlint check over {len(paths)} {args.format} files, {size / 1e6:.2f} MB, one job, "
          f"under cProfile: {wall:.2f} s ({size / 1e6 / wall:.2f} MB/s profiled), exit code {code}")
    print("\nPhases (cumulative seconds, profiled):")
    lines = []
    for label, suffix, name in PHASES:
        seconds = cumulative(stats, suffix, name)
        if seconds is not None:
            lines.append((label, seconds))
        if name == "lint" and suffix == "healthlint/engine.py":
            lines += kind_times(stats)
    for label, seconds in lines:
        print(f"  {label:<48} {seconds:8.2f} s {seconds / wall:6.1%}")
    print(f"\nTop {args.top} functions by cumulative time:")
    print_top(stats, "cumulative", args.top)
    print(f"\nTop {args.top} functions by own (total) time:")
    print_top(stats, "tottime", args.top)
    if args.by_rule:
        by_rule(paths, args.rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
