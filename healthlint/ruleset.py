"""Load and validate rule files: built-in ones and the user's own.

A rule is data. One YAML file holds one rule; the fields every rule shares are checked
here and the fields of its kind are checked by the kind's module (``healthlint.checks``),
so a malformed file stops the run with a message that names the file, the field and the
problem, and suggests the closest valid field name for a typo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.errors import RuleFileError

CATEGORIES = (
    "disclaimer", "claim", "hype", "citation", "safety",
    "promotion", "transparency", "balance", "readability",
)
SEVERITIES = ("error", "warning", "info")
COMMON_FIELDS = {
    "id": str, "name": str, "category": str, "severity": str, "kind": str, "message": str,
    "why": str, "references": list, "examples": dict, "profiles": dict, "enabled": bool,
    "description": str,
}
REQUIRED_FIELDS = ("id", "name", "category", "severity", "kind", "message", "why", "references")
RULE_ID = re.compile(r"[A-Z][A-Z0-9]*\d+[a-z]?")
RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass
class Rule:
    """One validated rule. ``options`` holds the kind-specific fields."""

    id: str
    name: str
    category: str
    severity: str
    kind: str
    message: str
    why: str
    references: list[str]
    path: str
    examples: dict[str, list[str]] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)
    enabled: bool = True
    description: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    def severity_in(self, profile: str) -> str | None:
        """This rule's severity under ``profile``, or None when the profile turns it off."""
        level = self.profiles.get(profile, self.severity if self.enabled else "off")
        return None if level == "off" else level


def load_rule_file(path: Path, trusted: bool = False) -> Rule:
    """Parse and validate one rule file (kind fields included)."""
    import yaml  # here, not at the top: a run whose compiled rules are cached never needs it

    from healthlint.checks import kind_module

    where = str(path)
    try:
        # The C loader is fast but crashes the interpreter on pathological nesting
        # ("[" x 100000), so only the built-in rules, which we control, are read with it.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if trusted else yaml.SafeLoader
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark else ""
        raise RuleFileError(where, "", f"is not valid YAML{line}: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(where, "", f"cannot be read: {exc}") from None
    except RecursionError:
        raise RuleFileError(where, "", "is nested too deeply to be a rule file") from None
    if not isinstance(data, dict):
        raise RuleFileError(where, "", "must be a YAML mapping of rule fields (id, name, kind, …)")
    for name in REQUIRED_FIELDS:
        if name not in data:
            raise RuleFileError(where, name, "is required")
    kind = data["kind"]
    module = kind_module(kind)
    if module is None:
        from healthlint.checks import KINDS

        raise RuleFileError(where, "kind", f"unknown kind {kind!r}; valid kinds: {', '.join(KINDS)}")
    allowed = {**COMMON_FIELDS, **module.FIELDS}
    for key, value in data.items():
        if key not in allowed:
            from difflib import get_close_matches

            close = get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise RuleFileError(where, str(key), f"is not a field of a {kind} rule{hint}")
        expected = allowed[key]
        types = expected if isinstance(expected, tuple) else (expected,)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise RuleFileError(where, str(key), f"must be {_type_name(expected)}, not {_type_name(type(value))}")
    for missing in getattr(module, "REQUIRED", ()):
        if missing not in data:
            raise RuleFileError(where, missing, f"is required for a {kind} rule")
    _check_common(where, data)
    message = data["message"].strip()
    _check_message(where, message, kind, getattr(module, "PLACEHOLDERS", ("match",)))
    options = {k: v for k, v in data.items() if k in module.FIELDS}
    rule = Rule(
        id=data["id"], name=data["name"], category=data["category"], severity=data["severity"],
        kind=kind, message=message, why=data["why"].strip(),
        references=[str(r) for r in data["references"]], path=where,
        examples=data.get("examples", {}), profiles=data.get("profiles", {}),
        enabled=data.get("enabled", True), description=data.get("description", ""),
        options=options,
    )
    module.validate(rule)
    return rule


def _check_common(where: str, data: dict[str, Any]) -> None:
    if not RULE_ID.fullmatch(data["id"]):
        raise RuleFileError(where, "id", f"{data['id']!r} is not a rule id like HL101 or ACME12")
    if not RULE_NAME.fullmatch(data["name"]):
        raise RuleFileError(where, "name", f"{data['name']!r} must be lower-case words joined by hyphens")
    if data["category"] not in CATEGORIES:
        raise RuleFileError(where, "category", f"{data['category']!r} is not one of: {', '.join(CATEGORIES)}")
    if data["severity"] not in SEVERITIES:
        raise RuleFileError(where, "severity", f"{data['severity']!r} is not one of: {', '.join(SEVERITIES)}")
    if not data["references"] or not all(isinstance(r, str) and r.strip() for r in data["references"]):
        raise RuleFileError(where, "references", "must list at least one source, as text")
    for profile, level in data.get("profiles", {}).items():
        if level not in (*SEVERITIES, "off"):
            raise RuleFileError(where, f"profiles.{profile}", f"{level!r} is not error, warning, info or off")
    examples = data.get("examples", {})
    for key, value in examples.items():
        if key not in ("fail", "pass"):
            raise RuleFileError(where, f"examples.{key}", "examples have only 'fail' and 'pass' lists")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleFileError(where, f"examples.{key}", "must be a list of example texts")


def _check_message(where: str, message: str, kind: str, placeholders: tuple[str, ...]) -> None:
    """A message is one line (text, GitHub and editor output print one finding per line;
    the line break a folded YAML scalar ends with is dropped), and a placeholder close to
    one its kind fills is a typo: ``{mtch}`` would be printed as written. Other braces
    (``{dose}``, ``{0}``) are text."""
    if "\n" in message or "\r" in message:
        raise RuleFileError(where, "message", "must be one line: every output prints a finding's message on its line")
    for name in set(PLACEHOLDER.findall(message)) - set(placeholders):
        # Imported here: rule files are read only when the compiled rules are not cached.
        from difflib import get_close_matches

        if name in _every_placeholder() or get_close_matches(name, placeholders, n=1, cutoff=0.75):
            usable = ", ".join("{" + p + "}" for p in placeholders)
            raise RuleFileError(where, "message", f"{{{name}}} is not filled in for a {kind} rule; it can use {usable}")


def _every_placeholder() -> set[str]:
    """The placeholders some kind fills: one that this rule's kind does not is a mistake."""
    from healthlint.checks import KINDS, kind_module

    return {name for kind in KINDS for name in getattr(kind_module(kind), "PLACEHOLDERS", ("match",))}


def _type_name(t: type | tuple[type, ...]) -> str:
    if isinstance(t, tuple):
        return "a number"
    return {str: "text", list: "a list", dict: "a mapping", bool: "true or false", int: "a whole number",
            float: "a number"}.get(t, t.__name__)


RULE_SUFFIXES = (".yaml", ".yml")


def rule_files(folder: Path) -> list[Path]:
    """The rule and lexicon files under ``folder``, in path order, as the cache's stats see
    them (``healthlint.digest.file_stats``): ``__pycache__`` folders are skipped."""
    return sorted(
        p for p in folder.rglob("*")
        if p.suffix in RULE_SUFFIXES and "__pycache__" not in p.relative_to(folder).parts and p.is_file()
    )


def load_rules(folders: list[Path]) -> list[Rule]:
    """Every rule in ``folders`` (recursively, ``*.yaml``/``*.yml``), ids unique."""
    from healthlint.lexicons import builtin_rules_dir

    builtin = builtin_rules_dir()
    rules: dict[str, Rule] = {}
    for folder in folders:
        if not folder.is_dir():
            raise RuleFileError(str(folder), "", "is not a folder of rule files")
        for path in rule_files(folder):
            if "lexicons" in path.relative_to(folder).parts:
                continue
            rule = load_rule_file(path, trusted=folder == builtin)
            if rule.id in rules:
                raise RuleFileError(str(path), "id", f"{rule.id} is already defined in {rules[rule.id].path}")
            rules[rule.id] = rule
    return sorted(rules.values(), key=lambda r: r.id)
