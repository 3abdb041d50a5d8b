"""The data model's rules: constraints the database enforces and the domain's querysets."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, ArticlePerson, Meeting, Person, content_hash
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_content_hash_ignores_spacing_and_case():
    assert content_hash("La  Coalition\nse réunit") == content_hash("la coalition se RÉUNIT")
    assert content_hash("La coalition se réunit") != content_hash("La coalition s’est réunie")


def test_two_articles_with_the_same_content_hash_are_refused():
    first = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(content_hash=first.content_hash)


def test_canonical_url_is_unique_when_present_and_may_be_blank_for_many():
    ArticleFactory(canonical_url="https://presse.example/coalition-rome")
    ArticleFactory(canonical_url="")
    ArticleFactory(canonical_url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(canonical_url="https://presse.example/coalition-rome")


def test_meeting_that_ends_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(start_date=datetime.date(2021, 6, 28), end_date=datetime.date(2021, 6, 27))


def test_unknown_review_status_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status="archived")


def test_unknown_meeting_kind_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(kind="summit")


def test_an_office_cannot_end_before_it_starts():
    from tests.factories import OfficeFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2019, 1, 1))


def test_a_person_appears_once_per_article():
    link = ArticlePersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticlePersonFactory(article=link.article, person=link.person)


def test_meeting_confidence_stays_between_zero_and_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleMeetingFactory(confidence=1.5)


def test_reference_meetings_are_loaded_by_the_migrations():
    expected = {
        ("Bruxelles", "2014-12-03"),
        ("Paris", "2015-06-02"),
        ("Rome", "2016-02-02"),
        ("Washington", "2017-03-22"),
        ("Amman", "2017-11-15"),
        ("Koweït", "2018-02-13"),
        ("Washington", "2019-02-06"),
        ("Washington", "2019-11-14"),
        ("Rome", "2021-06-28"),
        ("Marrakech", "2022-05-11"),
        ("Riyad", "2023-06-08"),
    }
    loaded = {(m.city, m.start_date.isoformat()) for m in Meeting.objects.all()}
    assert expected <= loaded
    assert Meeting.objects.filter(city="Washington", start_date__year=2016).exists()


def test_reference_people_know_which_office_they_held_when():
    tillerson = Person.objects.get(slug="rex-tillerson")
    assert "Tillerson" in tillerson.aliases
    assert tillerson.office_on(datetime.date(2017, 3, 22)).role == "us-secretary-of-state"
    assert tillerson.office_on(datetime.date(2019, 2, 6)) is None


def test_published_returns_only_published_articles():
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    ArticleFactory(status=Article.Status.TO_CHECK)
    ArticleFactory(status=Article.Status.CHECKED)
    assert list(Article.objects.published()) == [published]


def test_for_meeting_returns_the_articles_covering_that_meeting():
    rome = MeetingFactory(city="Rome")
    other = MeetingFactory()
    covering = ArticleMeetingFactory(meeting=rome).article
    ArticleMeetingFactory(meeting=other)
    assert list(Article.objects.for_meeting(rome)) == [covering]


def test_quoting_ignores_articles_that_merely_mention_the_person():
    blinken = PersonFactory(name="Porte-parole Exemple")
    quoting = ArticlePersonFactory(person=blinken, role=ArticlePerson.Role.QUOTED).article
    ArticlePersonFactory(person=blinken, role=ArticlePerson.Role.MENTIONED, quote_kind="")
    assert list(Article.objects.quoting(blinken)) == [quoting]
    assert Article.objects.mentioning(blinken).count() == 2


def test_newest_first_puts_undated_articles_last():
    undated = ArticleFactory(published_on=None)
    old = ArticleFactory(published_on=datetime.date(2015, 6, 2))
    new = ArticleFactory(published_on=datetime.date(2021, 6, 28))
    assert list(Article.objects.newest_first()) == [new, old, undated]


def test_meetings_count_only_their_published_articles():
    meeting = MeetingFactory()
    ArticleMeetingFactory(meeting=meeting, article=ArticleFactory())
    ArticleMeetingFactory(meeting=meeting, article=ArticleFactory(status=Article.Status.TO_CHECK))
    annotated = Meeting.objects.with_article_counts().get(pk=meeting.pk)
    assert annotated.published_article_count == 1


def test_every_model_names_itself_readably():
    source = SourceFactory(name="Agence Exemple")
    meeting = MeetingFactory(city="Amman", start_date=datetime.date(2017, 11, 15))
    assert str(source) == "Agence Exemple"
    assert str(meeting).startswith("Amman 2017")
    assert str(ArticleFactory(title="Un titre")) == "Un titre"


def test_editor_and_reviewer_groups_exist_and_only_editors_may_publish():
    from django.contrib.auth.models import Group

    editor = Group.objects.get(name="Éditeur")
    reviewer = Group.objects.get(name="Relecteur")
    assert editor.permissions.filter(codename="publish_article").exists()
    assert not reviewer.permissions.filter(codename="publish_article").exists()
    assert not reviewer.permissions.filter(codename="delete_article").exists()


def test_the_group_names_synonyms_are_seeded_for_editors_to_extend():
    from articles.models import SynonymGroup

    terms = SynonymGroup.objects.get(name="Daech").terms
    assert {"Daesh", "EI", "État islamique", "ISIS", "EIIL"} <= set(terms)
