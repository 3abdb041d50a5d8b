"""The review queue and page: the importer's proposals with their confidence and evidence, the
editor's accept / correct / reject, then checked and published — and found by the public."""

import datetime
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from articles.models import Article, ArticleMeeting, ArticlePerson, Meeting, Quote
from tests.admin.test_permissions import EDITOR, REVIEWER, admin_url, logged_in
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "admin"


@pytest.fixture
def editor(client):
    return logged_in(client, EDITOR)


def proposed_article(**fields):
    """An article as the importer leaves it: a meeting and speakers proposed, not confirmed."""
    fields.setdefault("status", Article.Status.TO_CHECK)
    article = ArticleFactory(**fields)
    meeting_link = ArticleMeetingFactory(
        article=article,
        meeting=MeetingFactory(city="Amman", start_date=datetime.date(2017, 11, 15)),
        confidence=0.87,
        evidence="« 15 novembre 2017 » → 2017-11-15\n« Amman »",
    )
    speaker_person = PersonFactory()
    speaker = ArticlePersonFactory(
        article=article, person=speaker_person, evidence=f"« a déclaré {speaker_person.name} »"
    )
    QuoteFactory(article=article, person=speaker.person, text="Nous tiendrons bon.")
    mentioned_person = PersonFactory()
    mentioned = ArticlePersonFactory(
        article=article,
        person=mentioned_person,
        role=ArticlePerson.Role.MENTIONED,
        quote_kind="",
        evidence=f"« {mentioned_person.name} était présent »",
    )
    return article, meeting_link, speaker, mentioned


def last_message(article) -> str:
    return LogEntry.objects.filter(object_id=str(article.pk)).latest("id").get_change_message()


def review(client, article, **data):
    return client.post(admin_url("review", article.pk), data, follow=True)


# --- The queue ----------------------------------------------------------------------------------


def test_the_queue_lists_articles_to_check_with_what_the_importer_proposed(editor):
    article, _, speaker, mentioned = proposed_article(
        title="Amman prépare l’après-Raqqa",
        title_is_derived=True,
        date_evidence="« Amman, 15 novembre 2017 »",
    )
    ArticleFactory(title="Déjà publié", status=Article.Status.PUBLISHED)

    page = editor.get(admin_url("review_queue")).text

    assert "Amman prépare l’après-Raqqa" in page
    assert "titre déduit" in page
    assert "« Amman, 15 novembre 2017 »" in page
    assert "87" in page and "15 novembre 2017" in page  # confidence and its evidence
    assert speaker.person.name in page and mentioned.person.name in page
    assert article.source.name in page
    assert "Déjà publié" not in page
    assert admin_url("review", article.pk) in page


def test_the_queue_needs_the_same_number_of_queries_for_2_or_20_articles(editor):
    for _ in range(2):
        proposed_article()
    with CaptureQueriesContext(connection) as few:
        editor.get(admin_url("review_queue"))
    for _ in range(18):
        proposed_article()
    with CaptureQueriesContext(connection) as many:
        response = editor.get(admin_url("review_queue"))
    assert len(response.context["entries"]) == 20
    assert len(many) == len(few)


def test_the_article_list_has_a_to_check_filter(editor):
    article, *_ = proposed_article()
    ArticleFactory(status=Article.Status.PUBLISHED)
    response = editor.get(reverse("admin:articles_article_changelist") + "?status__exact=to_check")
    assert list(response.context["cl"].result_list) == [article]


# --- The review page ----------------------------------------------------------------------------


def test_the_review_page_shows_each_proposal_with_its_confidence_and_evidence(editor):
    article, meeting_link, speaker, mentioned = proposed_article(
        body="Texte avec <script>alert('x')</script> dedans."
    )
    page = editor.get(admin_url("review", article.pk)).text

    assert str(meeting_link.meeting) in page
    assert "87 %" in page or "87%" in page
    assert "« 15 novembre 2017 » → 2017-11-15" in page
    assert f"« a déclaré {speaker.person.name} »" in page
    assert f"« {mentioned.person.name} était présent »" in page
    assert "Nous tiendrons bon." in page
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;" in page


def test_accepting_a_proposal_confirms_it_and_records_who_did(editor):
    article, meeting_link, speaker, _ = proposed_article()

    review(editor, article, op="accept", kind="meeting", link=meeting_link.pk)
    review(editor, article, op="accept", kind="person", link=speaker.pk)

    meeting_link.refresh_from_db()
    speaker.refresh_from_db()
    assert meeting_link.confirmed and speaker.confirmed
    assert last_message(article) == f"Acceptée : cité « {speaker.person} »."
    assert LogEntry.objects.filter(object_id=str(article.pk)).latest("id").user == editor.user


def test_rejecting_a_speaker_removes_the_link_and_the_quotes_lent_to_them(editor):
    article, _, speaker, _ = proposed_article()
    review(editor, article, op="reject", kind="person", link=speaker.pk)
    assert not ArticlePerson.objects.filter(pk=speaker.pk).exists()
    assert not Quote.objects.filter(article=article).exists()
    assert f"Rejetée : cité « {speaker.person} »" in last_message(article)


def test_correcting_the_meeting_points_the_link_at_the_right_one_confirmed(editor):
    article, meeting_link, _, _ = proposed_article()
    right = Meeting.objects.get(slug="amman-2017")
    review(editor, article, op="correct", kind="meeting", link=meeting_link.pk, meeting=right.pk)
    [link] = article.meeting_links.all()
    assert (link.meeting, link.confirmed) == (right, True)
    assert last_message(article).startswith("Réunion corrigée")


def test_correcting_a_role_turns_a_speaker_into_a_mere_mention(editor):
    article, _, speaker, _ = proposed_article()
    review(editor, article, op="correct", kind="person", link=speaker.pk, role="mentioned")
    speaker.refresh_from_db()
    assert (speaker.role, speaker.quote_kind, speaker.confirmed) == ("mentioned", "", True)


def test_accept_all_confirms_every_remaining_proposal(editor):
    article, *_ = proposed_article()
    response = review(editor, article, op="accept_all")
    assert "3 proposition(s) acceptée(s)" in response.text
    assert not article.meeting_links.filter(confirmed=False).exists()
    assert not article.person_links.filter(confirmed=False).exists()


def test_a_reviewer_may_accept_but_not_reject_a_proposal(client):
    reviewer = logged_in(client, REVIEWER)
    article, meeting_link, _, _ = proposed_article()
    page = reviewer.get(admin_url("review", article.pk)).text
    assert 'value="reject"' not in page
    response = reviewer.post(
        admin_url("review", article.pk),
        {"op": "reject", "kind": "meeting", "link": meeting_link.pk},
    )
    assert response.status_code == 403
    assert ArticleMeeting.objects.filter(pk=meeting_link.pk).exists()

    review(reviewer, article, op="accept", kind="meeting", link=meeting_link.pk)
    meeting_link.refresh_from_db()
    assert meeting_link.confirmed


def test_a_link_of_another_article_cannot_be_touched_through_this_one(editor):
    article, *_ = proposed_article()
    _, other_link, _, _ = proposed_article()
    response = editor.post(
        admin_url("review", article.pk), {"op": "reject", "kind": "meeting", "link": other_link.pk}
    )
    assert response.status_code == 404
    assert ArticleMeeting.objects.filter(pk=other_link.pk).exists()


# --- The change form's inlines ------------------------------------------------------------------


def test_the_change_form_shows_confidence_and_evidence_read_only_beside_each_link(editor):
    article, _, speaker, _ = proposed_article()
    response = editor.get(reverse("admin:articles_article_change", args=[article.pk]))
    page = response.text
    assert "« 15 novembre 2017 » → 2017-11-15" in page
    assert f"« a déclaré {speaker.person.name} »" in page
    meeting_formset = next(
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is ArticleMeeting
    )
    assert "confidence" not in meeting_formset.formset.forms[0].fields
    assert "confirmed" in meeting_formset.formset.forms[0].fields


def test_correcting_a_meeting_in_the_change_form_confirms_it(editor):
    from tests.admin.test_permissions import change_form_data

    article, meeting_link, _, _ = proposed_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(editor.get(url))
    right = Meeting.objects.get(slug="amman-2017")
    data["meeting_links-0-meeting"] = right.pk
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting_link.refresh_from_db()
    assert (meeting_link.meeting, meeting_link.confirmed) == (right, True)


# --- From the file to the public search ---------------------------------------------------------


def public_search_url(query: str) -> str | None:
    try:
        return reverse("articles:search") + f"?q={query}"
    except NoReverseMatch:
        return None


def test_an_imported_article_goes_from_proposal_to_published_and_searchable(editor, search_index):
    name = "rome-2021-reunion.txt"
    editor.post(
        admin_url("import"),
        {
            "files": [SimpleUploadedFile(name, (FIXTURES / name).read_bytes())],
            "status": "to_check",
        },
    )
    article = Article.objects.get(original_filename=name)
    page = editor.get(admin_url("review", article.pk)).text
    assert "Rome 2021" in page
    assert "Luigi Di Maio" in page and "Antony Blinken" in page

    meeting_link = article.meeting_links.get()
    review(editor, article, op="accept", kind="meeting", link=meeting_link.pk)
    for speaker in article.person_links.filter(role=ArticlePerson.Role.QUOTED):
        review(editor, article, op="accept", kind="person", link=speaker.pk)
    review(editor, article, op="mark_checked")
    response = review(editor, article, op="publish")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "Article publié" in response.text
    assert [entry.get_change_message() for entry in LogEntry.objects.order_by("id")][-2:] == [
        "Statut : À vérifier → Vérifié.",
        "Statut : Vérifié → Publié.",
    ]
    assert editor.get(article.get_absolute_url()).status_code == 200

    search_url = public_search_url("Farnésine")
    if search_url is None:
        pytest.skip("the public search page (articles:search) does not exist yet")
    search_index.drain()
    assert article.title in editor.get(search_url).text
