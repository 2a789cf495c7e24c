"""Errors that stop a run with exit code 2 and a one-paragraph message."""

from __future__ import annotations


class HealthlintError(Exception):
    """Base class: ``str(error)`` is the message shown to the user."""


class UsageError(HealthlintError):
    pass


class RuleFileError(HealthlintError):
    """A rule or lexicon file is malformed: names the file, the field and the problem."""

    def __init__(self, path: str, field: str, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        where = f"{path}: field '{field}'" if field else path
        super().__init__(f"{where}: {problem}")


class ConfigError(HealthlintError):
    pass
