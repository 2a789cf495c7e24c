"""Whatever a content repository holds, a run never crashes, never hangs, never loses a file.

Each case asserts the message the user sees and the exit code: a file that can be linted
is linted (with a warning when it needed repair), one that cannot be read gets an error
that names it while every other file is still linted, and the run then exits 2.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from healthlint import runner
from healthlint.cli import main

HYPE = 'HL401 [hype] "miracle" is promotional language; describe the measured effect instead'
ARTICLE = "A miracle.\n"


def check(capsys: pytest.CaptureFixture[str], *paths: Path | str, fmt: str = "text") -> tuple[int, str, str]:
    """Run ``healthlint check`` with the hype rule only; return exit code, stdout, stderr."""
    code = main(["check", "--select", "HL401", "--jobs", "1", "--format", fmt, *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def article(tmp_path: Path, name: str = "good.md", text: str = ARTICLE) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --- contents ------------------------------------------------------------------------


def test_binary_file_is_skipped_with_a_notice_naming_it(tmp_path, capsys):
    image = tmp_path / "photo.md"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + zlib.compress(os.urandom(4000)))
    good = article(tmp_path)
    code, out, err = check(capsys, tmp_path)
    assert code == 1
    assert out == f"{good}:1:3: {HYPE}\n"
    assert err == f"healthlint: warning: {image}: skipped: binary file (not text)\nFound 1 finding (1 warning) in 1 file.\n"


def test_a_binary_file_alone_is_no_failure(tmp_path, capsys):
    image = tmp_path / "archive.txt"
    image.write_bytes(os.urandom(20000))
    assert check(capsys, image) == (0, "", f"healthlint: warning: {image}: skipped: binary file (not text)\nNo findings in 0 files.\n")


def test_invalid_utf8_is_decoded_with_a_warning_naming_the_line_and_positions_stay_right(tmp_path, capsys):
    path = tmp_path / "latin1.md"
    path.write_bytes("Title\n\nCafé au lait is a miracle.\n".encode("latin-1"))
    code, out, err = check(capsys, path)
    assert code == 1
    assert out == f"{path}:3:19: {HYPE}\n"  # é became one U+FFFD: one column, as an editor shows it
    assert err.splitlines()[0] == (
        f"healthlint: warning: {path}:3:4: not valid UTF-8 (byte 0xe9); decoded with replacement "
        "characters; save the file as UTF-8"
    )


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32-le-bom"],
)
def test_byte_order_marks_are_read_and_are_not_a_column(tmp_path, capsys, encoded):
    path = tmp_path / "bom.md"
    path.write_bytes(encoded)
    assert check(capsys, path) == (1, f"{path}:1:3: {HYPE}\n", "Found 1 finding (1 warning) in 1 file.\n")


def test_utf16_without_a_byte_order_mark_is_recognised_with_a_notice(tmp_path, capsys):
    path = tmp_path / "windows.txt"
    path.write_bytes("Title\r\n\r\nA miracle.\r\n".encode("utf-16-le"))
    code, out, err = check(capsys, path)
    assert (code, out) == (1, f"{path}:3:3: {HYPE}\n")
    assert err.splitlines()[0] == (
        f"healthlint: warning: {path}: no byte-order mark, but the text is UTF-16-LE; read as such"
    )


def test_empty_file_is_linted_quietly(tmp_path, capsys):
    path = article(tmp_path, "empty.md", "")
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr() == ("", "No findings in 1 file.\n")


def test_nul_bytes_are_reported_and_the_text_is_still_linted(tmp_path, capsys):
    path = tmp_path / "damaged.txt"
    path.write_bytes(b"Title\n\nA miracle.\x00 Then more.\n")
    code, out, err = check(capsys, path)
    assert (code, out) == (1, f"{path}:3:3: {HYPE}\n")
    assert err.splitlines()[0] == (
        f"healthlint: warning: {path}:3:11: contains NUL characters, which text does not hold; "
        "read as text, but check that the file is not damaged"
    )


def test_a_2_mb_file_with_no_line_break_is_linted_at_exact_columns(tmp_path, capsys):
    """The 50 MB case is measured outside the suite (see the fuzz README); this keeps the
    giant-paragraph paths (sentences, windows, line ends) linear."""
    text = "Sleep well tonight, then walk. " * 66_000 + "A miracle."
    path = article(tmp_path, "one-line.md", text)
    code = main(["check", "--jobs", "1", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == f"{path}:1:{len(text) - 7}: {HYPE}\n"
    assert err == "Found 1 finding (1 warning) in 1 file.\n"


def test_thousands_of_matches_in_one_endless_sentence_do_not_stop_a_built_in_rule(tmp_path, capsys, monkeypatch):
    """Every match's exception windows used to run from the sentence start: quadratic.

    With a base budget far below the time 20,000 matches take, the rule must live on the
    time its matches earn, the scanner finding the later matches included."""
    monkeypatch.setattr("healthlint.checks.base.RULE_TIME_BUDGET", 0.2)
    path = article(tmp_path, "list.txt", "miracle\n" * 20_000)
    code, out, err = check(capsys, path)
    assert code == 1
    assert len(out.splitlines()) == 20_000 and "HL902" not in out
    assert err == "Found 20000 findings (20000 warnings) in 1 file.\n"


# --- structure -----------------------------------------------------------------------


def test_a_directive_line_with_a_huge_run_of_spaces_is_read_in_linear_time(tmp_path, capsys):
    """Found by the fuzzer: the plain-text directive pattern was quadratic in such a line
    (100,000 spaces took minutes)."""
    directive = "# healthlint-disable-next-line HL401" + " " * 100_000 + "(see notes)"
    path = article(tmp_path, "notes.txt", directive + "\nA miracle.\n")
    started = time.monotonic()
    assert check(capsys, path) == (0, "", "No findings in 1 file.\n")
    assert time.monotonic() - started < 10


def test_a_long_masked_tag_after_a_phrase_does_not_stop_a_built_in_rule(tmp_path, capsys):
    """Found by the fuzzer: 19,000 spaces of masked markup after "only some" made HL102's
    pattern backtrack through the run at every position (fixed by possessive spaces)."""
    long_tag = '<span data-note="' + "x" * 19_000 + '"></span>'
    path = article(tmp_path, "page.html", f"<p>The researchers could adjust for only some{long_tag} factors.</p>")
    assert main(["check", "--select", "HL102", str(path)]) == 0
    assert capsys.readouterr() == ("", "No findings in 1 file.\n")


def test_ten_thousand_nested_markdown_lists_keep_all_text_linted(tmp_path, capsys):
    path = article(tmp_path, "lists.md", "- " * 10_000 + "A miracle.\n\nAnother miracle.\n")
    code, out, err = check(capsys, path)
    assert code == 1
    assert out == f"{path}:1:20003: {HYPE}\n{path}:3:9: {HYPE}\n"
    assert err.splitlines()[0] == (
        f"healthlint: warning: {path}: line 1: lists nested too deeply for the Markdown parser "
        "(the parser reads at most 20 levels; a list counts as two); the deeper list markers were read as text"
    )


def test_ten_thousand_nested_markdown_quotes_are_reported_and_the_rest_is_linted(tmp_path, capsys):
    path = article(tmp_path, "quotes.md", "> " * 10_000 + "A miracle.\n\nAnother miracle.\n")
    code, out, err = check(capsys, path)
    assert (code, out) == (1, f"{path}:3:9: {HYPE}\n")
    assert err.splitlines()[0] == (
        f"healthlint: warning: {path}: line 1: blocks nested too deeply for the Markdown parser "
        "(the parser reads at most 20 levels; a quote counts as one, a list as two); the text inside was not linted"
    )


@pytest.mark.parametrize("opener, closer", [("<div>", "</div>"), ("<ul><li>", "</li></ul>"), ("<b><i>", "")])
def test_ten_thousand_nested_html_elements_are_linted(tmp_path, capsys, opener, closer):
    path = article(tmp_path, "deep.html", opener * 10_000 + "A miracle." + closer * 10_000)
    code, out, err = check(capsys, path)
    assert (code, out) == (1, f"{path}:1:{len(opener) * 10_000 + 3}: {HYPE}\n")
    assert err == "Found 1 finding (1 warning) in 1 file.\n"


@pytest.mark.parametrize(
    "name, text, column, warning",
    [
        ("comment.html", "<p>A miracle.</p><!-- never closed <p>More.</p>", 6,
         "line 1, column 18: comment is never closed; the rest of the file is read as a comment"),
        ("tag.html", "<p>A miracle.</p><p class=\"x", 6,
         "line 1, column 18: markup is never closed (no '>' follows); it is ignored"),
        ("comment.md", "A miracle.\n\n<!-- never closed\n\nMore.\n", 3,
         "line 3, column 1: comment is never closed; the text after it was not linted"),
    ],
)
def test_unclosed_comments_and_tags_are_reported(tmp_path, capsys, name, text, column, warning):
    path = article(tmp_path, name, text)
    code, out, err = check(capsys, path)
    assert (code, out) == (1, f"{path}:1:{column}: {HYPE}\n")
    assert err.splitlines()[0] == f"healthlint: warning: {path}: {warning}"


# --- the file system ------------------------------------------------------------------


def test_broken_and_looping_symlinks_are_errors_naming_them_and_the_rest_is_linted(tmp_path, capsys):
    good = article(tmp_path)
    broken = tmp_path / "broken.md"
    broken.symlink_to(tmp_path / "gone.md")
    loop_a, loop_b = tmp_path / "loop-a.md", tmp_path / "loop-b.md"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    code, out, err = check(capsys, tmp_path)
    assert code == 2
    assert out == f"{good}:1:3: {HYPE}\n"
    assert err.splitlines() == [
        (
            f"healthlint: error: {broken}: cannot be read: a broken symbolic link (it points to "
            f"{tmp_path / 'gone.md'}, which does not exist)"
        ),
        f"healthlint: error: {loop_a}: cannot be read: a symbolic link that loops (it points, in the end, back to itself)",
        f"healthlint: error: {loop_b}: cannot be read: a symbolic link that loops (it points, in the end, back to itself)",
        "Found 1 finding (1 warning) in 1 file.",
    ]


def test_symlinks_named_on_the_command_line_are_followed_or_reported(tmp_path, capsys):
    good = article(tmp_path)
    link = tmp_path / "link.md"
    link.symlink_to(good)
    loop = tmp_path / "self.md"
    loop.symlink_to(loop)
    code, out, err = check(capsys, loop, link)
    assert code == 2
    assert out == f"{link}:1:3: {HYPE}\n"
    assert err.splitlines()[0] == (
        f"healthlint: error: {loop}: cannot be read: a symbolic link that loops (it points, in the end, back to itself)"
    )


def test_a_symlink_to_an_ancestor_folder_is_not_followed(tmp_path, capsys):
    good = article(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    assert check(capsys, tmp_path) == (1, f"{good}:1:3: {HYPE}\n", "Found 1 finding (1 warning) in 1 file.\n")


def test_unreadable_file_is_an_error_naming_it_and_the_rest_is_linted(tmp_path, capsys, monkeypatch):
    good = article(tmp_path)
    secret = article(tmp_path, "secret.md")
    real_open = os.open

    def refuse(path, flags, *args):  # root reads anything, so chmod 000 cannot stand in for this
        if Path(path) == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(runner.os, "open", refuse)
    code, out, err = check(capsys, tmp_path)
    assert (code, out) == (2, f"{good}:1:3: {HYPE}\n")
    assert err.splitlines() == [
        f"healthlint: error: {secret}: cannot be read: permission denied; check its permissions",
        "Found 1 finding (1 warning) in 1 file.",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission_is_an_error(tmp_path, capsys):
    secret = article(tmp_path, "secret.md")
    secret.chmod(0)
    code, _, err = check(capsys, secret)
    assert code == 2
    assert f"healthlint: error: {secret}: cannot be read: permission denied; check its permissions" in err


def test_unlistable_folder_is_an_error_naming_it(tmp_path, capsys, monkeypatch):
    good = article(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    article(locked, "hidden.md")
    real_scandir = os.scandir

    def refuse(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    code, out, err = check(capsys, tmp_path)
    assert (code, out) == (2, f"{good}:1:3: {HYPE}\n")
    assert err.splitlines()[0] == (
        f"healthlint: error: {locked}: folder cannot be read (Permission denied); its files were not linted"
    )


def test_named_pipe_is_reported_not_waited_for(tmp_path):
    good = article(tmp_path)
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    proc = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", "--select", "HL401", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert (proc.returncode, proc.stdout) == (2, f"{good}:1:3: {HYPE}\n")
    assert proc.stderr.splitlines()[0] == f"healthlint: error: {pipe}: not linted: not a regular file (a named pipe)"


def test_file_over_the_size_limit_is_an_error_naming_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(runner, "MAX_BYTES", 2**20)
    huge = article(tmp_path, "huge.md", "x" * (2**20 + 1))
    code, _, err = check(capsys, huge)
    assert code == 2
    assert err.splitlines()[0] == f"healthlint: error: {huge}: not linted: larger than the 1 MB limit"


def test_file_name_that_is_not_utf8_is_reported_readably(tmp_path, capsys):
    raw = os.fsencode(tmp_path) + b"/caf\xe9.md"
    with open(raw, "wb") as handle:
        handle.write(ARTICLE.encode())
    shown = f"{tmp_path}/caf\ufffd.md"
    code, out, err = check(capsys, tmp_path, fmt="json")
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == [shown]
    assert err.splitlines()[0] == (
        f"healthlint: warning: {shown}: the file name is not valid UTF-8; reports show its bad bytes as �"
    )


def test_a_bug_while_linting_one_file_is_an_error_naming_it_and_the_rest_is_linted(tmp_path, capsys, monkeypatch):
    from healthlint.documents import html

    def broken(text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(html, "parse", broken)
    good = article(tmp_path)
    page = article(tmp_path, "page.html", "<p>A miracle.</p>")
    code, out, err = check(capsys, tmp_path)
    assert (code, out) == (2, f"{good}:1:3: {HYPE}\n")
    assert err.splitlines()[0] == (
        f"healthlint: error: {page}: not linted: internal error RecursionError at test_bad_input.py:"
        f"{broken.__code__.co_firstlineno + 1}: maximum recursion depth exceeded; this is a bug in "
        "healthlint, please report it with this file"
    )


def test_git_ignored_file_names_that_are_not_utf8_are_still_ignored(tmp_path, capsys, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for name in (b"draft\xe9.md", b"kept\xe9.md"):
        with open(os.fsencode(tmp_path) + b"/" + name, "wb") as handle:
            handle.write(ARTICLE.encode())
    (tmp_path / ".gitignore").write_bytes(b"draft*\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = check(capsys, ".")
    assert (code, out) == (1, f"kept\ufffd.md:1:3: {HYPE}\n")
