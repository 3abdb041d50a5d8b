"""Merging people and sources: links fold together, names become aliases."""

import pytest

from articles import curation
from articles.models import ArticlePerson, Person
from tests.factories import (
    ArticleFactory,
    ArticlePersonFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


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
