"""Two editors on one article: a form opened before another editor's change is refused on save,
with who changed it and when, and nothing that change did is undone (issue 16, point 1)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleMeeting
from tests.admin.test_permissions import EDITOR, admin_url, change_form_data, logged_in
from tests.factories import ArticleFactory, ArticleMeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_article():
    article = ArticleFactory(status=Article.Status.CHECKED, title="Réunion de la coalitoin")
    ArticleMeetingFactory(article=article, confirmed=False, confidence=0.7)
    return article


def review_version(client, article) -> int:
    """The version the review page's forms carry, as the editor's browser sees it."""
    return client.get(admin_url("review", article.pk)).context["article"].version


def test_a_title_fix_from_a_form_opened_before_a_publish_is_refused_and_reverts_nothing(
    checked_article, search_index
):
    article = checked_article
    link = article.meeting_links.get()
    first, second = logged_in(Client(), EDITOR), logged_in(Client(), EDITOR)
    change = reverse("admin:articles_article_change", args=[article.pk])

    # Editor 2 opens the change form.
    stale_form = change_form_data(second.get(change))
    # Editor 1 confirms the meeting link, then publishes, on the review page.
    review = admin_url("review", article.pk)
    accept = {"op": "accept", "kind": "meeting", "link": link.pk}
    first.post(review, {**accept, "version": review_version(first, article)})
    first.post(review, {"op": "publish", "version": review_version(first, article)})
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    # Editor 2 saves a title fix from the form opened before.
    response = second.post(change, {**stale_form, "title": "Réunion de la coalition"})

    assert response.status_code == 200, "the form is shown again, not saved"
    page = response.text
    assert f"modifié par {first.user.get_username()} à" in page
    assert "depuis que vous l’avez ouvert" in page
    assert f'href="{admin_url("history", article.pk)}"' in page
    assert "Voir l’autre modification" in page
    after = Article.objects.get(pk=article.pk)
    assert after.status == Article.Status.PUBLISHED
    assert after.title == "Réunion de la coalitoin"
    assert ArticleMeeting.objects.get(pk=link.pk).confirmed
    search_index.drain()
    assert article.pk in search_index.document_ids()

    # Reopened, the form starts from the current version and the fix saves.
    fresh = change_form_data(second.get(change))
    response = second.post(change, {**fresh, "title": "Réunion de la coalition"})
    assert response.status_code == 302
    after = Article.objects.get(pk=article.pk)
    assert (after.title, after.status) == ("Réunion de la coalition", Article.Status.PUBLISHED)
    assert ArticleMeeting.objects.get(pk=link.pk).confirmed


def test_a_review_decision_from_a_page_opened_before_another_change_is_refused(
    checked_article,
):
    article = checked_article
    first, second = logged_in(Client(), EDITOR), logged_in(Client(), EDITOR)
    review = admin_url("review", article.pk)
    opened = review_version(second, article)
    first.post(review, {"op": "publish", "version": review_version(first, article)})

    response = second.post(review, {"op": "send_back", "version": opened}, follow=True)

    assert f"modifié par {first.user.get_username()} à" in response.text
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_an_inline_only_save_from_a_stale_form_unconfirms_nothing(checked_article):
    article = checked_article
    link = article.meeting_links.get()
    first, second = logged_in(Client(), EDITOR), logged_in(Client(), EDITOR)
    change = reverse("admin:articles_article_change", args=[article.pk])
    stale_form = change_form_data(second.get(change))
    confirmed = change_form_data(first.get(change))
    confirmed["meeting_links-0-confirmed"] = "on"
    assert first.post(change, confirmed).status_code == 302
    assert ArticleMeeting.objects.get(pk=link.pk).confirmed

    response = second.post(change, stale_form)  # the link's box unchecked, as it was opened

    assert response.status_code == 200
    assert ArticleMeeting.objects.get(pk=link.pk).confirmed


# Committed, in two threads at once: the check and the save are one step only if the row is
# locked between them; without the lock both saves pass the check and the second undoes the first.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_from_the_same_version_let_only_one_through(
    checked_article,
):
    article = checked_article
    change = reverse("admin:articles_article_change", args=[article.pk])
    editors = [logged_in(Client(), EDITOR), logged_in(Client(), EDITOR)]
    forms = [change_form_data(editor.get(change)) for editor in editors]
    titles = ["Titre de l’éditeur un", "Titre de l’éditeur deux"]
    start = threading.Barrier(2)
    statuses = {}

    def save(number):
        try:
            start.wait()
            response = editors[number].post(change, {**forms[number], "title": titles[number]})
            statuses[number] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(number,)) for number in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses.values()) == [200, 302]
    [winner] = [number for number, status in statuses.items() if status == 302]
    assert Article.objects.get(pk=article.pk).title == titles[winner]
