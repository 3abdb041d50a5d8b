"""Relevance ranking computed with numpy gives Whoosh's own BM25F order and scores.

The backend ranks queries of words joined by AND, OR and NOT from posting blocks with numpy
instead of Whoosh's per-document matchers; for each query here the first results, their order
(ties to the lower document number) and their scores are compared with Whoosh's search on the
same index.
"""

import itertools
import random

import pytest
from haystack.query import SearchQuerySet

from articles.models import Article
from articles.search.engine.whoosh import handle as handle_module
from articles.search.engine.whoosh.facets import MaskDocs
from articles.search.engine.whoosh.handle import POSTINGS, reset_searchers
from articles.search.engine.whoosh.scoring import bm25_scores
from articles.search.query import build_text_query
from articles.search.syntax import parse_query
from articles.search.vocabulary import SynonymTable
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

WORDS = [
    "sécurité",
    "frontières",
    "coalition",
    "ministres",
    "Mossoul",
    "réfugiés",
    "négociations",
    "reconstruction",
    "propagande",
    "combattants",
]
FILLER = ["réunion", "déclaration", "région", "semaine", "conférence", "habitants"]


@pytest.fixture
def varied_corpus(search_index):
    rng = random.Random(11)
    for n in range(60):
        words = rng.choices(WORDS, k=rng.randint(1, 12)) + rng.choices(FILLER, k=rng.randint(0, 40))
        rng.shuffle(words)
        ArticleFactory(title=f"Article {n}", body=" ".join(words) + f" ({n}).")
    # Equal texts score equally: the order between them is the documents' order.
    for n in range(4):
        ArticleFactory(title=f"Jumeau {n}", body=f"Mossoul propagande jumeaux ({n}).")
    search_index.drain()


def searchqueryset(text):
    """The search the page runs for ``text`` (its query syntax, no synonyms)."""
    tree = parse_query(text).tree
    return SearchQuerySet().models(Article).filter(build_text_query(tree, SynonymTable([])))


QUERIES = [
    "sécurité",
    "mossoul",
    "sécurité frontières",
    "sécurité OR propagande",
    "(sécurité OR réfugiés) coalition",
    "coalition -négociations",
    "ministres NOT réfugiés",
    "propagande mossoul",
]


@pytest.mark.parametrize(("text", "top"), list(itertools.product(QUERIES, [3, 10, 100])))
def test_the_ranking_is_whooshs_own(varied_corpus, text, top):
    sqs = searchqueryset(text)
    backend = sqs.query.backend
    query_string = sqs.query.build_query()
    outcome = backend.execute(query_string, top=top)
    handle = outcome.handle
    with handle.lock:
        parsed = backend.parser.parse(query_string)
        assert bm25_scores(handle, outcome.searcher, parsed) is not None
        expected = outcome.searcher.search(parsed, limit=top)
        expected_docnums = [docnum for _score, docnum in expected.top_n]
        expected_scores = [score for score, _docnum in expected.top_n]
    assert expected_docnums, text
    assert outcome.docnums == expected_docnums
    assert [outcome.scores[docnum] for docnum in outcome.docnums] == pytest.approx(
        expected_scores, rel=1e-12
    )


def test_a_filtered_ranking_is_whooshs_own(varied_corpus):
    sqs = searchqueryset("sécurité OR mossoul")
    backend = sqs.query.backend
    query_string = sqs.query.build_query()
    narrow = {'title:("article")'}
    outcome = backend.execute(query_string, narrow_queries=narrow, top=10)
    handle = outcome.handle
    with handle.lock:
        allowed = backend.allowed_docs(handle, outcome.searcher, narrow, None)
        expected = outcome.searcher.search(
            backend.parser.parse(query_string), limit=10, filter=MaskDocs(allowed)
        )
        assert outcome.docnums == [docnum for _score, docnum in expected.top_n]
    assert len(outcome.docnums) == 10


def test_equal_scores_keep_the_documents_order(varied_corpus):
    results = list(searchqueryset("jumeaux")[:4])
    assert [result.title for result in results] == [f"Jumeau {n}" for n in range(4)]


def test_decoded_postings_stay_within_their_budget_and_rank_the_same(varied_corpus, monkeypatch):
    monkeypatch.setattr(handle_module, "TERM_CACHE_BYTES", 600)
    reset_searchers()
    for text in QUERIES:
        sqs = searchqueryset(text)
        backend = sqs.query.backend
        outcome = backend.execute(sqs.query.build_query(), top=10)
        with outcome.handle.lock:
            expected = outcome.searcher.search(
                backend.parser.parse(sqs.query.build_query()), limit=10
            )
            assert outcome.docnums == [docnum for _score, docnum in expected.top_n]
        cache = outcome.handle.cache(POSTINGS)
        assert cache.size == sum(
            sum(array.nbytes for array in entry if array is not None)
            for entry in cache.entries.values()
        )
        assert cache.size <= 600 or len(cache.entries) == 1
