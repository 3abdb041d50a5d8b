"""The researcher's search, in three steps: ``parse`` → ``run`` → a ``SearchPage``.

``parse(query_dict)`` validates the query string into ``SearchParams``; ``run(params)`` asks the
search engine, loads the articles from the database and returns everything a page, a JSON or
CSV export or a feed shows. Views import this facade only; the read side lives in:

- ``syntax``: the query language (words, "phrases", OR, -word, prefix*, parentheses) as a tree;
- ``params``: ``SearchParams``, ``parse()``, the facets and every state of the page as a URL;
- ``vocabulary``: names for facet slugs, the editors' synonyms, what a prefix expands to;
- ``query``: the engine query (Haystack's backend-neutral ``SQ`` objects) and its filters;
- ``page``: ``run()``, ``iter_results()`` and the page's objects (facet groups, chips, links);
- ``hits``: the articles behind engine results, their URLs, the articles alike;
- ``highlighting``: the search's words marked in titles and snippets;
- ``restatement``: the sentence that restates the search;
- ``suggestion``: the spelling suggestion of a search with few hits.
"""

# The engine layer's exception; a view catches ``search.SearchUnavailable`` and answers 503.
from articles.search.errors import SearchUnavailable
from articles.search.highlighting import SNIPPET_LENGTH, Highlighter, highlight
from articles.search.hits import SearchHit, article_url, more_like_this
from articles.search.page import (
    Chip,
    FacetGroup,
    FacetValue,
    PageLink,
    SearchPage,
    SortLink,
    iter_results,
    run,
)
from articles.search.params import (
    FACETS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_VALUES_PER_FACET,
    PER_PAGE,
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_RELEVANCE,
    SORTS,
    FacetSpec,
    SearchParams,
    parse,
)
from articles.search.restatement import restate
from articles.search.vocabulary import MAX_PREFIX_WORDS, SynonymTable, Vocabulary

__all__ = [
    "FACETS",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "MAX_PREFIX_WORDS",
    "MAX_VALUES_PER_FACET",
    "PER_PAGE",
    "SNIPPET_LENGTH",
    "SORTS",
    "SORT_NEWEST",
    "SORT_OLDEST",
    "SORT_RELEVANCE",
    "Chip",
    "FacetGroup",
    "FacetSpec",
    "FacetValue",
    "Highlighter",
    "PageLink",
    "SearchHit",
    "SearchPage",
    "SearchParams",
    "SearchUnavailable",
    "SortLink",
    "SynonymTable",
    "Vocabulary",
    "article_url",
    "highlight",
    "iter_results",
    "more_like_this",
    "parse",
    "restate",
    "run",
]
