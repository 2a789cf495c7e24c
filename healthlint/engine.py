"""Run compiled rules over a document: hits → suppression → sorted findings.

The engine knows nothing about any particular rule: it groups the active rules by kind,
builds each kind's ``Check`` once for the whole run, and turns hits into findings with
line and column numbers. Each rule runs on its own against a time budget for the
document (``checks.base.rule_budget``): a rule that runs past it becomes an error finding
naming the rule, its other findings in that document are dropped (what it found before
being stopped depends on the machine's speed), and the other rules still run. A pattern
that exhausts the regex engine's memory or recursion (``(?R)``) is stopped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from healthlint.checks import kind_module
from healthlint.checks.base import RULE_TIME_PER_MATCH, Hit, RuleTimeout, rule_budget, time_budget
from healthlint.document import Document
from healthlint.finding import Finding
from healthlint.profiles import known_profiles
from healthlint.ruleset import Rule
from healthlint.suppression import parse_suppressions

SUPPRESSION_KIND = "suppression"
TIMEOUT_RULE = ("HL902", "rule-timeout")
FAILURE_RULE = ("HL903", "rule-failure")


@dataclass
class Selection:
    """Which rules run and at what severity: the profile plus the user's choices."""

    profile: str = "article"
    select: list[str] | None = None  # ids, names, or id prefixes ("HL1"); None = all
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    extend: list[str] = field(default_factory=list)  # turned on even where the profile is off
    profile_forced: bool = False  # --profile given: documents cannot choose their own

    def severity_of(self, rule: Rule) -> str | None:
        if _named(rule, self.ignore):
            return None
        level = rule.severity_in(self.profile)
        if level is None and _named(rule, self.extend):
            level = rule.severity
        if self.select is not None:
            if not _named(rule, self.select):
                return None
            level = level or rule.severity
        if level is None:
            return None
        for key in (rule.id, rule.name):
            if key in self.severity:
                return None if self.severity[key] == "off" else self.severity[key]
        return level


def _named(rule: Rule, names: list[str]) -> bool:
    return any(rule.id == n or rule.name == n or (n != "" and rule.id.startswith(n)) for n in names)


class Linter:
    """The rules of one run, compiled once per profile, applied to any number of documents.

    A document may choose its own profile in its front matter (``profile: advertising``);
    ``--profile`` on the command line overrides that (``Selection.profile_forced``).
    """

    def __init__(self, rules: list[Rule], selection: Selection | None = None) -> None:
        self.selection = selection or Selection()
        self.rules = rules
        self.profiles = known_profiles(rules)
        self._compiled: dict[str, _Compiled] = {}
        self._compiled_for(self.selection.profile)

    def _compiled_for(self, profile: str) -> _Compiled:
        if profile not in self._compiled:
            self._compiled[profile] = _Compiled(self.rules, replace(self.selection, profile=profile))
        return self._compiled[profile]

    def profile_of(self, doc: Document) -> str:
        wanted = self._wanted_profile(doc)
        return wanted if wanted in self.profiles else self.selection.profile

    def notices(self, doc: Document) -> list[str]:
        """What to tell about ``doc`` besides its findings: a profile it names that no rule
        knows, which would otherwise leave the file linted under another without a word."""
        wanted = self._wanted_profile(doc)
        if wanted is None or wanted in self.profiles:
            return []
        choices = ", ".join(sorted(self.profiles))
        notice = (f"the file asks for profile {wanted!r}, which does not exist, so it was linted with "
                  f"{self.selection.profile!r}; choose one of {choices}")
        return [notice]

    def _wanted_profile(self, doc: Document) -> str | None:
        """The profile the document's front matter or meta tag names, unless ``--profile`` rules."""
        wanted = doc.metadata.get("profile")
        if self.selection.profile_forced or not wanted or not wanted.strip():
            return None
        return wanted.strip()

    def lint(self, doc: Document) -> list[Finding]:
        compiled = self._compiled_for(self.profile_of(doc))
        hits: list[Hit] = []
        stopped: list[Finding] = []
        for rule, check in compiled.checks:
            try:
                with rule_budget(len(doc.text)):
                    hits.extend(list(check.run(doc)))
            except (RuleTimeout, TimeoutError):
                stopped.append(_timeout_finding(doc, rule))
            except (MemoryError, RecursionError) as exc:
                stopped.append(_failure_finding(doc, rule, exc))
        findings = _suppress(doc, hits, compiled)
        findings.extend(stopped)
        return sorted(set(findings), key=Finding.sort_key)


class _Compiled:
    """The checks of one profile: a kind's ``Check`` per rule, built once.

    One ``Check`` per rule rather than per kind, so that a rule stopped by its time
    budget does not take the other rules of its kind down with it.
    """

    def __init__(self, rules: list[Rule], selection: Selection) -> None:
        self.severity: dict[str, str] = {}
        # Ids and names of the rules that options turn off (--select, --ignore, a severity
        # of "off"), which pre-commit and CI may set differently; not those the profile does.
        self.not_run: set[str] = set()
        plain = Selection(profile=selection.profile)
        by_kind: dict[str, list[Rule]] = {}
        for rule in rules:
            level = selection.severity_of(rule)
            if level is None:
                if plain.severity_of(rule) is not None:
                    self.not_run.update((rule.id, rule.name))
                continue
            self.severity[rule.id] = level
            by_kind.setdefault(rule.kind, []).append(rule)
        self.suppression_rule = next(iter(by_kind.pop(SUPPRESSION_KIND, [])), None)
        self.checks = [
            (rule, kind_module(kind).Check([rule]))
            for kind, kind_rules in sorted(by_kind.items())
            for rule in kind_rules
        ]


def _suppress(doc: Document, hits: list[Hit], compiled: _Compiled) -> list[Finding]:
    suppressions = parse_suppressions(doc)
    kept = []
    lines: dict[int, str] = {}
    for hit in hits:
        covering = [s for s in suppressions if s.covers(hit.rule.id, hit.rule.name, hit.start)]
        for s in covering:
            s.used = True
        if not covering:
            kept.append(_finding(doc, hit, compiled.severity[hit.rule.id], lines))
    rule = compiled.suppression_rule
    if rule is not None:
        for s in suppressions:
            # A suppression of rules that this run's options turn off may still be needed
            # where they run, as in CI.
            if not s.used and not (s.rules and s.rules <= compiled.not_run):
                names = ", ".join(sorted(s.rules)) or "every rule"
                message = rule.message.replace("{rules}", names)
                hit = Hit(rule, s.comment_start, s.comment_end, message)
                kept.append(_finding(doc, hit, compiled.severity[rule.id], lines))
    return kept

def _finding(doc: Document, hit: Hit, severity: str, lines: dict[int, str]) -> Finding:
    """The finding for ``hit``; ``lines`` caches source lines by number.

    Findings on one line share one copy of it: a 50 MB file with no line break and
    thousands of findings would otherwise hold a 50 MB copy per finding.
    """
    line, column = doc.lines.line_col(hit.start)
    end_line, end_column = doc.lines.line_col(max(hit.end, hit.start + 1))
    if line not in lines:
        line_start = doc.lines.line_start(line)
        next_start = doc.lines.starts[line] if line < doc.lines.count else len(doc.text)
        lines[line] = doc.text[line_start:next_start].rstrip("\r\n")
    return Finding(
        path=doc.path, line=line, column=column, end_line=end_line, end_column=end_column,
        rule=hit.rule.id, name=hit.rule.name, category=hit.rule.category, severity=severity,
        message=hit.message, suggestion=hit.suggestion,
        matched=doc.text[hit.start : hit.end],
        source_line=lines[line],
    )

def _timeout_finding(doc: Document, rule: Rule) -> Finding:
    budget = f"{time_budget(len(doc.text)):.1f} s and {RULE_TIME_PER_MATCH * 1000:g} ms a match"
    return _stopped(doc, rule, TIMEOUT_RULE, f"ran past its time budget ({budget})")


def _failure_finding(doc: Document, rule: Rule, exc: BaseException) -> Finding:
    resource = "memory" if isinstance(exc, MemoryError) else "stack"
    return _stopped(doc, rule, FAILURE_RULE, f"ran out of {resource}")


def _stopped(doc: Document, rule: Rule, stopper: tuple[str, str], what: str) -> Finding:
    """An error finding at the top of the file for a rule stopped on it."""
    rule_id, name = stopper
    return Finding(
        path=doc.path, line=1, column=1, end_line=1, end_column=1, rule=rule_id, name=name,
        category=rule.category, severity="error",
        message=(
            f"rule {rule.id} ({rule.name}) from {rule.path} {what} on this file and was stopped; "
            "simplify its patterns"
        ),
    )
