"""How fast the Markdown reader turns articles into masked prose, on one core.

Parsing is the expensive step of a run (rules are regex scans over the masked text), so
this is the number that sets how long a large documentation tree takes. The corpus is
about 5 MB of generated health articles with the constructs real ones use: front matter,
headings, emphasis, links, footnotes, lists, quotes, tables, code and HTML comments.
It is built in memory from a fixed seed, so runs are comparable.

Run: ``python benchmarks/markdown_throughput.py [--megabytes 5] [--repeat 3]``; with
markdown-it-pyrs installed in the same venv it is measured too.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from healthlint.documents.markdown import parse

TOPICS = ["vitamin D", "zinc", "melatonin", "intermittent fasting", "turmeric", "probiotics"]
CLAIMS = [
    "Some studies suggest that {t} may shorten colds in adults",
    "{t} is a *miracle* cure for fatigue, according to the manufacturer",
    "A 2021 review found **no clear benefit** of {t} for sleep quality",
    "Clinically proven: {t} boosts immunity in just `7 days`",
    "Talk to your doctor before taking {t} with blood thinners",
    "Researchers at the [NIH](https://www.nih.gov/health/{slug}) looked at {t} in 2,000 people",
    "Doses above 4,000&nbsp;IU of {t} can cause side effects[^{n}]",
    "~~Guaranteed results~~ Results vary; see <https://example.org/{slug}> for details",
    "Café owners 😀 swear by {t}, and 研究 is ongoing <!-- healthlint-disable HL401 -->",
]


def article(rng: random.Random, index: int) -> str:
    """One article of roughly 3-12 KB."""
    topic = rng.choice(TOPICS)
    slug = topic.replace(" ", "-")
    out = [
        "---",
        f"title: Does {topic} really work?",
        f'description: "What the evidence says about {topic}"',
        "author: Dr. A. Example",
        f"date: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "---",
        "",
        f"# {topic.title()}: facts and myths",
        "",
    ]
    notes = 0
    for section in range(rng.randint(3, 8)):
        out += [f"## Section {section + 1}", ""]
        for _ in range(rng.randint(1, 4)):
            out += [_paragraph(rng, topic, slug, notes + 1), ""]
            notes += 1
        out += _extra(rng, topic)
    out += [f"[^{n}]: Smith J et al. *J Nutr* 2020;{n}(3):100-9." for n in range(1, notes + 1)]
    out.append(f"[ref{index}]: https://pubmed.ncbi.nlm.nih.gov/{index}/")
    return "\n".join(out) + "\n"


def _paragraph(rng: random.Random, topic: str, slug: str, note: int) -> str:
    sentences = [
        rng.choice(CLAIMS).format(t=topic, slug=slug, n=note) + "."
        for _ in range(rng.randint(2, 6))
    ]
    width = rng.choice([80, 100, 10_000])  # wrapped by hand, or one line per paragraph
    lines, line = [], ""
    for word in " ".join(sentences).split(" "):
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def _extra(rng: random.Random, topic: str) -> list[str]:
    """A list, quote, table or code block between paragraphs."""
    kind = rng.choice(["list", "ordered", "quote", "table", "code", "none"])
    if kind == "list":
        return [f"- {topic} helps with item {i}\n  - nested detail" for i in range(3)] + [""]
    if kind == "ordered":
        return [f"{i}. Step {i}: take {topic} with food" for i in range(1, 5)] + [""]
    if kind == "quote":
        return [f"> {topic} cured my headaches in a week!", "> — a happy customer", ""]
    if kind == "table":
        rows = [f"| {topic} | {i * 100} mg | low \\| moderate |" for i in range(1, 4)]
        return ["| Supplement | Dose | Evidence |", "|---|---:|---|", *rows, ""]
    if kind == "code":
        return ["```python", f"print('{topic} cures everything')", "```", ""]
    return []


def corpus(megabytes: float, seed: int = 20240501) -> list[str]:
    rng = random.Random(seed)
    files: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        files.append(article(rng, len(files)))
        size += len(files[-1].encode())
    return files


def median_seconds(files: list[str], parse_one: Callable[[str], object], repeat: int) -> float:
    parse_one(files[0])  # build the parser once, as a real run does
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in files:
            parse_one(text)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def markdown_it_alone() -> Callable[[str], object]:
    """The same markdown-it configuration without healthlint's recording and masking,
    to show how much of the time is the parser itself."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin)
    return md.parse


def markdown_it_pyrs() -> Callable[[str], object] | None:
    """markdown-it-pyrs, the Rust port of markdown-it with Python bindings, when it is
    installed (``pip install markdown-it-pyrs``; it is no dependency of healthlint): the
    same configuration, parsed to a tree and walked, for what a compiled parser would
    leave of the reader's time. Its last release, 0.4.0, has wheels for Python 3.11 and
    3.12 only, so healthlint cannot require it."""
    try:
        from markdown_it_pyrs import MarkdownIt as RustMarkdownIt
    except ImportError:
        return None
    md = RustMarkdownIt("commonmark").enable_many(["table", "strikethrough", "front_matter", "footnote"])

    def parse_and_walk(text: str) -> int:
        return sum(1 for _ in md.tree(text).walk())

    return parse_and_walk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = corpus(args.megabytes)
    megabytes = sum(len(f.encode()) for f in files) / 1e6
    print(f"{len(files)} files, {megabytes:.2f} MB, median of {args.repeat} passes on one core")
    parsers = [("healthlint parse", parse), ("markdown-it alone", markdown_it_alone())]
    rust = markdown_it_pyrs()
    if rust is None:
        print("(markdown-it-pyrs is not installed: its line is left out)")
    else:
        parsers.append(("markdown-it-pyrs", rust))
    for name, parse_one in parsers:
        seconds = median_seconds(files, parse_one, args.repeat)
        print(f"{name:>18}: {seconds:.2f} s -> {megabytes / seconds:.2f} MB/s")


if __name__ == "__main__":
    main()
