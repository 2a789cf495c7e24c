"""``python -m healthlint.server SOCKET``: what the command starts in the background."""

import sys

from healthlint.server.daemon import serve

if __name__ == "__main__":
    serve(sys.argv[1])
