"""List pages run a fixed number of queries, however many rows they show (no N+1).

Bounds include the SAVEPOINT and RELEASE that ``ATOMIC_REQUESTS`` wraps around each view.
"""

import datetime

import pytest

from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    OfficeFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def build(rows: int, label: str = "") -> dict:
    """``rows`` of everything, all linked: articles, meetings, people, sources, quotes."""
    source = SourceFactory(name=f"Le Journal mesuré {label}")
    person = PersonFactory(name=f"Irène Mesurée {label}")
    OfficeFactory(person=person)
    meeting = MeetingFactory(start_date=datetime.date(2022, 3, 1))
    articles = []
    for row in range(rows):
        other_meeting = MeetingFactory(start_date=datetime.date(2021, 1, 1))
        other_person = PersonFactory()
        OfficeFactory(person=other_person)
        article = ArticleFactory(
            source=source if row % 2 else SourceFactory(),
            published_on=meeting.start_date + datetime.timedelta(days=row % 20 - 5),
            body=f"La coalition se réunit ; paragraphe {label} numéro {row}.\n\nSuite {row}.",
        )
        ArticleMeetingFactory(article=article, meeting=meeting)
        ArticleMeetingFactory(article=article, meeting=other_meeting)
        ArticlePersonFactory(article=article, person=person)
        ArticlePersonFactory(article=article, person=other_person)
        QuoteFactory(article=article, person=person, text=f"Citation mesurée {row}")
        QuoteFactory(article=article, person=other_person, text=f"Autre citation {row}")
        articles.append(article)
    return {"source": source, "person": person, "meeting": meeting, "article": articles[0]}


PAGES = {
    "home": (lambda w: "/", 10),
    "meeting-list": (lambda w: "/reunions/", 3),
    "meeting-detail": (lambda w: w["meeting"].get_absolute_url(), 6),
    "meeting-compare": (lambda w: f"/reunions/{w['meeting'].slug}/comparaison/", 6),
    # People, their offices and their quote counts: one query each, a grouped one for the counts.
    "person-list": (lambda w: "/intervenants/", 5),
    "person-detail": (lambda w: w["person"].get_absolute_url(), 10),
    "source-list": (lambda w: "/sources/", 3),
    "source-detail": (lambda w: w["source"].get_absolute_url(), 7),
    # 8 for the page, +1 for the articles the index finds similar (more-like-this).
    "article-detail": (lambda w: w["article"].get_absolute_url(), 9),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_the_same_bounded_number_of_queries_for_3_and_30_rows(
    client, django_assert_max_num_queries, search_index, name
):
    url, bound = PAGES[name]
    counts = []
    for rows in (3, 30):
        world = build(rows, label=str(rows))
        # This test's articles in a clean index, whatever earlier tests left there: the
        # article page then always finds similar ones (the query for them is counted).
        search_index.drain()
        with django_assert_max_num_queries(bound) as queries:
            assert client.get(url(world)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], (name, counts)
