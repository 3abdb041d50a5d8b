"""Index maintenance: drift repair, rebuilds, recovery from a missing or corrupt index, status
(articles.search.maintenance and the sync_index, process_index_queue commands)."""

import shutil

import pytest
from django.core.management import call_command
from django.utils import timezone
from haystack import connections
from haystack.query import SearchQuerySet

from articles.models import Article, PendingIndexUpdate
from articles.search.engine.whoosh.handle import reset_searchers
from articles.search.errors import SearchUnavailable
from articles.search.maintenance import index_status, indexed_article_ids, repair_index
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def found(text):
    return {int(result.pk) for result in SearchQuerySet().using("default").filter(content=text)}


def published_ids():
    return set(Article.objects.published().values_list("pk", flat=True))


def test_repair_finds_and_fixes_missing_stale_and_ghost_documents(search_index):
    missing, stale, ghost, fine = ArticleFactory.create_batch(4)
    search_index.drain()
    connections["default"].get_backend().remove(missing)
    Article.objects.filter(pk=stale.pk).update(
        title="Titre corrigé en base", updated_at=timezone.now()
    )
    Article.objects.filter(pk=ghost.pk).update(status=Article.Status.TO_CHECK)

    summary = repair_index()
    assert (summary.missing, summary.stale, summary.ghosts) == (1, 1, 1)
    assert indexed_article_ids() == {missing.pk, stale.pk, fine.pk}
    assert found("corrige") == {stale.pk}
    assert repair_index().in_sync_before


def test_sync_index_rebuild_creates_the_index_when_missing(search_index, capsys):
    # Issue 16, point 11: plain sync_index no longer recreates a lost index of published
    # articles (tests/search/test_index_faults.py); --rebuild is the one way to.
    ArticleFactory.create_batch(3)
    PendingIndexUpdate.objects.all().delete()
    shutil.rmtree(search_index.path)
    call_command("sync_index", "--rebuild")
    assert "rebuilt (asked): indexed 3" in capsys.readouterr().out
    assert indexed_article_ids() == published_ids()


def test_a_corrupt_index_is_unavailable_to_search_and_sync_index_rebuilds_it(search_index, capsys):
    article = ArticleFactory(title="Conférence de Bruxelles")
    search_index.drain()
    for path in search_index.path.iterdir():
        path.write_bytes(b"\x00garbage")
    reset_searchers()
    with pytest.raises(SearchUnavailable):
        found("Bruxelles")
    call_command("sync_index")
    # Every file was overwritten, the checksum manifest too: damage (issue 16, point 12).
    assert "rebuilt (index damaged)" in capsys.readouterr().out
    assert found("Bruxelles") == {article.pk}


def test_sync_index_rebuild_reports_progress_and_a_summary(search_index, capsys):
    ArticleFactory.create_batch(5)
    call_command("sync_index", "--rebuild")
    out = capsys.readouterr().out
    assert "indexed 5/5" in out
    assert out.strip().splitlines()[-1].startswith("search index: rebuilt (asked): indexed 5")
    assert not PendingIndexUpdate.objects.exists()


def test_process_index_queue_once_applies_the_queue(search_index, capsys):
    article = ArticleFactory()
    call_command("process_index_queue", "--once")
    assert "done: indexed 1, removed 0" in capsys.readouterr().out
    assert indexed_article_ids() == {article.pk}


def test_index_status_counts_published_indexed_and_pending(search_index):
    first = ArticleFactory()
    search_index.drain()
    ArticleFactory()
    ArticleFactory(status=Article.Status.TO_CHECK)
    status = index_status()
    assert (status["published"], status["indexed"], status["pending"]) == (2, 1, 2)
    assert status["oldest_pending"] is not None
    assert first.pk in indexed_article_ids()


def test_repair_of_an_empty_index_indexes_everything(search_index):
    articles = ArticleFactory.create_batch(2)
    PendingIndexUpdate.objects.all().delete()
    summary = repair_index()
    assert (summary.missing, summary.rebuilt) == (2, False)
    assert indexed_article_ids() == {article.pk for article in articles}


def test_an_index_built_with_another_schema_is_rebuilt(search_index):
    from whoosh import fields
    from whoosh.filedb.filestore import FileStorage

    articles = ArticleFactory.create_batch(2)
    PendingIndexUpdate.objects.all().delete()
    shutil.rmtree(search_index.path)
    search_index.path.mkdir()
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), text=fields.TEXT)
    FileStorage(str(search_index.path)).create_index(schema, indexname="MAIN")
    summary = repair_index()
    assert (summary.rebuilt, summary.reason) == (True, "schema changed")
    assert indexed_article_ids() == {article.pk for article in articles}
