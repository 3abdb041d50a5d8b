"""Moved to articles.search.queue, articles.search.maintenance and articles.search.engine; shim
until the restructure's last step."""

from haystack.constants import DEFAULT_ALIAS

from articles.search.engine.lock import (  # noqa: F401
    COMMAND_WAIT_SECONDS,
    lock_path_for,
    writer_lock,
)
from articles.search.errors import LockBusy, SearchUnavailable  # noqa: F401
from articles.search.maintenance import (  # noqa: F401
    RepairSummary,
    create_empty_index,
    index_status,
    indexed_article_ids,
    optimize_index,
    rebuild_index,
    repair_index,
    version_of,
)
from articles.search.queue import (  # noqa: F401
    SAVE_WAIT_SECONDS,
    DrainReport,
    QueuedSignalProcessor,
    affected_article_ids,
    deferred_index_drain,
    drain_index_queue,
    queue_index_updates,
)


def get_backend(using=DEFAULT_ALIAS):
    """The connection's Haystack backend, set up (bench/ reads its path and schema)."""
    from haystack import connections

    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend
