"""Advisory locks (flock) that keep one writer at a time on a release or an ingest folder.

A lock is a hidden file beside what it guards; it is never deleted (deleting a lock file lets two
processes lock two different files). The kernel releases a lock when its process dies, however it
dies, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path


class Busy(Exception):
    """The lock is held by another process and the caller chose not to wait."""


def _open(path: Path, create: bool) -> int | None:
    try:
        return os.open(path, os.O_RDWR | (os.O_CREAT if create else 0), 0o644)
    except FileNotFoundError:
        return None
    except PermissionError:
        # NOTE: a read-only place (an installed package) cannot be written by a build either.
        try:
            return os.open(path, os.O_RDONLY)
        except OSError:
            return None
    except OSError:
        return None


@contextlib.contextmanager
def locked(path: Path, shared: bool = False, wait: bool = True, message: str | None = None) -> Iterator[None]:
    """Hold `path` locked (shared for readers, exclusive for writers) for the `with` block.

    When another process holds it: print `message` to stderr and wait, or raise Busy if not `wait`.
    Readers do not create the lock file where it cannot be made (a read-only folder): they read unlocked.
    """
    fd = _open(path, create=path.parent.is_dir())
    if fd is None:
        yield
        return
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise Busy(str(path)) from None
            if message:
                print(message, file=sys.stderr, flush=True)
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (a rename, a new file) durable, as fsync does for a file's bytes."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def folder_locked(path: Path, shared: bool = False) -> Iterator[bool]:
    """Hold a flock on the folder `path` itself (no lock file: nothing is written anywhere).

    Yields True when locked, False when `path` is not a folder (the caller reports that). A shared
    holder re-checks after locking that `path` still names the folder it locked: a folder swapped in
    meanwhile is locked afresh, so a reader always holds the lock of the folder it reads.
    """
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            yield False
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            except OSError:
                # NOTE: a file system without flock on folders (some network mounts): read unlocked, as
                # `cp` would; the release's hashes still catch a mix, loudly.
                yield True
                return
            held = os.fstat(fd)
            try:
                now = os.stat(path)
                same = (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)
            except OSError:
                same = False
            if same:
                yield True
                return
        finally:
            os.close(fd)
