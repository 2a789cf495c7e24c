"""Reports and baselines are written atomically, but never by replacing a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from healthlint.output import write_atomically


def test_a_regular_file_is_replaced_whole(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("old and longer", encoding="utf-8")
    write_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_device_is_written_in_place_not_replaced(tmp_path):
    # Through a symlink, so that a regression replaces the link, not the real /dev/null.
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    write_atomically(link, "discarded")
    assert link.is_symlink()
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
