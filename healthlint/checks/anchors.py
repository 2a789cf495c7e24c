"""Where a pattern's matches can start: its start words.

Most patterns begin with a word from a list ("studies|research|trials show",
"reduces|lowers|improves ..."). Scanning a block with such a pattern makes the regex
engine try every word of the list, case-insensitively, at every character, which is where
the rule packs spent most of their matching time. Every match starts with one of the
pattern's *start words*, so a trie of them, run case-sensitively over the lower-cased
prose, finds the places a match can begin, and the pattern is tried only there
(``Pattern.match``). The matches are the ones a scan would report: a scan also tries
each place in order.

A start "word" runs on through the whitespace after it into the words that follow, up to
``PHRASE_SPACES`` of them, as far as the pattern spells them out: "in mice", "in rats",
not every "in". Most places where a pattern's first word occurs are not matches (96% of
the tries of the built-in pack, with one-word starts), and each try costs a call into the
regex engine. In the finder a space stands for any run of whitespace, which the
standard library reads as at least what ``regex`` reads as whitespace, so no match is
missed.

The start words are derived from the pattern (through the standard library's regex
parser), so rule authors never write them. A pattern that can begin with something other
than a literal word (a character class, ``.``, a one-letter word) has no start words and
is scanned block by block as before.

A long run finds every pattern's start phrases at once (``StartIndex``): one scan of each
document with a trie of all of them, rather than one scan per pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from re import _constants as C

from healthlint.checks.gate import parsed_pattern, trie

WARM_UP = 50_000
"""Characters a pattern scans before its finder is compiled: compiling costs about as much
as scanning five articles block by block, so one-file runs (a pre-commit hook) never pay
for it, and long runs or long documents switch early."""
MIN_START = 2  # one-letter starts ("a") would make nearly every word a candidate
MAX_STARTS = 400
MAX_STEPS = 2_000
ANY_CHARACTER = "\0"  # a "." of the pattern inside a start phrase
PHRASE_SPACES = 1  # start phrases of two words: three filter little more, and cost more to derive
WORD_RUN = -1  # the fallback: a start word ends where the pattern's first run of letters does
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
    """The start words of ``source``, or None when a match may begin otherwise.

    The longest start phrases that stay few enough to find in one scan: a pattern whose
    phrases would be too many (a verb list, then an outcome list) gets shorter ones."""
    parsed = parsed_pattern(source)
    if parsed is None:  # no start words: scan the blocks
        return None
    for spaces in range(PHRASE_SPACES, WORD_RUN - 1, -1):
        try:
            words = _starts(parsed, _Reading(), spaces)
        except (_TooComplex, RecursionError):  # a rule file's pattern may be built to be hostile
            continue
        if words and not any(w[0] in (" ", ANY_CHARACTER) for w in words):
            break
    else:
        return None
    if min(map(len, words)) < MIN_START:
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


class _Reading:
    """One reading of a pattern: the steps left, and the prefixes of each tail read so far.

    A branch is read as each alternative followed by the rest of the pattern, so the same
    rest is read once per alternative, and again for each branch before it: remembering
    it keeps a list of verbs followed by a list of outcomes linear, not a product."""

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.known: dict[tuple[int, ...], set[str] | None] = {}


def _starts(items: list, reading: _Reading, spaces: int = WORD_RUN) -> set[str] | None:
    """The literal prefixes of a parsed sequence (at most ``MAX_STARTS``), remembered."""
    key = (spaces, *map(id, items))
    if key not in reading.known:
        found = _read(items, reading, spaces)
        if found is not None and len(found) > MAX_STARTS:
            raise _TooComplex
        reading.known[key] = found
    return reading.known[key]


def _read(items: list, reading: _Reading, spaces: int) -> set[str] | None:
    """The literal prefixes of a parsed sequence; None when a match may start otherwise
    (or be empty). Zero-width items (``\\b``, lookarounds) consume nothing and are
    skipped; a group, branch or repeat is read as its contents followed by the rest.
    Unless ``spaces`` is ``WORD_RUN``, a prefix goes on past a literal run into what
    follows, and through as many stretches of whitespace (a space in the prefix) as
    ``spaces`` says.

    Optional items that may match nothing double the ways a match can begin, so the
    reading stops after ``MAX_STEPS`` steps rather than run for ever on a pattern such
    as forty ``(?:a?|b?)`` in a row."""
    reading.steps -= 1
    if reading.steps < 0:
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
        if not word.isascii():  # non-ASCII case folding is not lower()
            return None
        if spaces == WORD_RUN:
            return {word}
        return {word + tail for tail in _starts(items[i:], reading, spaces) or {""}}
    if spaces > 0 and _is_whitespace(op, arg):
        following = _starts(rest, reading, spaces - 1) or {""}
        return {" " + tail for tail in following}
    if spaces >= 0 and op is C.ANY:  # "can.t": any character but a line break, in both engines
        return {ANY_CHARACTER + tail for tail in _starts(rest, reading, spaces) or {""}}
    if op is C.SUBPATTERN:
        return _starts(list(arg[-1]) + rest, reading, spaces)
    if op is C.BRANCH:
        return _union_all([_starts(list(branch) + rest, reading, spaces) for branch in arg[1]])
    if op in REPEATS:
        low, high, body = arg
        # A body that may repeat is followed by itself, not by the rest: "x*abc" can start "xx".
        first = _starts(list(body) + rest, reading, spaces) if high == 1 else _starts(list(body), reading)
        return first if low >= 1 else _union_all([first, _starts(rest, reading, spaces)])
    return None


def _is_whitespace(op, arg) -> bool:
    """``\\s``, ``\\s+`` or ``\\s++``: at least one whitespace character, taken whole."""
    if op in REPEATS and arg[0] >= 1:
        body = list(arg[2])
        return len(body) == 1 and _is_whitespace(*body[0])
    return op is C.IN and arg == [(C.CATEGORY, C.CATEGORY_SPACE)]


def _union_all(sets: list[set[str] | None]) -> set[str] | None:
    if not sets or any(s is None for s in sets):
        return None
    return set().union(*sets)


@cache
def _finder(words: frozenset[str], word_start: bool) -> re.Pattern[str]:
    """A trie of ``words`` that matches, at every place one begins, the first character.

    Compiled when first needed, once per process. The first character is taken, and the
    rest of the word only looked at, so a scan tries the very next place after each one
    found and no place is missed. Written this way, not as one zero-width lookahead,
    the standard library's engine skips to the characters that can start a word, which
    made the finders 3.4 times faster on the corpus. Where matches begin only at a word,
    places right after an ASCII letter, digit or underscore are skipped: the pattern's
    ``\\b`` fails there in any reading of Unicode word characters, so this can never hide
    a match.
    """
    branches = [first + (f"(?={rest})" if rest else "") for first, rest in _first_characters(words)]
    guard = "(?<![a-z0-9_].)" if word_start else ""
    return re.compile("(?:" + "|".join(branches) + ")" + guard)


def _first_characters(words: Iterable[str]) -> list[tuple[str, str]]:
    """Each first character of ``words``, spelled, with a trie of what may follow it:
    optional where a word ends there, and empty where every word that begins with it ends."""
    following: dict[str, set[str]] = {}
    for word in words:
        following.setdefault(word[0], set()).add(word[1:])
    found = []
    for first, rests in sorted(following.items()):
        rest = trie(frozenset(r for r in rests if r), _spell)
        if rest and "" in rests:
            rest = f"(?:{rest})?"
        found.append((_spell(first), rest))
    return found


def _spell(ch: str) -> str:
    """A character of a start phrase in the finder: a space stands for any whitespace, and
    ``ANY_CHARACTER`` for any character but a line break (a NUL that a pattern spells
    out is found as any character too, which finds more places, never fewer)."""
    if ch == " ":
        return r"\s+"
    return "." if ch == ANY_CHARACTER else re.escape(ch)


_Table = dict[str, tuple[tuple[int, ...], tuple[int, ...]]]
"""A start phrase → the numbers of the anchors that begin where it does: all of them, and
those not bound to a word start (for a place right after a letter, digit or underscore)."""
WHITESPACE = re.compile(r"\s+")


class StartIndex:
    """Every start phrase of the run, found in one scan per document.

    Each anchored pattern's finder reads its blocks again: over the benchmark corpus the
    finders read the prose 24 times and took a seventh of the run. One trie of every
    phrase of every registered anchor reads it once. Where phrases begin, the trie takes
    the longest one that matches (its branches part on distinct characters, and an
    optional ending is greedy), and every phrase that also matches there is a prefix of
    that one; so a table from each phrase to the anchors holding one of its prefixes
    tells which anchors begin at that place. A place is given to an anchor even where its
    phrase runs past the end of a block: trying the pattern there fails, so the matches
    stay those of a scan.

    Anchors whose phrases the trie cannot tell apart so simply (a ``.`` of the pattern,
    whitespace other than a space) keep their own finders, and so does every anchor until
    the run has read ``WARM_UP`` characters: compiling the trie costs as much as reading
    ten articles with the single finders, or as compiling them all.
    """

    WARM_UP = 100_000

    def __init__(self) -> None:
        self.ids: dict[Anchor, int] = {}
        self._built: tuple[int, re.Pattern[str], _Table, list[bool]] | None = None
        self._read = 0

    def add(self, anchor: Anchor | None) -> int | None:
        """Hold ``anchor``; its number in the index. Whether the trie can find its phrases
        is only asked when the trie is built, so a one-file run pays nothing for it."""
        return None if anchor is None else self.ids.setdefault(anchor, len(self.ids))

    def places(self, doc, number: int) -> list[int] | None:
        """Where the phrases of anchor ``number`` begin in ``doc``, in order; None until
        the run has read ``WARM_UP`` characters, this document included, and for an
        anchor that keeps its own finder."""
        cache = doc.__dict__.get("_start_places")
        if cache is None:  # the document's first question
            cache = doc.__dict__["_start_places"] = {}
            self._read += len(doc.lowered)
        if self._read < self.WARM_UP:
            return None
        version = len(self.ids)
        if version not in cache:
            cache[version] = self._scan(doc.lowered)
        return cache[version][number]

    def _scanner(self) -> tuple[int, re.Pattern[str], _Table, list[bool]]:
        """The trie, its table and which anchors it finds (by number), built once per
        set of anchors."""
        if self._built is None or self._built[0] != len(self.ids):
            self._built = (len(self.ids), *_trie_and_table(self.ids), [_plain(anchor) for anchor in self.ids])
        return self._built

    def _scan(self, lowered: str) -> list[list[int] | None]:
        _, finder, table, held = self._scanner()
        found: list[list[int] | None] = [[] if plain else None for plain in held]
        # The lists each phrase's places go to, after a word character and elsewhere.
        targets: tuple[dict[str, list[list[int]]], dict[str, list[list[int]]]] = ({}, {})
        for m in finder.finditer(lowered):
            at = m.start()
            phrase = lowered[at : m.end(m.lastindex)]
            in_word = at > 0 and lowered[at - 1] in WORD_START
            lists = targets[in_word].get(phrase)
            if lists is None:
                every, unbound = table.get(phrase) or table[WHITESPACE.sub(" ", phrase)]
                lists = targets[in_word][phrase] = [found[n] for n in (unbound if in_word else every)]
            for places in lists:
                places.append(at)
        return found


START_INDEX = StartIndex()


UNPLAIN = re.compile(rf"[^\S ]|  |^ |{ANY_CHARACTER}")
"""What the trie could not find as written: whitespace other than one space between words
(a pattern's own tab or line break), a space first, or any character (a ``.``)."""


def _plain(anchor: Anchor) -> bool:
    """Whether the index finds every phrase of ``anchor`` (else it keeps its finder)."""
    return not any(map(UNPLAIN.search, anchor.words))


def _trie_and_table(ids: dict[Anchor, int]) -> tuple[re.Pattern[str], _Table]:
    """The trie of every phrase, with an empty group per first character that marks where
    the phrase found ends, and the table of the anchors each phrase's place belongs to."""
    owners: dict[str, set[Anchor]] = {}
    for anchor in filter(_plain, ids):
        for phrase in anchor.words:
            owners.setdefault(phrase, set()).add(anchor)
    table = {}
    for phrase in owners:
        holders = {a for k in range(1, len(phrase) + 1) for a in owners.get(phrase[:k], ())}
        table[phrase] = (tuple(ids[a] for a in holders), tuple(ids[a] for a in holders if not a.word_start))
    branches = [f"{first}(?={rest}())" for first, rest in _first_characters(owners)]
    return re.compile("|".join(branches) or "(?!)"), table  # no phrase: nothing to find
