"""The ``healthlint`` command: the run handed to the resident server when asked, else here.

Kept apart from ``cli`` so that a served run imports neither argparse nor anything else
of healthlint's work: the client (``healthlint.server.client``) needs only a socket.
"""

from __future__ import annotations

import os
import sys


def run() -> None:
    """``HEALTHLINT_SERVER=1`` hands the run to the server (``healthlint.server``); any
    other value, a ``server`` command, or a server that cannot take the run, runs it here."""
    argv = sys.argv[1:]
    if os.environ.get("HEALTHLINT_SERVER") == "1" and argv[:1] != ["server"]:
        from healthlint.server.client import served_run

        code = served_run(argv)
        if code is not None:
            os._exit(code)
    from healthlint.cli import run as run_here

    run_here()
