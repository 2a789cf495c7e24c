"""The command's side of a served run: hand the run to the server, or say it cannot.

Everything here runs before any of healthlint's real work is imported, on every run with
``HEALTHLINT_SERVER=1``: it imports only C modules (``_signal``, ``_socket``; the Python
``signal`` and ``socket`` import ``enum``) and what ``address`` needs.
"""

from __future__ import annotations

import _signal
import _socket
import os
import sys

from healthlint.server import address, protocol


def supported() -> bool:
    """Descriptor passing and peer credentials: Linux's Unix sockets have both."""
    return hasattr(_socket, "AF_UNIX") and hasattr(_socket, "SO_PEERCRED") and hasattr(_socket, "SCM_RIGHTS") \
        and hasattr(os, "fork")


FORWARDED = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP, _signal.SIGQUIT)
"""Signals passed on to the run: what a terminal, pre-commit or a CI timeout sends."""
CONNECT_WAIT = 1.0
"""Seconds to wait for the server to accept the connection."""
PID_WAIT = 10.0
"""Seconds to wait for the server to start the run before running here instead."""
GO = b"\x01"
STARTED = b"\x02"


def served_run(argv: list[str]) -> int | None:
    """The exit code of this run, done by the resident server; None when it must run here.

    It runs here when no server is listening yet (one is started for the next run), when
    the socket's folder is not safe (with a warning), and when the server does not start
    the run within ``PID_WAIT``. The server's fork waits for this process's go-ahead, so a
    run is never done twice. Once it has started, the fork owns the run: the signals of
    ``FORWARDED`` are passed on to it, those this process ignores it ignores too, and it
    ends if this process dies.
    """
    if not supported():
        return None
    folder = address.folder()
    problem = address.private_folder_problem(folder)
    if problem is not None:
        _warn(f"{problem}; running without the server")
        return None
    path = address.socket_path()
    if len(path.encode()) > address.MAX_SOCKET_PATH:
        _warn(f"the server's socket path {path} is too long for a Unix socket; set "
              "HEALTHLINT_SERVER_DIR to a shorter folder; running without the server")
        return None
    try:
        request = _request(argv)
    except (OSError, AttributeError):  # no working folder, or a standard stream closed
        return None
    caught: list[int] = []
    runner: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        caught.append(signum)
        if runner:
            try:
                os.killpg(runner[0], signum)  # the run and the workers it started, as a terminal does
            except OSError:  # the run has ended
                pass

    ignored = [signum for signum in FORWARDED if _signal.getsignal(signum) == _signal.SIG_IGN]
    request["ignored"] = ignored
    previous = {signum: _signal.signal(signum, forward) for signum in FORWARDED if signum not in ignored}
    code = None
    try:
        code = _hand_over(path, request, caught, runner)
    finally:
        if code is None:
            for signum, handler in previous.items():
                _signal.signal(signum, handler)
    if code is None and caught:
        return _interrupted(caught[-1])
    return code


def _hand_over(path: str, request: dict[str, object], caught: list[int], runner: list[int]) -> int | None:
    try:
        conn = protocol.connect(path, CONNECT_WAIT)
    except (FileNotFoundError, ConnectionRefusedError):
        start_server(path)
        return None
    except OSError as exc:  # a server that does not accept (stopped, its backlog full)
        _warn(f"cannot reach the server at {path}: {exc.strerror or exc}; running without it")
        return None
    try:
        if protocol.peer_uid(conn) != os.getuid():
            _warn(f"the server at {path} is not yours; running without it")
            return None
        try:
            conn.settimeout(PID_WAIT)
            protocol.send(conn, request)
            pid = protocol.read_exactly(conn, 4)
            if pid is None or not _go_ahead(conn, int.from_bytes(pid, "big"), caught, runner):
                return None  # without the go-ahead, the fork ends without running
            if protocol.read_exactly(conn, 1) != STARTED:
                runner.clear()
                return None  # the fork could not become this process: nothing ran
            conn.settimeout(None)
            code = protocol.read_exactly(conn, 1)
        except OSError:  # no answer in time, or the server went away before the run started
            if not runner:
                return None
            code = None
        if code is not None:
            return code[0]
        if caught:
            die_of(caught[-1])
        _warn("the server's run ended without an exit code; run again, or without HEALTHLINT_SERVER=1 "
              "to run without it")
        return 2
    finally:
        conn.close()


def _go_ahead(conn: _socket.socket, pid: int, caught: list[int], runner: list[int]) -> bool:
    """Send the go-ahead with the standard streams, unless a signal came first.

    The forwarded signals are held back meanwhile: one that arrives between the check and
    the go-ahead is passed on once the fork knows it runs, not lost.
    """
    _signal.pthread_sigmask(_signal.SIG_BLOCK, FORWARDED)
    try:
        if caught:
            return False
        protocol.send_bytes(conn, GO, list(range(protocol.STREAMS)))
        runner.append(pid)
        return True
    except OSError:
        return False
    finally:
        _signal.pthread_sigmask(_signal.SIG_UNBLOCK, FORWARDED)


def die_of(signum: int) -> None:
    """End as a local run would have, killed by ``signum`` (its caller sees the signal)."""
    _signal.signal(signum, _signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _interrupted(signum: int) -> int:
    """What the command does on a signal before its run started: what ``cli.main`` does on
    Ctrl-C, and otherwise what the signal does to a local run."""
    if signum == _signal.SIGINT:
        print("healthlint: interrupted", file=sys.stderr)
        return 130
    die_of(signum)
    return 128 + signum


def _request(argv: list[str]) -> dict[str, object]:
    """What the server's fork needs to run this command as this process would."""
    umask = os.umask(0o022)
    os.umask(umask)
    streams = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        unbuffered = type(stream.buffer).__name__ == "FileIO"  # python -u, PYTHONUNBUFFERED
        streams.append((stream.encoding, stream.errors, stream.line_buffering, stream.write_through, unbuffered))
    return {"argv": list(argv), "argv0": sys.argv[0], "cwd": os.getcwd(), "env": dict(os.environ),
            "umask": umask, "streams": streams, "gid": os.getgid(), "groups": sorted(os.getgroups())}


def start_server(path: str) -> None:
    """Start a server in the background, in its own session, for the next run.

    Its standard streams are /dev/null and its working folder is /: it must not hold
    this run's pipes open (a caller reading them would wait for the server to end) nor
    keep a folder from being unmounted.
    """
    import subprocess

    try:
        # The folder this run found healthlint in comes first, so that the server loads the
        # same one (a checkout run with ``python -m`` from its folder, say).
        found = os.path.dirname(address.PACKAGE)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (found, os.environ.get("PYTHONPATH")) if p)}
        subprocess.Popen([sys.executable, "-P", "-m", "healthlint.server", path],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         cwd="/", env=env, start_new_session=True, close_fds=True)
    except OSError as exc:
        _warn(f"cannot start the server: {exc.strerror or exc}")


def _warn(message: str) -> None:
    print(f"healthlint: warning: {message}", file=sys.stderr)
