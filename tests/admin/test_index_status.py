"""The admin index shows the search index's state and repairs drift; admin deletes reach it."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, PendingIndexUpdate
from articles.search.maintenance import index_status
from tests.admin.test_permissions import (
    EDITOR,
    admin_url,
    change_form_data,
    logged_in,
    run_action,
)
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


# Saves never drain the backlog in the request: the index worker (process_index_queue) does.

BACKLOG = 10_000
# The change form's save: session, user, the article and its inlines, history, its own queue row.
SAVE_QUERY_LIMIT = 60


def test_an_admin_save_with_10000_updates_queued_applies_only_its_own_and_says_so(
    editor, search_index, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.PUBLISHED, title="Sommet de Rome")
    search_index.drain()
    PendingIndexUpdate.objects.bulk_create(
        PendingIndexUpdate(article_id=10_000_000 + number) for number in range(BACKLOG)
    )
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(editor.get(change))
    data["title"] = "Sommet de Rome, titre corrigé"

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = editor.post(change, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert PendingIndexUpdate.objects.count() == BACKLOG, "the others stay for the worker"
    assert not PendingIndexUpdate.objects.filter(article_id=article.pk).exists()
    assert len(queries) <= SAVE_QUERY_LIMIT
    assert search_index.document_ids() == {article.pk}

    PendingIndexUpdate.objects.create(article_id=article.pk)  # queued by a later change
    assert "mise à jour de l’index en attente" in editor.get(change).text
    assert "mise à jour de l’index en attente" in editor.get(admin_url("changelist")).text
