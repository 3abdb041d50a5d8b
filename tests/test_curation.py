"""The editors' write operations: all or nothing, history recorded, editors' choices kept."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied

from articles import curation
from articles.models import Article, ArticleMeeting, ArticlePerson, Person
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def member_of(group_name: str) -> User:
    user = User.objects.create_user(f"membre-{group_name}", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def editor():
    return member_of("Éditeur")


@pytest.fixture
def reviewer():
    return member_of("Relecteur")


def messages_for(obj) -> list[str]:
    return [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(object_id=str(obj.pk)).order_by("id")
    ]


# --- Status ---------------------------------------------------------------------------------------


def test_publishing_without_the_permission_changes_nothing_at_all(reviewer):
    to_check = ArticleFactory(status=Article.Status.TO_CHECK)
    checked = ArticleFactory(status=Article.Status.CHECKED)
    with pytest.raises(PermissionDenied):
        curation.publish(articles=[to_check, checked], user=reviewer)
    assert set(Article.objects.values_list("status", flat=True)) == {"to_check", "checked"}
    assert not LogEntry.objects.exists()


def test_status_changes_are_recorded_and_unchanged_articles_are_skipped(editor):
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    checked = ArticleFactory(status=Article.Status.CHECKED)
    changed = curation.publish(articles=[published, checked], user=editor)
    assert changed == [checked]
    assert messages_for(checked) == ["Statut : Vérifié → Publié."]
    assert messages_for(published) == []


def test_marking_checked_leaves_published_articles_alone(reviewer):
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    curation.mark_checked(articles=[published], user=reviewer)
    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED


# --- Proposals ------------------------------------------------------------------------------------


def test_accepting_all_proposals_confirms_the_pending_ones_only(editor):
    article = ArticleFactory()
    ArticleMeetingFactory(article=article, confidence=0.6)
    ArticlePersonFactory(article=article, confirmed=True)
    ArticlePersonFactory(article=article)
    assert curation.accept_all_proposals(article=article, user=editor) == 2
    assert not ArticleMeeting.objects.filter(confirmed=False).exists()
    assert not ArticlePerson.objects.filter(confirmed=False).exists()
    assert len(messages_for(article)) == 1


def test_assigning_a_meeting_keeps_other_confirmed_meetings(editor):
    article = ArticleFactory()
    kept = ArticleMeetingFactory(article=article, confirmed=True).meeting
    dropped = ArticleMeetingFactory(article=article, confidence=0.3).meeting
    chosen = MeetingFactory()
    curation.assign_meeting(articles=[article], meeting=chosen, user=editor)
    assert set(article.meeting_links.values_list("meeting", flat=True)) == {kept.pk, chosen.pk}
    assert dropped.pk not in article.meeting_links.values_list("meeting", flat=True)


def test_rerunning_detection_keeps_an_editors_confirmed_speaker(editor):
    article = ArticleFactory(
        title="Rome accueille la coalition",
        body="Rome, 28 juin 2021 – « Restons unis », a déclaré Luigi Di Maio devant ses hôtes.",
        published_on=datetime.date(2021, 6, 28),
    )
    editor_choice = ArticlePersonFactory(
        article=article, role=ArticlePerson.Role.MENTIONED, quote_kind="", confirmed=True
    )
    curation.rerun_detection(articles=[article], user=editor)
    assert ArticlePerson.objects.filter(pk=editor_choice.pk, confirmed=True).exists()
    assert article.person_links.filter(person__slug="luigi-di-maio").exists()


# --- Merges -------------------------------------------------------------------------------------


def test_aliases_are_combined_without_repeats_whatever_the_accents_and_case():
    assert curation.combined_aliases(
        name="Fayçal ben Farhane",
        aliases=["Faisal bin Farhan"],
        extra=["Faycal ben Farhane", "faisal bin farhan", "  Prince  Fayçal ", "Prince Fayçal"],
    ) == ["Faisal bin Farhan", "Prince Fayçal"]


def test_two_quoted_links_merge_into_a_direct_quote_when_either_was_direct(editor):
    survivor, absorbed = PersonFactory.create_batch(2)
    article = ArticleFactory()
    ArticlePersonFactory(article=article, person=survivor, quote_kind="indirect")
    ArticlePersonFactory(article=article, person=absorbed, quote_kind="direct")
    curation.merge_people(survivor=survivor, absorbed=absorbed, user=editor)
    [link] = ArticlePerson.objects.all()
    assert (link.person, link.quote_kind) == (survivor, "direct")


def test_a_person_cannot_absorb_itself(editor):
    person = PersonFactory()
    with pytest.raises(ValueError):
        curation.merge_people(survivor=person, absorbed=person, user=editor)
    assert Person.objects.filter(pk=person.pk).exists()


def test_merging_an_article_that_is_not_a_duplicate_is_refused(editor):
    with pytest.raises(ValueError):
        curation.merge_near_duplicate(duplicate=ArticleFactory(), user=editor)


# --- Import -------------------------------------------------------------------------------------


def test_an_import_without_the_permission_is_refused(reviewer):
    with pytest.raises(PermissionDenied):
        curation.import_uploads(
            uploads=[curation.Upload(name="a.txt", raw=b"Titre\n\nTexte.")], user=reviewer
        )


def test_a_created_article_is_an_addition_and_an_updated_one_a_change(editor):
    page = (
        '<html><head><title>{title}</title><link rel="canonical" href="https://exemple.org/a">'
        "</head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )
    first = page.format(title="Première version", text="Les ministres se sont réunis à Rome.")
    second = page.format(title="Version corrigée", text="Les ministres se sont retrouvés à Rome.")
    summary = curation.import_uploads(
        uploads=[
            curation.Upload(name="a.html", raw=first.encode()),
            curation.Upload(name="a-corrige.html", raw=second.encode()),
        ],
        user=editor,
    )
    assert summary.line() == "created 1, updated 1, unchanged 0, duplicates 0, failed 0"
    article = Article.objects.get()
    flags = list(
        LogEntry.objects.filter(object_id=str(article.pk))
        .order_by("id")
        .values_list("action_flag", flat=True)
    )
    assert flags == [ADDITION, CHANGE]
    assert messages_for(article)[-1] == "Importé depuis le fichier a-corrige.html."
