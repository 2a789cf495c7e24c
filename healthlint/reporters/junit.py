"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One test case per linted file, so clean files count as passing tests, and one
``<failure>`` per finding (design.md §1). ``failures`` counts failed test cases (files
with findings), not findings: consumers compute passes as ``tests - failures - errors``.
A file that could not be linted becomes a test case with an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from healthlint.finding import Finding
from healthlint.reporters import Report

SUITE = "healthlint"
# Characters XML 1.0 forbids even as references; article text may still contain them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_path[finding.path].append(finding)
    paths = dict.fromkeys([*report.files, *by_path])  # a finding never goes unreported
    cases = [_file_case(path, by_path.get(path, [])) for path in paths]
    cases += [_error_case(error) for error in report.errors]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for path in paths if by_path.get(path))),
        "errors": str(len(report.errors)),
    }
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts, "skipped": "0"})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _file_case(path: str, findings: list[Finding]) -> ET.Element:
    case = ET.Element("testcase", {"classname": SUITE, "name": _xml_text(path)})
    for f in findings:
        failure = ET.SubElement(case, "failure", {"type": f.rule, "message": _xml_text(f.message)})
        failure.text = _xml_text(f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.category}] {f.message}")
    return case


def _error_case(error: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": SUITE, "name": _xml_text(error)})
    ET.SubElement(case, "error", {"type": "file-error", "message": _xml_text(error)})
    return case


def _xml_text(text: str) -> str:
    """ElementTree escapes markup but writes forbidden control characters as they are,
    which makes the document unreadable; they become U+FFFD. Line ends become LF,
    as any XML parser would read them (XML 1.0 §2.11), so no bare CR reaches the file."""
    return NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
