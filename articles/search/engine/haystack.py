"""Any Haystack engine (Elasticsearch, Solr) as a :class:`~articles.search.engine.SearchEngine`,
through Haystack's own ``update``, ``remove`` and ``clear``.

Such an engine keeps no article versions, so a sync sends every published article again, and
it expands prefixes itself.
"""

import os

from django.conf import settings
from haystack import connections
from haystack.query import SearchQuerySet
from haystack.utils import get_model_ct

from articles.models import Article
from articles.search.engine.batches import write_in_batches
from articles.search.errors import SearchUnavailable


class HaystackIndex:
    """The index of a Haystack backend that is not the Whoosh one."""

    def __init__(self, backend):
        self.backend = backend

    @property
    def lock_target(self) -> str:
        # No folder to lock beside: a name under DATA_DIR, so one writer at a time still holds.
        return os.path.join(str(settings.DATA_DIR), f"search-index-{self.backend.connection_alias}")

    @classmethod
    def install(cls) -> None:
        return None

    def _ready(self):
        if not self.backend.setup_complete:
            self.backend.setup()
        return self.backend

    def ping(self) -> bool:
        ping = getattr(getattr(self.backend, "conn", None), "ping", None)
        if ping is not None:  # Elasticsearch, Solr: one round trip, no search
            return bool(ping())
        SearchQuerySet(using=self.backend.connection_alias).all()[:1].count()
        return True

    def expand_prefix(self, prefix: str, *, limit: int) -> None:
        return None

    def document_count(self) -> int:
        try:
            return SearchQuerySet(using=self.backend.connection_alias).all().count()
        except Exception as error:  # the engine's client raises its own errors
            raise SearchUnavailable(f"the search engine cannot count ({error!r})") from error

    def indexed_versions(self) -> None:
        return None

    def differing_fields(self, articles) -> None:
        return None  # the engine's stored fields are not read back; sync_index resends all

    def rebuild_reason(self) -> str:
        return ""

    def write(self, articles, *, gone_ids=()) -> tuple[int, int]:
        backend = self._ready()
        articles, gone_ids = list(articles), list(gone_ids)
        if articles:
            index = connections[backend.connection_alias].get_unified_index().get_index(Article)
            backend.update(index, articles)
        for pk in gone_ids:
            backend.remove(f"{get_model_ct(Article)}.{pk}")
        return len(articles), len(gone_ids)

    def rebuild(self, queryset, *, progress=None, procs=1) -> int:
        """Clear the engine's index (which drops ghosts too), then send every article again."""
        self.clear()
        return write_in_batches(self.write, queryset, progress=progress)

    def clear(self) -> None:
        self._ready().clear(models=[Article])

    def optimize(self) -> None:
        return None  # the engine merges its index itself
