"""Phrases matched and ranked with numpy give Whoosh's own documents, total, order and scores.

The backend matches a phrase from its words' positions (decoded from the posting blocks, for
the documents that have every word) and scores it as Whoosh's span matcher does, as the AND of
its words where the phrase matches. For each query here the total, the first results, their
order and their scores are compared with Whoosh's own ``searcher.search`` on the same index.
"""

import random

import pytest
from haystack.query import SearchQuerySet
from whoosh import query

from articles.models import Article
from articles.search.engine.whoosh import handle as handle_module
from articles.search.engine.whoosh.facets import MaskDocs
from articles.search.engine.whoosh.handle import POSITIONS, reset_searchers
from articles.search.engine.whoosh.matching import fast_docs
from articles.search.engine.whoosh.scoring import bm25_scores
from tests.factories import ArticleFactory, ArticleMeetingFactory, MeetingFactory
from tests.search.engine.whoosh.test_scoring import searchqueryset

pytestmark = pytest.mark.django_db

FILLER = [
    "coalition",
    "ministres",
    "réunion",
    "région",
    "Mossoul",
    "réfugiés",
    "donateurs",
    "reconstruction",
    "pays",
    "désormais",
    "contre",
    "Daech",
    "après",
    "doivent",
    "86",
]
# Pieces of text with and without the phrases searched below, mixed into the bodies.
PIECES = [
    "la lutte contre Daech se poursuit",
    "contre la propagande de Daech",
    "Daech contre",
    "les donateurs doivent tenir parole",
    "les donateurs ne doivent rien",
    "désormais 86 pays",
    "désormais, les pays membres sont 86",
    "préparer l’après-Daech en Irak",
    "l'après-Daech en Syrie",
    "après la chute de Daech",
    "petit à petit",
    "un petit pas",
]


def body(rng) -> str:
    words = rng.choices(FILLER, k=rng.randint(0, 30)) + rng.choices(PIECES, k=rng.randint(0, 4))
    rng.shuffle(words)
    return " ".join(words)


@pytest.fixture
def phrase_corpus(search_index):
    rng = random.Random(7)
    rome = MeetingFactory(title="Rome", slug="zz-rome")
    # Two batches: an index of two segments, as an archive that grows has.
    for batch in range(2):
        for n in range(50):
            article = ArticleFactory(title=f"Article {batch}-{n}", body=f"{body(rng)} ({n}).")
            if n % 3 == 0:
                ArticleMeetingFactory(article=article, meeting=rome)
        search_index.drain()
    # Equal texts score equally: the order between them is the documents' order.
    for n in range(3):
        ArticleFactory(title=f"Jumeau {n}", body=f"Les donateurs doivent payer ({n}).")
    search_index.drain()


def assert_whooshs_own(query_string, *, narrow=(), top=20):
    """The backend's outcome for ``query_string`` is Whoosh's: the same total, the same first
    ``top`` documents in the same order, the same scores; and it took the numpy path."""
    backend = SearchQuerySet().query.backend
    outcome = backend.execute(query_string, narrow_queries=set(narrow), top=top)
    handle = outcome.handle
    with handle.lock:
        parsed = backend.parser.parse(query_string)
        assert fast_docs(backend.schema, parsed), parsed
        assert bm25_scores(handle, outcome.searcher, parsed) is not None, parsed
        allowed = backend.allowed_docs(handle, outcome.searcher, set(narrow), None)
        expected = outcome.searcher.search(
            parsed, limit=None, filter=MaskDocs(allowed) if allowed is not None else None
        ).top_n
    assert outcome.hits == len(expected)
    assert outcome.docnums == [docnum for _score, docnum in expected[:top]]
    assert [outcome.scores[docnum] for docnum in outcome.docnums] == pytest.approx(
        [score for score, _docnum in expected[:top]], rel=1e-12
    )
    return outcome, parsed


def words_anywhere(parsed) -> int:
    """How many documents have every word of a phrase, adjacent or not."""
    words_only = query.And([query.Term(parsed.fieldname, word) for word in parsed.words])
    backend = SearchQuerySet().query.backend
    handle = backend.handle()
    return handle.read(lambda searcher: len(list(searcher.docs_for_query(words_only))))


@pytest.mark.parametrize(
    "text",
    [
        '"donateurs doivent"',
        '"désormais 86 pays"',
        '"l’après-Daech en"',
        "l'après-Daech",
        '"contre Daech se"',
    ],
)
def test_a_phrase_finds_and_ranks_what_whoosh_does(phrase_corpus, text):
    outcome, parsed = assert_whooshs_own(searchqueryset(text).query.build_query())
    assert isinstance(parsed, query.Phrase)
    assert 0 < outcome.hits < words_anywhere(parsed)


@pytest.mark.parametrize("top", [1, 3, 100])
def test_any_number_of_first_results_is_whooshs_own(phrase_corpus, top):
    assert_whooshs_own(searchqueryset('"donateurs doivent"').query.build_query(), top=top)


def test_words_present_but_apart_do_not_match_the_phrase(phrase_corpus):
    # "Daech contre" occurs; the phrase in the other order does not count it.
    outcome, parsed = assert_whooshs_own(searchqueryset('"Daech contre"').query.build_query())
    assert outcome.hits < words_anywhere(parsed)


def test_a_stop_word_inside_the_phrase_is_skipped_as_whoosh_skips_it(phrase_corpus):
    # "contre la propagande de Daech" has no stop words left between contre and propagande.
    outcome, parsed = assert_whooshs_own(
        searchqueryset('"contre la propagande"').query.build_query()
    )
    assert parsed.words == ["contr", "propagand"]
    assert outcome.hits > 0


def test_a_word_repeated_in_the_phrase_must_occur_twice_in_a_row(phrase_corpus):
    outcome, parsed = assert_whooshs_own(searchqueryset('"petit à petit"').query.build_query())
    assert parsed.words[0] == parsed.words[1]
    assert 0 < outcome.hits < words_anywhere(parsed)


@pytest.mark.parametrize("slop", [2, 3, 6])
def test_a_phrase_with_slop_allows_words_in_between_as_whoosh_does(phrase_corpus, slop):
    outcome, parsed = assert_whooshs_own(f'text:"donateurs doivent"~{slop}')
    assert parsed.slop == slop
    exact, _parsed = assert_whooshs_own('text:"donateurs doivent"')
    assert outcome.hits > exact.hits


def test_a_phrase_and_a_word_match_together(phrase_corpus):
    outcome, parsed = assert_whooshs_own(
        searchqueryset('"désormais 86 pays" Mossoul').query.build_query()
    )
    assert isinstance(parsed, query.And)
    assert outcome.hits > 0


def test_a_phrase_or_a_word_scores_the_phrase_only_where_it_matches(phrase_corpus):
    outcome, _parsed = assert_whooshs_own(
        searchqueryset('"contre Daech" OR réfugiés').query.build_query(), top=100
    )
    assert outcome.hits > 0


def test_a_phrase_without_a_word(phrase_corpus):
    assert_whooshs_own(searchqueryset('"donateurs doivent" -Mossoul').query.build_query())


def test_a_phrase_within_a_meeting_has_whooshs_results_and_the_meetings_count(phrase_corpus):
    sqs = searchqueryset('"contre Daech"').narrow('meeting:"zz-rome"').facet("meeting")
    outcome, _parsed = assert_whooshs_own(
        sqs.query.build_query(), narrow=sqs.query.narrow_queries, top=100
    )
    assert outcome.hits > 0
    assert sqs.facet_counts()["fields"]["meeting"] == [("zz-rome", outcome.hits)]


def test_equal_scores_keep_the_documents_order(phrase_corpus):
    results = list(searchqueryset('"doivent payer"')[:3])
    assert [result.title for result in results] == [f"Jumeau {n}" for n in range(3)]


def test_a_deleted_article_is_not_found_by_its_phrase(phrase_corpus, search_index):
    query_string = searchqueryset('"donateurs doivent"').query.build_query()
    before, _parsed = assert_whooshs_own(query_string)
    Article.objects.get(title="Jumeau 0").delete()
    search_index.drain()
    after, _parsed = assert_whooshs_own(query_string)
    assert after.hits == before.hits - 1


def test_decoded_positions_stay_within_their_budget_and_match_the_same(phrase_corpus, monkeypatch):
    monkeypatch.setattr(handle_module, "POSITIONS_CACHE_BYTES", 300)
    reset_searchers()
    for text in ['"contre Daech se"', '"petit à petit"', '"désormais 86 pays"']:
        outcome, _parsed = assert_whooshs_own(searchqueryset(text).query.build_query())
    cache = outcome.handle.cache(POSITIONS)
    assert cache.size <= 300 or len(cache.entries) == 1
