"""Rule kinds. Each kind is one module with the same interface:

- ``FIELDS``: the kind's own rule fields and their types; ``REQUIRED``: which must be set;
  ``PLACEHOLDERS``: the ``{...}`` its messages may name, when not just ``{match}``;
- ``validate(rule)``: check the kind's fields (compile patterns, check values), raising
  :class:`healthlint.errors.RuleFileError` naming the field;
- ``Check(rules)``: compiled once per run, with ``run(doc) -> Iterable[Hit]``; the
  engine builds one per rule, so that a rule stopped by its time budget does not stop
  the other rules of its kind.

Adding a kind means adding one module and one line in ``KINDS``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

KINDS = {
    "phrase": "phrase",
    "substitution": "substitution",
    "required": "required",
    "evidence": "evidence",
    "unresolved-citation": "unresolved_citation",
    "suppression": "suppression",
    "conditional": "conditional",
    "metric": "metric",
}


def kind_module(kind: object) -> ModuleType | None:
    if not isinstance(kind, str) or kind not in KINDS:
        return None
    return importlib.import_module(f"healthlint.checks.{KINDS[kind]}")
