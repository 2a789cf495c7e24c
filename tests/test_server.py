"""The resident server (HEALTHLINT_SERVER=1): a served run is the same run, only sooner.

Every test compares a served run with the same command run here, byte for byte, and
checks with ``healthlint server status`` that the server did serve it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from healthlint.server import address

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the server is Linux only")

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "fixtures" / "02-clinic-blog-shockwave.md"


class Server:
    """A server folder of its own (short: a socket path is limited to about 100 bytes)."""

    def __init__(self, folder: str, cache: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "HEALTHLINT_SERVER_DIR": folder, "HEALTHLINT_CACHE_DIR": str(cache)}
        self.env.pop("HEALTHLINT_SERVER", None)

    def run(self, *args: str, served: bool = True, cwd: Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        environment = {**self.env, **(env or {})}
        if served:
            environment["HEALTHLINT_SERVER"] = "1"
        return subprocess.run([sys.executable, "-m", "healthlint", *args], capture_output=True, text=True,
                              cwd=cwd, input=input, env=environment, timeout=120, check=False)

    def served_count(self) -> int | None:
        status = self.run("server", "status", served=False)
        if status.returncode != 0:
            return None
        return int(status.stdout.split(": ")[1].split()[0])

    def start(self) -> None:
        self.run("--version")  # finds no server: starts one, and runs here
        deadline = time.monotonic() + 60
        while self.served_count() is None:
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.2)

    def socket(self) -> Path:
        env = {**os.environ, "HEALTHLINT_SERVER_DIR": self.folder}
        probe = "from healthlint.server.address import socket_path; print(socket_path())"
        return Path(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                                   check=True).stdout.strip())


@pytest.fixture
def server(tmp_path):
    folder = tempfile.mkdtemp(prefix="hl", dir="/tmp")
    os.chmod(folder, 0o700)
    running = Server(folder, tmp_path / "cache")
    yield running
    running.run("server", "stop", served=False)
    shutil.rmtree(folder, ignore_errors=True)


def assert_same_run(served: subprocess.CompletedProcess[str], local: subprocess.CompletedProcess[str]) -> None:
    assert (served.returncode, served.stdout, served.stderr) == (local.returncode, local.stdout, local.stderr)


def test_a_served_check_prints_and_exits_exactly_as_a_local_one(server, tmp_path):
    server.start()
    for args in (("check", str(ARTICLE)), ("check", "--format", "json", str(ARTICLE)),
                 ("check", "--format", "nonsense", str(ARTICLE)), ("check", "--statistics", str(ROOT / "fixtures")),
                 ("check", "--jobs", "2", "--format", "json", str(ROOT / "fixtures")),
                 ("check", "--no-such-option"), ("check", str(tmp_path / "missing.md")), ("rules",)):
        before = server.served_count()
        served = server.run(*args)
        assert server.served_count() == before + 1, args
        assert_same_run(served, server.run(*args, served=False))
    assert server.run("check", str(ARTICLE)).returncode == 1  # findings at warning level fail the run


def test_a_served_run_reads_standard_input_and_resolves_paths_from_the_callers_folder(server, tmp_path):
    server.start()
    text = ARTICLE.read_text(encoding="utf-8")
    args = ("check", "-", "--stdin-filename", "post.md")
    assert_same_run(server.run(*args, input=text), server.run(*args, input=text, served=False))
    folder = tmp_path / "site" / "posts"
    folder.mkdir(parents=True)
    (folder / "post.md").write_text(text, encoding="utf-8")
    served = server.run("check", "post.md", "--format", "json", "--output", "report.json", cwd=folder)
    assert served.returncode == 1
    written = (folder / "report.json").read_text(encoding="utf-8")
    assert '"post.md"' in written
    local = server.run("check", "post.md", "--format", "json", "--output", "report.json", cwd=folder, served=False)
    assert local.returncode == 1 and (folder / "report.json").read_text(encoding="utf-8") == written


def test_a_served_run_uses_the_callers_cache_folder(server, tmp_path):
    server.start()
    cache = tmp_path / "callers-cache"
    served = server.run("check", str(ARTICLE), env={"HEALTHLINT_CACHE_DIR": str(cache)})
    assert served.returncode == 1
    assert (cache / "results").is_dir()


def test_the_run_that_starts_the_server_runs_here_and_does_not_wait_for_the_server(server):
    started = time.monotonic()
    first = server.run("check", str(ARTICLE))  # capture_output: a server holding the pipes would block this
    assert time.monotonic() - started < 60
    assert_same_run(first, server.run("check", str(ARTICLE), served=False))


def test_ctrl_c_reaches_the_run_the_server_is_doing(server):
    server.start()
    env = {**server.env, "HEALTHLINT_SERVER": "1"}
    client = subprocess.Popen([sys.executable, "-m", "healthlint", "check", "-"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while server.served_count() == 0:  # the run is waiting for standard input, in the server
        assert time.monotonic() < deadline
        time.sleep(0.1)
    client.send_signal(signal.SIGINT)
    _, err = client.communicate(timeout=30)
    assert client.returncode == 130
    assert "interrupted" in err


def test_server_status_and_stop(server):
    none = server.run("server", "status", served=False)
    assert none.returncode == 1 and "no server is running" in none.stdout
    server.start()
    assert server.socket().exists()
    stopped = server.run("server", "stop", served=False)
    assert stopped.returncode == 0 and "stopped server" in stopped.stdout
    assert not server.socket().exists()
    assert server.run("server", "status", served=False).returncode == 1


def test_an_idle_server_ends_and_removes_its_socket(server):
    server.env["HEALTHLINT_SERVER_IDLE"] = "1"
    server.start()
    deadline = time.monotonic() + 30
    while server.socket().exists():
        assert time.monotonic() < deadline, "the idle server did not end"
        time.sleep(0.2)


def test_a_folder_others_can_open_is_refused_and_the_run_happens_here(server):
    os.chmod(server.folder, 0o755)
    served = server.run("check", str(ARTICLE))
    local = server.run("check", str(ARTICLE), served=False)
    assert (served.returncode, served.stdout) == (local.returncode, local.stdout)
    assert "is not private to you" in served.stderr
    assert not list(Path(server.folder).iterdir())  # no server was started


def test_an_edited_module_gets_a_server_of_its_own(tmp_path, monkeypatch):
    package = tmp_path / "healthlint"
    package.mkdir()
    module = package / "engine.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(address, "PACKAGE", str(package))
    before = address.installation_digest()
    module.write_text("x = 12\n")
    assert address.installation_digest() != before


def test_a_served_run_encodes_its_output_as_the_callers_streams_do(server, tmp_path):
    server.start()
    article = tmp_path / "café.md"
    article.write_text("# Café crème\n\nThis tea cures anxiety — guaranteed.\n", encoding="utf-8")
    caller = {"PYTHONIOENCODING": "ascii:backslashreplace"}
    served = server.run("check", str(article), env=caller)
    assert "\\xe9" in served.stdout
    assert_same_run(served, server.run("check", str(article), env=caller, served=False))


def test_a_message_sent_whole_is_not_followed_by_an_empty_send():
    """An empty send to a peer that has read the message and closed fails (EPIPE): the
    server would think the spare never got a run it is already running, and run it twice."""
    from healthlint.server import protocol

    class Peer:
        def sendmsg(self, buffers, ancillary):
            return sum(len(b) for b in buffers)

        def send(self, data):
            return len(data)

        def sendall(self, data):
            raise BrokenPipeError

    protocol.send(Peer(), {"argv": ["check"]}, [0, 1, 2])
    protocol.send(Peer(), {"control": "status"})


def test_a_client_that_stalls_mid_message_leaves_no_copy_of_its_pipes_in_the_server(server):
    import socket as sockets

    server.start()
    reader, writer = os.pipe()
    conn = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
    conn.connect(str(server.socket()))
    sockets.send_fds(conn, [b"\0\0"], [writer])  # half a header, with a stream
    os.close(writer)
    time.sleep(3)  # past the server's wait for the rest
    conn.close()
    os.set_blocking(reader, False)
    deadline = time.monotonic() + 10
    while True:  # end of file once no process holds the writing end
        try:
            assert os.read(reader, 1) == b""
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "the server still holds the client's pipe"
            time.sleep(0.1)
    os.close(reader)
    assert server.run("check", str(ARTICLE)).returncode == 1  # and it still serves


def test_a_stopped_server_does_not_keep_the_run_waiting(server):
    server.start()
    pid = int(server.run("server", "status", served=False).stdout.split()[1])
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        served = server.run("check", str(ARTICLE))
        assert time.monotonic() - started < 60
        assert_same_run(served, server.run("check", str(ARTICLE), served=False))
    finally:
        os.kill(pid, signal.SIGCONT)


def _readers_of(pipe_fd: int) -> set[int]:
    """The processes whose standard input is the pipe ``pipe_fd`` is one end of."""
    pipe = os.readlink(f"/proc/self/fd/{pipe_fd}")
    readers = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "fd" / "0") == pipe:
                    readers.add(int(entry.name))
            except OSError:
                continue
    return readers


def test_a_run_ends_when_its_caller_is_killed(server, tmp_path):
    server.start()
    report = tmp_path / "report.txt"
    env = {**server.env, "HEALTHLINT_SERVER": "1"}
    client = subprocess.Popen([sys.executable, "-m", "healthlint", "check", "-", "--output", str(report)],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 30
    while not _readers_of(client.stdin.fileno()) - {client.pid}:  # the fork has taken the caller's streams
        assert time.monotonic() < deadline, "the run did not start in the server"
        time.sleep(0.1)
    fork = (_readers_of(client.stdin.fileno()) - {client.pid}).pop()
    client.kill()
    client.wait()
    deadline = time.monotonic() + 10
    while fork in _readers_of(client.stdin.fileno()):
        assert time.monotonic() < deadline, "the run outlived its caller"
        time.sleep(0.1)
    try:
        client.stdin.write(ARTICLE.read_bytes())
        client.stdin.close()
    except BrokenPipeError:
        pass  # nobody reads standard input any more: the run has ended
    assert not report.exists()


def test_served_and_local_runs_write_the_same_cache_files(server, tmp_path):
    server.start()
    written = []
    for served in (True, False):
        cache = tmp_path / f"cache-{served}"
        assert server.run("check", str(ARTICLE), served=served, env={"HEALTHLINT_CACHE_DIR": str(cache)}).returncode == 1
        written.append(sorted(str(p.relative_to(cache)) for p in cache.rglob("*")))
    assert written[0] == written[1]


def test_an_unbuffered_caller_gets_an_unbuffered_run(server):
    server.start()
    runs = []
    for served in (True, False):
        environment = {**server.env, "PYTHONUNBUFFERED": "1"}
        if served:
            environment["HEALTHLINT_SERVER"] = "1"
        with open("/dev/full", "w") as full:
            runs.append(subprocess.run([sys.executable, "-m", "healthlint", "check", str(ARTICLE)], stdout=full,
                                       stderr=subprocess.PIPE, text=True, env=environment, timeout=120, check=False))
    assert (runs[0].returncode, runs[0].stderr) == (runs[1].returncode, runs[1].stderr)


def test_only_one_server_starts_for_an_installation(tmp_path):
    from healthlint.server import daemon

    path = str(tmp_path / "x.sock")
    assert daemon._only_server(path)
    try:
        assert not daemon._only_server(path)  # a second server, started at the same time, ends
    finally:
        os.close(daemon._lock_fd)
        daemon._lock_fd = None


def test_a_terminated_caller_ends_its_run_and_the_runs_workers_and_dies_as_a_local_run(server, tmp_path):
    server.start()
    for number in range(300):
        (tmp_path / f"post-{number}.md").write_text(ARTICLE.read_text(encoding="utf-8") + f"\n{number}\n")
    env = {**server.env, "HEALTHLINT_SERVER": "1"}
    client = subprocess.Popen([sys.executable, "-m", "healthlint", "check", "--no-cache", "--jobs", "2", str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 30
    while not _readers_of(client.stdin.fileno()) - {client.pid}:
        assert time.monotonic() < deadline, "the run did not start in the server"
        time.sleep(0.05)
    time.sleep(0.5)  # the workers have started
    client.terminate()
    assert client.wait(timeout=30) == -signal.SIGTERM
    deadline = time.monotonic() + 10
    while _readers_of(client.stdin.fileno()):  # the run and its workers inherited standard input
        assert time.monotonic() < deadline, "the run or a worker outlived its caller"
        time.sleep(0.1)
