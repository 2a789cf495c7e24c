"""Where a pattern's matches can start: its start words, found once per document.

Most patterns begin with a word from a list ("studies|research|trials show",
"reduces|lowers|improves ..."). Scanning a block with such a pattern makes the regex
engine try every list at every character, which is where the rule packs spent most of
their matching time. Every match starts with one of the pattern's *start words*, so a
single pass over the document with one trie of every pattern's start words finds all the
places a match can begin, and the pattern is then tried only there (``Pattern.match``).
The matches are the ones a scan would report: a scan also tries each place in order.

The start words are derived from the pattern (through the standard library's regex
parser), so rule authors never write them. A pattern that can begin with something other
than a literal word (a character class, ``.``, a lone short word) has no start words and
is scanned block by block as before.
"""

from __future__ import annotations

import re
from re import _constants as C
from re import _parser

from healthlint.checks.gate import _trie

MIN_START = 2  # one-letter starts ("a") would make nearly every word a candidate
MAX_STARTS = 400
ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))


def start_words(source: str) -> frozenset[str] | None:
    """Lower-case literals one of which every match of ``source`` starts with, or None."""
    try:
        parsed = _parser.parse(source, 0)
    except Exception:  # noqa: BLE001 - regex-only syntax: no start words, scan the blocks
        return None
    words = _starts(list(parsed))
    if not words or len(words) > MAX_STARTS or min(map(len, words)) < MIN_START:
        return None
    return frozenset(words)


def _starts(items: list) -> set[str] | None:
    """The literal prefixes of a parsed sequence; None when a match may start otherwise
    (or be empty). Zero-width items (``\\b``, lookarounds) consume nothing and are
    skipped; a group, branch or repeat is read as its contents followed by the rest."""
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
        return _starts(list(arg[-1]) + rest)
    if op is C.BRANCH:
        return _union_all([_starts(list(branch) + rest) for branch in arg[1]])
    if op in REPEATS:
        low, high, body = arg
        # A body that may repeat is followed by itself, not by the rest: "x*abc" can start "xx".
        first = _starts(list(body) + rest) if high == 1 else _starts(list(body))
        return first if low >= 1 else _union_all([first, _starts(rest)])
    return None


def _union_all(sets: list[set[str] | None]) -> set[str] | None:
    if not sets or any(s is None for s in sets):
        return None
    return set().union(*sets)


class StartIndex:
    """Every start word of the run, with the places it occurs in a document's blocks.

    Found with one trie-shaped lookahead over the lower-cased prose, at every position;
    the trie reports the longest word at each place, and the shorter start words it
    begins with ("help" in "helps") start there too.
    """

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._version = 0
        self._built: tuple[int, re.Pattern[str], dict[str, tuple[str, ...]]] | None = None

    def add(self, words: frozenset[str] | None) -> None:
        if words and not words <= self.words:
            self.words.update(words)
            self._version += 1

    def _scanner(self) -> tuple[int, re.Pattern[str], dict[str, tuple[str, ...]]]:
        if self._built is None or self._built[0] != self._version:
            words = frozenset(self.words)
            pattern = re.compile("(?=(" + _trie(words) + "))") if words else re.compile("(?!)")
            prefixes = {w: tuple(w[:j] for j in range(MIN_START, len(w) + 1) if w[:j] in words) for w in words}
            self._built = (self._version, pattern, prefixes)
        return self._built

    def places(self, doc, words: frozenset[str]) -> list[tuple[int, int]]:
        """``(offset, block index)`` of every place in ``doc`` where a word of ``words``
        starts, in document order."""
        index = self._word_places(doc)
        found: set[tuple[int, int]] = set()
        for word in words:
            found.update(index.get(word, ()))
        return sorted(found)

    def _word_places(self, doc) -> dict[str, list[tuple[int, int]]]:
        version, pattern, prefixes = self._scanner()
        cache = doc.__dict__.setdefault("_start_places", {})
        if version not in cache:
            starts, ends = doc.block_bounds
            lowered = doc.lowered
            index: dict[str, list[tuple[int, int]]] = {}
            for block, (start, end) in enumerate(zip(starts, ends, strict=True)):
                for m in pattern.finditer(lowered, start, end):
                    place = (m.start(), block)
                    for word in prefixes[m.group(1)]:
                        index.setdefault(word, []).append(place)
            cache[version] = index
        return cache[version]


INDEX = StartIndex()
