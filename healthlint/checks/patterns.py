"""Pattern matching shared by the phrase-like kinds (phrase, substitution, evidence).

Conventions every rule author relies on:
- patterns are case-insensitive regular expressions (the ``regex`` module's syntax);
- a plain space in a pattern matches any run of whitespace, line breaks included, so
  "studies show" also finds a phrase wrapped across two lines or split by markup. It
  takes the whole run and never gives part of it back (a possessive ``\\s++``): masked
  markup leaves runs of thousands of spaces, and backtracking through one at every
  position, as "some studies" would after "only some" and a long masked tag, is
  quadratic. Two plain spaces in a row count as one;
- ``{{lexicon}}`` expands to a shared vocabulary (``rules/lexicons``);
- ``exceptions`` drop a match by its context within the sentence: ``before`` is searched
  in the sentence text up to the match, ``after`` in the text after it, ``sentence`` in
  the whole sentence, ``paragraph`` in the whole paragraph, ``document`` anywhere in
  the prose and ``match`` in the matched text itself. Each exception sees only
  its own window, so ``^`` and ``$`` anchor at the window's edges. ``before`` and
  ``after`` see at most ``NEARBY`` characters next to the match: every match has its own
  such window, and in a "sentence" with no full stop for 100 KB, whole windows would
  make the rule quadratic.
"""

from __future__ import annotations

import heapq
import pickle
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from healthlint.checks import anchors
from healthlint.checks.base import Budget, RuleTimeout
from healthlint.checks.gate import INDEX, gate_words
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.lexicons import expand
from healthlint.ruleset import Rule

FLAGS = regex.IGNORECASE | regex.VERSION0
EXCEPTION_PLACES = ("before", "after", "sentence", "paragraph", "document", "match")
WINDOWS = ("sentence", "paragraph", "document")
OPENING_QUOTES = "\"'“‘«"
CLOSING_QUOTES = "\"'”’»"
QUOTED_EXTRA_WORDS = 2
QUOTE_REACH = 60
# An opening quote that starts a word (not the apostrophe of "patients'"), then the words
# before the match; the words after it, then a closing quote that ends one.
QUOTE_OPENS = re.compile(rf"(?<!\w)[{OPENING_QUOTES}]\s?((?:[\w-]+\s)*)$")
QUOTE_CLOSES = re.compile(rf"((?:\s[\w-]+)*)\s?[{CLOSING_QUOTES}](?!\w)")
PLAIN_SPACE = re.compile(r"(?<!\\) +(?![*+?{])")
NEARBY = 1000
# The regex module copies a repeated part once per count when it compiles: "a{1000000000}"
# would take hundreds of GB, and "(?:ab|cd){1000000}" crashes the interpreter outright.
MAX_COMPILED_SIZE = 500_000
COUNTED_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def compile_pattern(rule: Rule, field: str, pattern: Any) -> regex.Pattern[str]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise RuleFileError(rule.path, field, "each pattern must be a non-empty text")
    try:
        source = PLAIN_SPACE.sub(r"\\s++", expand(pattern))
    except RuleFileError as exc:  # an unknown {{lexicon}}: the rule file is what to fix
        raise RuleFileError(rule.path, field, exc.problem) from None
    size = len(source) * repeat_weight(source)
    if size > MAX_COMPILED_SIZE:
        raise RuleFileError(
            rule.path, field, f"pattern {pattern!r} repeats too much: it would compile to about {size:,} "
            f"characters (at most {MAX_COMPILED_SIZE:,}); lower its {{n}} counts",
        )
    try:
        return regex.compile(source, FLAGS)
    except (regex.error, OverflowError, RecursionError, MemoryError) as exc:
        raise RuleFileError(rule.path, field, f"invalid regular expression {pattern!r}: {exc}") from None


def repeat_weight(source: str) -> int:
    """How many copies of its most repeated part compiling ``source`` makes.

    Counted repeats (``{3}``, ``{2,5}``, ``{,9}``) multiply when nested; ``*``, ``+``
    and ``?`` are loops and copy nothing. A lexical scan, so that the check also covers
    the regex module's own syntax (``\\p{L}``, ``(?R)``), which no parser here knows.
    """
    groups = [1]  # the heaviest part so far in each open group
    last = 1  # the weight of the item a quantifier would apply to
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            brace = source[i + 2 : i + 3] in ("{", "<") and source[i + 1 : i + 2] in ("p", "P", "N", "x", "g")
            close = source.find("}" if source[i + 2 : i + 3] == "{" else ">", i + 2) if brace else -1
            i = close + 1 if close >= 0 else i + 2
            last = 1
        elif ch == "[":
            i = _class_end(source, i)
            last = 1
        elif ch == "(":
            groups.append(1)
            i += 1
        elif ch == ")":
            last = groups.pop() if len(groups) > 1 else 1
            groups[-1] = max(groups[-1], last)
            i += 1
        elif (m := COUNTED_REPEAT.match(source, i)) and (m.group(1) or m.group(2)):
            last *= max(1, int(m.group(1) or 0), int(m.group(2) or 0))
            groups[-1] = max(groups[-1], last)
            i = m.end()
        else:
            last = 1
            i += 1
    return max(groups)


def _class_end(source: str, start: int) -> int:
    """Where the character class opening at ``start`` ends (just past its ``]``)."""
    i = start + 1
    if source[i : i + 1] == "^":
        i += 1
    if source[i : i + 1] == "]":
        i += 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i + 1


def compile_alternation(rule: Rule, field: str, patterns: Any) -> regex.Pattern[str] | None:
    """One compiled alternation of a list of patterns (each validated on its own first)."""
    if patterns is None:
        return None
    if not isinstance(patterns, list) or not patterns:
        raise RuleFileError(rule.path, field, "must be a non-empty list of patterns")
    if not all(isinstance(p, str) and p.strip() for p in patterns):
        raise RuleFileError(rule.path, field, "each pattern must be a non-empty text")
    joined = "|".join(f"(?:{p})" for p in patterns)
    try:
        return compile_pattern(rule, field, joined)
    except RuleFileError:
        for i, p in enumerate(patterns):  # name the pattern that is wrong
            compile_pattern(rule, f"{field}[{i}]", p)
        raise


@dataclass
class Near:
    """Context a match needs nearby (``near: {patterns: [...], within: paragraph}``)."""

    pattern: regex.Pattern[str]
    within: str


@dataclass
class Scanner:
    """A list of patterns, each scanned only in the blocks that hold one of its gate words,
    and only at the places where one of its start words begins, when it has start words
    (``healthlint.checks.anchors``).

    Matches are merged as one alternation of the list would report them: leftmost first,
    the earlier pattern first at the same place, no two overlapping.

    A scanner loaded from the compiled-rules cache holds each pattern as pickled bytes
    until it first scans: read a part's pattern through ``_pattern``.
    """

    parts: list[tuple[regex.Pattern[str] | bytes, frozenset[str] | None, anchors.Anchor | None]]

    def __post_init__(self) -> None:
        for _, gate, _ in self.parts:
            INDEX.add(gate)
        # Each part's number in the run's start index (None: a part with no start words).
        self.starts = [anchors.START_INDEX.add(anchor) for _, _, anchor in self.parts]

    def __getstate__(self) -> dict[str, Any]:
        """Each pattern is pickled on its own, as bytes that ``_pattern`` loads when the
        pattern first scans: a run on one file scans with about 40% of the built-in
        patterns (no block holds a gate word of the rest), and loading them all from
        the compiled-rules cache cost about 5 ms. The start numbers are this process's."""
        return {"parts": [(_packed(p), gate, anchor) for p, gate, anchor in self.parts]}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A scanner loaded from the compiled-rules cache registers its gate words and
        start words again."""
        self.__dict__.update(state)
        self.__post_init__()

    def _pattern(self, index: int) -> regex.Pattern[str]:
        """Part ``index``'s pattern, loaded from its bytes the first time it is asked for."""
        pattern, gate, anchor = self.parts[index]
        if isinstance(pattern, bytes):
            pattern = pickle.loads(pattern)
            self.parts[index] = (pattern, gate, anchor)
        return pattern

    def finditer(self, doc: Document, budget: Budget) -> Iterator[regex.Match[str]]:
        """The matches, found lazily: a rule that needs only the first (a ``required``
        rule's trigger) stops scanning there. A pattern with no block to scan (none holds
        a word of its gate, as for most rules of a large pack) costs one look-up."""
        streams = []
        for index, (_, gate, _) in enumerate(self.parts):
            regions = _regions(gate, doc)
            if regions:
                streams.append(self._stream(doc, index, regions, budget))
        if not streams:
            return
        merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=_place)
        last_end = -1
        for start, _, m in merged:
            if start >= last_end:
                yield m
                last_end = m.end()

    def _stream(
        self, doc: Document, index: int, regions: list[tuple[int, int]], budget: Budget,
    ) -> Iterator[tuple[int, int, regex.Match[str]]]:
        """One pattern's non-empty matches in its regions, in document order."""
        pattern, anchor = self._pattern(index), self.parts[index][2]
        text = doc.masked
        if anchor is not None:
            number = self.starts[index]
            places = None if number is None else anchors.START_INDEX.places(doc, number)
            if places is not None or anchor.warmed_up(sum(end - start for start, end in regions)):
                yield from _anchored(pattern, regions, anchor, doc, index, budget, places)
                return
        for start, end in regions:
            for m in pattern.finditer(text, start, end, timeout=budget.left()):
                if m.end() > m.start():
                    yield m.start(), index, m

    def search(self, doc: Document, haystack: str, budget: Budget) -> bool:
        """True when any pattern matches anywhere in ``haystack`` (the masked text or the source)."""
        for index, (_, gate, _) in enumerate(self.parts):
            regions = _regions(gate, doc) if haystack is doc.masked else [(0, len(haystack))]
            if regions:
                pattern = self._pattern(index)
                if any(pattern.search(haystack, start, end, timeout=budget.left()) for start, end in regions):
                    return True
        return False


def _packed(pattern: regex.Pattern[str] | bytes) -> bytes:
    """A pattern as pickled bytes; one that was never loaded is still packed."""
    return pattern if isinstance(pattern, bytes) else pickle.dumps(pattern, pickle.HIGHEST_PROTOCOL)


def _place(item: tuple[int, int, regex.Match[str]]) -> tuple[int, int]:
    """Leftmost first; at the same place, the pattern listed first."""
    return item[0], item[1]


def compile_scanner(rule: Rule, field: str, patterns: Any) -> Scanner:
    if not isinstance(patterns, list) or not patterns:
        raise RuleFileError(rule.path, field, "must be a non-empty list of patterns")
    parts = []
    for i, p in enumerate(patterns):
        compiled = compile_pattern(rule, f"{field}[{i}]", p)
        parseable = PLAIN_SPACE.sub(r"\\s+", expand(p))
        parts.append((compiled, gate_words(parseable), anchors.start_words(parseable)))
    return Scanner(parts)


def _anchored(
    pattern: regex.Pattern[str], regions: list[tuple[int, int]], anchor: anchors.Anchor, doc: Document,
    index: int, budget: Budget, places: list[int] | None = None,
) -> Iterator[tuple[int, int, regex.Match[str]]]:
    """A pattern's matches in its regions, tried only where one of its start words begins:
    the matches a scan of each region would find, since a scan tries the places in order too.
    The places are the run's start index's (``anchors.StartIndex``), or else its finder's."""
    text = doc.masked
    for start, end in regions:
        last_end = start
        if places is None:
            found = [place.start() for place in anchor.finder().finditer(doc.lowered, start, end)]
        else:
            found = places[bisect_left(places, start) : bisect_left(places, end)]
        for at in found:
            if at < last_end:
                continue
            m = pattern.match(text, at, end, timeout=budget.left())
            if m is not None and m.end() > at:
                last_end = m.end()
                yield at, index, m




@dataclass
class CompiledPatterns:
    """A rule's patterns and exceptions, compiled once per run."""

    rule: Rule
    scanner: Scanner
    exceptions: dict[str, regex.Pattern[str]]
    near: Near | None = None


def compile_rule(rule: Rule, field: str = "patterns") -> CompiledPatterns:
    scanner = compile_scanner(rule, field, rule.options.get(field))
    raw = rule.options.get("exceptions", {})
    if not isinstance(raw, dict):
        raise RuleFileError(rule.path, "exceptions", f"must map {', '.join(EXCEPTION_PLACES)} to patterns")
    exceptions = {}
    for place, patterns in raw.items():
        if place not in EXCEPTION_PLACES:
            raise RuleFileError(rule.path, f"exceptions.{place}", f"must be one of {', '.join(EXCEPTION_PLACES)}")
        exceptions[place] = compile_alternation(rule, f"exceptions.{place}", patterns)
    return CompiledPatterns(rule, scanner, exceptions, _compile_near(rule))


def _compile_near(rule: Rule) -> Near | None:
    near = rule.options.get("near")
    if near is None:
        return None
    if not isinstance(near, dict) or set(near) - {"patterns", "within"}:
        raise RuleFileError(rule.path, "near", "must be a mapping with 'patterns' and 'within'")
    within = near.get("within", "paragraph")
    if within not in WINDOWS:
        raise RuleFileError(rule.path, "near.within", f"must be one of {', '.join(WINDOWS)}")
    pattern = compile_alternation(rule, "near.patterns", near.get("patterns"))
    assert pattern is not None
    return Near(pattern, within)


def check_window(rule: Rule, field: str, value: Any) -> None:
    if value not in WINDOWS:
        raise RuleFileError(rule.path, field, f"must be one of {', '.join(WINDOWS)}, not {value!r}")


def matches(compiled: CompiledPatterns, doc: Document) -> Iterator[regex.Match[str]]:
    """Matches of the rule in the document's prose that survive the exceptions.

    A match never runs from one block into the next (see ``Scanner``). Entries of the
    reference list (titles of cited papers) and phrases quoted on their own are not
    claims of the article, so no rule sees them.
    """
    budget = Budget()
    # Matches in one paragraph share its paragraph and document windows: each window is
    # searched once, which keeps a file that is one giant paragraph linear.
    searched: dict[tuple[regex.Pattern[str], int, int], bool] = {}
    try:
        near = compiled.near
        # Context the whole document must hold is looked for once there is a match to
        # need it: most documents have none, and the search reads the whole text.
        near_unknown = near is not None and near.within == "document"
        for m in compiled.scanner.finditer(doc, budget):
            if near_unknown:
                if not near.pattern.search(doc.masked, timeout=budget.left()):
                    return
                near_unknown = False
            budget.earn()
            if doc.in_reference_list(m.start()) or _mentioned(doc, m):
                continue
            if _excepted(compiled, doc, m, budget, searched) or not _near_ok(compiled, doc, m, budget, searched):
                continue
            yield m
    except TimeoutError:
        raise RuleTimeout(compiled.rule) from None


def _regions(gate: frozenset[str] | None, doc: Document) -> list[tuple[int, int]]:
    """The blocks a pattern is scanned in: those holding a word of its gate, or every
    block for a pattern without one. Never the whole text at once, so that no match runs
    from one block into the next, whether or not a prefilter applies.

    A pattern without a gate may be anchored to a line ("^By", "\\nReviewed by"), so its
    region starts at the line break before the block, where the block begins a line.
    """
    starts, ends = doc.block_bounds
    if gate is None:
        every = doc.__dict__.get("_every_block_region")  # the same for every such pattern
        if every is None:
            every = [(_line_break_before(doc, start), end) for start, end in zip(starts, ends, strict=True)]
            doc.__dict__["_every_block_region"] = every
        return every
    return [(starts[i], ends[i]) for i in INDEX.blocks_with(doc, gate)]


def _line_break_before(doc: Document, start: int) -> int:
    """``start``, or the offset of the line break ending the line before, when only
    blanks (masked markup, indentation) stand between that break and ``start``."""
    line, _ = doc.lines.line_col(start)
    line_start = doc.lines.line_start(line)
    if line > 1 and not doc.masked[line_start:start].strip():
        return line_start - 1
    return start


def window(doc: Document, start: int, within: str) -> tuple[int, int]:
    """The span of the sentence, paragraph or document around ``start``.

    Citation markers often sit just after the closing full stop ("... gut barrier.[1]"),
    so a window runs on to the start of the next sentence or the end of the line.
    """
    if within == "document":
        return 0, len(doc.text)
    if within == "sentence":
        sentence = doc.sentence_at(start)
        if sentence is not None:
            return sentence.start, _next_sentence_start(doc, sentence.end)
    index = doc.block_at(start)
    if index is None:
        return _line_span(doc, start)
    block = doc.blocks[index]
    return block.start, _line_end(doc, block.end)


def _next_sentence_start(doc: Document, end: int) -> int:
    """Where the next sentence starts, but never past the end of the current line."""
    line_end = _line_end(doc, end)
    i = bisect_left(doc.sentence_starts, end)
    if i < len(doc.sentence_starts):
        return min(doc.sentence_starts[i], max(line_end, end))
    return line_end


def _line_end(doc: Document, offset: int) -> int:
    """Where the line holding ``offset`` ends: its line break, or the end of the text.

    Found through the line index, not by scanning ahead, which on a file with no line
    breaks would cost the rest of the file at every match.
    """
    line, _ = doc.lines.line_col(offset)
    if line >= doc.lines.count:
        return len(doc.text)
    end = doc.lines.starts[line] - 1  # the break's last character
    if end > offset and doc.text[end - 1] == "\r":  # a \r\n break
        end -= 1
    return end


def _line_span(doc: Document, offset: int) -> tuple[int, int]:
    line, _ = doc.lines.line_col(offset)
    return doc.lines.line_start(line), _line_end(doc, offset)


def _excepted(
    compiled: CompiledPatterns, doc: Document, m: regex.Match[str], budget: Budget,
    searched: dict[tuple[regex.Pattern[str], int, int], bool],
) -> bool:
    if not compiled.exceptions:
        return False
    text = doc.masked
    for place, pattern in compiled.exceptions.items():
        a, b = _exception_window(doc, m, place)
        key = (pattern, a, b)
        if key not in searched:
            searched[key] = pattern.search(text[a : max(a, b)], timeout=budget.left()) is not None
        if searched[key]:
            return True
    return False


def _exception_window(doc: Document, m: regex.Match[str], place: str) -> tuple[int, int]:
    if place == "match":
        return m.start(), m.end()
    if place == "paragraph":
        return window(doc, m.start(), "paragraph")
    if place == "document":
        return 0, len(doc.masked)
    start, end = window(doc, m.start(), "sentence")
    end = min(end, _sentence_end(doc, m.start(), end))
    if place == "before":
        return max(start, m.start() - NEARBY), m.start()
    if place == "after":
        return m.end(), min(end, m.end() + NEARBY)
    return start, end


def _mentioned(doc: Document, m: regex.Match[str]) -> bool:
    """A phrase in quotation marks of its own is being talked about, not used.

    'Be wary of "clinically proven"' warns against the phrase; it does not make the claim,
    and neither does 'clinics advertising stem cell "miracle cures"'. The quotation may
    hold a word or two besides the match; a longer one is someone's words being quoted
    (a testimonial), which the rules must still see.
    """
    text = doc.masked
    opening = QUOTE_OPENS.search(text[max(0, m.start() - QUOTE_REACH) : m.start()])
    closing = QUOTE_CLOSES.match(text, m.end(), m.end() + QUOTE_REACH)
    if not opening or not closing:
        return False
    return len(opening.group(1).split()) + len(closing.group(1).split()) <= QUOTED_EXTRA_WORDS


def _sentence_end(doc: Document, offset: int, default: int) -> int:
    sentence = doc.sentence_at(offset)
    return sentence.end if sentence is not None else default


def _near_ok(
    compiled: CompiledPatterns, doc: Document, m: regex.Match[str], budget: Budget,
    searched: dict[tuple[regex.Pattern[str], int, int], bool],
) -> bool:
    near = compiled.near
    if near is None or near.within == "document":
        return True
    a, b = window(doc, m.start(), near.within)
    key = (near.pattern, a, b)
    if key not in searched:
        searched[key] = near.pattern.search(doc.masked, a, b, timeout=budget.left()) is not None
    return searched[key]
