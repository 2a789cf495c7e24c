"""How a rule's pattern list reports matches: leftmost first, no overlaps, in order."""

from __future__ import annotations

from healthlint.checks.base import Budget
from healthlint.checks.patterns import compile_scanner
from healthlint.documents import parse_document
from healthlint.ruleset import Rule


def _rule() -> Rule:
    return Rule(id="T1", name="test-rule", category="hype", severity="warning", kind="phrase",
                message="{match}", why="test", references=[], path="test.yaml")


def _spans(patterns: list[str], text: str) -> list[str]:
    doc = parse_document("a.txt", text)
    scanner = compile_scanner(_rule(), "patterns", patterns)
    return [m.group() for m in scanner.finditer(doc, Budget())]


def test_leftmost_match_wins_whichever_pattern_found_it():
    assert _spans(["miracle cure", "a miracle"], "It is a miracle cure.\n") == ["a miracle"]


def test_at_the_same_place_the_pattern_listed_first_wins():
    assert _spans(["miracle", "miracle cure"], "A miracle cure.\n") == ["miracle"]
    assert _spans(["miracle cure", "miracle"], "A miracle cure.\n") == ["miracle cure"]


def test_a_match_inside_an_earlier_one_is_dropped_and_later_ones_kept():
    text = "This miracle cure, a true miracle, and a cure.\n"
    assert _spans(["miracle cure", "cure", "miracle"], text) == ["miracle cure", "miracle", "cure"]


def test_matches_come_one_at_a_time_in_document_order():
    doc = parse_document("a.txt", "A miracle.\n\nAnother miracle.\n")
    scanner = compile_scanner(_rule(), "patterns", ["miracle", "cure"])
    found = scanner.finditer(doc, Budget())
    assert next(found).start() == 2
    assert [m.start() for m in found] == [20]


def test_a_pattern_without_a_prefilter_never_runs_from_one_block_into_the_next(monkeypatch):
    from healthlint.checks import patterns

    monkeypatch.setattr(patterns, "gate_words", lambda source: None)
    doc = parse_document("a.html", "<ul><li>It cures emotional eating</li>\n<li>Reverses diabetes</li></ul>")
    scanner = compile_scanner(_rule(), "patterns", [r"eating\s+reverses \w+", r"reverses \w+"])
    assert [m.group() for m in scanner.finditer(doc, Budget())] == ["Reverses diabetes"]


def test_a_line_anchored_pattern_still_matches_where_a_block_begins():
    doc = parse_document("a.txt", "Zinc and colds\n\nBy Jane Smith, pharmacist\n")
    scanner = compile_scanner(_rule(), "patterns", [r"(?:^|\n)\s*by (?-i:[A-Z])\w+"])
    assert [m.group().strip() for m in scanner.finditer(doc, Budget())] == ["By Jane"]


def test_a_scanner_from_the_cache_loads_only_the_patterns_it_scans_with():
    import pickle

    doc = parse_document("a.txt", "A miracle in a bottle.\n")
    scanner = compile_scanner(_rule(), "patterns", ["miracle", "detox"])
    loaded = pickle.loads(pickle.dumps(scanner))
    assert all(isinstance(pattern, bytes) for pattern, _, _ in loaded.parts)
    assert [m.group() for m in loaded.finditer(doc, Budget())] == ["miracle"]
    assert [type(pattern) for pattern, _, _ in loaded.parts] == [type(scanner.parts[0][0]), bytes]
    assert loaded.search(doc, doc.masked, Budget())
