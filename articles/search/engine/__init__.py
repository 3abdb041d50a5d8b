"""What the search package asks of a search engine, and the configured engine's answer.

Haystack's backend API covers searching; keeping an index fresh and healthy needs more, and
each engine does it its own way. :class:`SearchEngine` declares that part once: the queue
(:mod:`articles.search.queue`), the maintenance commands (:mod:`articles.search.maintenance`),
the health check and the read side's prefix expansion call it, and never ask which engine
runs. Two implementations: the Whoosh engine's (:mod:`.whoosh.index`) and, for any other
Haystack engine (Elasticsearch, Solr), Haystack's own update/remove/clear (:mod:`.haystack`).

Engine modules import only sibling submodules (``articles.search.analysis``, ``.errors``), never
``articles.search`` itself, the queue or the maintenance module, so no import cycle forms.
"""

from collections.abc import Callable, Iterable
from typing import Protocol

from django.utils.module_loading import import_string
from haystack import connections
from haystack.constants import DEFAULT_ALIAS

from articles.search.engine.haystack import HaystackIndex

# ``progress(done, total)`` during a long write.
Progress = Callable[[int, int], None]


class SearchEngine(Protocol):
    """An index of articles as the search package maintains it.

    Writes are called with the writer lock (:func:`.lock.writer_lock` on ``lock_target``) held.
    """

    @property
    def lock_target(self) -> str:
        """What the writer lock is named after (the index folder, or a name under DATA_DIR)."""

    @classmethod
    def install(cls) -> None:
        """Process-wide set-up this engine needs, once, when the app starts with it configured."""

    def ping(self) -> bool:
        """The index answers (cheaply, never creating it); raises or returns False when not."""

    def expand_prefix(self, prefix: str, *, limit: int) -> tuple[list[str], int] | None:
        """The index's words starting with ``prefix``, the most frequent first and at most
        ``limit``, and how many there are; None when the engine expands prefixes itself."""

    def document_count(self) -> int:
        """How many documents the index holds (raises SearchUnavailable without one)."""

    def indexed_versions(self) -> dict[int, int] | None:
        """Primary key → the indexed article's version (``updated_at`` in microseconds), for
        drift checks; None when the engine keeps no versions (every article is sent again)."""

    def differing_fields(self, articles: Iterable) -> dict[int, list[str]] | None:
        """Of these articles, those whose stored fields (title, dates, facet slugs …) differ
        from the document the engine would write for them now: primary key → the fields'
        names (``["document"]`` when the index has none). None when the engine stores no
        fields to compare. Catches edits that bypassed ``updated_at`` (an SQL ``UPDATE``)."""

    def rebuild_reason(self) -> str:
        """Why the index must be rebuilt before use (``errors.NO_INDEX``, "schema changed",
        "index unreadable"), or "" when it can be repaired in place."""

    def write(self, articles: Iterable, *, gone_ids: Iterable[int] = ()) -> tuple[int, int]:
        """Into the existing index (never creating one: raises SearchUnavailable without it),
        write these articles' current documents and delete those of ``gone_ids``, in one
        batch (``articles`` may be read lazily): (written, removed), documents the index skips
        counted as removed."""

    def rebuild(self, queryset, *, progress: Progress | None = None, procs: int = 1) -> int:
        """Replace the whole index with the documents of ``queryset``: how many were written."""

    def clear(self) -> None:
        """Replace the index with an empty one."""

    def optimize(self) -> None:
        """Merge the index into as few parts as the engine allows."""


def engine_class(haystack_engine_class) -> type:
    """The implementation of :class:`SearchEngine` for a Haystack engine class: the one it
    names in ``search_engine`` (the Whoosh engine does), else the generic Haystack one."""
    return getattr(haystack_engine_class, "search_engine", HaystackIndex)


def configured_engine(using=DEFAULT_ALIAS) -> SearchEngine:
    """The configured connection's engine (its backend is set up when first written to)."""
    connection = connections[using]
    return engine_class(type(connection))(connection.get_backend())


def install_configured_engines(connections_setting: dict) -> None:
    """Install what each configured engine needs process-wide (the Whoosh engine's file
    patch); an engine that cannot be imported is left for Haystack to report when used."""
    for options in connections_setting.values():
        try:
            haystack_engine_class = import_string(options["ENGINE"])
        except ImportError:
            continue
        engine_class(haystack_engine_class).install()
