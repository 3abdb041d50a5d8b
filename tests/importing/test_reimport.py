"""Re-importing a newer version of a page the editors made theirs (issue 16, point 2): their
fields stay, the new text waits on the review page for one of them to accept it, and the
history says so. An untouched article is still updated in place."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.admin.test_permissions import EDITOR, admin_url, change_form_data, logged_in
from tests.importing.samples import GOOD

pytestmark = pytest.mark.django_db

ADDED = "Une nouvelle réunion des ministres est prévue à l’automne."


@pytest.fixture
def pages(tmp_path):
    """The page as first imported, and its newer version: same canonical URL, one sentence more."""
    first = tmp_path / "v1" / "rome.html"
    newer = tmp_path / "v2" / "rome.html"
    for path in (first, newer):
        path.parent.mkdir()
    original = (GOOD / "canonique.html").read_text()
    first.write_text(original)
    newer.write_text(original.replace("</article>", f"<p>{ADDED}</p>\n</article>"))
    return first, newer


def history(article) -> list[str]:
    entries = LogEntry.objects.filter(object_id=str(article.pk)).order_by("id")
    return [entry.get_change_message() for entry in entries]


def test_a_newer_page_waits_for_review_and_keeps_the_editors_title_text_and_status(pages):
    first, newer = pages
    call_command("import_articles", str(first))
    article = Article.objects.get()
    editor = logged_in(Client(), EDITOR)
    change = reverse("admin:articles_article_change", args=[article.pk])
    form = change_form_data(editor.get(change))
    assert editor.post(change, {**form, "title": "Rome réunit la coalition"}).status_code == 302
    review = admin_url("review", article.pk)
    version = editor.get(review).context["article"].version
    editor.post(review, {"op": "publish", "version": version})
    published_body = Article.objects.get(pk=article.pk).body

    call_command("import_articles", str(newer), "--status", "to_check")

    article = Article.objects.get()
    assert article.title == "Rome réunit la coalition", "the editor's title stays"
    assert article.body == published_body and ADDED not in article.body
    assert article.status == Article.Status.PUBLISHED
    assert ADDED in article.proposed_body
    assert ADDED not in Client().get(article.get_absolute_url()).text, "nothing unreviewed is live"
    assert any("Nouvelle révision importée" in message for message in history(article))

    page = editor.get(review)
    assert "Nouvelle révision importée" in page.text
    assert ADDED in page.text
    accepted = editor.post(
        review,
        {"op": "accept_revision", "version": page.context["article"].version},
        follow=True,
    )

    assert "Révision acceptée" in accepted.text
    article = Article.objects.get()
    assert ADDED in article.body
    assert (article.title, article.status) == ("Rome réunit la coalition", "published")
    assert not article.has_proposed_revision
    assert "Nouvelle révision acceptée." in history(article)
    assert ADDED in Client().get(article.get_absolute_url()).text


def test_a_rejected_revision_leaves_the_article_as_it_was(pages):
    first, newer = pages
    call_command("import_articles", str(first), "--status", "checked")
    call_command("import_articles", str(newer))
    article = Article.objects.get()
    assert ADDED in article.proposed_body and ADDED not in article.body
    editor = logged_in(Client(), EDITOR)
    review = admin_url("review", article.pk)

    editor.post(review, {"op": "reject_revision", "version": article.version})

    article = Article.objects.get()
    assert not article.has_proposed_revision
    assert ADDED not in article.body
    assert "Nouvelle révision rejetée." in history(article)


def test_an_article_no_editor_touched_is_updated_in_place_at_the_status_asked(pages):
    first, newer = pages
    call_command("import_articles", str(first))

    call_command("import_articles", str(newer), "--status", "checked")

    article = Article.objects.get()
    assert ADDED in article.body
    assert article.status == Article.Status.CHECKED
    assert not article.has_proposed_revision
