"""A non-editable install in a fresh virtual environment lints with the built-in rules."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_wheel_install_ships_the_built_in_rules(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    article = tmp_path / "a.txt"
    article.write_text("Tea\n\nOur tea cures colds.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [str(env_dir / "bin" / "healthlint"), "check", str(article)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env, check=False,
    )
    assert run.returncode == 1, run.stderr
    assert f"{article}:3:9: HL203 [claim]" in run.stdout
    assert "HL001 [disclaimer]" in run.stdout
    rules = subprocess.run(
        [str(env_dir / "bin" / "healthlint"), "rules"], capture_output=True, text=True, env=env, check=False,
    )
    assert "HL101" in rules.stdout and sys.executable not in rules.stdout
