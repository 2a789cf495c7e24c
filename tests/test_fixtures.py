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
