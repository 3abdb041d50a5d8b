"""A near-duplicate is shown beside its twin; the editor keeps both or merges it into the twin."""

import pytest
from django.contrib.admin.models import LogEntry

from articles.models import Article, ArticleMeeting, ArticlePerson
from tests.admin.test_permissions import EDITOR, REVIEWER, admin_url, logged_in
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TWIN_TEXT = (
    "Les directeurs politiques de la coalition se sont retrouvés à Amman pour préparer "
    "la stabilisation des villes reprises et le retour des déplacés."
)


@pytest.fixture
def editor(client):
    return logged_in(client, EDITOR)


def twins():
    twin = ArticleFactory(title="Amman, version courte", body=TWIN_TEXT)
    duplicate = ArticleFactory(
        title="Amman, version longue",
        body=TWIN_TEXT + " Ils ont aussi parlé <b>du déminage</b>.",
        near_duplicate_of=twin,
        near_duplicate_similarity=0.92,
        original_filename="amman-longue.txt",
        status=Article.Status.TO_CHECK,
    )
    return twin, duplicate


def test_the_duplicate_is_shown_beside_its_twin_with_the_differences_marked(editor):
    _twin, duplicate = twins()
    response = editor.get(admin_url("duplicate", duplicate.pk))
    page = response.text
    assert "Amman, version courte" in page and "Amman, version longue" in page
    assert "92" in page
    assert "<mark>Ils ont aussi parlé &lt;b&gt;du déminage&lt;/b&gt;.</mark>" in page
    assert "<b>du déminage</b>" not in page


def test_keeping_both_clears_the_flag_and_says_so_in_history(editor):
    _twin, duplicate = twins()
    editor.post(admin_url("duplicate", duplicate.pk), {"op": "keep"})
    duplicate.refresh_from_db()
    assert duplicate.near_duplicate_of is None
    assert duplicate.near_duplicate_similarity is None
    entry = LogEntry.objects.get(object_id=str(duplicate.pk))
    assert "distinct de « Amman, version courte »" in entry.get_change_message()


def test_merging_moves_links_and_provenance_to_the_twin_then_deletes_the_duplicate(editor):
    twin, duplicate = twins()
    shared_meeting, other_meeting = MeetingFactory(), MeetingFactory()
    ArticleMeetingFactory(article=twin, meeting=shared_meeting, confidence=0.5)
    ArticleMeetingFactory(article=duplicate, meeting=shared_meeting, confidence=0.9, confirmed=True)
    ArticleMeetingFactory(article=duplicate, meeting=other_meeting, confidence=0.4)
    speaker = PersonFactory()
    ArticlePersonFactory(
        article=twin, person=speaker, role=ArticlePerson.Role.MENTIONED, quote_kind=""
    )
    ArticlePersonFactory(article=duplicate, person=speaker, role=ArticlePerson.Role.QUOTED)
    duplicate.canonical_url = "https://exemple.org/amman-longue"
    duplicate.save()
    third = ArticleFactory(near_duplicate_of=duplicate, near_duplicate_similarity=0.7)

    response = editor.post(admin_url("duplicate", duplicate.pk), {"op": "merge"}, follow=True)

    assert "fusionné dans « Amman, version courte »" in response.text
    assert not Article.objects.filter(pk=duplicate.pk).exists()
    links = {link.meeting: link for link in ArticleMeeting.objects.filter(article=twin)}
    assert set(links) == {shared_meeting, other_meeting}
    assert (links[shared_meeting].confirmed, links[shared_meeting].confidence) == (True, 0.9)
    [person_link] = twin.person_links.all()
    assert person_link.role == ArticlePerson.Role.QUOTED
    twin.refresh_from_db()
    assert twin.canonical_url == "https://exemple.org/amman-longue"
    third.refresh_from_db()
    assert third.near_duplicate_of == twin
    note = LogEntry.objects.filter(object_id=str(twin.pk)).latest("id").get_change_message()
    assert "Amman, version longue" in note and "amman-longue.txt" in note


def test_a_reviewer_may_keep_both_but_not_merge(client):
    reviewer = logged_in(client, REVIEWER)
    _twin, duplicate = twins()
    page = reviewer.get(admin_url("duplicate", duplicate.pk)).text
    assert 'value="merge"' not in page
    response = reviewer.post(admin_url("duplicate", duplicate.pk), {"op": "merge"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=duplicate.pk).exists()


def test_an_article_without_twin_redirects_to_its_review_page(editor):
    article = ArticleFactory()
    response = editor.get(admin_url("duplicate", article.pk))
    assert response.status_code == 302
    assert response["Location"] == admin_url("review", article.pk)
