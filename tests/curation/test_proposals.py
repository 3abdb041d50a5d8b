"""Editors' answers to the importer's proposals: confirmed links survive a new detection."""

import datetime
from pathlib import Path

import pytest

from articles import curation
from articles.curation import rerun_detection
from articles.importing import import_article
from articles.models import ArticleMeeting, ArticlePerson, PendingIndexUpdate
from tests.curation.helpers import messages_for
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

GOOD = Path(__file__).parent.parent / "fixtures" / "import" / "good"


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


def test_rerunning_detection_queues_the_article_for_the_index(django_user_model):
    article = import_article(
        raw=(GOOD / "riyad-communique.txt").read_bytes(), filename="riyad-communique.txt"
    ).article
    PendingIndexUpdate.objects.all().delete()
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "x")

    rerun_detection(articles=[article], user=user)

    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()
    assert ArticleMeeting.objects.get(article=article).meeting.slug == "riyad-2023"
