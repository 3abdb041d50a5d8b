"""The search package's exceptions, engine-neutral: the read side and the views catch these."""

from contextlib import contextmanager

from haystack.exceptions import SearchBackendError


class SearchUnavailable(Exception):
    """The search index is missing or unreadable; ``manage.py sync_index`` rebuilds it."""


class IndexMissing(SearchUnavailable):
    """There is no index, though published articles should be in one: it was lost, and only an
    explicit rebuild (``manage.py sync_index --rebuild``) creates it again."""


# What ``SearchEngine.rebuild_reason`` answers when there is no index at all.
NO_INDEX = "no index"


class LockBusy(Exception):
    """Another process holds the index writer lock."""


@contextmanager
def engine_errors():
    """Turn the engine's failures (index missing, corrupt, unreachable) into SearchUnavailable.

    The page's searches and the prefix expansion go through it, whatever the engine: Haystack
    wraps a backend's own errors in SearchBackendError, and file-based engines raise OSError.
    """
    try:
        yield
    except SearchUnavailable:
        raise
    except (SearchBackendError, OSError) as error:
        raise SearchUnavailable(str(error)) from error
