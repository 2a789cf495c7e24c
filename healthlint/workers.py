"""Linting in worker processes (``--jobs``), and stopping them with the run.

A worker process outlives its parent unless the parent stops it: killed by SIGTERM (a CI
job cancelled, a timeout) or SIGHUP (its terminal closed), the parent would leave its
workers linting the files already queued, tens of seconds of CPU with nobody waiting. So
while workers run, those signals stop them first, and the run then ends of the signal, as
it would have without workers. Ctrl-C stops them too, and says so (``cli.main``).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from types import FrameType

from healthlint.cache import CachedLinter, DiskCache, linter_for, results_store
from healthlint.engine import Selection
from healthlint.errors import HealthlintError
from healthlint.ruleset import Rule
from healthlint.runner import FileResult, Target, lint_target
from healthlint.server.client import die_of

# SIGHUP is POSIX only; on Windows a --jobs run must still import this module.
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
HELD_SIGNALS = (signal.SIGINT, *ENDING_SIGNALS)
STOP_WAIT = 2.0  # seconds the workers get to end, and the pool's manager thread to notice

_worker_linter: CachedLinter | None = None
_worker_results: DiskCache | None = None


class _Ended(BaseException):
    """A signal in ``ENDING_SIGNALS`` arrived while the workers were running."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def lint_in_workers(
    rules: list[Rule], selection: Selection, files: list[Target], jobs: int,
    progress: Callable[[], None] | None, use_cache: bool,
) -> list[FileResult]:
    """Lint ``files`` in ``jobs`` worker processes; results in the order of ``files``."""
    results: list[FileResult] = []
    pool = concurrent.futures.ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(rules, selection, use_cache))
    previous: dict[int, object] = {}
    try:
        with _held():  # a signal that comes while the workers start is acted on once they all have
            previous = _end_on_signals()
            # Chunks are submitted by hand rather than through ``pool.map``, whose abandoned
            # iterator cancels its futures: cancelled futures make the pool's manager
            # thread print a traceback when ``_stop`` kills the workers.
            size = max(1, min(32, len(files) // (jobs * 8) or 1))
            chunks = [pool.submit(_lint_in_worker, files[i : i + size]) for i in range(0, len(files), size)]
        for chunk in chunks:
            for result in chunk.result():
                results.append(result)
                if progress:
                    progress()
    except BrokenProcessPool:
        raise HealthlintError(
            "a worker process died while linting (out of memory?); rerun with --jobs 1 to find the file"
        ) from None
    except _Ended as ended:
        _stop(pool)
        die_of(ended.signum)
        raise  # not reached: the signal ends the process
    except BaseException:
        _stop(pool)
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    pool.shutdown()
    return results


@contextlib.contextmanager
def _held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP while the pool starts its workers.

    Stopped halfway through starting them, the pool would not know of a worker it had
    just forked, and that worker would go on running, holding the caller's output pipes
    open, after the run ended. A worker is forked with the signals still held, and lets
    them through once it has set its own handlers (``_init_worker``)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: workers are started afresh there
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)


def _end_on_signals() -> dict[int, object]:
    """Turn ``ENDING_SIGNALS`` into ``_Ended``; the handlers they had, to put back.

    A signal the caller ignores (``nohup``) stays ignored, and off the main thread, where
    Python cannot set handlers, nothing changes."""
    previous: dict[int, object] = {}
    for signum in ENDING_SIGNALS:
        try:
            if signal.getsignal(signum) != signal.SIG_IGN:
                previous[signum] = signal.signal(signum, _raise_ended)
        except ValueError:  # not the main thread
            break
    return previous


def _raise_ended(signum: int, frame: FrameType | None) -> None:
    raise _Ended(signum)


def _init_worker(rules: list[Rule], selection: Selection, use_cache: bool) -> None:
    # Ctrl-C in a terminal interrupts the whole process group. Only the parent reacts (it
    # stops the workers), so the user sees one line instead of a traceback per worker.
    # A worker forked while the parent turned SIGTERM into ``_Ended`` must die of it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in ENDING_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)  # held while the pool forked it
    global _worker_linter, _worker_results
    _worker_linter = linter_for(rules, selection, use_cache)
    _worker_results = results_store(use_cache)


def _lint_in_worker(targets: list[Target]) -> list[FileResult]:
    assert _worker_linter is not None
    return [lint_target(_worker_linter, target, results=_worker_results) for target in targets]


def _stop(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Stop the workers now: after Ctrl-C, waiting for the queued files would take as long
    as the run. ``ProcessPoolExecutor`` has no public way to do this before Python 3.14.

    The futures are left alone, not cancelled: the pool fails them itself when it finds
    its workers gone, and it would raise (and print) an error on a cancelled one. The
    pool's manager thread is given a moment to wind down, so that it does not race the
    interpreter's exit (and print about a closed pipe), but no more: a worker killed while
    it was sending back its results leaves the thread waiting for the rest of the message
    for ever, and waiting for it would hang the run.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + STOP_WAIT
    for process in processes:  # reaped here, not left to the system as zombies
        process.join(max(0.0, deadline - time.monotonic()))
    pool.shutdown(wait=False)
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(max(0.0, deadline - time.monotonic()))
