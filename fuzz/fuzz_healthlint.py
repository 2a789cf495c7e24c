"""Fuzz the whole pipeline — bytes → text → document → findings — for longer than tests can.

    .venv/bin/python fuzz/fuzz_healthlint.py                     # 10 minutes, both engines
    .venv/bin/python fuzz/fuzz_healthlint.py --minutes 60 --engine mutate
    .venv/bin/python fuzz/fuzz_healthlint.py --engine atheris -- -max_total_time=600

Three engines, each checking the invariants of ``tests/test_fuzz_properties.py``
(``check_pipeline``: nothing raises, every finding's span and line/column are exact, no
built-in rule runs out of time, linting is deterministic):

* ``hypothesis`` — that test module's generators (token soup of text, Markdown and HTML
  syntax, deep nesting), many more examples; a failure is shrunk to a minimal input;
* ``mutate`` — the annotated fixtures as bytes, cut, spliced, duplicated, nested and
  re-encoded at random (seeded, so a run can be repeated), through ``decode_bytes`` too;
* ``atheris`` — coverage-guided bytes from libFuzzer (``pip install atheris``), starting
  from the fixtures (copied to ``fuzz/corpus/``, git-ignored, where libFuzzer keeps what
  it finds); arguments after ``--`` go to libFuzzer.

An input that takes longer than ``--hang-seconds`` is a hang, and is reported like a
crash. Failing inputs are written to ``fuzz/crashes/`` (git-ignored) with the error, so
they can be replayed with ``--replay FILE``. The run ends with a summary: inputs tried,
duration, crashes and hangs, and the slowest input.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_fuzz_properties import NESTABLE, SUFFIX, TOKENS, check_pipeline, documents

from healthlint.encoding import decode_bytes

CRASHES = ROOT / "fuzz" / "crashes"
CORPUS = ROOT / "fuzz" / "corpus"
FORMATS = tuple(SUFFIX)
FORMAT_OF_SUFFIX = {f".{suffix}": fmt for fmt, suffix in SUFFIX.items()}
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252")


class Hang(Exception):
    """An input ran longer than the hang limit."""


@dataclass
class Stats:
    inputs: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # saved input -> first error line
    slowest: tuple[float, str] = (0.0, "")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` in the middle of whatever runs too long (SIGALRM, main thread only)."""

    def expired(signum: int, frame: object) -> None:
        raise Hang(f"no result after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_bytes(data: bytes, fmt: str) -> None:
    """The pipeline from raw bytes, as ``healthlint check`` reads a file."""
    text, _ = decode_bytes(data, f"fuzz.{SUFFIX[fmt]}")
    if text is not None:
        check_pipeline(text, fmt)


def run_text(data: bytes, fmt: str) -> None:
    """The pipeline from text (given as UTF-8), past the decoder's binary check."""
    check_pipeline(data.decode("utf-8"), fmt)


class Runner:
    """Runs one input under the hang limit, counts it, and records what failed.

    ``hang_seconds=None`` leaves hangs to the caller (libFuzzer has its own ``-timeout``,
    and its own use of SIGALRM). With ``reraise``, a failure is raised to the engine and
    saved only when the engine calls ``save_last``: hypothesis fails many inputs while
    shrinking, and only the last, smallest one is worth keeping.
    """

    def __init__(self, hang_seconds: float | None) -> None:
        self.hang_seconds = hang_seconds
        self.stats = Stats()
        self.last_failure: tuple[bytes, str, BaseException] | None = None

    def __call__(
        self, data: bytes, fmt: str, pipeline: Callable[[bytes, str], None] = run_bytes, reraise: bool = False,
    ) -> None:
        self.stats.inputs += 1
        started = time.perf_counter()
        try:
            if self.hang_seconds is None:
                pipeline(data, fmt)
            else:
                with time_limit(self.hang_seconds):
                    pipeline(data, fmt)
        except Exception as exc:
            self.last_failure = (data, fmt, exc)
            if reraise:
                raise
            self.save_last()
        took = time.perf_counter() - started
        if took > self.stats.slowest[0]:
            self.stats.slowest = (took, f"{len(data)} bytes as {fmt}")

    def save_last(self) -> None:
        """Write the last failing input and its traceback to ``fuzz/crashes/``."""
        assert self.last_failure is not None
        data, fmt, exc = self.last_failure
        CRASHES.mkdir(exist_ok=True)
        (CRASHES / ".gitignore").write_text("*\n", encoding="utf-8")
        name = f"{hashlib.sha1(data).hexdigest()[:12]}.{SUFFIX[fmt]}"
        (CRASHES / name).write_bytes(data)
        report = "".join(traceback.format_exception(exc))
        (CRASHES / f"{name}.error.txt").write_text(report, encoding="utf-8")
        summary = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        if name not in self.stats.failures:
            print(f"FAILED {CRASHES / name}: {summary}", file=sys.stderr)
        self.stats.failures[name] = summary


def fuzz_hypothesis(runner: Runner, until: float, seed: int) -> None:
    """The test suite's generators, in rounds of fresh random examples until time is up."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as with_seed
    from hypothesis import strategies as st

    @settings(max_examples=2_000, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(FORMATS).flatmap(lambda fmt: st.tuples(st.just(fmt), documents(fmt))))
    def property_holds(case: tuple[str, str]) -> None:
        fmt, text = case
        runner(text.encode("utf-8"), fmt, run_text, reraise=True)

    round_seed = seed
    while time.monotonic() < until:
        try:
            with_seed(round_seed)(property_holds)()
        except Exception:  # noqa: BLE001 - hypothesis ran the shrunk example last
            runner.save_last()
        round_seed += 1


def fuzz_mutate(runner: Runner, until: float, seed: int) -> None:
    """Mutated fixtures: real articles, damaged the ways files get damaged."""
    rng = random.Random(seed)
    corpus = [(p.read_bytes(), FORMAT_OF_SUFFIX.get(p.suffix, "text")) for p in sorted((ROOT / "fixtures").glob("*.*"))
              if p.suffix in FORMAT_OF_SUFFIX]
    while time.monotonic() < until:
        data, fmt = rng.choice(corpus)
        for _ in range(rng.randint(1, 8)):
            data = mutate(rng, data, fmt, corpus)
        runner(data[:200_000], fmt)


def mutate(rng: random.Random, data: bytes, fmt: str, corpus: list[tuple[bytes, str]]) -> bytes:
    """One random damage: a cut, a splice, a repeat, a token, deep nesting or a re-encoding."""
    at, to = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    choice = rng.randrange(7)
    if choice == 0:
        return data[:at] + data[to:]
    if choice == 1:
        other, _ = rng.choice(corpus)
        start = rng.randrange(len(other) + 1)
        return data[:at] + other[start : start + rng.randint(1, 400)] + data[at:]
    if choice == 2:
        return data[:at] + data[at:to][:2000] * rng.randint(2, 20) + data[at:]
    if choice == 3:
        return data[:at] + rng.choice(TOKENS[fmt]).encode() + data[at:]
    if choice == 4:
        opener = rng.choice(NESTABLE[fmt]).encode()
        return data[:at] + opener * rng.randint(10, 5_000) + data[at:]
    if choice == 5:
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    text = data.decode("utf-8", errors="replace")
    return text.encode(rng.choice(ENCODINGS), errors="replace")


def fuzz_atheris(runner: Runner, libfuzzer_args: list[str]) -> None:
    """Coverage-guided bytes: the first byte picks the format, the rest is the file."""
    import atheris

    def one_input(data: bytes) -> None:
        if data:
            try:
                runner(data[1:], FORMATS[data[0] % len(FORMATS)], reraise=True)
            except Exception:  # saved here too; libFuzzer then stops on it
                runner.save_last()
                raise

    runner.hang_seconds = None
    for folder in (CRASHES, CORPUS):
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
    for path in sorted((ROOT / "fixtures").iterdir()):
        if path.suffix in FORMAT_OF_SUFFIX:
            selector = bytes([FORMATS.index(FORMAT_OF_SUFFIX[path.suffix])])
            (CORPUS / path.name).write_bytes(selector + path.read_bytes())
    defaults = [f"-artifact_prefix={CRASHES}/", "-timeout=20", "-rss_limit_mb=4096", "-max_len=65536"]
    given = {arg.split("=")[0] for arg in libfuzzer_args}
    options = [*libfuzzer_args, *(d for d in defaults if d.split("=")[0] not in given)]
    atheris.instrument_all()
    atheris.Setup([sys.argv[0], *options, str(CORPUS)], one_input)
    atheris.Fuzz()


def replay(path: Path) -> int:
    """Run a saved input as a file (bytes) and, if it is UTF-8, as generated text."""
    fmt = FORMAT_OF_SUFFIX.get(path.suffix, "text")
    data = path.read_bytes()
    run_bytes(data, fmt)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        run_text(data, fmt)
    print(f"{path}: no failure", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default 10)")
    parser.add_argument("--engine", choices=("all", "hypothesis", "mutate", "atheris"), default="all",
                        help="all: hypothesis and mutate, half the time each (default)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang-seconds", type=float, default=20.0,
                        help="an input that takes longer is a hang (default 20)")
    parser.add_argument("--replay", type=Path, metavar="FILE", help="run one saved input and show its traceback")
    parser.add_argument("libfuzzer", nargs="*", help="after --: arguments for libFuzzer (atheris)")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay)
    runner = Runner(args.hang_seconds)
    started = time.monotonic()
    engines: list[tuple[str, Callable[[Runner, float, int], None]]] = {
        "all": [("hypothesis", fuzz_hypothesis), ("mutate", fuzz_mutate)],
        "hypothesis": [("hypothesis", fuzz_hypothesis)],
        "mutate": [("mutate", fuzz_mutate)],
    }.get(args.engine, [])
    try:
        if args.engine == "atheris":
            fuzz_atheris(runner, args.libfuzzer)
        for number, (name, engine) in enumerate(engines, 1):
            share = (started + args.minutes * 60 - time.monotonic()) / (len(engines) - number + 1)
            before = runner.stats.inputs
            engine(runner, time.monotonic() + share, args.seed)
            print(f"{name}: {runner.stats.inputs - before} inputs", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    stats = runner.stats
    took, what = stats.slowest
    print(f"{stats.inputs} inputs in {time.monotonic() - started:.0f} s; {len(stats.failures)} failing "
          f"(crashes and hangs); slowest {took:.2f} s ({what})", file=sys.stderr)
    for name, summary in sorted(stats.failures.items()):
        print(f"  {CRASHES / name}: {summary}", file=sys.stderr)
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
