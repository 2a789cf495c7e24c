"""The caches make a second run cheap and never change what it reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint import cache
from healthlint.cli import main

CLAIM = "Tea\n\nOur tea cures colds and boosts immunity.\n"


def run_probe(tmp_path: Path, probe: str, article: Path) -> subprocess.CompletedProcess[str]:
    """Run ``probe``, Python code that lints ``article`` (its ``sys.argv[1]``), in a fresh
    interpreter with the cache under ``tmp_path``: what it imports shows what a real run pays."""
    env = {"HEALTHLINT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", probe, str(article)], capture_output=True, text=True, env=env,
                          check=False)


def run_json(capsys, *args: str) -> dict:
    main(["check", "--format", "json", "--no-config", *args])
    return json.loads(capsys.readouterr().out)


def test_second_run_reads_results_from_the_cache_and_reports_the_same(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "a.txt"
    article.write_text(CLAIM)
    first = run_json(capsys, str(article))
    stored = list((tmp_path / "cache" / "results").rglob("*"))
    assert any(p.is_file() for p in stored)
    calls = []
    monkeypatch.setattr("healthlint.runner._lint_bytes", lambda *a: calls.append(a))
    assert run_json(capsys, str(article)) == first
    assert calls == []  # nothing was linted again


def test_changed_file_is_linted_again(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "a.txt"
    article.write_text(CLAIM)
    run_json(capsys, str(article))
    article.write_text(CLAIM.replace("cures colds", "is warm"))
    rules = {f["rule"] for f in run_json(capsys, str(article))["findings"]}
    assert "HL203" not in rules


def test_changed_rule_file_invalidates_compiled_rules(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: X1\n")
    before = cache.folders_key([folder])
    (folder / "a.yaml").write_text("id: X2\n")
    assert cache.folders_key([folder]) != before


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps no change time, so the digest is always computed")
def test_unchanged_rule_files_are_not_read_again_for_their_digest(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)  # the files below are not too young to trust
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: X1\n")
    before = cache.folders_key([folder])
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
    assert cache.folders_key([folder]) == before


def test_rule_file_edited_without_changing_its_size_or_modification_time_is_read_again(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)
    rule = tmp_path / "rules" / "a.yaml"
    rule.parent.mkdir()
    rule.write_text("id: X1\n")
    os.utime(rule, ns=(10**18 + 123, 10**18 + 123))
    before = cache.folders_key([rule.parent])
    assert list((tmp_path / "cache" / "rule-digests").rglob("*"))  # the digest was kept
    rule.write_text("id: X2\n")
    os.utime(rule, ns=(10**18 + 123, 10**18 + 123))  # as ``cp -p`` or ``tar`` would leave it
    assert cache.folders_key([rule.parent]) != before


def test_digest_of_a_rule_file_edited_seconds_ago_is_not_kept(tmp_path, monkeypatch):
    """On a file system with one-second times, a second edit in the same second would not
    change the stats; the digest of so young a file is computed again on the next run."""
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: X1\n")
    cache.folders_key([folder])
    assert not (tmp_path / "cache" / "rule-digests").exists()


def test_digest_is_not_kept_when_the_file_system_keeps_whole_seconds(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)
    rule = tmp_path / "rules" / "a.yaml"
    rule.parent.mkdir()
    rule.write_text("id: X1\n")
    os.utime(rule, (1_700_000_000, 1_700_000_000))
    cache.folders_key([rule.parent])
    assert not (tmp_path / "cache" / "rule-digests").exists()


def test_rule_files_under_pycache_count_neither_for_the_rules_nor_for_their_digest(tmp_path):
    from healthlint.ruleset import rule_files

    folder = tmp_path / "rules"
    (folder / "__pycache__").mkdir(parents=True)
    (folder / "a.yaml").write_text("id: X1\n")
    stray = folder / "__pycache__" / "b.yaml"
    stray.write_text("id: X2\n")
    before = cache.folders_key([folder], enabled=False)
    stray.write_text("id: X3\n")
    assert cache.folders_key([folder], enabled=False) == before
    assert rule_files(folder) == [folder / "a.yaml"]


def test_no_cache_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "a.txt"
    article.write_text(CLAIM)
    run_json(capsys, "--no-cache", str(article))
    assert not (tmp_path / "cache").exists()


def test_corrupt_cache_entry_is_ignored(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "a.txt"
    article.write_text(CLAIM)
    first = run_json(capsys, str(article))
    for entry in (tmp_path / "cache").rglob("*"):
        if entry.is_file() and entry.name != ".gitignore":
            entry.write_bytes(b"not a pickle")
    assert run_json(capsys, str(article)) == first


def test_cache_folder_keeps_itself_out_of_git(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "a.txt"
    article.write_text(CLAIM)
    run_json(capsys, str(article))
    assert Path(tmp_path / "cache" / ".gitignore").read_text().strip().endswith("*")


def test_edited_engine_module_invalidates_the_cache(tmp_path):
    import os

    package = tmp_path / "healthlint"
    package.mkdir()
    module = package / "engine.py"
    module.write_text("X = 1\n")
    before = cache.modules_digest(package)
    module.write_text("X = 2\n")
    os.utime(module, ns=(1, 1))  # same size; the modification time tells the edit
    assert cache.modules_digest(package) != before
    assert cache.modules_digest(package) == cache.modules_digest(package)


def test_cache_keys_use_the_standard_sha256_without_loading_openssl():
    import hashlib

    from healthlint.cache import _sha256

    assert _sha256(b"healthlint").hexdigest() == hashlib.sha256(b"healthlint").hexdigest()


def test_a_run_with_compiled_rules_cached_imports_no_yaml_for_an_article_with_simple_front_matter(tmp_path):
    """PyYAML's import is a tenth of a pre-commit run: the cached rules carry the lexicons."""
    article = tmp_path / "a.md"
    probe = (
        "import sys\nfrom healthlint.cli import main\n"
        f"code = main(['check', '--no-config', '--format', 'json', '--output', {str(tmp_path / 'out.json')!r}, sys.argv[1]])\n"
        "print('yaml' in sys.modules, code)\n"
    )
    outputs = []
    for edit in range(3):
        article.write_text(f"---\ntitle: Zinc and colds\ntags: [zinc]\n---\n\nZinc published in The Lancet cures colds. {edit}\n")
        done = run_probe(tmp_path, probe, article)
        outputs.append(done.stdout.strip())
    # The first run compiles the rules (and reads YAML); edited articles afterwards do not.
    assert outputs == ["True 1", "False 1", "False 1"]


def test_writing_a_result_to_the_cache_does_not_import_tempfile(tmp_path):
    """Importing ``tempfile`` (and ``random``, ``shutil``) costs a just-edited file 3 ms."""
    article = tmp_path / "a.txt"
    probe = (
        "import sys\nfrom healthlint.cli import main\n"
        "code = main(['check', '--no-config', '--format', 'json', sys.argv[1]])\n"
        "print('tempfile' in sys.modules, code, file=sys.stderr)\n"
    )
    seen = []
    for edit in range(2):
        article.write_text(f"{CLAIM}{edit}\n")
        done = run_probe(tmp_path, probe, article)
        seen.append(done.stderr.strip().splitlines()[-1])
    assert seen == ["False 1", "False 1"]
    results = tmp_path / "cache" / "results"
    assert [p.name for p in results.rglob(".tmp-*")] == []
    assert len(list(results.rglob("*"))) > 1


def test_a_cache_write_that_fails_half_way_leaves_no_partial_file(tmp_path, monkeypatch):
    def full_disk(value, handle, protocol):
        handle.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.pickle, "dump", full_disk)
    store = cache.DiskCache(tmp_path, "results")
    store.put("ab" * 32, {"findings": []})
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".gitignore"] == []
    assert store.get("ab" * 32) is None


def test_a_run_whose_every_result_is_cached_never_loads_the_compiled_rules(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "a.txt"
    article.write_text(CLAIM)
    first = run_json(capsys, str(article))
    loads = []
    original = cache.CachedLinter.compiled
    monkeypatch.setattr(cache.CachedLinter, "compiled", lambda self: loads.append(1) or original(self))
    assert run_json(capsys, str(article)) == first
    assert loads == []
    article.write_text(CLAIM + "\nIt is a miracle.\n")  # an edited file needs the rules again
    assert run_json(capsys, str(article)) != first
    assert loads


def test_the_regex_module_is_identified_by_its_files_and_a_changed_file_changes_the_keys(tmp_path):
    package = tmp_path / "fakeregex"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_engine.so").write_bytes(b"\0" * 10)
    before = cache.package_files("fakeregex", [str(tmp_path)])
    assert "_engine.so" in before
    (package / "_engine.so").write_bytes(b"\0" * 11)  # an upgrade replaces the compiled engine
    assert cache.package_files("fakeregex", [str(tmp_path)]) != before


def test_a_rerun_over_unchanged_files_imports_neither_the_regex_engine_nor_the_markdown_parser(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: Zinc\n---\n\nZinc cures colds.\n")
    probe = (
        "import sys\nfrom healthlint.cli import main\n"
        f"main(['check', '--no-config', '--format', 'json', '--output', {str(tmp_path / 'out.json')!r}, sys.argv[1]])\n"
        "print(sorted(m for m in ('regex', 'markdown_it', 'yaml') if m in sys.modules))\n"
    )
    runs = [run_probe(tmp_path, probe, article).stdout.strip() for _ in range(2)]
    assert runs == ["['markdown_it', 'regex', 'yaml']", "[]"]


def test_a_package_that_is_not_a_folder_on_the_path_is_identified_by_its_version(monkeypatch):
    from importlib import machinery

    monkeypatch.setattr(machinery.PathFinder, "find_spec", classmethod(lambda cls, name, path=None: None))
    import regex

    assert cache.package_files("regex") == regex.__version__
