"""The README's sample output is what healthlint prints, so the README cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

from healthlint.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_readme_sample_output_is_current(capsys, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Try it") :]
    command = re.search(r"healthlint check (\S+)\n", section).group(1)
    shown = re.search(r"```text\n(.*?)```", section, re.DOTALL).group(1)
    monkeypatch.chdir(ROOT)
    main(["check", command])
    captured = capsys.readouterr()
    assert captured.out + captured.err == shown
