"""From engine results to articles: ``SearchHit`` (an article with its marked title and
snippet), the article's URL carrying the search, and the articles the index finds alike.

Articles are always loaded from the database, published only: one unpublished or deleted since
it was indexed never shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.urls import NoReverseMatch
from django.utils.safestring import SafeString
from haystack.query import SearchQuerySet

from articles.models import Article, Meeting, Person
from articles.search.errors import SearchUnavailable, engine_errors
from articles.search.highlighting import Highlighter
from articles.search.params import SearchParams


@dataclass
class SearchHit:
    article: Article
    url: str | None
    title_html: SafeString
    snippet_html: SafeString
    snippet_text: str
    urls: PageUrls = field(default_factory=lambda: PageUrls(), repr=False, compare=False)

    @cached_property
    def meetings(self) -> list[Meeting]:
        return [link.meeting for link in self.article.meeting_links.all()]

    @cached_property
    def speakers(self) -> list[Person]:
        return [link.person for link in getattr(self.article, "quoted_links", [])]

    @property
    def source_url(self) -> str | None:
        source = self.article.source
        return self.urls.of(source) if source else None

    @property
    def meeting_links(self) -> list[tuple[Meeting, str]]:
        return [(meeting, self.urls.of(meeting)) for meeting in self.meetings]

    @property
    def speaker_links(self) -> list[tuple[Person, str]]:
        return [(person, self.urls.of(person)) for person in self.speakers]


class PageUrls:
    """Pages of sources, meetings and people, each reversed once per results page (the same
    few names recur from hit to hit)."""

    def __init__(self):
        self._urls: dict[tuple[type, str], str] = {}

    def of(self, obj) -> str:
        key = (type(obj), obj.slug)
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = obj.get_absolute_url()
        return url


def load_hits(results, params: SearchParams) -> list[SearchHit]:
    """The articles behind engine results, from the database, in the engine's order.

    Articles unpublished or deleted since they were indexed are dropped: a ghost never shows.
    """
    ids = []
    for result in results:
        try:
            ids.append(int(result.pk))
        except (TypeError, ValueError):
            continue
    if not ids:
        return []
    # The imported file (``raw_file``) can weigh more than everything a result shows.
    rows = Article.objects.published().with_listing_data().defer("raw_file").filter(pk__in=ids)
    articles = {article.pk: article for article in rows}
    matcher = Highlighter(params)
    urls = PageUrls()
    hits = []
    for pk in ids:
        article = articles.get(pk)
        if article is None:
            continue
        snippet_html, snippet_text = matcher.snippet(article.body or article.lead)
        hits.append(
            SearchHit(
                article=article,
                url=article_url(article, params.q),
                title_html=matcher.mark(article.title),
                snippet_html=snippet_html,
                snippet_text=snippet_text,
                urls=urls,
            )
        )
    return hits


def article_url(article: Article, q: str = "") -> str | None:
    """The article's page, carrying the search terms; None while that page does not exist."""
    try:
        url = article.get_absolute_url()
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'q': q})}" if q else url


def more_like_this(article: Article, *, limit: int = 5) -> list[Article] | None:
    """Published articles the index finds closest to ``article`` by its key terms, best first.

    Every Haystack engine answers ``more_like_this`` its own way (Whoosh: key terms of the
    indexed text; Elasticsearch and Solr: their MLT queries). None when the index cannot
    answer, so that the page leaves the block out rather than say it found nothing.
    """
    try:
        with engine_errors():
            results = SearchQuerySet().more_like_this(article)[: limit * 2]
            ids = [int(result.pk) for result in results]
    except SearchUnavailable:
        return None
    found = Article.objects.published().select_related("source").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found and pk != article.pk][:limit]
