"""Find, read and validate configuration files.

Configuration lives in ``[tool.healthlint]`` of ``pyproject.toml`` or at the top level of
``.healthlint.yaml``. Each linted file is governed by the nearest such file in its own
folder or above (``.healthlint.yaml`` first when a folder has both, and a
``pyproject.toml`` with no ``[tool.healthlint]`` does not count), so a docs folder can
carry its own rules. As in ruff, the nearest file wins outright: files are not merged,
which keeps "what applies here?" answerable by opening one file. Command-line options
then beat the file (``settings.Overrides``).

A mistake in a configuration file stops the run (exit 2) with a message naming the file,
the key and, for a typo, the closest valid key: a silently ignored ``ignroe`` would look
like a rule that cannot be turned off.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from healthlint.cli import FAIL_LEVELS
from healthlint.errors import ConfigError
from healthlint.settings import Overrides, Settings

YAML_NAME = ".healthlint.yaml"
PYPROJECT = "pyproject.toml"
SEVERITY_LEVELS = ("error", "warning", "info", "off")


class ConfigResolver:
    """The settings for each linted file: its configuration file, then the command line.

    Lookups are cached per folder and files are read once, so resolving thousands of
    files costs a handful of ``stat`` calls per folder.
    """

    def __init__(self, overrides: Overrides, config_file: Path | None = None, use_files: bool = True) -> None:
        self.overrides = overrides
        self._fixed = config_file
        self._use_files = use_files
        self._read: dict[Path, Settings | None] = {}
        self._nearest: dict[Path, Path | None] = {}
        self._settings: dict[Path | None, Settings] = {}
        if config_file is not None and self._load(config_file) is None:
            raise ConfigError(f"{shown_path(config_file)}: has no [tool.healthlint] table")

    def settings_for(self, path: str | Path) -> Settings:
        """Settings for ``path``, a file to lint (or the name given to standard input)."""
        if self._fixed is not None:
            source = self._fixed
        elif self._use_files:
            source = self.config_for(Path(os.path.abspath(path)).parent)
        else:
            source = None
        if source not in self._settings:
            base = Settings() if source is None else self._load(source)
            assert base is not None
            self._settings[source] = self.overrides.apply(base)
        return self._settings[source]

    def config_for(self, folder: Path) -> Path | None:
        """The configuration file governing ``folder``: the nearest one at or above it."""
        visited: list[Path] = []
        found: Path | None = None
        for candidate in (folder, *folder.parents):
            if candidate in self._nearest:
                found = self._nearest[candidate]
                break
            visited.append(candidate)
            found = self._config_in(candidate)
            if found is not None:
                break
        for candidate in visited:
            self._nearest[candidate] = found
        return found

    def _config_in(self, folder: Path) -> Path | None:
        for path in (folder / YAML_NAME, folder / PYPROJECT):
            if path.is_file() and self._load(path) is not None:
                return path
        return None

    def _load(self, path: Path) -> Settings | None:
        key = Path(os.path.abspath(path))
        if key not in self._read:
            self._read[key] = read_config(path)
        return self._read[key]


def read_config(path: Path) -> Settings | None:
    """Validated settings from one file; None for a pyproject.toml with no healthlint table.

    Any other ``.toml`` or ``.yaml`` file (for ``--config FILE``) has the keys at its top level.
    """
    where = shown_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if path.suffix in (".yaml", ".yml"):
        table, section = _parse_yaml(raw, where), ""
    elif path.suffix == ".toml":
        data = _parse_toml(raw, where)
        if path.name == PYPROJECT:
            tool = data.get("tool")
            table, section = tool.get("healthlint") if isinstance(tool, dict) else None, " in [tool.healthlint]"
            if table is None:
                return None
        else:
            table, section = data, ""
    else:
        raise ConfigError(
            f"{where}: not a configuration file; use pyproject.toml, .healthlint.yaml or another .toml or .yaml file"
        )
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: the healthlint configuration{section} must be a table of keys, not {_kind(table)}")
    return _settings(table, path, where, section)


def _parse_yaml(raw: bytes, where: str) -> object:
    import yaml  # imported when a file needs it: most runs read no YAML configuration

    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{where}: not valid YAML{line}: {getattr(exc, 'problem', None) or exc}") from None
    return {} if data is None else data


def _parse_toml(raw: bytes, where: str) -> dict[str, object]:
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None


def _settings(table: dict[object, object], path: Path, where: str, section: str) -> Settings:
    settings = Settings(root=Path(os.path.abspath(path)).parent, source=path)
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(_unknown_key(str(key), where, section))
        _KEYS[str(key)](settings, _Value(value, str(key), where))
    return settings


class _Value:
    """A configuration value being checked: its key and file travel with it into messages."""

    def __init__(self, value: object, key: str, where: str) -> None:
        self.value, self.key, self.where = value, key, where

    def fail(self, expected: str) -> ConfigError:
        return ConfigError(f"{self.where}: '{self.key}' must be {expected}; got {_kind(self.value)}")

    def strings(self) -> list[str]:
        if not isinstance(self.value, list) or not all(isinstance(v, str) for v in self.value):
            raise self.fail("a list of strings")
        return list(self.value)

    def choice(self, choices: tuple[str, ...]) -> str:
        if self.value not in choices:
            hint = closest(self.value, choices) if isinstance(self.value, str) else None
            message = self.fail(f"one of {', '.join(choices)}")
            raise ConfigError(f"{message}{f'; did you mean {hint!r}?' if hint else ''}")
        return str(self.value)

    def entries(self) -> list[tuple[str, _Value]]:
        """A table's entries, each value checked under its dotted key (``severity.HL101``)."""
        if not isinstance(self.value, dict):
            raise self.fail("a table (a mapping of keys to values)")
        return [(str(k), _Value(v, f"{self.key}.{k}", self.where)) for k, v in self.value.items()]


def _set_list(attr: str) -> Callable[[Settings, _Value], None]:
    def setter(settings: Settings, value: _Value) -> None:
        setattr(settings, attr, value.strings())

    return setter


def _set_select(settings: Settings, value: _Value) -> None:
    rules = value.strings()
    if not rules:
        raise ConfigError(f"{value.where}: 'select' is empty, so no rule would run; leave it out to run every rule, "
                          "or list the files to skip in 'exclude'")
    settings.select = rules


def _set_profile(settings: Settings, value: _Value) -> None:
    if not isinstance(value.value, str) or not value.value.strip():
        raise value.fail('a profile name, like "article"')
    settings.profile = value.value.strip()


def _set_fail_on(settings: Settings, value: _Value) -> None:
    settings.fail_on = value.choice(FAIL_LEVELS)


def _set_severity(settings: Settings, value: _Value) -> None:
    settings.severity = {k: _severity(v) for k, v in value.entries()}


def _severity(value: _Value) -> str:
    """YAML 1.1 reads a bare ``off`` as false, so false is "off"; a bare ``on`` is true."""
    if value.value is False:
        return "off"
    if value.value is True:
        raise ConfigError(f"{value.where}: '{value.key}' is on, which YAML reads as true; write the severity in "
                          'quotes, like "error" or "off"')
    return value.choice(SEVERITY_LEVELS)


def _set_per_file_ignores(settings: Settings, value: _Value) -> None:
    settings.per_file_ignores = {k: v.strings() for k, v in value.entries()}


def _set_rule_dirs(settings: Settings, value: _Value) -> None:
    for raw in value.strings():
        folder = settings.root / raw
        if not folder.is_dir():
            raise ConfigError(f"{value.where}: 'rules' names {raw!r}, which is not a folder (looked for {folder})")
        settings.rule_dirs.append(folder)


_KEYS: dict[str, Callable[[Settings, _Value], None]] = {
    "select": _set_select,
    "extend-select": _set_list("extend_select"),
    "ignore": _set_list("ignore"),
    "per-file-ignores": _set_per_file_ignores,
    "severity": _set_severity,
    "fail-on": _set_fail_on,
    "profile": _set_profile,
    "exclude": _set_list("exclude"),
    "rules": _set_rule_dirs,
}


def _unknown_key(key: str, where: str, section: str) -> str:
    hint = closest(key, tuple(_KEYS))
    advice = f"did you mean {hint!r}?" if hint else f"valid keys are {', '.join(sorted(_KEYS))}"
    return f"{where}: unknown key {key!r}{section}; {advice}"


def closest(word: str, choices: Iterable[str]) -> str | None:
    from difflib import get_close_matches

    match = get_close_matches(word.lower().replace("_", "-"), choices, n=1, cutoff=0.6)
    return match[0] if match else None


def _kind(value: object) -> str:
    names = {str: "a string", bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a table"}
    kind = "nothing" if value is None else names.get(type(value), type(value).__name__)
    return kind if value is None or isinstance(value, (list, dict)) else f"{kind} ({value!r})"


def shown_path(path: Path) -> str:
    """``path`` relative to the current folder when it lies below it, as users typed it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative
