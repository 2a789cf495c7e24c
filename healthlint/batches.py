"""Lint files in batches that share settings, each with the rules its settings load.

Configuration is per file (the nearest configuration file wins), but the engine compiles
one rule set per ``Selection``; grouping the files by the settings that govern them keeps
both true. Most runs have one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.cache import cached_rules
from healthlint.config import ConfigResolver, closest, shown_path
from healthlint.errors import ConfigError, UsageError
from healthlint.profiles import known_profiles
from healthlint.ruleset import Rule
from healthlint.runner import FileResult, Target, lint_all
from healthlint.settings import Overrides, Settings


@dataclass
class Batch:
    settings: Settings
    rules: list[Rule]
    targets: list[Target] = field(default_factory=list)


def plan(resolver: ConfigResolver, targets: list[Target], use_cache: bool = True) -> list[Batch]:
    """Group ``targets`` by their settings, loading each distinct set of rule folders once.

    With no targets the current folder's settings are still checked, so that a mistake in
    them is not hidden by a run that had nothing to lint.
    """
    batches: dict[int, Batch] = {}
    loaded: dict[tuple[Path, ...], list[Rule]] = {}

    def batch_for(settings: Settings) -> Batch:
        if id(settings) not in batches:
            folders = tuple(settings.rule_dirs)
            if folders not in loaded:
                loaded[folders] = cached_rules(list(folders), use_cache)
            check_settings(settings, loaded[folders], resolver.overrides)
            batches[id(settings)] = Batch(settings, loaded[folders])
        return batches[id(settings)]

    for target in targets:
        batch_for(resolver.settings_for(target.display)).targets.append(target)
    if not targets:
        batch_for(resolver.settings_for(Path.cwd() / "-"))
    return list(batches.values())


def lint_batches(
    batches: list[Batch], targets: list[Target], jobs: int, stdin_data: bytes | None = None,
    progress: Callable[[], None] | None = None, use_cache: bool = True,
) -> list[FileResult]:
    """Lint every batch; results come back in the order of ``targets``, as given."""
    by_target: dict[int, FileResult] = {}
    for batch in batches:
        # lint_all returns the files first, then standard input.
        ordered = sorted(batch.targets, key=lambda t: t.source is None)
        results = lint_all(
            batch.rules, batch.settings.selection(), batch.targets, jobs=jobs,
            stdin_data=stdin_data, progress=progress, use_cache=use_cache,
        )
        by_target.update((id(t), r) for t, r in zip(ordered, results, strict=True))
    return [by_target[id(t)] for t in targets]


def check_settings(settings: Settings, rules: list[Rule], overrides: Overrides) -> None:
    """Stop on a profile or a rule name in ``settings`` that ``rules`` do not know."""
    _check_profile(settings, rules)
    _check_rule_names(settings, rules, overrides)


def _check_profile(settings: Settings, rules: list[Rule]) -> None:
    names = known_profiles(rules)
    if settings.profile in names:
        return
    choices = ", ".join(sorted(names))
    if settings.source is not None and not settings.profile_forced:
        raise ConfigError(f"{shown_path(settings.source)}: unknown profile {settings.profile!r}; choose one of {choices}")
    raise UsageError(f"unknown profile {settings.profile!r}; choose one of {choices}")


def _check_rule_names(settings: Settings, rules: list[Rule], overrides: Overrides) -> None:
    """Stop on a rule name that matches no rule: a mistyped ``ignore`` would silently do nothing.

    ``severity`` needs an exact id or name (the engine looks severities up exactly); the
    other keys also take id prefixes such as ``HL4``.
    """
    known = [name for rule in rules for name in (rule.id, rule.name)]
    for key, name in settings.rule_names():
        if name in known or (key != "severity" and any(rule.id.startswith(name) for rule in rules if name)):
            continue
        hint = closest(name, known)
        advice = f"; did you mean {hint!r}?" if hint else "; `healthlint rules` lists them"
        what = "a rule id or name" if key == "severity" else "a rule id, name or id prefix"
        if settings.source is None or name in (getattr(overrides, key.replace("-", "_"), None) or []):
            raise UsageError(f"--{key} {name}: not {what}{advice}")
        raise ConfigError(f"{shown_path(settings.source)}: '{key}' names {name!r}, which is not {what}{advice}")
