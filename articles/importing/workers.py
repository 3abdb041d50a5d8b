"""Reading, parsing and detection ahead of the writes, in worker processes for large imports."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from articles.importing.references import ReferenceData
from articles.ingest.pipeline import PreparedFile, prepare_in_worker, prepare_path, start_worker

# Below this many files, starting worker processes costs more than it saves.
POOL_MIN_FILES = 100


def default_workers(file_count: int) -> int:
    """One process per core, up to two, for imports large enough to repay starting them."""
    return min(2, os.cpu_count() or 1) if file_count >= POOL_MIN_FILES else 1


def prepared_files(
    files: list[Path], *, reference: ReferenceData, workers: int, ahead: int = 1
) -> Iterator[PreparedFile]:
    """The files read and parsed, in order: here, or ahead of the writes in worker processes.

    The workers keep a batch's worth of files (``ahead``) and a few more in hand, so they go on
    while the batch before is being written.
    """
    if workers <= 1 or len(files) < 2:
        for path in files:
            yield prepare_path(path)
        return
    # Spawned, not forked: a forked child would share this process's database connection.
    context = multiprocessing.get_context("spawn")
    window = 8 * workers + ahead
    try:
        pool = context.Pool(
            workers, initializer=start_worker, initargs=(reference.meetings, reference.people)
        )
    except OSError:  # no processes to be had here (limits, sandbox): one process it is
        for path in files:
            yield prepare_path(path)
        return
    with pool:
        pending: deque = deque()
        queued = iter(files)

        def submit() -> None:
            path = next(queued, None)
            if path is not None:
                task = (str(path), reference.version, reference.added_people)
                pending.append((path, pool.apply_async(prepare_in_worker, (task,))))

        for _ in range(window):
            submit()
        while pending:
            path, outcome = pending.popleft()
            prepared = outcome.get()
            submit()
            # A worker that met an unexpected parsing error leaves it to be met here again.
            yield prepare_path(path) if prepared.parse_crashed else prepared
