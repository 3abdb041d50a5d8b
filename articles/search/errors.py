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


def _client_errors() -> tuple[type[Exception], ...]:
    """The base errors of the external engines' clients that are installed."""
    errors = []
    try:
        from elasticsearch.exceptions import ElasticsearchException
    except ImportError:
        pass
    else:
        errors.append(ElasticsearchException)
    try:
        from pysolr import SolrError
    except ImportError:
        pass
    else:
        errors.append(SolrError)
    return tuple(errors)


# What an engine raises when it cannot answer: Haystack wraps some of a backend's errors in
# SearchBackendError, file-based engines raise OSError, and with SILENTLY_FAIL off the
# Elasticsearch and Solr backends let their client's errors (a refused connection) through.
ENGINE_ERRORS = (SearchBackendError, OSError, *_client_errors())


@contextmanager
def engine_errors():
    """Turn the engine's failures (index missing, corrupt, unreachable) into SearchUnavailable.

    The page's searches, the prefix expansion and the related articles go through it, whatever
    the engine.
    """
    try:
        yield
    except SearchUnavailable:
        raise
    except ENGINE_ERRORS as error:
        raise SearchUnavailable(str(error)) from error
