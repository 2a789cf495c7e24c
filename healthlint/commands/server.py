"""``healthlint server status|stop``: look at, or end, this installation's resident server."""

from __future__ import annotations

import argparse
import time

from healthlint.server import address, protocol

ANSWER_SECONDS = 10.0
"""How long to wait for the server to accept and answer: a stopped one never does."""


def run_server(args: argparse.Namespace) -> int:
    """0 when a server answered (and, for ``stop``, has stopped or none was running);
    1 for ``status`` when none is running."""
    path = address.socket_path()
    answer = _ask(path, args.action)
    if args.action == "status":
        if answer is None:
            print(f"no server is running for this installation (it would listen at {path})")
            return 1
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(answer["started"]))
        print(f"server {answer['pid']} at {path}: {answer['served']} runs served since {started}")
        return 0
    if answer is None:
        print("no server is running for this installation")
    else:
        print(f"stopped server {answer['pid']}")
    return 0


def _ask(path: str, control: str) -> dict | None:
    try:
        conn = protocol.connect(path, ANSWER_SECONDS)
    except OSError:
        return None
    try:
        protocol.send(conn, {"control": control})
        received = protocol.receive(conn)
    except OSError:
        return None
    finally:
        conn.close()
    if received is None:
        return None
    return received[0]
