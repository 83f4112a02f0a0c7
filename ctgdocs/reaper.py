"""The processes a build starts (soffice) end with their children, even if the build is killed.

A build killed outright (SIGKILL, Windows' Task Manager) runs no cleanup: its soffice would go
on converting, and leave a profile of thousands of files in the temporary folder. A small
watcher process holds one end of a pipe whose other end only the build holds: when the build
dies, however it dies, the system closes that end, and the watcher stops every soffice the
build registered (by process id, or by its profile folder on its command line) with their
children, and removes their profiles. Pipes and process trees exist on every system; process
groups, where they exist, catch the children whose parent has already exited.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil

from .files import remove_tree
from .workers import console_interrupts_held, ignore_console_interrupts

# How long killed processes may take to go, before ctgdocs stops waiting for them.
KILL_GRACE = 10.0
# How long the watcher may take to start; without it, conversions go on unwatched.
_START_TIMEOUT = 60.0
# Once the build is dead: how long to search for what it was starting, at most.
_QUIET = 2.0
_LAST_SEARCH = 60.0


def stop_tree(pid: int) -> None:
    """Kill a process and every process it started (soffice.bin under its launcher).

    Only for a process whose id cannot have been given to another one: a child not yet
    waited for, or a process seen alive with its creation time just before.
    """
    try:
        root = psutil.Process(pid)
        tree = [*root.children(recursive=True), root]
    except psutil.Error:  # already gone
        tree = []
    killpg = getattr(os, "killpg", None)
    if killpg is not None:
        # POSIX: the whole process group, even children whose parent has already exited.
        with contextlib.suppress(OSError):
            killpg(pid, signal.SIGKILL)
    # Windows has no process groups to kill: each process of the tree, by its id.
    for member in tree:
        with contextlib.suppress(psutil.Error):
            member.kill()
    psutil.wait_procs(tree, timeout=KILL_GRACE)


def _left_behind(processes: list[tuple[int, float]], folders: list[str]) -> list[psutil.Process]:
    """The registered processes still running, and any process naming a registered folder."""
    found: dict[int, psutil.Process] = {}
    for pid, started in processes:
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            if process.create_time() == started:
                found[pid] = process
    names = [Path(folder).name for folder in folders]
    if names:
        for process in psutil.process_iter(["cmdline"]):
            command = " ".join(process.info.get("cmdline") or ())
            if process.pid != os.getpid() and any(name in command for name in names):
                found[process.pid] = process
    return list(found.values())


def _watch(connection: Connection) -> None:
    """The watcher's life: record what the build registers; clean up if the build dies."""
    ignore_console_interrupts()  # Ctrl-C (Ctrl-Break on Windows) is for the build to handle
    setsid = getattr(os, "setsid", None)
    if setsid is not None:
        # POSIX: out of the build's process group, so that a kill of the whole group
        # (`kill -9 -PGID`) leaves the watcher alive to stop soffice, in a session of its own.
        with contextlib.suppress(OSError):
            setsid()
    processes: list[tuple[int, float]] = []
    folders: list[str] = []
    try:
        connection.send("prêt")
        while (message := connection.recv()) is not None:
            kind, *values = message
            if kind == "processus":
                processes.append((int(values[0]), float(values[1])))
            else:
                folders.append(str(values[0]))
    except (EOFError, OSError):  # the build is gone without saying goodbye
        _clean_up(processes, folders)


def _clean_up(processes: list[tuple[int, float]], folders: list[str]) -> None:
    """Stop what the build left running, then remove the folders it registered.

    A soffice the build was starting as it died is not registered yet, and shows its
    profile on its command line only once it runs: the search goes on until it has found
    nothing for a while.
    """
    quiet_since = time.monotonic()
    deadline = quiet_since + _LAST_SEARCH
    while time.monotonic() - quiet_since < _QUIET and time.monotonic() < deadline:
        found = _left_behind(processes, folders)
        for process in found:
            stop_tree(process.pid)
        if found:
            quiet_since = time.monotonic()
        time.sleep(0.05)
    for folder in folders:
        remove_tree(folder)


class Reaper:
    """The watcher of one build's external processes; `close` when they have all ended."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # never inherits the build's lock
        self._connection, theirs = context.Pipe()
        self._process: Any = context.Process(
            target=_watch, args=(theirs,), name="ctgdocs-gardien", daemon=False
        )
        self._lock = threading.Lock()
        self._ready = False
        self._broken = False
        try:
            with console_interrupts_held():
                self._process.start()
        except OSError:
            self._broken = True
        theirs.close()

    def _send(self, message: tuple[object, ...]) -> None:
        with self._lock:
            if self._broken:
                return
            try:
                if not self._ready:
                    # Started: from now on, the build's death reaches it.
                    if not self._connection.poll(_START_TIMEOUT):
                        raise EOFError
                    self._connection.recv()
                    self._ready = True
                self._connection.send(message)
            except (EOFError, OSError):
                self._broken = True

    def watch_folder(self, folder: Path) -> None:
        """Stop any process naming `folder` and remove it, if the build dies."""
        self._send(("dossier", str(folder)))

    def watch(self, pid: int) -> None:
        """Stop process `pid` and its children, if the build dies."""
        try:
            started = psutil.Process(pid).create_time()
        except psutil.Error:  # already gone
            return
        self._send(("processus", pid, started))

    def close(self) -> None:
        """Everything registered has ended: the watcher leaves without touching anything."""
        with self._lock:
            if not self._broken:
                with contextlib.suppress(OSError):
                    self._connection.send(None)
            self._connection.close()
            self._broken = True
        if self._process.pid is not None:
            self._process.join(KILL_GRACE)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(KILL_GRACE)

    def __enter__(self) -> Reaper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
