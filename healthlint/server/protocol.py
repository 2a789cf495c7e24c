"""What the command and the resident server say to each other over the socket.

A message is a length, then a ``marshal``-ed dict: ``marshal`` rather than JSON because
importing ``json`` would cost every run a few milliseconds, and both ends run the same
interpreter (the socket's name says which). The command sends its request; the fork that
will run it answers with its process id; the command sends the go-ahead, one byte, with
its standard streams attached as file descriptors; the fork answers, when done, with the
exit code in one byte. A control request (``status``, ``stop``) gets one message back.

Only C modules are imported here (``_socket``, not ``socket``, which imports ``enum``
and ``selectors``: several milliseconds of a run that takes tens).
"""

from __future__ import annotations

import _socket
import _struct
import marshal

HEADER = 4
MAX_MESSAGE = 64 * 1024 * 1024
STREAMS = 3  # standard input, output and error


def connect(path: str, timeout: float | None = None) -> _socket.socket:
    """A connection to the Unix socket at ``path`` (``OSError`` if nobody listens, or if
    nobody accepts within ``timeout`` seconds)."""
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.settimeout(timeout)
        conn.connect(path)
    except BaseException:
        conn.close()
        raise
    return conn


def send(conn: _socket.socket, message: dict[str, object], fds: list[int] | None = None) -> None:
    payload = marshal.dumps(message)
    send_bytes(conn, len(payload).to_bytes(HEADER, "big") + payload, fds)


def send_bytes(conn: _socket.socket, data: bytes, fds: list[int] | None = None) -> None:
    if fds:
        sent = conn.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, _struct.pack(f"{len(fds)}i", *fds))])
    else:
        sent = conn.send(data)
    if sent < len(data):  # never an empty send: to a peer that has read all and closed, it fails
        conn.sendall(data[sent:])


def receive(conn: _socket.socket, most_fds: int = 0) -> tuple[dict[str, object], list[int]] | None:
    """A message and the descriptors that came with it (up to ``most_fds``); None if the
    peer sent no whole message."""
    data, fds = receive_bytes(conn, 65536, most_fds)
    try:
        return _rest_of_message(conn, data, fds)
    except BaseException:
        _closing(fds)  # a peer that stalls or resets must not leave its pipes open here
        raise


def _rest_of_message(conn: _socket.socket, data: bytes, fds: list[int]) -> tuple[dict[str, object], list[int]] | None:
    rest = read_exactly(conn, max(0, HEADER - len(data)))
    if rest is None:
        return _closing(fds)
    data += rest
    length = int.from_bytes(data[:HEADER], "big")
    if length > MAX_MESSAGE:
        return _closing(fds)
    rest = read_exactly(conn, max(0, HEADER + length - len(data)))
    if rest is None:
        return _closing(fds)
    try:
        message = marshal.loads(data[HEADER:] + rest)
    except (EOFError, ValueError, TypeError):
        return _closing(fds)
    return (message, fds) if isinstance(message, dict) else _closing(fds)


def receive_bytes(conn: _socket.socket, size: int, most_fds: int) -> tuple[bytes, list[int]]:
    """``socket.recv_fds``: up to ``size`` bytes, and the descriptors sent with them."""
    width = _struct.calcsize("i")
    data, ancillary, _flags, _address = conn.recvmsg(size, _socket.CMSG_LEN(most_fds * width))
    fds: list[int] = []
    for level, kind, payload in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            count = len(payload) // width
            fds.extend(_struct.unpack(f"{count}i", payload[: count * width]))
    return data, fds


def _closing(fds: list[int]) -> None:
    """Close descriptors that came with a message that will not be acted on."""
    import os

    for fd in fds:
        os.close(fd)


def peer_uid(conn: _socket.socket) -> int:
    """The user id of the process at the other end of ``conn`` (``SO_PEERCRED``)."""
    credentials = conn.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, _struct.calcsize("3i"))
    return _struct.unpack("3i", credentials)[1]


def read_exactly(conn: _socket.socket, size: int) -> bytes | None:
    """``size`` bytes from ``conn``, or None if it closes first."""
    chunks = []
    while size > 0:
        chunk = conn.recv(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
