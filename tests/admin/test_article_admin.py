"""The article list: columns without N+1 queries, filters, search, bulk actions, the raw file."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleMeeting, ArticlePerson, Meeting
from tests.admin.test_permissions import (
    EDITOR,
    REVIEWER,
    admin_url,
    logged_in,
    run_action,
)
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor(client):
    return logged_in(client, EDITOR)


def covered_article(meeting=None, **fields):
    article = ArticleFactory(**fields)
    ArticleMeetingFactory(article=article, meeting=meeting or MeetingFactory(), confidence=0.8)
    for _ in range(2):
        ArticlePersonFactory(article=article)
    ArticlePersonFactory(article=article, role=ArticlePerson.Role.MENTIONED, quote_kind="")
    return article


def history_messages(article) -> list[str]:
    return [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(object_id=str(article.pk)).order_by("id")
    ]


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_status_source_date_meeting_and_speakers(editor):
    meeting = MeetingFactory(city="Genève", start_date=datetime.date(2020, 5, 4))
    article = covered_article(meeting=meeting, title="Les ministres à Genève")
    speakers = sorted(
        article.person_links.filter(role="quoted").values_list("person__name", flat=True)
    )

    page = editor.get(CHANGELIST).text
    assert "Les ministres à Genève" in page
    assert "Publié" in page
    assert article.source.name in page
    assert "Genève 2020 (?)" in page  # proposed, not confirmed yet
    assert ", ".join(speakers) in page


def test_the_list_needs_the_same_number_of_queries_for_3_or_30_articles(editor):
    for _ in range(3):
        covered_article()
    with CaptureQueriesContext(connection) as few:
        assert editor.get(CHANGELIST).status_code == 200
    for _ in range(27):
        covered_article()
    with CaptureQueriesContext(connection) as many:
        response = editor.get(CHANGELIST)
    assert response.context["cl"].result_count == 30
    assert len(many) == len(few), [query["sql"] for query in many]
    assert len(many) <= 20


def test_the_list_filters_by_status_year_meeting_language_and_near_duplicate_flag(editor):
    rome = MeetingFactory(city="Rome", start_date=datetime.date(2021, 6, 28))
    checked = covered_article(status=Article.Status.CHECKED, published_on=datetime.date(2019, 2, 6))
    in_rome = covered_article(meeting=rome, published_on=datetime.date(2021, 6, 28))
    english = ArticleFactory(language=Article.Language.ENGLISH)
    duplicate = ArticleFactory(near_duplicate_of=in_rome, near_duplicate_similarity=0.9)

    def listed(query):
        return set(editor.get(CHANGELIST + query).context["cl"].result_list)

    assert listed("?status__exact=checked") == {checked}
    assert listed("?annee=2019") == {checked}
    assert listed(f"?meetings__id__exact={rome.pk}") == {in_rome}
    assert listed("?language__exact=en") == {english}
    assert listed("?doublon=oui") == {duplicate}
    assert listed("?reunion_confirmee=aucune") == {english, duplicate}


def test_the_list_searches_titles_and_texts(editor):
    ArticleFactory(title="Un titre sans rapport", body="On y parle de déminage à Mossoul.")
    ArticleFactory(title="Autre chose", body="Rien à voir.")
    results = editor.get(CHANGELIST + "?q=déminage").context["cl"].result_list
    assert [article.title for article in results] == ["Un titre sans rapport"]


# --- Bulk actions -------------------------------------------------------------------------------


def test_publish_and_unpublish_are_bulk_actions_recorded_in_history(editor):
    first, second = ArticleFactory.create_batch(2, status=Article.Status.CHECKED)
    response = run_action(editor, "publish_selected", [first, second])
    assert "2 article(s) publié(s)" in response.text
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
    assert history_messages(first) == ["Statut : Vérifié → Publié."]

    run_action(editor, "unpublish_selected", [first])
    first.refresh_from_db()
    assert first.status == Article.Status.CHECKED
    assert history_messages(first)[-1] == "Statut : Publié → Vérifié."
    assert LogEntry.objects.filter(object_id=str(first.pk)).last().user == editor.user


def test_a_reviewer_marks_articles_checked_in_bulk_but_published_ones_stay_published(client):
    reviewer = logged_in(client, REVIEWER)
    to_check = ArticleFactory(status=Article.Status.TO_CHECK)
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    run_action(reviewer, "mark_checked_selected", [to_check, published])
    to_check.refresh_from_db()
    published.refresh_from_db()
    assert to_check.status == Article.Status.CHECKED
    assert published.status == Article.Status.PUBLISHED


def test_sending_a_published_article_back_to_check_is_refused_to_a_reviewer(client):
    reviewer = logged_in(client, REVIEWER)
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    response = run_action(reviewer, "send_back_to_check_selected", [published])
    assert "Refusé" in response.text
    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED


def test_assigning_a_meeting_asks_which_one_then_replaces_pending_proposals(editor):
    wrong, right = MeetingFactory(city="Paris"), MeetingFactory(city="Amman")
    proposed = covered_article(meeting=wrong, status=Article.Status.TO_CHECK)
    bare = ArticleFactory(status=Article.Status.TO_CHECK)

    form_page = run_action(editor, "assign_meeting", [proposed, bare])
    assert form_page.status_code == 200
    assert "Attribuer une réunion" in form_page.text
    assert not ArticleMeeting.objects.filter(meeting=right).exists()

    response = run_action(editor, "assign_meeting", [proposed, bare], apply="1", meeting=right.pk)
    assert "attribuée à 2 article(s)" in response.text
    for article in (proposed, bare):
        [link] = article.meeting_links.all()
        assert (link.meeting, link.confirmed) == (right, True)
        assert history_messages(article)[-1] == f"Réunion attribuée : « {right} »."


def test_rerunning_detection_refreshes_proposals_but_keeps_confirmed_links(editor):
    rome = Meeting.objects.get(slug="rome-2021")
    confirmed_elsewhere = Meeting.objects.get(slug="amman-2017")
    stale_guess = Meeting.objects.get(slug="paris-2015")
    article = ArticleFactory(
        status=Article.Status.TO_CHECK,
        title="À Rome, la coalition fait le point",
        body=(
            "Rome, 28 juin 2021 – Les ministres de la Coalition mondiale contre Daech se sont "
            "réunis lundi à Rome. « Nous resterons vigilants », a déclaré Luigi Di Maio."
        ),
        published_on=datetime.date(2021, 6, 28),
    )
    ArticleMeeting.objects.create(article=article, meeting=confirmed_elsewhere, confirmed=True)
    ArticleMeeting.objects.create(article=article, meeting=stale_guess, confidence=0.3)

    run_action(editor, "rerun_detection_selected", [article])

    links = {link.meeting: link for link in article.meeting_links.all()}
    assert links[confirmed_elsewhere].confirmed
    assert stale_guess not in links
    assert links[rome].confirmed is False
    assert "luigi-di-maio" in article.person_links.values_list("person__slug", flat=True)
    assert history_messages(article)[-1].startswith("Détection relancée")


def test_a_reviewer_cannot_rerun_detection_or_assign_meetings(client):
    reviewer = logged_in(client, REVIEWER)
    actions = reviewer.get(CHANGELIST).context["action_form"].fields["action"].choices
    names = {value for value, _label in actions}
    assert "rerun_detection_selected" not in names
    assert "assign_meeting" not in names


# --- The raw file -------------------------------------------------------------------------------


def test_the_raw_file_is_served_as_plain_text_never_as_html(editor):
    hostile = b'<html><body onload="alert(1)"><script>alert("x")</script><p>Texte</p></body></html>'
    article = ArticleFactory(raw_file=hostile, raw_encoding="utf-8", source_format="html")

    response = editor.get(admin_url("raw", article.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert response.content == hostile  # the markup is shown as text, byte for byte


def test_the_raw_file_is_decoded_with_its_recorded_encoding(editor):
    article = ArticleFactory(raw_file="Les délégués réunis à Koweït".encode("cp1252"))
    article.raw_encoding = "cp1252"
    article.save()
    response = editor.get(admin_url("raw", article.pk))
    assert response.content.decode("utf-8") == "Les délégués réunis à Koweït"


def test_the_change_form_links_to_the_review_page_and_the_raw_file(editor):
    article = ArticleFactory()
    page = editor.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert admin_url("review", article.pk) in page
    assert admin_url("raw", article.pk) in page


def test_a_person_created_by_the_importer_is_flagged_on_the_person_list(editor):
    PersonFactory(name="Intervenant Inconnu", needs_review=True)
    page = editor.get(reverse("admin:articles_person_changelist") + "?needs_review__exact=1")
    assert "Intervenant Inconnu" in page.text
