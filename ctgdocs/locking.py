"""One build at a time per output folder: two builds into one folder would mix their manifests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, builds must not overlap
    fcntl = None  # type: ignore[assignment]

LOCK = ".ctgdocs.lock"


@contextmanager
def build_lock(folder: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the folder's lock; a shared hold only reads, so it creates nothing."""
    if shared or fcntl is None:
        yield
        return
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK).open("a")
    except OSError as exc:
        raise OutputError(f"{folder} : dossier de sortie inutilisable ({exc.strerror})") from exc
    with handle:
        # Waits while another build writes into the same folder.
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if created and [p.name for p in folder.iterdir()] == [LOCK]:
                # A build that wrote nothing (a broken template) leaves nothing behind.
                (folder / LOCK).unlink()
                folder.rmdir()
            fcntl.flock(handle, fcntl.LOCK_UN)
