"""Shared helpers: lint text in memory with the built-in rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.documents import parse_document
from healthlint.engine import Linter, Selection
from healthlint.finding import Finding
from healthlint.lexicons import builtin_rules_dir
from healthlint.ruleset import Rule, load_rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Runs in the tests cache into a temporary folder, never into the checkout."""
    import os

    os.environ["HEALTHLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("healthlint-cache"))


@pytest.fixture(scope="session")
def builtin_rules() -> list[Rule]:
    return load_rules([builtin_rules_dir()])


@pytest.fixture(scope="session")
def lint(builtin_rules):
    linters: dict[tuple, Linter] = {}

    def run(text: str, path: str = "article.txt", select: tuple[str, ...] | None = None,
            profile: str = "article") -> list[Finding]:
        key = (select, profile)
        if key not in linters:
            linters[key] = Linter(builtin_rules, Selection(profile=profile, select=list(select) if select else None))
        return linters[key].lint(parse_document(path, text))

    return run
