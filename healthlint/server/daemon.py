"""The server's side: warm up once, then run each command in a fork of the warm process.

A fork starts with everything the server loaded, the compiled rules included (kept in
memory by ``DiskCache.remembered``), and shares those pages with the server until it
writes to them. It takes the client's standard streams, folder, environment and umask,
so it runs the command as the client would have: same output, same files, same exit code.
"""

from __future__ import annotations

import contextlib
import gc
import html
import io
import os
import select
import signal
import socket
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
REQUEST_SECONDS = 1.0
"""How long the server waits for a connected client's request (it sends it at once)."""
GO_SECONDS = 30.0
"""How long a fork waits for the caller's go-ahead after telling it its process id."""
GO = b"\x01"
STARTED = b"\x02"
SPARE_WAIT = 0.2
"""How long a new spare waits for a run before it warms its own pages (``Spare``)."""


def serve(path: str) -> None:
    """Listen at ``path`` until idle for ``IDLE_SECONDS`` (or ``$HEALTHLINT_SERVER_IDLE``),
    until told to stop, until another server took the socket's name, or until the code it
    runs changed on disk (an upgrade, an edited checkout: runs now go to a new server)."""
    from healthlint.cache import DiskCache
    from healthlint.server.address import installation_digest, socket_path

    if socket_path() != path:
        return  # this is not the code the caller runs: runs that find no server run themselves
    if not _only_server(path):
        return  # another one is starting or running for this installation
    digest = installation_digest()
    DiskCache.remembered = {}
    gc.set_threshold(10_000, 10, 10)  # as the command sets it (``cli.run``)
    warm_up()
    gc.freeze()  # the warm objects are never garbage: forks need not scan them
    idle = _idle_seconds()
    listener, identity = _listen(path, min(POLL_SECONDS, idle))
    state = {"pid": os.getpid(), "served": 0, "started": time.time()}
    last = checked = time.monotonic()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    spare = Spare.fork(listener)
    try:
        while time.monotonic() - last < idle and _still_ours(path, identity):
            if time.monotonic() - checked > POLL_SECONDS:
                if installation_digest() != digest:
                    break
                checked = time.monotonic()
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # out of descriptors, say: wait, rather than end
                time.sleep(0.1)
                continue
            last = time.monotonic()
            with conn:
                answer = _answer(conn, listener, spare, state, lambda: _retire(path, identity))
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
        _retire(path, identity)


_lock_fd: int | None = None


def _only_server(path: str) -> bool:
    """Take the installation's lock, held for the server's life: when many runs find no
    server at once (pre-commit, ``xargs -P``), each starts one, and all but one end here,
    before their warm-up. Forks close it (``_leave_server``)."""
    import fcntl

    global _lock_fd
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _lock_fd = fd
    return True


def _leave_server(listener: socket.socket) -> None:
    """In a new fork: drop what belongs to the server, take a run's signals, and lead a
    process group of its own, so that the run and the workers it starts get the caller's
    signals together (``client`` sends them to the group) and end together."""
    listener.close()
    if _lock_fd is not None:
        os.close(_lock_fd)
    os.setpgid(0, 0)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a run's own children are waited for
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _answer(conn: socket.socket, listener: socket.socket, spare: Spare | None, state: dict,
            retire: Callable[[], None]) -> str | None:
    """Read one request and answer it: "ran" when a run was started, "stop" when asked to
    (after ``retire`` removed the socket, so that the next run finds no server)."""
    conn.settimeout(REQUEST_SECONDS)
    try:
        if protocol.peer_uid(conn) != os.getuid():
            return None
        received = protocol.receive(conn)
    except OSError:
        return None
    if received is None:
        return None
    message, _ = received  # no descriptors: the request carries none (``_run_forked``)
    try:
        control = message.get("control")
        if control == "status":
            protocol.send(conn, state)
        elif control == "stop":
            retire()
            protocol.send(conn, {"pid": state["pid"]})
            return "stop"
        elif control is None and not _same_groups(message):
            return None  # its files would get the server's groups: the caller runs it itself
        elif control is None:
            state["served"] += 1
            if spare is None or not spare.take(conn, message):
                _fork_run(conn, listener, message)
            return "ran"
    except OSError:
        pass  # the client went away, or no process could be made: it runs the command itself
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

    def __init__(self, channel: socket.socket) -> None:
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
                _leave_server(listener)
                _wait_as_spare(theirs)
            finally:
                os._exit(2)
        theirs.close()
        return cls(ours)

    def take(self, conn: socket.socket, message: dict[str, Any]) -> bool:
        """Hand the run over; False if the spare is gone (the server then forks anew)."""
        try:
            protocol.send(self.channel, message, [conn.fileno()])
            return True
        except OSError:
            return False
        finally:
            self.channel.close()


def _wait_as_spare(channel: socket.socket) -> None:
    if not select.select([channel], [], [], SPARE_WAIT)[0]:
        _check_quietly_in_new_folder({"sample.md": SAMPLE})
    received = protocol.receive(channel, 1)
    channel.close()
    if received is None or len(received[1]) != 1:
        return
    message, (conn_fd,) = received
    _run_forked(socket.socket(fileno=conn_fd), message)


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
    there, its report and messages discarded; the folder is removed after."""
    from healthlint import cli

    saved = dict(os.environ)
    stdout, stderr = sys.stdout, sys.stderr
    with tempfile.TemporaryDirectory(prefix="healthlint-warm-up-") as folder:
        paths = []
        for name, text in files.items():
            paths.append(os.path.join(folder, name))
            with open(paths[-1], "w", encoding="utf-8") as handle:
                handle.write(text)
        os.environ["HEALTHLINT_CACHE_DIR"] = os.path.join(folder, "cache")
        sys.stdout = sys.stderr = io.StringIO()
        try:
            cli.main(["check", "--no-config", "--jobs", "1", "--output", os.devnull, *paths])
        finally:
            sys.stdout, sys.stderr = stdout, stderr
            os.environ.clear()
            os.environ.update(saved)


def _listen(path: str, poll: float) -> tuple[socket.socket, tuple[int, int]]:
    """A listening socket at ``path``, made under another name and renamed onto it, so that
    a client never finds a socket nobody listens on yet; with its device and inode, to
    notice when a newer server renames its own onto the name."""
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
    return listener, _identity(path)


def _retire(path: str, identity: tuple[int, int]) -> None:
    if _still_ours(path, identity):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _still_ours(path: str, identity: tuple[int, int]) -> bool:
    try:
        return _identity(path) == identity
    except OSError:
        return False


def _identity(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _same_groups(message: dict[str, Any]) -> bool:
    return message.get("gid") == os.getgid() and message.get("groups") == sorted(os.getgroups())


def _idle_seconds() -> float:
    try:
        return float(os.environ["HEALTHLINT_SERVER_IDLE"])
    except (KeyError, ValueError):
        return IDLE_SECONDS


def _fork_run(conn: socket.socket, listener: socket.socket, message: dict[str, Any]) -> None:
    """Run the command in a new fork, when no spare could take it."""
    if os.fork() != 0:
        return
    try:
        _leave_server(listener)
        _run_forked(conn, message)
    finally:
        os._exit(2)


def _run_forked(conn: socket.socket, message: dict[str, Any]) -> None:
    """In a fork: say which process runs the command; on the caller's go-ahead, which
    brings its standard streams, become the caller, run the command and send its exit
    code; then end.

    The streams come only now, from a caller that knows its run has a process: streams
    sent with the request would wait in the socket, held open, for as long as a server
    that does not answer (stopped, overloaded) leaves it unread, and a caller reading
    them, its own output, would wait as long.
    """
    code = 2
    started = False
    try:
        conn.settimeout(REQUEST_SECONDS)
        conn.sendall(os.getpid().to_bytes(4, "big"))
        conn.settimeout(GO_SECONDS)
        go, fds = protocol.receive_bytes(conn, len(GO), protocol.STREAMS)
        if go != GO or len(fds) != protocol.STREAMS:
            for fd in fds:
                os.close(fd)
            return  # the caller gave up waiting, and runs the command itself
        conn.settimeout(None)
        _end_with_caller(conn)
        _take_over(message, fds)
        conn.sendall(STARTED)
        started = True
        code = _run(message["argv"])
        _send_code(conn, code)
    except OSError:
        pass
    except KeyboardInterrupt:  # the caller's Ctrl-C came before the command's own handler
        if started:  # else the caller sees that no run started, and says it was interrupted
            from healthlint.cli import finish, interrupted

            code = finish(interrupted())
            with contextlib.suppress(OSError):
                _send_code(conn, code)
    finally:
        os._exit(code)


def _send_code(conn: socket.socket, code: int) -> None:
    signal.signal(signal.SIGIO, signal.SIG_IGN)  # the caller closing after the code is no news
    conn.sendall(bytes([code & 0xFF]))


def _end_with_caller(conn: socket.socket) -> None:
    """End the run, and any process it started, as soon as the caller is gone (killed, or
    its own caller timed out): its report must not appear later in a file or pipe.

    The kernel signals the run (SIGIO) when the connection can be read, which, since the
    caller sends nothing more, happens only when it closes.
    """
    import fcntl

    def caller_gone(_signum: int, _frame: object) -> None:
        try:
            if conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                return
        except BlockingIOError:
            return
        except OSError:
            pass
        os.killpg(0, signal.SIGKILL)

    signal.signal(signal.SIGIO, caller_gone)
    fd = conn.fileno()
    fcntl.fcntl(fd, fcntl.F_SETOWN, -os.getpgrp())  # the group: a worker may outlive the run
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_ASYNC)
    caller_gone(signal.SIGIO, None)  # it may have gone before this was armed


def _take_over(message: dict[str, Any], fds: list[int]) -> None:
    """Become the caller: its streams on 0, 1 and 2, its folder, environment, umask, time
    zone, command name and ignored signals."""
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
        os.close(fd)
    os.chdir(message["cwd"])
    os.umask(message["umask"])
    os.environ.clear()
    os.environ.update(message["env"])
    time.tzset()
    sys.argv = [message["argv0"], *message["argv"]]
    for signum in message["ignored"]:
        signal.signal(signum, signal.SIG_IGN)
    (in_encoding, in_errors, *_), out, err = message["streams"]
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                 encoding=in_encoding, errors=in_errors)
    sys.stdout = _writer(1, *out)
    sys.stderr = _writer(2, *err)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr


def _writer(fd: int, encoding: str, errors: str, line_buffering: bool, write_through: bool,
            unbuffered: bool) -> io.TextIOWrapper:
    """A text stream on ``fd`` built as the caller's is (``python -u`` has no byte buffer)."""
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(raw if unbuffered else io.BufferedWriter(raw), encoding=encoding,  # type: ignore[arg-type]
                            errors=errors, line_buffering=line_buffering, write_through=write_through)


def _run(argv: list[str]) -> int:
    from healthlint import cli

    try:
        code = cli.main(argv)
    except SystemExit as exit_:  # argparse: --help, --version, a usage error
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
    except KeyboardInterrupt:  # Ctrl-C as the command ends, after its own handler
        code = cli.interrupted()
    return cli.finish(code)
