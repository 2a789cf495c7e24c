"""One row per finding, for spreadsheets: the JSON fields of design.md §1 as columns.

Written with the ``csv`` module (RFC 4180 quoting, ``\\r\\n`` line ends), UTF-8 without a
byte-order mark, a header row first, and an empty cell for a missing suggestion.

Formula-injection guard: article text reaches the ``message`` and ``path`` cells, and a
spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some of them strip first) as a formula — a hostile article could make
Excel call out to a URL or a command. Such cells get a leading ``'``, which spreadsheets
show as plain text. Readers parsing the CSV themselves should drop a ``'`` that precedes
one of those characters. Numbers are never prefixed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields

from healthlint.finding import Finding
from healthlint.reporters import Report

COLUMNS = [f.name for f in fields(Finding) if f.name not in ("matched", "source_line")]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def render(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for finding in report.findings:
        data = finding.to_json()
        writer.writerow([_cell(data[column]) for column in COLUMNS])
    return out.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
