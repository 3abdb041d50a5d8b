"""The search page and its exports (JSON, CSV, Atom): thin views over ``articles.search``."""

import csv
import datetime
import itertools
import json

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import search

# Every matching row, but not a whole-archive dump per click.
CSV_MAX_ROWS = 5_000
FEED_SIZE = 50
# A cell a spreadsheet would read as a formula (or DDE) starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    gettext_lazy("titre"),
    gettext_lazy("url"),
    gettext_lazy("source"),
    gettext_lazy("date"),
    gettext_lazy("réunions"),
    gettext_lazy("intervenants"),
    gettext_lazy("langue"),
    gettext_lazy("extrait"),
]


def search_page(request):
    """``/recherche/?q=…``: the page, or the same search as ``format=json`` or ``format=csv``."""
    params = search.parse(request.GET)
    export = request.GET.get("format", "")
    try:
        if export == "csv":
            return _csv_response(request, params)
        page = search.run(params)
    except search.SearchUnavailable:
        return _unavailable(request, export=export)
    if page.redirect_url:
        suffix = "&format=json" if export == "json" else ""
        return redirect(f"{request.path}{page.redirect_url}{suffix}")
    if export == "json":
        return _json_response(request, page)
    return render(
        request,
        "articles/search.html",
        {"page": page, "params": params, "sorts": search.SORTS, "facets": search.FACETS},
    )


def search_feed(request):
    """``/recherche/flux/?q=…``: the newest articles of a search, as an Atom feed."""
    try:
        return SearchFeed()(request)
    except search.SearchUnavailable:
        return _unavailable(request)


def _unavailable(request, *, export=""):
    """503: the site's page, or for an export the error in the export's own kind of text."""
    message = _("La recherche est momentanément indisponible.")
    if export == "json":
        response = _json({"error": message}, status=503)
    elif export == "csv":
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = render(request, "articles/search.html", {"unavailable": True}, status=503)
    response["Retry-After"] = "120"
    return response


# --- JSON ----------------------------------------------------------------------------------


def _json_response(request, page: search.SearchPage) -> HttpResponse:
    absolute = request.build_absolute_uri

    def page_url(relative):
        return absolute(f"{request.path}{relative}&format=json") if relative else None

    return _json(
        {
            "query": page.params.q,
            "sentence": page.sentence,
            "total": page.total,
            "page": {
                "number": page.page,
                "per_page": page.per_page,
                "num_pages": page.num_pages,
                "previous": page_url(page.previous_url),
                "next": page_url(page.next_url),
            },
            "notices": page.notices,
            "suggestion": page.suggestion,
            "filters": [{"label": chip.label} for chip in page.chips],
            "facets": {
                group.key: {
                    "label": group.label,
                    "values": [
                        {
                            "slug": value.slug,
                            "label": value.label,
                            "count": value.count,
                            "selected": value.selected,
                            "excluded": value.excluded,
                        }
                        for value in group.values
                    ],
                }
                for group in page.facets
            },
            "results": [_hit_as_dict(request, hit) for hit in page.hits],
        }
    )


def _hit_as_dict(request, hit: search.SearchHit) -> dict:
    article = hit.article
    return {
        "title": article.title,
        "url": request.build_absolute_uri(hit.url) if hit.url else None,
        "source": (
            {"name": article.source.name, "slug": article.source.slug} if article.source else None
        ),
        "published_on": article.published_on.isoformat() if article.published_on else None,
        "language": article.language,
        "meetings": [{"slug": m.slug, "title": str(m)} for m in hit.meetings],
        "speakers": [{"slug": p.slug, "name": p.name} for p in hit.speakers],
        "snippet": hit.snippet_text,
    }


def _json(data, *, status=200) -> HttpResponse:
    # <, > and & escaped too, so no browser ever reads a hostile title as markup.
    body = (
        json.dumps(data, ensure_ascii=False, indent=1)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


# --- CSV -----------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if cell.startswith(FORMULA_PREFIXES) or cell.lstrip().startswith(FORMULA_PREFIXES[:4]):
        return "'" + cell
    return cell


def _csv_response(request, params) -> StreamingHttpResponse:
    hits = search.iter_results(params, limit=CSV_MAX_ROWS)
    # The first batch runs now: an engine failure is a 503, not a truncated download.
    first = next(hits, None)
    rows = itertools.chain([first], hits) if first is not None else iter(())
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        yield writer.writerow([str(column) for column in CSV_COLUMNS])
        for hit in rows:
            yield writer.writerow([neutralise(cell) for cell in _csv_cells(request, hit)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="recherche-archive-{stamp}.csv"'
    return response


def _csv_cells(request, hit: search.SearchHit) -> list[str]:
    article = hit.article
    return [
        article.title,
        request.build_absolute_uri(hit.url) if hit.url else "",
        article.source.name if article.source else "",
        article.published_on.isoformat() if article.published_on else "",
        " | ".join(str(meeting) for meeting in hit.meetings),
        " | ".join(person.name for person in hit.speakers),
        article.get_language_display(),
        hit.snippet_text,
    ]


# --- Atom ----------------------------------------------------------------------------------


class SearchFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        self.params = search.parse(request.GET)
        self.feed_query = self.params.url_for_page(1)
        return search.run(self.params.for_feed(FEED_SIZE), facets=False)

    def feed_url(self, page):
        return reverse("articles:search-feed") + self.feed_query

    def title(self, page):
        if page.params.q:
            return _("Archive de la Coalition — recherche « %(q)s »") % {"q": page.params.q}
        return _("Archive de la Coalition — derniers articles")

    def subtitle(self, page):
        return page.sentence

    def link(self, page):
        return reverse("articles:search") + self.feed_query

    def items(self, page):
        return page.hits

    def item_title(self, hit):
        return hit.article.title

    def item_description(self, hit):
        # Atom summaries are HTML: the snippet is escaped, with the search terms marked.
        return hit.snippet_html

    def item_link(self, hit):
        return hit.url or f"{reverse('articles:search')}#{hit.article.slug}"

    def item_pubdate(self, hit):
        day = hit.article.published_on
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day))

    def item_updateddate(self, hit):
        return hit.article.updated_at

    def item_author_name(self, hit):
        return hit.article.source.name if hit.article.source else None
