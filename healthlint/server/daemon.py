"""The server's side: warm up once, then run each command in a fork of the warm process.

A fork starts with everything the server loaded, the compiled rules included (kept in
memory by ``DiskCache.remembered``), and shares those pages with the server until it
writes to them. It takes the client's standard streams, folder, environment and umask,
so it runs the command as the client would have: same output, same files, same exit code.
"""

from __future__ import annotations

import gc
import html
import io
import os
import select
import signal
import socket
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from healthlint.server import IDLE_SECONDS, protocol

SAMPLE = """# Warming up

Vitamin D cures colds, a 2021 study found. Talk to your doctor before you start.
"""
POLL_SECONDS = 5.0
"""How often the server wakes to see whether it has been idle long enough, or replaced."""
SPARE_WAIT = 0.2
"""How long a new spare waits for a run before it warms its own pages (``Spare``)."""


def serve(path: str) -> None:
    """Listen at ``path`` until idle for ``IDLE_SECONDS`` (or ``$HEALTHLINT_SERVER_IDLE``),
    until told to stop, or until another server took the socket's name."""
    from healthlint.cache import DiskCache

    DiskCache.remembered = {}
    gc.set_threshold(10_000, 10, 10)  # as the command sets it (``cli.run``)
    warm_up()
    gc.freeze()  # the warm objects are never garbage: forks need not scan them
    idle = _idle_seconds()
    listener, inode = _listen(path, min(POLL_SECONDS, idle))
    state = {"pid": os.getpid(), "served": 0, "started": time.time()}
    last = time.monotonic()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    spare = Spare.fork(listener)
    try:
        while time.monotonic() - last < idle and _still_ours(path, inode):
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            last = time.monotonic()
            with conn:
                answer = _answer(conn, listener, spare, state, lambda: _retire(path, inode))
            if answer == "stop":
                break
            if answer == "ran":
                # Forked only now: no descriptor of the run just handed over is open here,
                # so the new spare cannot keep the caller's pipes open.
                spare = Spare.fork(listener)
    finally:
        listener.close()
        if spare is not None:
            spare.channel.close()  # the spare sees the end of its channel, and ends
        _retire(path, inode)


def _answer(conn: socket.socket, listener: socket.socket, spare: Spare | None, state: dict,
            retire: Callable[[], None]) -> str | None:
    """Read one request and answer it: "ran" when a run was started, "stop" when asked to
    (after ``retire`` removed the socket, so that the next run finds no server)."""
    conn.settimeout(POLL_SECONDS)
    try:
        if not _same_user(conn):
            return None
        received = protocol.receive(conn)
    except OSError:
        return None
    if received is None:
        return None
    message, fds = received
    try:
        control = message.get("control")
        if control == "status":
            protocol.send(conn, state)
        elif control == "stop":
            retire()
            protocol.send(conn, {"pid": state["pid"]})
            return "stop"
        elif control is None and len(fds) == protocol.STREAMS:
            state["served"] += 1
            if spare is None or not spare.take(conn, message, fds):
                _fork_run(conn, listener, message, fds)
            return "ran"
    except OSError:
        pass  # the client went away, or no process could be made: it runs the command itself
    finally:
        for fd in fds:
            os.close(fd)
    return None


class Spare:
    """The fork that will run the next command, made ahead of time.

    A fork shares the server's memory until it writes to it, and CPython writes to every
    object it touches (reference counts): a fresh fork spends a fifth of a one-file run
    copying pages. A spare pays most of that before it is needed, by checking the small
    warm-up article (about 30 ms; the runs it then does take a third less time) once it
    has waited ``SPARE_WAIT`` for a run, so as not to compete with the run just started.
    It then waits on its channel for a run: the request and the caller's connection and
    streams, passed on by the server.
    """

    def __init__(self, pid: int, channel: socket.socket) -> None:
        self.pid = pid
        self.channel = channel

    @classmethod
    def fork(cls, listener: socket.socket) -> Spare | None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            pid = os.fork()
        except OSError:
            ours.close()
            theirs.close()
            return None
        if pid == 0:
            try:
                ours.close()
                listener.close()
                _wait_as_spare(theirs)
            finally:
                os._exit(2)
        theirs.close()
        return cls(pid, ours)

    def take(self, conn: socket.socket, message: dict[str, Any], fds: list[int]) -> bool:
        """Hand the run over; False if the spare is gone (the server then forks anew)."""
        try:
            protocol.send(self.channel, message, [conn.fileno(), *fds])
            return True
        except OSError:
            return False
        finally:
            self.channel.close()


def _wait_as_spare(channel: socket.socket) -> None:
    _reset_signals()
    if not select.select([channel], [], [], SPARE_WAIT)[0]:
        _check_quietly_in_new_folder({"sample.md": SAMPLE})
    received = protocol.receive(channel, 1 + protocol.STREAMS)
    channel.close()
    if received is None or len(received[1]) != 1 + protocol.STREAMS:
        return
    message, (conn_fd, *fds) = received
    _run_forked(socket.socket(fileno=conn_fd), message, fds)


def warm_up() -> None:
    """Import what runs need and run checks, so that forks start warm.

    Much is prepared when first needed: the compiled rules, each reader, the patterns a
    check compiles the first time it sees text it could apply to. A fork keeps nothing
    for the next one, so the server does it all first: it checks a small article, which
    loads the rules, then every rule's examples as Markdown, HTML and plain text. Each
    check uses a new cache folder, to miss every cache and so load everything; the report
    formats a run may ask for are imported too.
    """
    import importlib
    import pkgutil

    from healthlint import reporters
    from healthlint.cache import DiskCache

    for module in pkgutil.iter_modules(reporters.__path__):
        importlib.import_module(f"healthlint.reporters.{module.name}")
    _check_quietly_in_new_folder({"sample.md": SAMPLE})
    rules = [value for (kind, _), value in (DiskCache.remembered or {}).items() if kind == "rules"]
    examples = [text for pack in rules for rule in pack for texts in rule.examples.values() for text in texts]
    _check_quietly_in_new_folder({"examples.md": "\n\n".join(examples),
                                  "examples.html": "".join(f"<p>{html.escape(text)}</p>\n" for text in examples),
                                  "examples.txt": "\n\n".join(examples)})


def _check_quietly_in_new_folder(files: dict[str, str]) -> None:
    """``healthlint check`` of ``files``, written into a new folder, with a cache of its own
    there; the folder is removed after."""
    with tempfile.TemporaryDirectory(prefix="healthlint-warm-up-") as folder:
        _check_quietly(folder, files)


def _check_quietly(folder: str, files: dict[str, str]) -> None:
    from healthlint import cli

    paths = []
    for name, text in files.items():
        paths.append(os.path.join(folder, name))
        with open(paths[-1], "w", encoding="utf-8") as handle:
            handle.write(text)
    saved = dict(os.environ)
    os.environ["HEALTHLINT_CACHE_DIR"] = tempfile.mkdtemp(dir=folder)
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = io.StringIO()
    try:
        cli.main(["check", "--no-config", "--jobs", "1", "--output", os.devnull, *paths])
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        os.environ.clear()
        os.environ.update(saved)


def _listen(path: str, poll: float) -> tuple[socket.socket, int]:
    """A listening socket at ``path``, made under another name and renamed onto it, so that
    a client never finds a socket nobody listens on yet; with its inode, to notice when a
    newer server renames its own onto the name."""
    temporary = f"{path}.{os.getpid()}"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(temporary)
    finally:
        os.umask(old_umask)
    listener.listen(64)
    listener.settimeout(poll)
    os.rename(temporary, path)
    return listener, os.stat(path).st_ino


def _retire(path: str, inode: int) -> None:
    if _still_ours(path, inode):
        os.unlink(path)


def _still_ours(path: str, inode: int) -> bool:
    try:
        return os.stat(path).st_ino == inode
    except OSError:
        return False


def _same_user(conn: socket.socket) -> bool:
    credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _idle_seconds() -> float:
    try:
        return float(os.environ["HEALTHLINT_SERVER_IDLE"])
    except (KeyError, ValueError):
        return IDLE_SECONDS


def _fork_run(conn: socket.socket, listener: socket.socket, message: dict[str, Any], fds: list[int]) -> None:
    """Run the command in a new fork, when no spare could take it."""
    if os.fork() != 0:
        return
    try:
        listener.close()
        _reset_signals()
        _run_forked(conn, message, fds)
    finally:
        os._exit(2)


def _reset_signals() -> None:
    """A run's signals are those of a run of the command."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a run's own children are waited for
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _run_forked(conn: socket.socket, message: dict[str, Any], fds: list[int]) -> None:
    """In a fork: become the caller, say which process runs the command, run it, send its
    exit code, and end."""
    code = 2
    try:
        _take_over(message, fds)
        conn.settimeout(None)
        conn.sendall(os.getpid().to_bytes(4, "big"))
        code = _run(message["argv"])
        conn.sendall(bytes([code & 0xFF]))
    finally:
        os._exit(code)


def _take_over(message: dict[str, Any], fds: list[int]) -> None:
    """Become the client: its streams on 0, 1 and 2, its folder, environment and umask."""
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
        os.close(fd)
    os.chdir(message["cwd"])
    os.umask(message["umask"])
    os.environ.clear()
    os.environ.update(message["env"])
    (in_encoding, in_errors, _, _), (out_encoding, out_errors, out_lines, out_through), \
        (err_encoding, err_errors, err_lines, err_through) = message["streams"]
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                 encoding=in_encoding, errors=in_errors)
    sys.stdout = _writer(1, out_encoding, out_errors, out_lines, out_through)
    sys.stderr = _writer(2, err_encoding, err_errors, err_lines, err_through)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr


def _writer(fd: int, encoding: str, errors: str, line_buffering: bool, write_through: bool) -> io.TextIOWrapper:
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, errors=errors,
                            line_buffering=line_buffering, write_through=write_through)


def _run(argv: list[str]) -> int:
    from healthlint import cli

    try:
        code = cli.main(argv)
    except SystemExit as exit_:  # argparse: --help, --version, a usage error
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
    except KeyboardInterrupt:
        code = 130
    return cli.finish(code)
