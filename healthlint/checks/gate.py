"""Cheap prefilters: the words a pattern cannot match without.

Running every rule's regular expression over every character of every article is what
makes prose linters slow. Most patterns cannot match unless one of a few literal words
appears ("miracle", "side effect"), so each compiled pattern gets a *gate*: a set of
lower-case literals, one of which every match must contain. A block of prose that
contains none of them cannot hold a match and is not scanned. The gate is derived from
the pattern itself (through the standard library's regex parser), so rule authors never
write it; a pattern the parser cannot analyse simply has no gate and is scanned in full.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from re import _constants as C
from re import _parser

MIN_LITERAL = 3  # shorter literals ("a", "is") would let almost every block through
MAX_LITERALS = 400


@lru_cache(maxsize=256)
def parsed_pattern(source: str) -> list | None:
    """``source`` read by the standard library's regex parser, or None where it cannot
    (syntax only the ``regex`` module knows). Gates and start words both read each
    pattern; parsing it once for both saves a tenth of compiling the rules. Readers of
    the result must not change it: it is shared."""
    try:
        return list(_parser.parse(source, 0))
    except Exception:  # noqa: BLE001 - regex-only syntax
        return None


def gate_words(source: str) -> frozenset[str] | None:
    """Literals one of which every match of ``source`` contains, or None if unknown."""
    parsed = parsed_pattern(source)
    if parsed is None:  # no gate, scan everything
        return None
    words = _required(parsed)
    if not words or len(words) > MAX_LITERALS:
        return None
    return frozenset(words)


def _required(items: list) -> set[str] | None:
    """The best literal set a sequence of parsed items cannot match without."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        usable = bool(candidate) and all(len(w) >= MIN_LITERAL for w in candidate)
        if usable and (best is None or _better(candidate, best)):
            best = candidate

    for op, arg in items:
        if op is C.LITERAL:
            run.append(chr(arg).lower())
            continue
        consider({"".join(run)} if run else None)
        run = []
        if op is C.SUBPATTERN:
            consider(_required(list(arg[-1])))
        elif op is C.BRANCH:
            branches = [_required(list(b)) for b in arg[1]]
            if all(branches):
                consider(set().union(*branches))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[0] >= 1:
            consider(_required(list(arg[2])))
    consider({"".join(run)} if run else None)
    return best


def _better(candidate: set[str], best: set[str]) -> bool:
    """Fewer, longer literals filter better."""
    return (len(candidate), -min(map(len, candidate))) < (len(best), -min(map(len, best)))


class GateIndex:
    """Every gate word of the run, found once per document.

    Short runs look each word up with ``str.find``; compiling the trie-shaped expression
    costs more than that on one article (about 8 ms, a pre-commit run's worth of
    matching). Once the run has read ``WARM_UP`` characters, this document included, one
    scan with the trie tells which blocks contain which gate words. Words are found at
    every position (a lookahead), and a word found also counts for the shorter gate words
    inside it ("restore" holds "store"). Both ways find every gate word lying wholly
    inside a block.
    """

    WARM_UP = 100_000

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._version = 0
        self._built: tuple[int, re.Pattern[str], dict[str, frozenset[str]]] | None = None
        self._read = 0

    def add(self, words: frozenset[str] | None) -> None:
        if words and not words <= self.words:
            self.words.update(words)
            self._version += 1

    def _scanner(self) -> tuple[int, re.Pattern[str], dict[str, frozenset[str]]]:
        if self._built is None or self._built[0] != self._version:
            words = frozenset(self.words)
            pattern = _overlapping_finder(words) if words else re.compile("(?!)")
            inside = {w: _words_inside(w, words) for w in words}
            self._built = (self._version, pattern, inside)
        return self._built

    def blocks_with(self, doc, gate: frozenset[str]) -> list[int]:
        """Indices of the blocks of ``doc`` that contain a word of ``gate``, in order.

        Where one word of the gate is present, this is the index's own list: read it,
        do not change it."""
        index = self._word_blocks(doc)
        present = index.keys() & gate  # a gate may hold hundreds of words, a document few of them
        if len(present) == 1:
            return index[next(iter(present))]
        hits: set[int] = set()
        for word in present:
            hits.update(index[word])
        return sorted(hits)

    def _word_blocks(self, doc) -> dict[str, list[int]]:
        """Gate word → blocks containing it, computed once per document and rule set."""
        cache = doc.__dict__.setdefault("_gate_words", {})
        if self._version not in cache:
            self._read += len(doc.lowered)
            # One look-up per gate word reads the whole document each time: only short
            # runs of short documents are cheaper that way than compiling the trie.
            cache[self._version] = self._scan(doc) if self._read > self.WARM_UP else self._look_up(doc)
        return cache[self._version]

    def _scan(self, doc) -> dict[str, list[int]]:
        _, pattern, inside = self._scanner()
        starts, ends = doc.block_bounds
        lowered = doc.lowered
        index: dict[str, list[int]] = {}
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            found = set(pattern.findall(lowered, start, end))
            for word in frozenset().union(*(inside[w] for w in found)) if found else ():
                index.setdefault(word, []).append(i)
        return index

    def _look_up(self, doc) -> dict[str, list[int]]:
        starts, ends = doc.block_bounds
        lowered = doc.lowered
        index: dict[str, list[int]] = {}
        for word in self.words:
            at = lowered.find(word)
            while at != -1:
                i = bisect_right(starts, at) - 1
                if i >= 0 and at + len(word) <= ends[i]:
                    index.setdefault(word, []).append(i)
                    at = lowered.find(word, ends[i])
                else:
                    at = lowered.find(word, at + 1)
        return index


INDEX = GateIndex()


def _overlapping_finder(words: frozenset[str]) -> re.Pattern[str]:
    """Finds each of ``words`` at every place one begins, overlapping, as group 1.

    The pattern takes one character that can begin a word and looks back from after it
    for the word: starting with that character, rather than with a zero-width lookahead,
    lets the standard library's engine skip to the places worth trying (1.6 times faster
    over the corpus, the same words found)."""
    firsts = "".join(sorted({re.escape(word[0]) for word in words}))
    return re.compile(f"[{firsts}](?<=(?=({trie(words)}))[{firsts}])")


def _words_inside(word: str, words: frozenset[str]) -> frozenset[str]:
    """The gate words that ``word`` contains, itself included.

    Looking up each of its substrings is linear in the gate; comparing every pair of
    words would be quadratic, a few milliseconds of every run's start-up.
    """
    return frozenset(
        word[i:j] for i in range(len(word)) for j in range(i + MIN_LITERAL, len(word) + 1) if word[i:j] in words
    )


def trie(words: frozenset[str], spell: Callable[[str], str] = re.escape) -> str:
    """An alternation of ``words`` factored by shared prefixes, longest first; ``spell``
    writes each character as an expression."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [spell(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
