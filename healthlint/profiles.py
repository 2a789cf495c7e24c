"""Profiles switch rule sets and severities: ``article`` (default), ``advertising``, …

A profile exists when some rule names it in its ``profiles`` field; ``article`` always
exists. Rules not naming a profile keep their default severity under it.
"""

from __future__ import annotations

from healthlint.ruleset import Rule

DEFAULT_PROFILE = "article"


def known_profiles(rules: list[Rule]) -> set[str]:
    names = {DEFAULT_PROFILE}
    for rule in rules:
        names.update(rule.profiles)
    return names
