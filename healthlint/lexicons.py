"""Shared vocabularies (hedges, negations, diseases, journals) kept as data.

Rule patterns refer to a lexicon as ``{{name}}``; it expands to a non-capturing
alternation, longest entries first, so one list of hedge words serves every rule that
must not fire on hedged sentences. Lexicons live in ``rules/lexicons/NAME.yaml``.
"""

from __future__ import annotations

import re
from pathlib import Path

from healthlint.errors import RuleFileError

PLACEHOLDER = re.compile(r"\{\{([\w-]+)\}\}")
_loaded: dict[str, tuple[str, ...]] = {}


def builtin_rules_dir() -> Path:
    """The built-in rule folder: inside the installed package, or beside it in a checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleFileError(str(package / "rules"), "", "the built-in rules are missing; reinstall healthlint")


def lexicon(name: str) -> tuple[str, ...]:
    """The entries of a lexicon as regex fragments (literal lexicons are escaped)."""
    if name not in _loaded:
        _loaded[name] = _read(name)
    return _loaded[name]


def loaded() -> dict[str, tuple[str, ...]]:
    """Every lexicon read so far, for the compiled-rules cache to keep."""
    return dict(_loaded)


def prime(lexicons: dict[str, tuple[str, ...]]) -> None:
    """Take lexicons from the compiled-rules cache, so that a cached run reads no YAML
    (importing PyYAML is 10-20 ms of a pre-commit run)."""
    _loaded.update(lexicons)


def _read(name: str) -> tuple[str, ...]:
    path = builtin_rules_dir() / "lexicons" / f"{name}.yaml"
    if not path.is_file():
        raise RuleFileError(str(path), name, f"no lexicon named {name!r}")
    import yaml  # lexicons expand when rules compile, which a cached run skips

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise RuleFileError(str(path), "", f"is not valid YAML: {exc}") from None
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise RuleFileError(str(path), "terms", "must be a list of strings")
    if data.get("literal"):
        return tuple(re.escape(t) for t in terms)
    return tuple(terms)


def expand(pattern: str, source: str = "") -> str:
    """Replace every ``{{name}}`` in ``pattern`` with the lexicon's alternation."""

    def alternation(m: re.Match[str]) -> str:
        terms = sorted(lexicon(m.group(1)), key=len, reverse=True)
        return "(?:" + "|".join(terms) + ")"

    return PLACEHOLDER.sub(alternation, pattern)
