"""Where the time goes, without a profiler: each stage of linting timed on its own.

cProfile inflates code with many small calls, so its shares mislead for the rules (many
regex calls) more than for the parser. This script times the stages in process, with
``time.process_time``, over the first files of the benchmark corpus:

* the reader (parse and exact masking),
* the shared analysis each rule relies on, computed before the rules run: the line index,
  the lower-cased copy, block bounds, the gate index, sentences and citations,
* the rules themselves, on documents whose shared analysis is done.

    python benchmarks/stages.py [--files 400] [--format md|html|txt]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus

CACHE = HERE / ".cache"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--format", choices=("md", "html", "txt"), default="md")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    args = parser.parse_args()

    from healthlint.checks import gate
    from healthlint.documents import parse_document
    from healthlint.engine import Linter, Selection
    from healthlint.lexicons import builtin_rules_dir
    from healthlint.ruleset import load_rules

    paths = corpus.ensure_corpus(CACHE / "corpus" / f"{args.format}-{args.seed}", args.format, args.files, args.seed)
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    megabytes = sum(len(t.encode()) for _, t in texts) / 1e6
    linter = Linter(load_rules([builtin_rules_dir()]), Selection())
    gate.INDEX._read = gate.INDEX.WARM_UP  # time the long-run gate scan, not the one-file lookup
    seconds: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], object]) -> object:
        start = time.process_time()
        value = work()
        seconds[stage] = seconds.get(stage, 0.0) + time.process_time() - start
        return value

    docs = [timed("reader (parse + masking)", lambda n=name, t=text: parse_document(n, t)) for name, text in texts]
    for doc in docs:
        timed("line index, lower-cased copy, block bounds", lambda d=doc: (d.lines, d.lowered, d.block_bounds))
        timed("gate index", lambda d=doc: gate.INDEX.blocks_with(d, frozenset()))
        timed("sentences", lambda d=doc: d.sentences)
        timed("citations", lambda d=doc: d.citations)
    for doc in docs:
        timed("rules", lambda d=doc: linter.lint(d))
    total = sum(seconds.values())
    print(f"{len(docs)} {args.format} files, {megabytes:.2f} MB, one core, no profiler: "
          f"{total:.2f} s ({megabytes / total:.2f} MB/s)")
    for stage, spent in seconds.items():
        print(f"  {stage:<44} {spent:7.2f} s {spent / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
