"""Every annotated fixture article: each annotation met, no unannotated finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.documents import format_for, parse_document
from healthlint.encoding import decode_bytes
from healthlint.engine import Linter, Selection
from healthlint.ruletest import annotations, compare

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARTICLES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".md", ".html", ".txt") and p.name != "README.md")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings_match_annotations(path, builtin_rules):
    text, _ = decode_bytes(path.read_bytes(), str(path))
    assert text is not None
    doc = parse_document(str(path.relative_to(FIXTURES)), text, format_for(path.name))
    expected = annotations(doc)
    assert expected.required or expected.forbidden, "a fixture must carry annotations"
    # ruletest.compare pins both recall (every ruleid met) and precision (nothing unannotated).
    mismatches = compare(doc.path, Linter(builtin_rules, Selection()).lint(doc), expected, None)
    assert [str(m) for m in mismatches] == []


def test_there_are_fixtures_in_every_format():
    assert {p.suffix for p in ARTICLES} >= {".txt"}


def _annotated_rules() -> tuple[set[str], set[str]]:
    """Rules some fixture says must fire (``ruleid:``), and rules some fixture says must not (``ok:``)."""
    fires: set[str] = set()
    near_misses: set[str] = set()
    for path in ARTICLES:
        text, _ = decode_bytes(path.read_bytes(), str(path))
        expected = annotations(parse_document(path.name, text, format_for(path.name)))
        fires.update(rule for counts in expected.required.values() for rule in counts)
        near_misses.update(rule for rules in expected.forbidden.values() for rule in rules)
    return fires, near_misses


def test_every_rule_has_a_fixture_that_fires_it_and_a_near_miss(builtin_rules):
    # The annotation test above makes every ruleid fire and every ok stay silent, so a
    # rule named both ways is shown to fire on real prose and to hold back on a near miss.
    fires, near_misses = _annotated_rules()
    ids = {rule.id for rule in builtin_rules}
    assert sorted(ids - fires) == [], "rules no fixture makes fire"
    assert sorted(ids - near_misses) == [], "rules with no near-miss (ok:) in any fixture"
