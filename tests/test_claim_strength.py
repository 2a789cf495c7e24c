"""Claim strength tiers (rules/lexicons/claim-strength.yaml)."""

import pytest

from healthlint.claims import clause_strength, strength


@pytest.mark.parametrize(
    ("sentence", "tier"),
    [
        ("FMT restores the gut barrier.", "direct"),
        ("Probiotics reduce bloating in adults.", "direct"),
        ("FMT can help restore the gut barrier.", "can"),
        ("FMT may help some patients, a small trial suggests [3].", "conditional"),
        ("Coffee drinking is associated with a lower risk of liver disease.", "correlational"),
        ("People who walked daily were less likely to develop diabetes.", "correlational"),
        ("There is no cure for ME/CFS.", "negated"),
        ("Vitamin C does not prevent colds.", "negated"),
        ("The clinic opened in 2019.", "none"),
    ],
)
def test_sentence_is_classified_into_its_tier(sentence, tier):
    assert strength(sentence) == tier


def test_labelled_sentences_are_mostly_classified_right():
    """The labelled set written for the tiers: report accuracy, require most of it."""
    from pathlib import Path

    data = Path(__file__).parent / "data" / "claim_strength.tsv"
    if not data.exists():
        pytest.skip("tests/data/claim_strength.tsv not present")
    rows = [line.split("\t", 1) for line in data.read_text(encoding="utf-8").splitlines() if "\t" in line]
    rows = [(t.strip(), s.strip()) for t, s in rows if t.strip() != "tier"]
    right = sum(strength(s) == t for t, s in rows)
    assert right / len(rows) >= 0.8, f"{right}/{len(rows)} classified right"


@pytest.mark.parametrize(
    ("sentence", "claim", "tier"),
    [
        ("People who lose weight are less likely to get diabetes, so the drug prevents diabetes.", "prevents", "direct"),
        ("People who lose weight are less likely to get diabetes, so the drug may prevent it.", "prevent", "conditional"),
        ("Tea drinkers are more likely to live long, which proves that tea slows ageing.", "slows", "direct"),
        ("People who eat fish have lower rates of heart disease, so you should eat fish.", "so you", "direct"),
        ("Vitamin D does not prevent colds; it prevents rickets.", "does not", "negated"),
        ("People who walked daily were less likely to develop diabetes.", "develop", "correlational"),
        ("Turmeric cures arthritis; some studies found no effect.", "cures", "direct"),
        ("The drug prevents diabetes: people who take it may live longer.", "prevents", "direct"),
    ],
)
def test_a_claim_is_classified_by_its_own_clause(sentence, claim, tier):
    assert clause_strength(sentence, sentence.index(claim)) == tier


@pytest.fixture
def lexicon_file(tmp_path, monkeypatch):
    """A claim-strength lexicon of the test's own, in place of the built-in one."""
    from healthlint import claims

    (tmp_path / "lexicons").mkdir()
    monkeypatch.setattr(claims, "builtin_rules_dir", lambda: tmp_path)
    for cached in (claims._lexicon, claims.tier_patterns, claims.clause_pattern):
        cached.cache_clear()
    yield tmp_path / "lexicons" / "claim-strength.yaml"
    for cached in (claims._lexicon, claims.tier_patterns, claims.clause_pattern):
        cached.cache_clear()


TIERS_YAML = "tiers:\n" + "".join(f"  {t}: ['\\b{t}\\b']\n" for t in ("negated", "correlational", "conditional", "can", "direct"))


def test_clauses_that_are_not_a_list_of_patterns_are_a_rule_file_error(lexicon_file):
    from healthlint.claims import clause_pattern
    from healthlint.errors import RuleFileError

    lexicon_file.write_text(TIERS_YAML + "clauses: ', so'\n")
    with pytest.raises(RuleFileError, match="clauses"):
        clause_pattern()


def test_a_lexicon_that_is_not_utf8_is_a_rule_file_error(lexicon_file):
    from healthlint.claims import tier_patterns
    from healthlint.errors import RuleFileError

    lexicon_file.write_bytes(TIERS_YAML.encode() + b"# caf\xe9\n")
    with pytest.raises(RuleFileError, match="cannot be loaded"):
        tier_patterns()


def test_a_lexicon_without_clauses_reads_the_whole_sentence(lexicon_file):
    from healthlint.claims import clause_strength

    lexicon_file.write_text(TIERS_YAML)
    assert clause_strength("it is direct; negated here", 0) == "negated"
