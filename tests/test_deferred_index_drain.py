"""Bulk writes queue their index updates and drain once at the end (deferred_index_drain)."""

from pathlib import Path

import pytest
from haystack.query import SearchQuerySet

from articles.importers import import_files
from articles.indexing import deferred_index_drain
from articles.models import Article, PendingIndexUpdate
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DEMO_CORPUS = Path(__file__).resolve().parent.parent / "demo" / "corpus"


def found(text):
    return {int(result.pk) for result in SearchQuerySet().filter(content=text)}


def test_commits_inside_the_block_register_no_drain_and_the_end_drains_once(
    search_index, django_capture_on_commit_callbacks
):
    with deferred_index_drain():
        with django_capture_on_commit_callbacks() as callbacks:
            first = ArticleFactory(title="Sommet de la coalition à Rome")
            second = ArticleFactory(title="Réunion ministérielle à Marrakech")
        assert callbacks == []
        assert set(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == {
            first.pk,
            second.pk,
        }
        assert found("sommet") == set()
    assert found("sommet") == {first.pk}
    assert found("marrakech") == {second.pk}
    assert not PendingIndexUpdate.objects.exists()


def test_without_drain_the_rows_stay_queued_for_a_rebuild(search_index):
    with deferred_index_drain(drain=False):
        article = ArticleFactory(title="Sommet de la coalition à Rome")
    assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [article.pk]
    search_index.drain()
    assert found("sommet") == {article.pk}


def test_outside_the_block_each_commit_drains_again(
    search_index, django_capture_on_commit_callbacks
):
    with deferred_index_drain(drain=False):
        ArticleFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        ArticleFactory()
    assert len(callbacks) >= 1


def test_a_bulk_import_inside_the_block_indexes_every_published_article(search_index):
    files = sorted(DEMO_CORPUS.glob("0[1-4]_*"))
    with deferred_index_drain():
        summary = import_files(files, status=Article.Status.PUBLISHED)
    assert summary.count("created") == len(files)
    assert search_index.document_ids() == set(
        Article.objects.published().values_list("pk", flat=True)
    )
