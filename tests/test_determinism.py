"""The same files give byte-identical output, whatever ``--jobs`` and the order of the paths.

CI diffs reports between runs and caches them by content: a report that changed because
a worker finished first, or because a script listed the folders in another order, would
be noise. Every format is checked, with warnings and errors on standard error included.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from healthlint.cli import main
from healthlint.reporters import FORMATS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Fixtures of every format in two folders, plus files that need a warning or an error."""
    root = tmp_path_factory.mktemp("corpus")
    fixtures = sorted(p for p in (ROOT / "fixtures").iterdir() if p.suffix in (".md", ".html", ".txt"))
    for number, fixture in enumerate(fixtures[:12]):
        folder = root / ("news" if number % 2 else "clinic")
        folder.mkdir(exist_ok=True)
        shutil.copy(fixture, folder / fixture.name)
    (root / "news" / "latin1.md").write_bytes("Caf\xe9 cures colds, studies show.\n".encode("latin-1"))
    (root / "news" / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (root / "clinic" / "empty.txt").write_text("", encoding="utf-8")
    (root / "clinic" / "moved.md").symlink_to(root / "gone.md")
    return root


def run(capsys, fmt: str, jobs: int, paths: list[str]) -> tuple[int, str, str]:
    code = main(["check", "--no-config", "--no-cache", "--format", fmt, "--jobs", str(jobs), *paths])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_output_is_byte_identical_whatever_the_jobs_and_the_path_order(capsys, monkeypatch, corpus, fmt):
    monkeypatch.chdir(corpus)
    first = run(capsys, fmt, 1, ["clinic", "news", "news/latin1.md"])
    again = run(capsys, fmt, 1, ["clinic", "news", "news/latin1.md"])
    parallel = run(capsys, fmt, 2, ["news/latin1.md", "news", "clinic"])
    assert first[0] == 2  # the broken symlink
    assert "healthlint: error: clinic/moved.md: cannot be read" in first[2]
    assert "healthlint: warning: news/latin1.md:1:4: not valid UTF-8" in first[2]
    assert first == again == parallel
