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


@cache
def tier_patterns() -> TierPatterns:
    """The compiled tiers, strongest last. Evidence checks keep them, so they are
    compiled once and cached on disk with the rest of the compiled rules."""
    import yaml

    path = builtin_rules_dir() / "lexicons" / "claim-strength.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        tiers = data["tiers"]
        return tuple(
            (tier, regex.compile("|".join(f"(?:{expand(p)})" for p in tiers[tier]).replace(" ", r"\s+"), regex.I))
            for tier in ORDER
        )
    except (OSError, KeyError, TypeError, yaml.YAMLError, regex.error) as exc:
        raise RuleFileError(str(path), "tiers", f"cannot be loaded: {exc}") from None


def strength(sentence: str, patterns: TierPatterns | None = None) -> str:
    """The tier of ``sentence``: none, negated, correlational, conditional, can or direct."""
    for tier, pattern in patterns or tier_patterns():
        if pattern.search(sentence):
            return tier
    return "none"
