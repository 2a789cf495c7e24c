"""Pattern matching shared by the phrase-like kinds (phrase, substitution, evidence).

Conventions every rule author relies on:
- patterns are case-insensitive regular expressions (the ``regex`` module's syntax);
- a plain space in a pattern matches any run of whitespace, line breaks included, so
  "studies show" also finds a phrase wrapped across two lines or split by markup;
- ``{{lexicon}}`` expands to a shared vocabulary (``rules/lexicons``);
- ``exceptions`` drop a match by its context within the sentence: ``before`` is searched
  in the sentence text up to the match, ``after`` in the text after it, ``sentence`` in
  the whole sentence, ``paragraph`` in the whole paragraph and ``match`` in the matched
  text itself. Each exception sees only
  its own window, so ``^`` and ``$`` anchor at the window's edges.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from healthlint.checks.base import RULE_TIME_BUDGET, RuleTimeout
from healthlint.checks.gate import INDEX, gate_words
from healthlint.document import Document
from healthlint.errors import RuleFileError
from healthlint.lexicons import expand
from healthlint.ruleset import Rule

FLAGS = regex.IGNORECASE | regex.VERSION0
EXCEPTION_PLACES = ("before", "after", "sentence", "paragraph", "match")
WINDOWS = ("sentence", "paragraph", "document")
PLAIN_SPACE = re.compile(r"(?<!\\) (?![*+?{])")


def compile_pattern(rule: Rule, field: str, pattern: Any) -> regex.Pattern[str]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise RuleFileError(rule.path, field, "each pattern must be a non-empty text")
    try:
        source = PLAIN_SPACE.sub(r"\\s+", expand(pattern))
        return regex.compile(source, FLAGS)
    except RuleFileError:
        raise
    except (regex.error, OverflowError, RecursionError) as exc:
        raise RuleFileError(rule.path, field, f"invalid regular expression {pattern!r}: {exc}") from None


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
    """A list of patterns, each scanned only in the blocks that hold one of its gate words.

    Matches are merged as one alternation of the list would report them: leftmost first,
    the earlier pattern first at the same place, no two overlapping.
    """

    parts: list[tuple[regex.Pattern[str], frozenset[str] | None]]

    def finditer(self, doc: Document, deadline: float) -> list[regex.Match[str]]:
        text = doc.masked
        found = []
        for index, (pattern, gate) in enumerate(self.parts):
            for start, end in _regions(gate, doc):
                for m in pattern.finditer(text, start, end, timeout=_remaining(deadline)):
                    if m.end() > m.start():
                        found.append((m.start(), index, m))
        found.sort(key=lambda item: (item[0], item[1]))
        kept, last_end = [], -1
        for start, _, m in found:
            if start >= last_end:
                kept.append(m)
                last_end = m.end()
        return kept

    def search(self, doc: Document, haystack: str, deadline: float) -> bool:
        """True when any pattern matches anywhere in ``haystack`` (the masked text or the source)."""
        for pattern, gate in self.parts:
            regions = _regions(gate, doc) if haystack is doc.masked else [(0, len(haystack))]
            for start, end in regions:
                if pattern.search(haystack, start, end, timeout=_remaining(deadline)):
                    return True
        return False


def compile_scanner(rule: Rule, field: str, patterns: Any) -> Scanner:
    if not isinstance(patterns, list) or not patterns:
        raise RuleFileError(rule.path, field, "must be a non-empty list of patterns")
    parts = []
    for i, p in enumerate(patterns):
        compiled = compile_pattern(rule, f"{field}[{i}]", p)
        gate = gate_words(PLAIN_SPACE.sub(r"\\s+", expand(p)))
        INDEX.add(gate)
        parts.append((compiled, gate))
    return Scanner(parts)


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return remaining


def deadline() -> float:
    """When a rule that starts now must be done with one document."""
    return time.monotonic() + RULE_TIME_BUDGET


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

    A match never runs from one block into the next (see ``Scanner``).
    """
    until = deadline()
    try:
        near = compiled.near
        if near and near.within == "document" and not near.pattern.search(doc.masked, timeout=RULE_TIME_BUDGET):
            return
        for m in compiled.scanner.finditer(doc, until):
            if _excepted(compiled, doc, m) or not _near_ok(compiled, doc, m):
                continue
            yield m
    except TimeoutError:
        raise RuleTimeout(compiled.rule) from None


def _regions(gate: frozenset[str] | None, doc: Document) -> list[tuple[int, int]]:
    if gate is None:
        return [(0, len(doc.masked))]
    starts, ends = doc.block_bounds
    return [(starts[i], ends[i]) for i in INDEX.blocks_with(doc, gate)]


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
    return block.start, _line_end(doc.text, block.end)


def _next_sentence_start(doc: Document, end: int) -> int:
    """Where the next sentence starts, but never past the end of the current line."""
    line_end = _line_end(doc.text, end)
    i = bisect_left(doc.sentence_starts, end)
    if i < len(doc.sentence_starts):
        return min(doc.sentence_starts[i], max(line_end, end))
    return line_end


def _line_end(text: str, offset: int) -> int:
    ends = [i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0]
    return min(ends) if ends else len(text)


def _line_span(doc: Document, offset: int) -> tuple[int, int]:
    line, _ = doc.lines.line_col(offset)
    return doc.lines.line_start(line), _line_end(doc.text, offset)


def _excepted(compiled: CompiledPatterns, doc: Document, m: regex.Match[str]) -> bool:
    if not compiled.exceptions:
        return False
    text = doc.masked
    start, end = window(doc, m.start(), "sentence")
    end = min(end, _sentence_end(doc, m.start(), end))
    checks = {
        "before": (start, m.start()),
        "after": (m.end(), end),
        "sentence": (start, end),
        "paragraph": window(doc, m.start(), "paragraph"),
        "match": (m.start(), m.end()),
    }
    for place, pattern in compiled.exceptions.items():
        a, b = checks[place]
        if pattern.search(text[a : max(a, b)], timeout=RULE_TIME_BUDGET):
            return True
    return False


def _sentence_end(doc: Document, offset: int, default: int) -> int:
    sentence = doc.sentence_at(offset)
    return sentence.end if sentence is not None else default


def _near_ok(compiled: CompiledPatterns, doc: Document, m: regex.Match[str]) -> bool:
    near = compiled.near
    if near is None or near.within == "document":
        return True
    a, b = window(doc, m.start(), near.within)
    return near.pattern.search(doc.masked, a, b, timeout=RULE_TIME_BUDGET) is not None
