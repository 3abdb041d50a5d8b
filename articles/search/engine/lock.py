"""The index writer lock: one writer at a time, across every process and thread.

Whoosh allows one writer per index, and the queue applies updates as a single writer for any
engine. The lock is ``flock`` on a file beside the index (``<index>.lock``), taken with a
bounded wait: a save never blocks past a worker's timeout, it leaves its update queued.
"""

import fcntl
import os
import time
from contextlib import contextmanager

from articles.search.errors import LockBusy

LOCK_BUSY = "lock busy"


def lock_path_for(index_path) -> str:
    """The lock file lives next to the index folder, so a rebuild's folder swap keeps it."""
    return str(index_path).rstrip("/") + ".lock"


@contextmanager
def writer_lock(index_path, wait_seconds: float):
    """Hold the exclusive index writer lock (every process, every thread), or raise LockBusy."""
    lock_path = lock_path_for(index_path)
    os.makedirs(os.path.dirname(lock_path) or ".", exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait_seconds, 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(
                        f"{LOCK_BUSY}: another process is writing {index_path}"
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# How long commands (sync, rebuild, the queue worker) and Haystack's own writes wait for it.
COMMAND_WAIT_SECONDS = 60.0
