"""Merging two people or two sources from the admin: everything follows the survivor."""

import datetime

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from articles.models import ArticlePerson, Office, PendingIndexUpdate, Person, Quote, Source
from tests.admin.test_permissions import EDITOR, REVIEWER, logged_in
from tests.factories import (
    ArticleFactory,
    ArticlePersonFactory,
    OfficeFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = reverse("admin:articles_person_changelist")
SOURCES = reverse("admin:articles_source_changelist")


@pytest.fixture
def editor(client):
    return logged_in(client, EDITOR)


def merge(client, changelist, rows, survivor=None):
    data = {"action": "merge_selected", "_selected_action": [row.pk for row in rows]}
    if survivor is not None:
        data.update(apply="1", survivor=survivor.pk)
    return client.post(changelist, data, follow=True)


def two_spellings():
    """The importer's unknown speaker and the reference person it really is."""
    known = PersonFactory(name="Fouad Hussein Test", aliases=["F. Hussein"])
    OfficeFactory(person=known, role="iraq-foreign-minister", start_date=datetime.date(2020, 6, 6))
    unknown = PersonFactory(name="Fuad Husein", needs_review=True, aliases=["Hussein"])
    OfficeFactory(person=unknown, role="iraq-deputy-pm", start_date=datetime.date(2021, 1, 1))
    return known, unknown


def test_merging_asks_which_person_survives(editor):
    known, unknown = two_spellings()
    page = merge(editor, PEOPLE, [known, unknown])
    assert page.status_code == 200
    assert "Fusionner" in page.text
    assert known.name in page.text and unknown.name in page.text
    assert Person.objects.filter(pk=unknown.pk).exists()


def test_merging_people_moves_links_quotes_offices_and_combines_aliases(editor):
    known, unknown = two_spellings()
    only_unknown = ArticlePersonFactory(person=unknown, role=ArticlePerson.Role.QUOTED).article
    both = ArticleFactory()
    ArticlePersonFactory(
        article=both, person=known, role=ArticlePerson.Role.MENTIONED, quote_kind="", confirmed=True
    )
    ArticlePersonFactory(
        article=both, person=unknown, role=ArticlePerson.Role.QUOTED, quote_kind="indirect"
    )
    QuoteFactory(article=both, person=unknown, text="Il faut juger les combattants.")

    response = merge(editor, PEOPLE, [known, unknown], survivor=known)

    assert "fusionné(e) dans" in response.text
    assert not Person.objects.filter(pk=unknown.pk).exists()
    known.refresh_from_db()
    assert known.aliases == ["F. Hussein", "Fuad Husein", "Hussein"]
    assert known.needs_review is False
    assert only_unknown.person_links.get().person == known
    # The article linked to both keeps one link: quoted beats mentioned, confirmed beats not.
    [link] = both.person_links.all()
    assert (link.person, link.role, link.quote_kind, link.confirmed) == (
        known,
        ArticlePerson.Role.QUOTED,
        "indirect",
        True,
    )
    assert Quote.objects.get(article=both).person == known
    assert set(Office.objects.filter(person=known).values_list("role", flat=True)) == {
        "iraq-foreign-minister",
        "iraq-deputy-pm",
    }
    assert {only_unknown.pk, both.pk} <= set(
        PendingIndexUpdate.objects.values_list("article_id", flat=True)
    )


def test_a_person_merge_is_recorded_on_the_survivor_and_the_absorbed(editor):
    known, unknown = two_spellings()
    merge(editor, PEOPLE, [known, unknown], survivor=known)
    survivor_entry = LogEntry.objects.filter(object_id=str(known.pk)).latest("id")
    assert survivor_entry.user == editor.user
    assert "Fusion : « Fuad Husein » absorbée" in survivor_entry.get_change_message()
    absorbed_entry = LogEntry.objects.get(object_id=str(unknown.pk))
    assert absorbed_entry.action_flag == DELETION
    history = editor.get(reverse("admin:articles_person_history", args=[known.pk]))
    assert "Fuad Husein" in history.text


def test_merging_needs_exactly_two_rows(editor):
    first, second, third = PersonFactory.create_batch(3)
    response = merge(editor, PEOPLE, [first, second, third], survivor=first)
    assert "exactement deux" in response.text
    assert Person.objects.filter(pk__in=[first.pk, second.pk, third.pk]).count() == 3
    response = merge(editor, PEOPLE, [first])
    assert "exactement deux" in response.text


def test_a_reviewer_is_not_offered_the_merge(client):
    reviewer = logged_in(client, REVIEWER)
    first, second = PersonFactory.create_batch(2)
    merge(reviewer, PEOPLE, [first, second], survivor=first)
    assert Person.objects.filter(pk=second.pk).exists()


def test_merging_sources_moves_articles_and_keeps_the_absorbed_name_as_an_alias(editor):
    survivor = SourceFactory(name="Agence Exemple", aliases=["AE"])
    absorbed = SourceFactory(name="Agence Exemple Presse", aliases=["AEP", "ae"], country="France")
    ArticleFactory.create_batch(2, source=absorbed)

    page = merge(editor, SOURCES, [survivor, absorbed])
    assert "Agence Exemple Presse" in page.text
    merge(editor, SOURCES, [survivor, absorbed], survivor=survivor)

    assert not Source.objects.filter(pk=absorbed.pk).exists()
    survivor.refresh_from_db()
    assert survivor.aliases == ["AE", "Agence Exemple Presse", "AEP"]
    assert survivor.country == "France"
    assert survivor.articles.count() == 2
    entry = LogEntry.objects.filter(object_id=str(survivor.pk)).latest("id")
    assert "2 article(s) déplacé(s)" in entry.get_change_message()


def test_people_and_sources_have_autocomplete_search(editor):
    PersonFactory(name="Josep Testell")
    response = editor.get(
        reverse("admin:autocomplete"),
        {
            "term": "Testell",
            "app_label": "articles",
            "model_name": "articleperson",
            "field_name": "person",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Josep Testell"]
