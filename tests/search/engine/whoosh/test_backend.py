"""The French Whoosh backend through Haystack: analysis, exact facets, one search per page."""

import datetime
import threading

import pytest
from haystack.inputs import AutoQuery
from haystack.query import SearchQuerySet

from articles.models import Article
from articles.search.engine.whoosh.backend import FrenchWhooshSearchBackend
from articles.search.engine.whoosh.handle import reset_searchers
from articles.search.errors import SearchUnavailable
from coalition_archive.search_settings import WHOOSH_ENGINE
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def articles():
    return SearchQuerySet().using("default").models(Article)


def pks(results):
    return [int(result.pk) for result in results]


@pytest.fixture
def sources(db):
    return {
        "le-monde": SourceFactory(name="Le Quotidien", slug="zz-le-monde"),
        "diplo": SourceFactory(name="Le Quotidien diplomatique", slug="zz-le-monde-diplomatique"),
        "afp": SourceFactory(name="Agence de test", slug="zz-afp"),
    }


@pytest.fixture
def corpus(search_index, sources):
    """A few French articles, with meetings, speakers and sources, indexed."""
    rome = MeetingFactory(slug="zz-rome", city="Rome", kind="ministerial")
    geneva = MeetingFactory(slug="zz-geneve", city="Genève", kind="small_group")
    blinken = PersonFactory(name="Antony Blinken", slug="zz-antony-blinken")
    security = ArticleFactory(
        title="La sécurité au Koweït",
        body="Les États-Unis et l'Irak ont parlé de sécurité aujourd’hui à Rome.",
        source=sources["le-monde"],
        published_on=datetime.date(2021, 6, 28),
    )
    liberation = ArticleFactory(
        title="Mossoul libérée",
        body="La libération de Mossoul par les forces irakiennes, après des négociations.",
        source=sources["diplo"],
        published_on=datetime.date(2017, 7, 10),
    )
    undated = ArticleFactory(
        title="Les terroristes en fuite",
        body="Le terrorisme recule ; al-Baghdadi reste introuvable.",
        source=sources["afp"],
        published_on=None,
    )
    ArticleMeetingFactory(article=security, meeting=rome)
    ArticleMeetingFactory(article=security, meeting=geneva)
    ArticleMeetingFactory(article=liberation, meeting=geneva)
    ArticlePersonFactory(article=security, person=blinken)
    ArticleFactory(title="Brouillon sur la sécurité", status=Article.Status.TO_CHECK)
    assert search_index.drain().ok
    return {"security": security, "liberation": liberation, "undated": undated}


def test_unaccented_query_finds_accented_words(corpus):
    assert pks(articles().filter(content="securite")) == [corpus["security"].pk]
    assert pks(articles().filter(content="Koweit")) == [corpus["security"].pk]


def test_inflected_query_finds_other_forms(corpus):
    assert pks(articles().filter(content="libérer")) == [corpus["liberation"].pk]
    assert pks(articles().filter(content="négociation")) == [corpus["liberation"].pk]
    assert pks(articles().filter(content="terroriste")) == [corpus["undated"].pk]


def test_compound_names_are_found_as_a_phrase(corpus):
    expected = [corpus["security"].pk]
    assert pks(articles().filter(content="Etats-Unis")) == expected
    assert pks(articles().filter(content=AutoQuery('"etats unis"'))) == expected
    assert pks(articles().filter(content="al-Baghdadi")) == [corpus["undated"].pk]
    assert pks(articles().filter(content="Unis-Etats")) == []


def test_a_typed_apostrophe_in_the_text_is_not_html_escaped_into_the_index(corpus):
    assert pks(articles().filter(content="Irak")) == [corpus["security"].pk]
    assert pks(articles().filter(content="x27")) == []


def test_unpublished_articles_are_not_indexed(corpus):
    assert articles().filter(content="brouillon").count() == 0
    assert articles().all().count() == 3


def test_speakers_and_meeting_cities_are_searchable_text(corpus):
    assert pks(articles().filter(content="Blinken")) == [corpus["security"].pk]
    assert set(pks(articles().filter(content="geneve"))) == {
        corpus["security"].pk,
        corpus["liberation"].pk,
    }


def test_source_facet_counts_slugs_not_words(corpus):
    counts = articles().all().facet("source").facet_counts()["fields"]["source"]
    assert sorted(counts) == [
        ("zz-afp", 1),
        ("zz-le-monde", 1),
        ("zz-le-monde-diplomatique", 1),
    ]


def test_a_source_filter_never_matches_a_longer_slug(corpus):
    security = [corpus["security"].pk]
    assert pks(articles().narrow('source:"zz-le-monde"')) == security
    assert pks(articles().filter(source="zz-le-monde")) == security
    assert pks(articles().filter(source__exact="zz-le-monde")) == security
    assert pks(articles().filter(source__in=["zz-le-monde"])) == security
    assert pks(articles().filter(source="zz-le")) == []
    assert pks(articles().filter(source__in=[])) == []


def test_multi_valued_facets_hold_slugs_kinds_and_slugified_cities(corpus):
    sqs = articles().all().facet("meeting").facet("location").facet("meeting_kind")
    facets = sqs.facet_counts()["fields"]
    assert facets["meeting"] == [("zz-geneve", 2), ("zz-rome", 1)]
    assert facets["location"] == [("geneve", 2), ("rome", 1)]
    assert facets["meeting_kind"] == [("small_group", 2), ("ministerial", 1)]
    assert articles().facet("speakers").facet_counts()["fields"]["speakers"] == [
        ("zz-antony-blinken", 1)
    ]


def test_meeting_filters_are_exact_in_both_syntaxes(corpus):
    both = {corpus["security"].pk, corpus["liberation"].pk}
    assert set(pks(articles().narrow('meeting:("zz-rome" OR "zz-geneve")'))) == both
    assert set(pks(articles().filter(meeting__in=["zz-rome", "zz-geneve"]))) == both
    assert pks(articles().narrow('meeting:"zz-rome"')) == [corpus["security"].pk]
    assert pks(articles().filter(meeting="zz-rom")) == []


def test_facet_counts_follow_the_query_and_the_filters(corpus):
    sqs = articles().filter(content="securite").facet("location")
    assert sqs.facet_counts()["fields"]["location"] == [("geneve", 1), ("rome", 1)]
    narrowed = articles().narrow('location:"geneve"').facet("source")
    assert sorted(narrowed.facet_counts()["fields"]["source"]) == [
        ("zz-le-monde", 1),
        ("zz-le-monde-diplomatique", 1),
    ]


def test_facet_limit_is_honoured(corpus):
    counts = articles().all().facet("source", limit=2).facet_counts()["fields"]["source"]
    assert len(counts) == 2


def test_year_and_language_facets(corpus):
    facets = articles().all().facet("year").facet("language").facet_counts()["fields"]
    assert facets["year"] == [(2017, 1), (2021, 1)]
    assert facets["language"] == [("fr", 3)]
    assert pks(articles().filter(year=2021)) == [corpus["security"].pk]


def test_date_range_filter(corpus):
    sqs = articles().filter(published_on__gte=datetime.date(2020, 1, 1))
    assert pks(sqs) == [corpus["security"].pk]
    sqs = articles().filter(published_on__lte=datetime.date(2020, 1, 1))
    assert pks(sqs) == [corpus["liberation"].pk]


def test_exclude(corpus):
    sqs = articles().all().exclude(source="zz-afp")
    assert set(pks(sqs)) == {corpus["security"].pk, corpus["liberation"].pk}


def test_sorting_by_date_puts_undated_articles_last_both_ways(corpus):
    newest = pks(articles().all().order_by("-published_on"))
    oldest = pks(articles().all().order_by("published_on"))
    assert newest == [corpus["security"].pk, corpus["liberation"].pk, corpus["undated"].pk]
    assert oldest == [corpus["liberation"].pk, corpus["security"].pk, corpus["undated"].pk]


def test_relevance_ranks_the_article_that_says_it_most_first(search_index):
    once = ArticleFactory(body="La coalition a parlé de sécurité et de reconstruction.")
    often = ArticleFactory(body="Sécurité, sécurité, sécurité : la sécurité avant tout.")
    search_index.drain()
    assert pks(articles().filter(content="securite")) == [often.pk, once.pk]
    assert pks(articles().filter(content="securite").order_by("-score")) == [often.pk, once.pk]


@pytest.fixture
def forty_dated_articles(search_index):
    start = datetime.date(2015, 1, 1)
    created = [
        ArticleFactory(body=f"La coalition numéro {n}.", published_on=start + datetime.timedelta(n))
        for n in range(40)
    ]
    search_index.drain()
    return [article.pk for article in reversed(created)]  # newest first


def test_any_slice_returns_exactly_those_documents(forty_dated_articles):
    sqs = articles().filter(content="coalition").order_by("-published_on")
    assert pks(sqs[25:35]) == forty_dated_articles[25:35]
    assert pks(sqs[7:8]) == forty_dated_articles[7:8]
    assert (
        pks(articles().filter(content="coalition").order_by("-published_on")[33:47])
        == (forty_dated_articles[33:])
    )


def test_a_slice_past_the_end_has_no_results_but_the_total_and_facets(forty_dated_articles):
    sqs = articles().filter(content="coalition").facet("year")
    assert sqs[60:80] == []
    assert sqs.count() == 40
    assert sqs.facet_counts()["fields"]["year"] == [(2015, 40)]


def test_count_page_facets_and_spelling_cost_one_whoosh_search(forty_dated_articles, monkeypatch):
    calls = []
    original = FrenchWhooshSearchBackend.execute

    def counting(self, *args, **kwargs):
        calls.append(kwargs.get("narrow_queries"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FrenchWhooshSearchBackend, "execute", counting)
    sqs = (
        articles()
        .filter(content="coalition")
        .narrow('language:"fr"')
        .narrow("year:2015")
        .facet("year")
        .facet("source")
        .order_by("-published_on")
    )
    assert sqs.count() == 40
    assert pks(sqs[20:30]) == forty_dated_articles[20:30]
    assert sqs.facet_counts()["fields"]["year"] == [(2015, 40)]
    assert sqs.spelling_suggestion() is None
    assert list(sqs)[:3] == sqs[0:3]
    assert len(calls) == 1


def test_spelling_suggests_real_words_when_nothing_is_found(corpus):
    sqs = articles().filter(content="securte")
    assert sqs.count() == 0
    assert sqs.spelling_suggestion() == "securite"
    assert articles().filter(content="negociatons").spelling_suggestion() == "negociations"


def test_no_suggestion_for_words_the_archive_has(corpus):
    assert articles().filter(content="sécurité Koweït").spelling_suggestion() is None


def test_spelling_ignores_filters_on_facet_fields(corpus):
    sqs = articles().filter(content="securte").narrow('source:"zz-le-monde"')
    assert sqs.filter(meeting="zz-rome").spelling_suggestion() == "securite"


def test_highlighting_is_left_to_the_search_module(corpus):
    results = list(articles().filter(content="securite").highlight())
    assert pks(results) == [corpus["security"].pk]


def test_the_index_does_not_store_the_document_text(corpus):
    result = articles().filter(content="securite")[0]
    assert not getattr(result, "text", None)
    assert result.title == "La sécurité au Koweït"
    assert result.published_on == datetime.date(2021, 6, 28)
    assert result.meeting == ["zz-geneve", "zz-rome"]


def test_one_searcher_is_reused_until_the_index_changes(corpus):
    backend = SearchQuerySet().using("default").query.backend
    articles().filter(content="securite").count()
    first = backend.handle().searcher
    articles().filter(content="Mossoul").count()
    assert backend.handle().searcher is first
    ArticleFactory(title="Nouvelle réunion à Rome")
    from articles.search.queue import drain_index_queue

    drain_index_queue(wait_seconds=5)
    assert articles().filter(content="reunion").count() == 1
    assert backend.handle().searcher is not first


def test_threads_share_the_searcher_safely(corpus):
    errors, counts = [], []

    def search():
        try:
            for _ in range(20):
                counts.append(articles().filter(content="securite").facet("source").count())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(counts) == {1}


def test_a_missing_index_is_reported_as_unavailable(search_index, settings, tmp_path):
    import haystack

    missing = {
        "default": {
            "ENGINE": WHOOSH_ENGINE,
            "PATH": str(tmp_path / "nowhere"),
        }
    }
    original = haystack.connections.connections_info
    settings.HAYSTACK_CONNECTIONS = missing
    haystack.connections.connections_info = missing
    haystack.connections.thread_local.connections = {}
    try:
        with pytest.raises(SearchUnavailable, match="sync_index"):
            articles().filter(content="securite").count()
        assert not (tmp_path / "nowhere").exists()
    finally:
        haystack.connections.connections_info = original
        haystack.connections.thread_local.connections = {}
        reset_searchers()


def test_a_corrupt_index_is_reported_as_unavailable(search_index):
    for toc in search_index.path.glob("*.toc"):
        toc.write_bytes(b"not a table of contents")
    reset_searchers()
    with pytest.raises(SearchUnavailable):
        articles().filter(content="securite").count()


def test_an_empty_index_answers_every_kind_of_query(search_index):
    sqs = articles().filter(content="securite").facet("source").order_by("-published_on")
    assert (sqs.count(), sqs[0:10], sqs.facet_counts()["fields"]["source"]) == (0, [], [])
    assert articles().all().order_by("published_on").count() == 0
