"""The prefilter never changes what is found, only how much text is scanned."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.checks import patterns
from healthlint.checks.gate import _words_inside, gate_words, trie
from healthlint.documents import format_for, parse_document
from healthlint.encoding import decode_bytes
from healthlint.engine import Linter, Selection

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("source", "words"),
    [
        (r"\bno\s+(?:known\s+)?side[- ]effects?\b", {"effect"}),
        (r"\b(?:can|will|helps?)\s+restore\b", {"restore"}),
        (r"miracl(?:e|es|ulous)", {"miracl"}),
        (r"\b(?:cures|heals)\b", {"cures", "heals"}),
    ],
)
def test_gate_is_a_literal_every_match_contains(source, words):
    assert gate_words(source) == words


@pytest.mark.parametrize("source", [r"\w+ly\b", r"(?:a|b)c", r"x?y?z?"])
def test_pattern_without_a_usable_literal_has_no_gate(source):
    assert gate_words(source) is None


def test_trie_matches_exactly_the_words():
    import re

    words = frozenset({"can", "cancer", "help", "helping", "store"})
    pattern = re.compile(f"(?:{trie(words)})$")
    assert all(pattern.match(w) for w in words)
    assert not pattern.match("canc") and not pattern.match("helpin")


def test_a_found_word_counts_for_every_gate_word_inside_it():
    words = frozenset({"restore", "store", "res", "cure", "secure", "ore"})
    assert _words_inside("restore", words) == {"restore", "store", "res", "ore"}
    assert _words_inside("secure", words) == {"secure", "cure"}
    assert _words_inside("cure", words) == {"cure"}


def test_gated_and_ungated_runs_find_the_same_findings(builtin_rules, monkeypatch):
    paths = sorted(p for p in (ROOT / "fixtures").iterdir() if p.suffix in (".md", ".html", ".txt"))
    docs = []
    for path in paths:
        text, _ = decode_bytes(path.read_bytes(), path.name)
        docs.append((path.name, text))

    def run(profile: str) -> list:
        linter = Linter(builtin_rules, Selection(profile=profile, profile_forced=True))
        return [f for name, text in docs for f in linter.lint(parse_document(name, text, format_for(name)))]

    for profile in ("article", "advertising"):
        gated = run(profile)
        monkeypatch.setattr(patterns, "gate_words", lambda source: None)
        ungated = run(profile)
        monkeypatch.undo()
        assert gated == ungated and gated


def test_looking_words_up_one_by_one_finds_what_the_trie_scan_finds(builtin_rules):
    """Short runs use ``str.find``, long ones the compiled trie: the same blocks either way."""
    from healthlint.checks.gate import INDEX

    Linter(builtin_rules, Selection())  # registers every built-in pattern's gate words
    texts = [p for p in sorted((ROOT / "fixtures").iterdir()) if p.suffix in (".md", ".html", ".txt")]
    texts.append(ROOT / "fixtures" / "sample-clinic-post.txt")
    last = max(INDEX.words)
    docs = [parse_document("end.txt", f"Plain words, then {last}")]  # a gate word ending the file
    for path in texts:
        text, _ = decode_bytes(path.read_bytes(), path.name)
        docs.append(parse_document(path.name, text, format_for(path.name)))
    assert INDEX._look_up(docs[0])[last] == [0]
    compared = 0
    for doc in docs:
        looked_up, scanned = INDEX._look_up(doc), INDEX._scan(doc)
        assert looked_up == scanned, doc.path
        compared += sum(map(len, scanned.values()))
    assert compared > 1000


def test_a_long_document_is_scanned_with_the_trie_even_as_the_first_of_a_run(builtin_rules, monkeypatch):
    """Looking up 600 words one by one would read a 50 MB file 600 times."""
    from healthlint.checks import gate

    index = gate.GateIndex()
    index.words = set(gate.INDEX.words) or {"miracl"}
    calls = []
    monkeypatch.setattr(index, "_look_up", lambda doc: calls.append("look up") or {})
    monkeypatch.setattr(index, "_scan", lambda doc: calls.append("scan") or {})
    index._word_blocks(parse_document("short.txt", "A short note.\n"))
    index._word_blocks(parse_document("long.txt", "A miracle. " * 20_000))
    assert calls == ["look up", "scan"]
