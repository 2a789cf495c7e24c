"""The resident server: start-up paid once, every run a fork of a warm process.

A run on one just-edited file spends most of its time starting: the interpreter, the
imports (argparse, regex, markdown-it-py), the compiled rules read from the cache. With
``HEALTHLINT_SERVER=1`` the ``healthlint`` command hands its run to a server that has
done all of that once (``daemon``): the command (``client``) connects to the server's
Unix socket and passes its arguments, working folder, environment, umask and its
standard input, output and error themselves, as file descriptors. The server forks; the
fork runs the command as this process would have, writing straight to those streams, and
sends back the exit code. Nothing about the output changes, only the time it takes.

The first such run finds no server, starts one in the background and runs here; the
server ends after ``IDLE_SECONDS`` without a run, or on ``healthlint server stop``. Each
installation has its own socket, named by a digest of its code and its interpreter
(``address``), so an upgrade or an edit of a checkout starts a new server rather than
using the old code. Only the same user can connect: the socket's folder is private to
them, and the server checks the peer's user id.

Linux only (it needs ``fork``, descriptor passing and ``SO_PEERCRED``); elsewhere the
command always runs here.
"""

IDLE_SECONDS = 15 * 60
