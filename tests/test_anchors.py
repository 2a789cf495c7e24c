"""Start words: a pattern is tried only where one of them begins, and finds exactly what
scanning the blocks would find."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest
import regex

from healthlint.checks import anchors, patterns
from healthlint.checks.anchors import start_words
from healthlint.checks.base import Budget
from healthlint.documents import parse_document
from healthlint.lexicons import builtin_rules_dir
from healthlint.ruleset import load_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(("pattern", "words"), [
    (r"\b(?:many|some)\s+studies", {"many studies", "some studies"}),
    (r"\b(?<=\b\w+s\s+(?:also\s+)?)(?:heals|cures)\b", {"heals", "cures"}),  # a lookbehind consumes nothing
    (r"\b(?:the\s+)?(?:Harvard|Yale)", {"the harvard", "the yale", "harvard", "yale"}),  # an optional word
    (r"\b(?:can|helps?)\s+x", {"can x", "help x", "helps x"}),
    (r"\b(?:a\s+|the\s+)?Harvard", {"a harvard", "the harvard", "harvard"}),  # "a" alone is too short
    (r"\bcan(?:no|.)t\s+hurt", {"cannot hurt", f"can{anchors.ANY_CHARACTER}t hurt"}),  # "." is any character
    (r"\bone\s+two\s+three\s+four", {"one two"}),  # at most two words
    (r"(?:\b)?" * 40 + "end", {"end"}),  # 2**40 ways to begin, each tail read once
    (r"\bin\s+caf\u00e9s", {"in "}),  # non-ASCII case folding is not lower(): only the whitespace is known
    (r"(?:ab|)cde", {"abcde", "cde"}),
    (r"xy*abc", {"xy", "xabc"}),  # "xyyabc" starts "xy", not "xyabc"
    (r"(?:foo\s*)+bar", {"foo"}),  # a repeated group is followed by itself, not by "bar"
])
def test_start_words_are_the_literals_every_match_begins_with(pattern, words):
    assert start_words(pattern).words == words


def test_a_pattern_with_too_many_start_phrases_gets_shorter_ones():
    words = [letter + "oo" for letter in "abcdefghijklmnopqrstu"]
    many = "|".join(words)
    anchor = start_words(rf"\b(?:{many})\s+(?:{many})\s+end")  # 441 phrases of two words or three
    assert anchor.words == set(words)


def test_a_space_in_a_start_phrase_finds_any_whitespace_the_pattern_accepts():
    finder = start_words(r"\bin\s++mice").finder()
    pieces = ["in mice. ", "in\n\n   mice. ", "in\u2003mice. ", "in\xa0mice. ", "in mice? ", "inmice. in rats."]
    text = "".join(pieces)
    places = [sum(map(len, pieces[:i])) for i in range(5)]
    assert [m.start() for m in finder.finditer(text)] == places


def test_a_pattern_opening_with_a_word_boundary_is_tried_only_where_a_word_begins():
    assert start_words(r"\b(?:in|on)\s+mice").word_start
    assert not start_words(r"(?:in|on)\s+mice").word_start
    assert not start_words(r"\b(?:in|\.on)\s+mice").word_start  # "\b." is not the start of a word
    finder = start_words(r"\b(?:in|on)\s+mice").finder()
    assert [m.start() for m in finder.finditer("within mice, in mice")] == [13]


@pytest.mark.parametrize("pattern", [
    r"[a-z]+ing",  # a character class
    r"\b(?:a|the)?\s*Harvard",  # "a" is too short to be worth finding
    r"(?:abc)?",  # may match nothing
    r"\bcafé\b",  # non-ASCII case folding is not str.lower()
    r"(?:a?|b?)" * 40 + "end",  # too many ways to begin: the reading gives up instead of running for ever
    "a?" * 3000 + "b",  # deeper than Python's recursion limit
])
def test_a_pattern_that_may_start_otherwise_has_no_start_words(pattern):
    assert start_words(pattern) is None


def _builtin_parts():
    for rule in load_rules([builtin_rules_dir()]):
        for field in ("patterns", "trigger"):
            if isinstance(rule.options.get(field), list):
                scanner = patterns.compile_scanner(rule, field, rule.options[field])
                yield from ((rule.id, part) for part in scanner.parts)


def test_most_builtin_patterns_are_tried_only_at_their_start_words():
    parts = list(_builtin_parts())
    anchored = [rule for rule, (_, _, anchor) in parts if anchor is not None]
    assert len(anchored) >= 0.8 * len(parts)


def test_trying_each_start_word_finds_exactly_what_scanning_the_blocks_finds():
    docs = [parse_document(str(p), p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.*"))
            if p.suffix in (".md", ".html", ".txt")]
    assert len(docs) > 50
    compared = 0
    for rule_id, (pattern, gate, anchor) in _builtin_parts():
        if anchor is None:
            continue
        for doc in docs:
            scanned = [(m.span(), m.group()) for start, end in patterns._regions(gate, doc)
                       for m in pattern.finditer(doc.masked, start, end) if m.end() > m.start()]
            tried = [(m.span(), m.group()) for _, _, m in patterns._anchored(pattern, patterns._regions(gate, doc), anchor, doc, 0, Budget())]
            assert tried == scanned, (rule_id, pattern.pattern[:80], doc.path)
            compared += len(scanned)
    assert compared > 500  # the fixtures do exercise the patterns


def test_start_words_found_inside_longer_ones_still_count():
    finder = start_words(r"\b(?:help|helps|helping)\b").finder()
    text = "It helps. helping hands help.".lower()
    assert [text[m.start() : m.start() + 4] for m in finder.finditer(text)] == ["help", "help", "help"]


def test_a_finder_is_compiled_only_once_its_pattern_has_scanned_enough_text(monkeypatch):
    monkeypatch.setattr(anchors, "_scanned", {})
    anchor = start_words(r"\bzzwarm(?:up|ing)\b")
    assert not anchor.warmed_up(anchors.WARM_UP - 20)  # a one-file run scans its blocks
    assert not anchor.warmed_up(10)
    assert anchor.warmed_up(10)
    assert start_words(r"\bzzlong(?:er|est)\b").warmed_up(anchors.WARM_UP)  # so does a long first document


def test_a_long_run_finds_the_same_matches_after_switching_to_the_finder(monkeypatch):
    doc = parse_document("a.txt", "A miracle, an amazing breakthrough.\n\n" * 40)
    monkeypatch.setattr(anchors, "WARM_UP", len(doc.text) + 1)
    monkeypatch.setattr(anchors, "_scanned", {})  # the first run scans the blocks, the second the finder's places
    rule = next(r for r in load_rules([builtin_rules_dir()]) if r.id == "HL401")
    scanner = patterns.compile_scanner(rule, "patterns", rule.options["patterns"])
    first, later = ([m.span() for m in scanner.finditer(doc, Budget())] for _ in range(2))
    assert first == later and len(first) >= 80


def _random_pattern(rng) -> str:
    """A rule-style pattern (plain spaces) built from the pieces start phrases are read through."""
    words = ["in", "mice", "can", "cannot", "help", "you", "the", "will", "lose", "an", "risk"]
    pieces = [
        lambda: rng.choice(words),
        lambda: rng.choice(words) + "s?",
        lambda: "(?:" + "|".join(rng.sample(words, 3)) + ")",
        lambda: "(?:" + rng.choice(words) + " )?",
        lambda: rng.choice(words) + "(?:.ll| will)?",
        lambda: "[a-z]+",
    ]
    joins = [" ", " ", r"\s*", "", ".", "-?"]
    parts = [rng.choice(pieces)() for _ in range(rng.randint(2, 4))]
    body = parts[0] + "".join(rng.choice(joins) + part for part in parts[1:])
    return (r"\b" if rng.random() < 0.6 else "") + body


def _random_text(rng) -> str:
    words = ["in", "mice", "can", "cannot", "can't", "help", "helps", "you", "you'll", "the", "will", "lose",
             "an", "risk", "risks", "within", "x"]
    gaps = [" ", " ", "  ", "\n", "\n\n", "\u00a0", "\u2003", "-", "", ". "]
    text = "".join(rng.choice(words) + rng.choice(gaps) for _ in range(rng.randint(5, 40)))
    return "".join(c.upper() if rng.random() < 0.2 else c for c in text)


def test_start_phrases_find_exactly_what_a_scan_finds_on_generated_patterns_and_texts():
    rng = random.Random(20261202)
    compared = anchored = 0
    for _ in range(400):
        source = _random_pattern(rng)
        anchor = start_words(patterns.PLAIN_SPACE.sub(r"\\s+", source))
        if anchor is None:
            continue
        anchored += 1
        pattern = regex.compile(patterns.PLAIN_SPACE.sub(r"\\s++", source), patterns.FLAGS)
        for _ in range(5):
            text = _random_text(rng)
            doc = SimpleNamespace(masked=text, lowered=text.lower())
            for region in ([(0, len(text))], [(0, len(text) // 2), (len(text) // 2 + 1, len(text))]):
                scanned = [m.span() for start, end in region for m in pattern.finditer(text, start, end)
                           if m.end() > m.start()]
                tried = [m.span() for _, _, m in patterns._anchored(pattern, region, anchor, doc, 0, Budget())]
                assert tried == scanned, (source, text)
                compared += len(scanned)
    assert anchored > 150 and compared > 300


def _index_of(anchor_list) -> anchors.StartIndex:
    index = anchors.StartIndex()
    index.WARM_UP = 0
    for anchor in anchor_list:
        index.add(anchor)
    return index


def test_the_start_index_finds_exactly_what_each_patterns_own_finder_finds():
    docs = [parse_document(str(p), p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.*"))
            if p.suffix in (".md", ".html", ".txt")]
    parts = [(rule_id, part) for rule_id, part in _builtin_parts() if part[2] is not None]
    index = _index_of(anchor for _, (_, _, anchor) in parts)
    assert sum(map(anchors._plain, index.ids)) >= 0.9 * len(index.ids)  # the trie finds most
    compared = 0
    for doc in docs:
        for rule_id, (pattern, gate, anchor) in parts:
            number = index.ids.get(anchor)
            if number is None:
                continue
            regions = patterns._regions(gate, doc)
            own = [(m.span(), m.group()) for _, _, m in patterns._anchored(pattern, regions, anchor, doc, 0, Budget())]
            indexed = [(m.span(), m.group()) for _, _, m in
                       patterns._anchored(pattern, regions, anchor, doc, 0, Budget(), index.places(doc, number))]
            assert indexed == own, (rule_id, pattern.pattern[:80], doc.path)
            compared += len(own)
    assert compared > 500


def test_the_start_index_gives_each_anchor_its_places_where_phrases_share_a_beginning():
    # "in" begins inside "in mice" and "inside"; only "in " ends at a word; one is bound to a word start.
    bound, loose, spaced = start_words(r"\bin\s+mice"), start_words(r"in"), start_words(r"\bin\s+(?:a|b)")
    index = _index_of([bound, loose, spaced])
    text = "within mice, in\n\tmice, inside, in a\u00a0b."
    doc = SimpleNamespace(lowered=text)
    for anchor in (bound, loose, spaced):
        expected = [m.start() for m in anchor.finder().finditer(text)]
        assert index.places(doc, index.ids[anchor]) == expected, anchor.words


def test_a_pattern_whose_start_phrase_holds_any_character_keeps_its_own_finder():
    index = _index_of([start_words(r"\bcan.t\s+hurt")])  # the only anchor: the trie has no phrase
    assert index.places(SimpleNamespace(lowered="it can't hurt"), 0) is None
    tab = start_words("\\bsee\t(?:a|the)\\s+doctor")  # a tab of the pattern's own
    assert not anchors._plain(tab) and anchors._plain(start_words(r"\bsee\s+(?:a|the)\s+doctor"))


def test_the_start_index_waits_until_the_run_has_read_enough_text():
    index = anchors.StartIndex()
    number = index.add(start_words(r"\bmiracle"))
    index.WARM_UP = 30
    first, second = SimpleNamespace(lowered="a miracle " * 2), SimpleNamespace(lowered="a miracle " * 2)
    assert index.places(first, number) is None  # 20 characters read: the finders still serve
    assert index.places(first, number) is None  # a document is counted once
    assert index.places(second, number) == [2, 12]


def test_the_start_index_finds_what_a_scan_finds_on_generated_patterns_and_texts():
    rng = random.Random(20261203)
    compared = 0
    for _ in range(60):
        sources = [_random_pattern(rng) for _ in range(8)]
        compiled = []
        for source in sources:
            anchor = start_words(patterns.PLAIN_SPACE.sub(r"\\s+", source))
            if anchor is not None:
                compiled.append((regex.compile(patterns.PLAIN_SPACE.sub(r"\\s++", source), patterns.FLAGS), anchor))
        index = _index_of(anchor for _, anchor in compiled)
        for _ in range(5):
            text = _random_text(rng)
            doc = SimpleNamespace(masked=text, lowered=text.lower())
            for pattern, anchor in compiled:
                number = index.ids.get(anchor)
                if number is None:
                    continue
                for region in ([(0, len(text))], [(0, len(text) // 2), (len(text) // 2 + 1, len(text))]):
                    scanned = [m.span() for start, end in region for m in pattern.finditer(text, start, end)
                               if m.end() > m.start()]
                    places = index.places(doc, number)
                    tried = [m.span() for _, _, m in patterns._anchored(pattern, region, anchor, doc, 0, Budget(), places)]
                    assert tried == scanned, (pattern.pattern, text)
                    compared += len(scanned)
    assert compared > 300
