"""Claim strength: how causal a sentence sounds, from the tiers in ``rules/lexicons``.

Readers distinguish direct causal statements ("FMT restores the gut barrier"), "can"
statements ("FMT can help restore") and moderate ones ("may help", "is linked to")
(Adams et al. 2017). Evidence rules use the tier to tell a claim from a hedge or an
association, and the tiers are data so an editor can tune them without code.
"""

from __future__ import annotations

from functools import cache

import regex

from healthlint.errors import RuleFileError
from healthlint.lexicons import builtin_rules_dir, expand

TIERS = ("none", "negated", "correlational", "conditional", "can", "direct")
ORDER = ("negated", "correlational", "conditional", "can", "direct")


TierPatterns = tuple[tuple[str, regex.Pattern[str]], ...]
NO_CLAUSES = regex.compile(r"(?!)")  # a lexicon without ``clauses``: the sentence is one clause


@cache
def _lexicon() -> dict:
    import yaml

    path = builtin_rules_dir() / "lexicons" / "claim-strength.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("tiers"), dict):
            raise KeyError("tiers")
        return data
    except (OSError, UnicodeDecodeError, KeyError, yaml.YAMLError) as exc:
        raise RuleFileError(str(path), "tiers", f"cannot be loaded: {exc}") from None


def _compiled(field: str, patterns: list[str]) -> regex.Pattern[str]:
    try:
        return regex.compile("|".join(f"(?:{expand(p)})" for p in patterns).replace(" ", r"\s+"), regex.I)
    except (TypeError, regex.error) as exc:
        path = builtin_rules_dir() / "lexicons" / "claim-strength.yaml"
        raise RuleFileError(str(path), field, f"cannot be compiled: {exc}") from None


@cache
def tier_patterns() -> TierPatterns:
    """The compiled tiers, strongest last. Evidence checks keep them, so they are
    compiled once and cached on disk with the rest of the compiled rules."""
    tiers = _lexicon()["tiers"]
    missing = [tier for tier in ORDER if not isinstance(tiers.get(tier), list)]
    if missing:
        path = builtin_rules_dir() / "lexicons" / "claim-strength.yaml"
        raise RuleFileError(str(path), f"tiers.{missing[0]}", "must be a list of patterns")
    return tuple((tier, _compiled(f"tiers.{tier}", tiers[tier])) for tier in ORDER)


@cache
def clause_pattern() -> regex.Pattern[str]:
    """Where a new clause of a sentence begins (``clauses`` in the lexicon): "…are less
    likely to develop diabetes, so starting the drug now prevents it" makes a causal claim
    in its second clause, whatever the first one reports."""
    clauses = _lexicon().get("clauses")
    if clauses is None:
        return NO_CLAUSES
    if not isinstance(clauses, list) or not all(isinstance(c, str) and c for c in clauses):
        path = builtin_rules_dir() / "lexicons" / "claim-strength.yaml"
        raise RuleFileError(str(path), "clauses", "must be a list of patterns")
    return _compiled("clauses", clauses) if clauses else NO_CLAUSES


def strength(sentence: str, patterns: TierPatterns | None = None) -> str:
    """The tier of ``sentence``: none, negated, correlational, conditional, can or direct."""
    for tier, pattern in patterns or tier_patterns():
        if pattern.search(sentence):
            return tier
    return "none"


def clause_strength(
    sentence: str, at: int, patterns: TierPatterns | None = None, clauses: regex.Pattern[str] | None = None,
) -> str:
    """The tier of the clause of ``sentence`` that holds offset ``at``: from the last
    clause start at or before ``at`` to the next one after it, or the end of the sentence."""
    start, end = 0, len(sentence)
    for boundary in (clauses or clause_pattern()).finditer(sentence):
        if boundary.start() > at:
            end = boundary.start()
            break
        start = boundary.start()
    return strength(sentence[start:end], patterns)
