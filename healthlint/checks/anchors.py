"""Where a pattern's matches can start: its start words.

Most patterns begin with a word from a list ("studies|research|trials show",
"reduces|lowers|improves ..."). Scanning a block with such a pattern makes the regex
engine try every word of the list, case-insensitively, at every character, which is where
the rule packs spent most of their matching time. Every match starts with one of the
pattern's *start words*, so a trie of them, run case-sensitively over the lower-cased
prose, finds the places a match can begin, and the pattern is tried only there
(``Pattern.match``). The matches are the ones a scan would report: a scan also tries
each place in order.

The start words are derived from the pattern (through the standard library's regex
parser), so rule authors never write them. A pattern that can begin with something other
than a literal word (a character class, ``.``, a one-letter word) has no start words and
is scanned block by block as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from re import _constants as C
from re import _parser

from healthlint.checks.gate import trie

WARM_UP = 50_000
"""Characters a pattern scans before its finder is compiled: compiling costs about as much
as scanning five articles block by block, so one-file runs (a pre-commit hook) never pay
for it, and long runs or long documents switch early."""
MIN_START = 2  # one-letter starts ("a") would make nearly every word a candidate
MAX_STARTS = 400
MAX_STEPS = 2_000
ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
WORD_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))


@dataclass(frozen=True)
class Anchor:
    """A pattern's start words, and whether its matches begin only where a word begins
    (the pattern opens with ``\\b`` and every start word with a letter or digit)."""

    words: frozenset[str]
    word_start: bool

    def finder(self) -> re.Pattern[str]:
        return _finder(self.words, self.word_start)

    def warmed_up(self, length: int) -> bool:
        """Count ``length`` more characters to scan; True once the finder pays for itself,
        this scan included (so a first document of a megabyte uses it at once)."""
        seen = _scanned.get(self, 0) + length
        _scanned[self] = seen
        return seen >= WARM_UP


_scanned: dict[Anchor, int] = {}


def start_words(source: str) -> Anchor | None:
    """The start words of ``source``, or None when a match may begin otherwise."""
    try:
        parsed = list(_parser.parse(source, 0))
    except Exception:  # noqa: BLE001 - regex-only syntax: no start words, scan the blocks
        return None
    try:
        words = _starts(parsed, [MAX_STEPS])
    except (_TooComplex, RecursionError):  # a rule file's pattern may be built to be hostile
        return None
    if not words or len(words) > MAX_STARTS or min(map(len, words)) < MIN_START:
        return None
    leading = []
    for op, arg in parsed:
        if op not in ZERO_WIDTH:
            break
        leading.append((op, arg))
    bounded = (C.AT, C.AT_BOUNDARY) in leading and all(w[0] in WORD_START for w in words)
    return Anchor(frozenset(words), bounded)


class _TooComplex(Exception):
    """The pattern has too many ways to begin to be worth reading for start words."""


def _starts(items: list, steps: list[int]) -> set[str] | None:
    """The literal prefixes of a parsed sequence; None when a match may start otherwise
    (or be empty). Zero-width items (``\\b``, lookarounds) consume nothing and are
    skipped; a group, branch or repeat is read as its contents followed by the rest.

    Optional items that may match nothing double the ways a match can begin, so the
    reading stops after ``MAX_STEPS`` steps (``steps`` counts down) rather than run
    for ever on a pattern such as forty ``(?:\\b)?`` in a row."""
    steps[0] -= 1
    if steps[0] < 0:
        raise _TooComplex
    i = 0
    while i < len(items) and items[i][0] in ZERO_WIDTH:
        i += 1
    if i == len(items):
        return None
    op, arg = items[i]
    rest = items[i + 1 :]
    if op is C.LITERAL:
        run = []
        while i < len(items) and items[i][0] is C.LITERAL:
            run.append(chr(items[i][1]).lower())
            i += 1
        word = "".join(run)
        return {word} if word.isascii() else None  # non-ASCII case folding is not lower()
    if op is C.SUBPATTERN:
        return _starts(list(arg[-1]) + rest, steps)
    if op is C.BRANCH:
        return _union_all([_starts(list(branch) + rest, steps) for branch in arg[1]])
    if op in REPEATS:
        low, high, body = arg
        # A body that may repeat is followed by itself, not by the rest: "x*abc" can start "xx".
        first = _starts(list(body) + rest, steps) if high == 1 else _starts(list(body), steps)
        return first if low >= 1 else _union_all([first, _starts(rest, steps)])
    return None


def _union_all(sets: list[set[str] | None]) -> set[str] | None:
    if not sets or any(s is None for s in sets):
        return None
    return set().union(*sets)


@cache
def _finder(words: frozenset[str], word_start: bool) -> re.Pattern[str]:
    """A trie of ``words`` that finds, at every place one begins, a zero-width match.

    Compiled when first needed, once per process. Where matches begin only at a word,
    places right after an ASCII letter, digit or underscore are skipped: the pattern's
    ``\\b`` fails there in any reading of Unicode word characters, so this can never hide
    a match.
    """
    guard = "(?<![a-z0-9_])" if word_start else ""
    return re.compile(guard + "(?=" + trie(words) + ")")
