"""Throughput of the HTML reader on realistic health articles (not a test).

Generates about 5 MB of article-like HTML in memory from a fixed seed (head with meta
tags, scripts and styles, navigation, headings, paragraphs with inline markup, links,
entities and superscript citations, lists, tables, quotes, code, comments and a
numbered reference list), parses it three times on one core and prints the median.

    python benchmarks/html_throughput.py [--megabytes 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from healthlint.documents.html import parse

# fmt: off
WORDS = [
    "patients", "dose", "vitamin", "zinc", "trial", "randomised", "placebo", "symptoms",
    "risk", "blood", "pressure", "cholesterol", "diet", "exercise", "sleep", "inflammation",
    "immune", "response", "evidence", "cohort", "study", "adults", "children", "weeks",
    "months", "reduced", "increased", "moderate", "mild", "severe", "daily", "treatment",
    "doctor", "pharmacist", "side", "effects", "guideline", "recommends", "may", "might",
    "help", "some", "people", "with", "diabetes", "asthma", "migraine", "arthritis",
    "supplement", "caffeine", "fibre", "sodium", "potassium",
]
# fmt: on
ENTITIES = ("&amp;", "&nbsp;", "&#8217;", "&mdash;", "&eacute;", "&lt;", "&#x2014;", "&ge;")
INLINE = ("em", "strong", "b", "i", "span", "abbr", "mark")


def sentence(rng: random.Random, refs: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 22))]
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(len(words))
        tag = rng.choice(INLINE)
        words[i] = f"<{tag}>{words[i]}</{tag}>"
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = f'<a href="https://example.org/{rng.randint(1, 999)}">{words[i]}</a>'
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), rng.choice(ENTITIES))
    text = " ".join(words).capitalize() + "."
    if rng.random() < 0.35:
        n = rng.randint(1, refs)
        text += f'<sup><a href="#ref{n}">{n}</a></sup>'
    return text


def paragraph(rng: random.Random, refs: int) -> str:
    body = " ".join(sentence(rng, refs) for _ in range(rng.randint(2, 6)))
    return f"<p>{body}</p>\n"


def section(rng: random.Random, refs: int) -> str:
    parts = [f'<h2 id="s{rng.randint(1, 99)}">{sentence(rng, refs)[:-1]}</h2>\n']
    for _ in range(rng.randint(2, 5)):
        roll = rng.random()
        if roll < 0.6:
            parts.append(paragraph(rng, refs))
        elif roll < 0.75:
            items = "".join(f"  <li>{sentence(rng, refs)}</li>\n" for _ in range(rng.randint(2, 6)))
            tag = rng.choice(("ul", "ol"))
            parts.append(f"<{tag}>\n{items}</{tag}>\n")
        elif roll < 0.85:
            rows = "".join(
                "<tr>"
                + "".join(
                    f"<td>{rng.choice(WORDS)} {rng.randint(1, 500)} mg</td>" for _ in range(3)
                )
                + "</tr>\n"
                for _ in range(rng.randint(2, 5))
            )
            parts.append(
                f'<table class="dose">\n<tr><th>Drug</th><th>Dose</th><th>Notes</th></tr>\n{rows}</table>\n'
            )
        elif roll < 0.93:
            parts.append(f"<blockquote><p>{sentence(rng, refs)}</p></blockquote>\n")
        else:
            parts.append(
                f"<pre><code>dose = {rng.randint(1, 9)} * weight_kg  # cure()</code></pre>\n"
            )
    return "".join(parts)


def article(rng: random.Random) -> str:
    refs = rng.randint(5, 25)
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{sentence(rng, refs)[:-1]}</title>\n"
        f'<meta name="description" content="{" ".join(rng.choices(WORDS, k=12))}">\n'
        '<meta name="author" content="Dr Jane Doe">\n'
        '<meta property="article:published_time" content="2024-03-01T09:00:00Z">\n'
        '<link rel="stylesheet" href="/site.css">\n'
        "<style>body{font-family:serif} .dose td{padding:2px 4px}</style>\n"
        "<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)} if (a < b && c > d) {}</script>\n"
        "</head>\n<body>\n"
        '<nav class="top"><ul><li><a href="/">Home</a></li><li><a href="/conditions">Conditions</a></li></ul></nav>\n'
        "<main><article>\n<!-- healthlint-disable HL401 -->\n"
        f"<h1>{sentence(rng, refs)[:-1]}</h1>\n"
        '<p class="byline">By <a rel="author" href="/authors/jd">Dr Jane Doe</a>, '
        '<time datetime="2024-03-01">1 March 2024</time></p>\n'
    )
    body = "".join(section(rng, refs) for _ in range(rng.randint(3, 8)))
    references = "".join(
        f'<li id="ref{n}">Author A, Author B. {sentence(rng, refs)} J Health. 20{rng.randint(10, 24)};'
        f'{rng.randint(1, 99)}:{rng.randint(1, 999)}. <a href="https://doi.org/10.1000/{n}">doi</a></li>\n'
        for n in range(1, refs + 1)
    )
    tail = (
        f'<section class="references"><h2>References</h2>\n<ol>\n{references}</ol></section>\n'
        "</article></main>\n<footer><p>This article is for information only and is not "
        'medical advice.</p></footer>\n<script src="/app.js"></script>\n</body>\n</html>\n'
    )
    return head + body + tail


def corpus(megabytes: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs, size = [], 0
    while size < megabytes * 1_000_000:
        doc = article(rng)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megabytes", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    docs = corpus(args.megabytes, args.seed)
    size_mb = sum(len(d.encode("utf-8")) for d in docs) / 1_000_000
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        for doc in docs:
            parse(doc)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"{len(docs)} articles, {size_mb:.2f} MB: median {median:.2f} s of 3 "
        f"-> {size_mb / median:.2f} MB/s on one core"
    )


if __name__ == "__main__":
    main()
