"""The engine lock: one polling engine per database, enforced with fcntl.flock on "<db>.lock".

The lock file holds "pid host" of the holder so a second engine (or `nocdesk db restore`) can say who has it.
The kernel drops a flock when its process dies, so a crashed engine never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

from .errors import EngineLockedError
from .i18n import _

try:
    import fcntl
except ImportError:  # Windows: msvcrt locking instead
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def lock_path(db_path: Path | str) -> Path:
    """The lock file that belongs to a database file."""
    p = Path(db_path)
    return p.with_name(p.name + ".lock")


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def read_holder(db_path: Path | str) -> tuple[int, str] | None:
    """(pid, host) written by the engine that holds or last held the lock, or None."""
    try:
        text = lock_path(db_path).read_text(encoding="utf-8").split()
        return int(text[0]), (text[1] if len(text) > 1 else "")
    except (OSError, ValueError, IndexError):
        return None


def is_locked(db_path: Path | str) -> tuple[int, str] | None:
    """(pid, host) of the engine currently polling this database, or None when no engine runs."""
    path = lock_path(db_path)
    if not path.exists():
        return None
    # flock needs no write access: a viewer that may only read the lock file must still see the engine.
    mode = os.O_RDONLY if fcntl is not None else os.O_RDWR
    try:
        fd = os.open(path, mode)
    except OSError:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return read_holder(db_path) or (0, "")
    finally:
        os.close(fd)


class EngineLock:
    """Hold the engine lock of a database for the lifetime of this object (or a `with` block)."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise EngineLockedError naming the process that has it."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            holder = read_holder(self.db_path)
            who = _("process {pid} on {host}").format(pid=holder[0], host=holder[1]) if holder else _("another process")
            raise EngineLockedError(_("another nocdesk engine ({who}) is already polling {db}; stop it first, or "
                                      "open the database as a viewer (lock file {lock}).")
                                    .format(who=who, db=self.db_path, lock=self.path))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Give the lock back (safe to call twice)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> EngineLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
