"""Differential test: the masked text holds exactly the words markdown-it reads as text.

The corpus is the CommonMark spec plus markdown-it-py's own fixture files (tables,
strikethrough, ...). Both ship only in the markdown-it-py sdist, and the spec text is
CC-BY-SA, so it is not vendored: the sdist of the installed version is downloaded once
into the pytest cache (``pip download``), and the test is skipped when that fails.

Oracle: the multiset of ``\\w+`` words of the masked text must equal the words of the
text tokens markdown-it produces, plus the text a browser shows of its raw HTML blocks
(read with the standard library's ``html.parser``), leaving out what is blanked on purpose
(autolinks, bare URLs, image alt text). Escapes count as written (``\\_``) because the
masked text keeps them; single-character entities count decoded.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import tarfile
from collections import Counter
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from healthlint.documents.html import MASKED_ELEMENTS, VOID_ELEMENTS
from healthlint.documents.markdown import BARE_URL, parse
from healthlint.positions import LineIndex

WORD = re.compile(r"\w+")
TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
SPEC_JSON = "tests/test_cmark_spec/commonmark.json"
FIXTURES = "tests/test_port/fixtures/"
SKIPPED_FIXTURES = {
    "commonmark_spec.md": "the same examples as the spec JSON",
    "linkify.md": "linkify is off on purpose (too slow); bare URLs are masked by a regex instead",
    "strikethrough_single_tilde.md": "needs an option healthlint does not turn on",
    "typographer.md": "typographer replacements are off",
    "smartquotes.md": "typographer replacements are off",
}
KNOWN_MISMATCHES = {
    # Same-length masking cannot join a word split by an entity: "&#74;avascript" reads
    # as "J" plus spaces plus "avascript", where markdown-it reads "Javascript".
    "[xss link](\\&#74;avascript:alert(1))": "an entity inside a word splits the word",
}


@pytest.fixture(scope="module")
def sdist(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    version = importlib.metadata.version("markdown-it-py")
    if hasattr(request.config, "cache"):
        cache = Path(request.config.cache.mkdir("markdown-it-py-sdist"))
    else:  # pytest -p no:cacheprovider
        cache = tmp_path_factory.mktemp("markdown-it-py-sdist")
    archive = cache / f"markdown_it_py-{version}.tar.gz"
    if not archive.exists():
        _download(version, cache)
    with tarfile.open(archive) as tar:
        yield tar


def _download(version: str, into: Path) -> None:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += [f"markdown-it-py=={version}", "--dest", str(into), "--quiet"]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=300)
    except subprocess.CalledProcessError as error:
        reason = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:]
        pytest.skip(f"pip could not download the markdown-it-py {version} sdist: {reason}")
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"pip could not download the markdown-it-py {version} sdist: {error}")


def _member(tar: tarfile.TarFile, suffix: str) -> list[tarfile.TarInfo]:
    return [
        m for m in tar.getmembers() if m.isfile() and m.name.split("/", 1)[-1].startswith(suffix)
    ]


def spec_examples(tar: tarfile.TarFile) -> list[tuple[str, str]]:
    [member] = _member(tar, SPEC_JSON)
    examples = json.load(tar.extractfile(member))
    return [(f"spec example {e['example']} ({e['section']})", e["markdown"]) for e in examples]


def fixture_examples(tar: tarfile.TarFile) -> list[tuple[str, str]]:
    """Cases of markdown-it's fixture format: ``.``, markdown, ``.``, HTML, ``.``."""
    cases = []
    for member in _member(tar, FIXTURES):
        name = member.name.rsplit("/", 1)[-1]
        if not name.endswith(".md") or name in SKIPPED_FIXTURES:
            continue
        lines = tar.extractfile(member).read().decode().split("\n")
        i = 0
        while i < len(lines):
            if lines[i] == ".":
                middle = lines.index(".", i + 1)
                cases.append((f"{name} line {i + 1}", "\n".join(lines[i + 1 : middle]) + "\n"))
                i = lines.index(".", middle + 1)
            i += 1
    return cases


def oracle_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin)
    md.core.ruler.disable("text_join")  # keep escapes and entities apart from text
    return md


def text_runs(children: list[Token]) -> Iterator[str]:
    """Runs of adjacent text the way the source spells them (escapes as written)."""
    run: list[str] = []
    in_autolink = False
    for token in children:
        if token.markup == "autolink":
            in_autolink = token.type == "link_open"
        elif in_autolink:
            continue
        elif token.type == "text":
            run.append(token.content)
            continue
        elif token.type == "text_special":
            entity = token.info == "entity" and len(token.content) == 1
            run.append(token.content if entity else token.markup)
            continue
        if run:
            yield "".join(run)
            run = []
    if run:
        yield "".join(run)


class _BrowserText(HTMLParser):
    """The text a browser shows of a raw HTML block, from the standard library's data
    events: nothing inside code, scripts, styles and the like (the HTML reader's
    ``MASKED_ELEMENTS``). A single-character entity counts decoded and on its own, as
    same-length masking leaves it; a longer one stays as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.pieces: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in MASKED_ELEMENTS and tag not in VOID_ELEMENTS:
            self.hidden.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.hidden:
            del self.hidden[self.hidden.index(tag):]

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces.append(data)

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};")

    def _entity(self, raw: str) -> None:
        decoded = unescape(raw)
        if not self.hidden:
            self.pieces.append(f" {decoded} " if len(decoded) == 1 else raw)


def browser_text(html: str) -> str:
    unclosed = TAG_OPEN.search(html, html.rfind(">") + 1)
    if unclosed:  # a tag that nothing closes: browsers drop it, to the end
        html = html[: unclosed.start()]
    reader = _BrowserText()
    reader.feed(html)
    reader.close()
    return "".join(reader.pieces)


def expected_words(md: MarkdownIt, text: str) -> Counter[str]:
    words: Counter[str] = Counter()
    for token in md.parse(text):
        if token.type == "inline":
            runs = list(text_runs(token.children or []))
        elif token.type == "html_block":
            runs = [browser_text(token.content)]
        else:
            continue
        for run in runs:
            words.update(WORD.findall(BARE_URL.sub(" ", run)))
    return words


def test_masked_words_match_markdown_it_text_on_spec_and_fixtures(sdist):
    md = oracle_parser()
    examples = spec_examples(sdist) + fixture_examples(sdist)
    mismatches = []
    for name, text in examples:
        got = Counter(WORD.findall(parse(text).masked))
        want = expected_words(md, text)
        if got != want and not any(key in text for key in KNOWN_MISMATCHES):
            mismatches.append(f"{name}: extra {dict(got - want)}, missing {dict(want - got)}")
    assert mismatches == []
    assert len(examples) >= 652 + 200  # the spec, then the fixtures


def test_spec_examples_keep_length_line_breaks_and_source_characters_and_place_all_text(sdist):
    for name, text in spec_examples(sdist) + fixture_examples(sdist):
        parsed = parse(text)
        masked = parsed.masked
        assert len(masked) == len(text), name
        assert not [w for w in parsed.warnings if "could not place" in w], name
        for original, shown in zip(text, masked, strict=True):
            if shown != original:  # blanked, or an entity decoded at its "&"
                assert original not in "\r\n" and (shown == " " or original == "&"), name


def test_spec_examples_give_the_same_line_and_column_for_every_word_with_crlf(sdist):
    for name, text in spec_examples(sdist):
        crlf = text.replace("\n", "\r\n")
        lf_lines, crlf_lines = LineIndex(text), LineIndex(crlf)
        lf_words = [lf_lines.line_col(m.start()) for m in WORD.finditer(parse(text).masked)]
        crlf_words = [crlf_lines.line_col(m.start()) for m in WORD.finditer(parse(crlf).masked)]
        assert crlf_words == lf_words, name
