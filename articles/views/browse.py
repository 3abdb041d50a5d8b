"""Public pages of the archive. Views stay thin: querysets and ``search.py`` do the work.

Every list page runs a fixed number of queries whatever the number of rows: related rows come
from ``select_related``/``prefetch_related`` or one grouped query, never from a loop.
"""

import datetime
from collections import Counter, defaultdict
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import search
from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    Office,
    Person,
    Quote,
    Source,
)
from articles.views import citations, shared_passages
from articles.views.compare import meeting_compare  # noqa: F401 (the URLconf finds it here)

LATEST_ON_HOME = 10
ARTICLES_PER_PAGE = 50
RELATED_LIMIT = 10
QUOTED = ArticlePerson.Role.QUOTED
PUBLISHED = Article.Status.PUBLISHED

# Sort orders of a meeting's articles: ``?tri=`` value → ORDER BY.
MEETING_SORTS = {
    "date": [F("published_on").asc(nulls_last=True), "id"],
    "-date": [F("published_on").desc(nulls_last=True), "-id"],
    "source": [F("source__name").asc(nulls_last=True), F("published_on").asc(nulls_last=True)],
}


def _by_year(meetings):
    """``[(year, [meeting, …]), …]``, newest year first, meetings in date order within a year."""
    ordered = sorted(meetings, key=lambda m: (m.start_date, m.slug))
    groups = [(year, list(group)) for year, group in groupby(ordered, lambda m: m.start_date.year)]
    return list(reversed(groups))


def _page(request, object_list):
    return Paginator(object_list, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def home(request):
    archive_size = {
        "articles": Article.objects.published().count(),
        "meetings": Meeting.objects.count(),
        "sources": Source.objects.count(),
        "people": Person.objects.count(),
    }
    latest = Article.objects.published().with_listing_data().newest_first()[:LATEST_ON_HOME]
    return render(
        request,
        "articles/home.html",
        {
            "archive_size": archive_size,
            "timeline": _by_year(Meeting.objects.with_article_counts()),
            "latest_articles": latest,
        },
    )


# Meetings ----------------------------------------------------------------------------------


def meeting_list(request):
    meetings = list(Meeting.objects.with_article_counts())
    cities = {slugify(m.city): m.city for m in meetings}
    kinds = {m.kind: m.get_kind_display() for m in meetings}
    city = request.GET.get("lieu", "")
    kind = request.GET.get("type", "")
    # Unknown values select nothing rather than everything: a shared link never lies.
    if city:
        meetings = [m for m in meetings if slugify(m.city) == city]
    if kind:
        meetings = [m for m in meetings if m.kind == kind]
    return render(
        request,
        "articles/meeting_list.html",
        {
            "meetings_by_year": _by_year(meetings),
            "meeting_count": len(meetings),
            "city_options": sorted(cities.items(), key=lambda item: item[1]),
            "kind_options": sorted(kinds.items(), key=lambda item: str(item[1])),
            "selected_city": city,
            "selected_city_name": cities.get(city, city),
            "selected_kind": kind,
            "selected_kind_name": kinds.get(kind, kind),
        },
    )


def _quoted_people(articles):
    """People quoted in ``articles`` (prefetched ``quoted_links``), most quoted first."""
    counts = Counter()
    people = {}
    for article in articles:
        for link in article.quoted_links:
            counts[link.person_id] += 1
            people[link.person_id] = link.person
    return [
        (people[pk], count)
        for pk, count in sorted(counts.items(), key=lambda item: (-item[1], people[item[0]].name))
    ]


def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    sort = request.GET.get("tri", "date")
    if sort not in MEETING_SORTS:
        sort = "date"
    articles = list(
        Article.objects.published()
        .for_meeting(meeting)
        .with_listing_data()
        .order_by(*MEETING_SORTS[sort])
    )
    return render(
        request,
        "articles/meeting_detail.html",
        {
            "meeting": meeting,
            "articles": articles,
            "sort": sort,
            "quoted_people": _quoted_people(articles),
        },
    )


# People ------------------------------------------------------------------------------------


def person_list(request):
    # Two grouped queries, each one pass over its table, rather than a quote count subquery
    # per row: with stale statistics PostgreSQL ran that subquery once per quoted-speaker link.
    people = list(
        Person.objects.filter(article_links__role=QUOTED, article_links__article__status=PUBLISHED)
        .annotate(quoted_article_count=Count("article_links__article", distinct=True))
        .prefetch_related(Prefetch("offices", queryset=Office.objects.order_by("start_date")))
        .order_by("name")
    )
    quote_counts = dict(
        Quote.objects.filter(article__status=PUBLISHED)
        .order_by()
        .values_list("person")
        .annotate(total=Count("pk"))
    )
    for person in people:
        person.quote_count = quote_counts.get(person.pk, 0)
    return render(request, "articles/person_list.html", {"people": people})


def person_detail(request, slug):
    person = get_object_or_404(
        Person.objects.prefetch_related(
            Prefetch("offices", queryset=Office.objects.order_by("start_date"))
        ),
        slug=slug,
    )
    meetings = (
        Meeting.objects.filter(
            article_links__article__status=PUBLISHED,
            article_links__article__person_links__person=person,
            article_links__article__person_links__role=QUOTED,
        )
        .annotate(quoting_article_count=Count("article_links__article", distinct=True))
        .order_by("start_date")
    )
    quotes = (
        Quote.objects.filter(person=person, article__status=PUBLISHED)
        .select_related("article", "article__source")
        .order_by(F("article__published_on").asc(nulls_last=True), "article_id", "position")
    )
    articles = _page(
        request,
        Article.objects.published().mentioning(person).with_listing_data().newest_first(),
    )
    for article in articles:
        article.quotes_person = any(link.person_id == person.pk for link in article.quoted_links)
    return render(
        request,
        "articles/person_detail.html",
        {"person": person, "meetings": meetings, "quotes": quotes, "page_obj": articles},
    )


# Sources -----------------------------------------------------------------------------------


def source_list(request):
    sources = Source.objects.annotate(
        published_article_count=Count("articles", filter=Q(articles__status=PUBLISHED))
    ).order_by("name")
    return render(request, "articles/source_list.html", {"sources": sources})


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    page = _page(
        request,
        Article.objects.published()
        .from_source(source)
        .with_listing_data()
        .order_by(F("published_on").asc(nulls_last=True), "id"),
    )
    groups = defaultdict(list)
    for article in page:
        meetings = [link.meeting for link in article.meeting_links.all()] or [None]
        for meeting in meetings:
            groups[meeting].append(article)
    ordered = sorted(
        groups.items(),
        key=lambda item: (item[0] is None, item[0].start_date if item[0] else None),
    )
    return render(
        request,
        "articles/source_detail.html",
        {"source": source, "page_obj": page, "groups": ordered},
    )


# Articles ----------------------------------------------------------------------------------


def _published_article(slug):
    return get_object_or_404(Article.objects.published().select_related("source"), slug=slug)


def _reference(request, article):
    return citations.Reference.for_article(
        article,
        url=request.build_absolute_uri(article.get_absolute_url()),
        accessed_on=timezone.localdate(),
    )


def _neighbours(article, meetings):
    """``{meeting_id: (previous, next)}`` among the meeting's published articles, by date."""
    rows = (
        ArticleMeeting.objects.filter(meeting__in=meetings, article__status=PUBLISHED)
        .values(
            "meeting_id",
            "article_id",
            "article__slug",
            "article__title",
            "article__published_on",
            "article__source__name",
        )
        .order_by()
    )
    by_meeting = defaultdict(list)
    for row in rows:
        by_meeting[row["meeting_id"]].append(row)
    neighbours = {}
    for meeting_id, meeting_rows in by_meeting.items():
        meeting_rows.sort(
            key=lambda r: (
                r["article__published_on"] is None,
                r["article__published_on"] or datetime.date.min,
                r["article_id"],
            )
        )
        index = next(i for i, r in enumerate(meeting_rows) if r["article_id"] == article.pk)
        previous = meeting_rows[index - 1] if index > 0 else None
        following = meeting_rows[index + 1] if index + 1 < len(meeting_rows) else None
        neighbours[meeting_id] = (previous, following)
    return neighbours


def _quote_highlights(article, quotes):
    highlights = []
    for quote in quotes:
        spans = shared_passages.find_spans(article.body, quote.text)
        if not spans:
            continue
        start, end = next((s for s in spans if s[0] == quote.position), spans[0])
        label = _("Citation de %(person)s") % {"person": quote.person.name}
        highlights.append(shared_passages.Highlight(start, end, "quoted", label))
    return highlights


def _search_highlights(article, query: str) -> list[shared_passages.Highlight]:
    """The search's words in the article's text, when the reader arrives from a search."""
    if not query:
        return []
    highlighter = search.Highlighter(search.parse({"q": query}))
    return [
        shared_passages.Highlight(start, end, "term")
        for start, end in highlighter.spans(article.body)
    ]


def article_detail(request, slug):
    article = _published_article(slug)
    meeting_links = list(article.meeting_links.select_related("meeting"))
    meetings = [link.meeting for link in meeting_links]
    person_links = list(article.person_links.select_related("person").order_by("person__name"))
    quotes = list(article.quotes.select_related("person").order_by("position"))
    similar = search.more_like_this(article, limit=RELATED_LIMIT)
    related = (
        Article.objects.published()
        .filter(meeting_links__meeting__in=meetings)
        .exclude(pk=article.pk)
        .distinct()
        .select_related("source")
        .newest_first()[:RELATED_LIMIT]
        if meetings
        else []
    )
    duplicate_of = article.near_duplicate_of
    if duplicate_of is not None and not duplicate_of.is_published:
        duplicate_of = None
    neighbours = _neighbours(article, meetings) if meetings else {}
    reference = _reference(request, article)
    citation = citations.human_reference(reference, get_language() or "fr")
    quote_marks = _quote_highlights(article, quotes)
    search_query = request.GET.get("q", "").strip()
    term_marks = _search_highlights(article, search_query)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "paragraphs": shared_passages.marked_paragraphs(article.body, quote_marks + term_marks),
            "quotes_marked": bool(quote_marks),
            "search_query": search_query,
            "terms_marked": bool(term_marks),
            "meeting_links": [
                (link, *neighbours.get(link.meeting_id, (None, None))) for link in meeting_links
            ],
            "speakers": [link for link in person_links if link.role == QUOTED],
            "mentioned": [link for link in person_links if link.role != QUOTED],
            "quotes": quotes,
            "similar_articles": similar,
            "related_articles": related,
            "duplicate_of": duplicate_of,
            "permalink": reference.url,
            "citation": citation,
            "citation_text": citations.plain_text(citation),
            "citation_style": "Chicago" if (get_language() or "").startswith("en") else "ISO 690",
        },
    )


def article_citation(request, slug, format):
    if format not in citations.FORMATS:
        raise Http404
    article = _published_article(slug)
    citation_format = citations.FORMATS[format]
    response = HttpResponse(
        citations.render(_reference(request, article), format),
        content_type=citation_format.content_type,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{article.slug}.{citation_format.extension}"'
    )
    return response
