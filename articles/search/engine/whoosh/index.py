"""The Whoosh engine as the search package sees it (:class:`articles.search.engine.SearchEngine`):
an index folder written through :mod:`.writer`."""

from contextlib import contextmanager

from haystack import connections
from haystack.constants import ID
from whoosh import index as whoosh_index

from articles.models import Article
from articles.search.engine.whoosh import checksums, internals, writer
from articles.search.engine.whoosh.handle import toc_signature
from articles.search.engine.whoosh.schema import INDEX_NAME
from articles.search.errors import NO_INDEX, SearchUnavailable


@contextmanager
def read_errors():
    """Whatever a damaged index raises from inside Whoosh's codec is SearchUnavailable."""
    try:
        yield
    except SearchUnavailable:
        raise
    except Exception as error:
        raise SearchUnavailable(f"the search index cannot be read ({error!r})") from error


class WhooshIndex:
    """The Whoosh index of a ``FrenchWhooshSearchBackend``."""

    def __init__(self, backend):
        self.backend = backend

    @property
    def lock_target(self) -> str:
        return self.backend.path

    @classmethod
    def install(cls) -> None:
        # Whoosh would copy every segment's postings onto the heap of each serving process.
        internals.install_zero_copy_files()

    def _ready(self):
        if not self.backend.setup_complete:
            self.backend.setup()
        return self.backend

    def _article_index(self):
        return connections[self.backend.connection_alias].get_unified_index().get_index(Article)

    def ping(self) -> bool:
        # Haystack's Whoosh backend creates a missing index on first use: open it read-only
        # instead, so that a health check never writes and a missing index reads as missing.
        path = self.backend.path
        if not whoosh_index.exists_in(path, indexname=INDEX_NAME):
            return False
        damage = checksums.damage(path)
        if damage:
            raise SearchUnavailable(f"the search index is damaged: {damage}")
        with whoosh_index.open_dir(path, indexname=INDEX_NAME).reader() as reader:
            reader.doc_count()
        return True

    def expand_prefix(self, prefix: str, *, limit: int) -> tuple[list[str], int]:
        return self._ready().expand_prefix(prefix, limit=limit)

    def document_count(self) -> int:
        with read_errors():
            return writer.open_index(self._ready()).doc_count()

    def indexed_versions(self) -> dict[int, int]:
        with read_errors():
            return writer.indexed_versions(writer.open_index(self._ready()))

    def differing_fields(self, articles) -> dict[int, list[str]]:
        backend, article_index = self._ready(), self._article_index()
        stored_names = sorted(name for name, field in backend.schema.items() if field.stored)
        differing = {}
        with read_errors(), writer.open_index(backend).searcher() as searcher:
            for article in articles:
                expected = backend.whoosh_document(article_index, article)
                docnum = searcher.document_number(**{ID: writer.document_id(Article, article.pk)})
                if expected is None or docnum is None:
                    if (expected is None) != (docnum is None):  # one should be, not the other
                        differing[article.pk] = ["document"]
                    continue
                stored = searcher.stored_fields(docnum)
                names = [name for name in stored_names if stored.get(name) != expected.get(name)]
                if names:
                    differing[article.pk] = names
        return differing

    def rebuild_reason(self) -> str:
        backend = self._ready()
        if toc_signature(backend.path) is None:
            return NO_INDEX
        if checksums.damage(backend.path, cached=False):
            return "index damaged"
        try:
            ix = writer.open_index(backend)
        except SearchUnavailable:
            return "index unreadable"
        if not writer.schema_matches(ix, backend):
            return "schema changed"
        return "" if checksums.recorded(backend.path) else "no checksums"

    def write(self, articles, *, gone_ids=()) -> tuple[int, int]:
        return writer.apply_changes(
            self._ready(), self._article_index(), articles, set(gone_ids), model=Article
        )

    def rebuild(self, queryset, *, progress=None, procs=1) -> int:
        return writer.rebuild(
            self._ready(), self._article_index(), queryset, progress=progress, procs=procs
        )

    def clear(self) -> None:
        writer.create_empty(self._ready())

    def optimize(self) -> None:
        writer.optimize(self._ready())
