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


def served_run(argv: list[str]) -> int | None:
    """The exit code of this run, done by the resident server; None when it must run here.

    It runs here when no server is listening yet (one is started for the next run), when
    the socket's folder is not safe (with a warning), and when the server closes the
    connection before it started the run. Once the server's fork has started, it owns the
    run: a Ctrl-C or a ``kill`` of this process is passed on to it.
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
    try:
        conn = protocol.connect(path)
    except (FileNotFoundError, ConnectionRefusedError):
        start_server(path)
        return None
    except OSError as exc:
        _warn(f"cannot reach the server at {path}: {exc.strerror or exc}; running without it")
        return None
    try:
        try:
            protocol.send(conn, request, list(range(protocol.STREAMS)))
            pid = protocol.read_exactly(conn, 4)
        except OSError:
            return None
        if pid is None:
            return None
        return _wait_for_code(conn, int.from_bytes(pid, "big"))
    finally:
        conn.close()


def _request(argv: list[str]) -> dict[str, object]:
    """What the server's fork needs to run this command as this process would."""
    umask = os.umask(0o022)
    os.umask(umask)
    streams = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        streams.append((stream.encoding, stream.errors, stream.line_buffering, stream.write_through))
    return {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ), "umask": umask,
            "streams": streams}


def _wait_for_code(conn: _socket.socket, pid: int) -> int:
    forwarded: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        forwarded.append(signum)
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP):
        _signal.signal(signum, forward)
    try:
        code = protocol.read_exactly(conn, 1)
    except OSError:
        code = None
    if code is not None:
        return code[0]
    if forwarded:
        return 128 + forwarded[-1]
    _warn("the server's run ended without an exit code; run again, or without HEALTHLINT_SERVER=1 "
          "to run without it")
    return 2


def start_server(path: str) -> None:
    """Start a server in the background, in its own session, for the next run.

    Its standard streams are /dev/null and its working folder is /: it must not hold
    this run's pipes open (a caller reading them would wait for the server to end) nor
    keep a folder from being unmounted.
    """
    import subprocess

    try:
        subprocess.Popen([sys.executable, "-P", "-m", "healthlint.server", path],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         cwd="/", start_new_session=True, close_fds=True)
    except OSError as exc:
        _warn(f"cannot start the server: {exc.strerror or exc}")


def _warn(message: str) -> None:
    print(f"healthlint: warning: {message}", file=sys.stderr)
