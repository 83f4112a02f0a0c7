"""Worker processes of a build: fresh interpreters that never hold the lock and die with the build.

Workers are spawned, not forked, on every system (Windows can only spawn): a forked worker
would inherit the open build lock and keep it after its parent was killed. Each worker also
watches its parent and exits as soon as the parent is gone, and ignores Ctrl-C, which the
parent handles for the whole build.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from multiprocessing import resource_tracker
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Tasks in flight per worker: enough to keep each busy, few enough to stop soon on failure.
_QUEUED = 2
# Starting a worker costs about half a second: small runs stay in-process.
MIN_SECONDS_PER_WORKER = 0.5
# How often a build waiting for its workers or conversions looks for a stop request, at most.
_WAKE = 0.2
# Windows waits on at most 63 handles at once: ProcessPoolExecutor refuses more than 61
# workers there (ValueError), whatever -j or the number of cores says.
_MAX_WINDOWS_WORKERS = 61
# What a console sends to every process attached to it: Ctrl-C, and on Windows Ctrl-Break
# (SIGBREAK, which ends a process by default). The build handles both for all its processes.
_CONSOLE_INTERRUPTS = ("SIGINT", "SIGBREAK")


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic GC for a while: validation allocates millions of objects and few cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def first_completed(pending: set[Future[R]]) -> tuple[set[Future[R]], set[Future[R]]]:
    """Wait until one of `pending` is done: (done, still pending), as `wait` says them.

    The wait wakes up regularly. CPython runs a signal's handler in the main thread, and a
    signal another thread received (SIGTERM sent by a conversion's thread, say) just as the
    main thread went to sleep would run only once that thread wakes up: for a hung
    soffice, minutes later (seen in CI). A stop request is thus handled within _WAKE.
    """
    while True:
        done, still = wait(pending, timeout=_WAKE, return_when=FIRST_COMPLETED)
        if done or not still:
            return done, still


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - only ever started by a parent
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="ctgdocs-parent", daemon=True).start()


def ignore_console_interrupts() -> None:
    """Leave Ctrl-C (and Ctrl-Break, on Windows) to the build: a worker or a watcher that the
    console's signal killed would break the build instead of letting it stop cleanly."""
    for name in _CONSOLE_INTERRUPTS:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_IGN)


@contextmanager
def console_interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while processes start, so that each starts with it held.

    A spawned process imports ctgdocs before it can ignore Ctrl-C: one that the console's
    signal reached then would die with a KeyboardInterrupt traceback on the terminal. A held
    (blocked) signal is inherited across fork and exec, and discarded once the process
    ignores it; the build receives its own held Ctrl-C as soon as the processes have
    started. Windows has no signal masks: there, processes start as they are.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # Multiprocessing starts its resource tracker with the first process, and unblocks
    # Ctrl-C once it has: started first, it cannot release what is held here.
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def worker_count(workers: int, count: int, seconds_per_task: float) -> int:
    """How many worker processes pay for `count` tasks, at most `workers`, and at most what
    the system can wait on (Windows: 61)."""
    workers = min(workers, int(count * seconds_per_task / MIN_SECONDS_PER_WORKER))
    if sys.platform == "win32":
        workers = min(workers, _MAX_WINDOWS_WORKERS)
    return workers


def _start_worker(warm_up: Callable[[], None]) -> None:
    ignore_console_interrupts()
    _exit_with_parent()
    warm_up()
    # What is loaded now stays for the worker's life: keep it out of the cyclic GC's walks.
    gc.freeze()


def run_all(
    function: Callable[[T], R],
    make_task: Callable[[int], T],
    count: int,
    *,
    workers: int,
    warm_up: Callable[[], None],
    seconds_per_task: float,
) -> Generator[R, None, None]:
    """function(make_task(i)) for i in range(count), in `workers` processes, as they finish.

    Tasks are made only when a worker is about to be free, so that `make_task` can take into
    account the results already received (to stop rendering once the build must fail).
    `seconds_per_task` (a rough CPU cost) decides whether starting workers pays.
    """
    workers = worker_count(workers, count, seconds_per_task)
    if workers <= 1:
        for index in range(count):
            yield function(make_task(index))
        return
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(warm_up,),
    )
    pending: set[Future[R]] = set()
    submitted = 0
    try:
        while submitted < count or pending:
            while submitted < count and len(pending) < workers * _QUEUED:
                task = make_task(submitted)
                # Each of the first submissions starts a worker (the pool starts one while
                # none is idle, up to `workers`, and never replaces one: a dead worker breaks
                # it); the next ones start none.
                held = console_interrupts_held() if submitted < workers else nullcontext()
                with held:
                    pending.add(executor.submit(function, task))
                submitted += 1
            done, pending = first_completed(pending)
            for future in done:
                yield future.result()
    finally:
        # Let running tasks end (a second or so) so that no worker outlives the build's lock.
        executor.shutdown(wait=True, cancel_futures=True)
