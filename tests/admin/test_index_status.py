"""The admin index shows the search index's state and repairs drift; admin deletes reach it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, PendingIndexUpdate
from articles.search.maintenance import index_status
from tests.admin.test_permissions import EDITOR, admin_url, logged_in, run_action
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

REPAIR = reverse("admin:articles_article_repair_index")


@pytest.fixture
def editor(client):
    return logged_in(client, EDITOR)


def test_the_admin_index_shows_published_indexed_and_pending_counts(editor, search_index):
    ArticleFactory.create_batch(2, status=Article.Status.PUBLISHED)
    search_index.drain()
    ArticleFactory(status=Article.Status.PUBLISHED)  # saved, queued, not yet applied

    response = editor.get(reverse("admin:index"))

    page = response.text
    assert '<dd id="index-published">3</dd>' in page
    assert '<dd id="index-indexed">2</dd>' in page
    assert 'id="index-pending">1' in page
    assert "Réparer l’index" in page
    assert f'action="{REPAIR}"' in page


def test_the_repair_button_brings_the_index_back_in_line_and_reports_it(editor, search_index):
    indexed = ArticleFactory(status=Article.Status.PUBLISHED)
    search_index.drain()
    lost = ArticleFactory(status=Article.Status.PUBLISHED)
    PendingIndexUpdate.objects.all().delete()  # its update was lost: drift
    assert index_status()["indexed"] == 1

    response = editor.post(REPAIR)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert message.startswith("Index de recherche réparé")
    assert "1 missing" in message
    assert search_index.document_ids() == {indexed.pk, lost.pk}


def test_the_repair_button_is_post_only(editor, search_index):
    assert editor.get(REPAIR).status_code == 405


def test_deleting_an_article_in_the_admin_removes_it_from_the_index(editor, search_index):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    search_index.drain()
    assert article.pk in search_index.document_ids()

    editor.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    search_index.drain()

    assert article.pk not in search_index.document_ids()


def test_unpublishing_in_bulk_removes_articles_from_the_index(editor, search_index):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    search_index.drain()
    run_action(editor, "unpublish_selected", [article])
    search_index.drain()
    assert search_index.document_ids() == set()


def test_the_reindex_action_queues_the_selected_articles(editor, search_index):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    PendingIndexUpdate.objects.all().delete()
    response = run_action(editor, "reindex_selected", [article])
    assert "1 article(s) mis en file" in response.text
    search_index.drain()
    assert search_index.document_ids() == {article.pk}


def test_merging_a_published_duplicate_removes_it_from_the_index(editor, search_index):
    twin = ArticleFactory(status=Article.Status.PUBLISHED)
    duplicate = ArticleFactory(
        status=Article.Status.PUBLISHED, near_duplicate_of=twin, near_duplicate_similarity=0.8
    )
    search_index.drain()
    editor.post(admin_url("duplicate", duplicate.pk), {"op": "merge"})
    search_index.drain()
    assert search_index.document_ids() == {twin.pk}
