"""The comparison page of a meeting: its articles side by side, with the passages they share.

Its size is bounded whatever the number of articles: a page shows ``COLUMNS_PER_PAGE`` articles
(``?page=2`` for the next ones), each with at most ``MAX_PASSAGES`` marked passages and
``MAX_CHARS`` characters of text, and a passage or a column names at most a few other
articles. Passages are still found across all the meeting's articles, so page 2 marks what it
shares with page 1.
"""

from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article, Meeting
from articles.views import shared_passages

COLUMNS_PER_PAGE = 6
MAX_PASSAGES = 40
MAX_CHARS = 20_000
# Articles named in one passage's label, and linked from one column's header.
MAX_NAMED_IN_LABEL = 3
MAX_LINKED_PER_COLUMN = 10
# The meeting page's date order (``browse.MEETING_SORTS["date"]``), which numbers the articles.
ORDER = [F("published_on").asc(nulls_last=True), "id"]


def meeting_compare(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    published = Article.objects.published().for_meeting(meeting).order_by(*ORDER)
    rows = list(published.values_list("pk", "body", "source__name"))
    bodies = {pk: body for pk, body, _source in rows}
    sources = {pk: source for pk, _body, source in rows}
    numbers = {pk: number for number, pk in enumerate(bodies, start=1)}
    page = Paginator(list(bodies), COLUMNS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(
        published.with_quoted_people().filter(pk__in=list(page.object_list)).defer("raw_file")
    )
    passages = shared_passages.shared_passages(bodies, keys=[article.pk for article in shown])
    columns = [_column(article, passages[article.pk], numbers) for article in shown]
    others = {
        pk: OtherArticle(number, sources[pk], page.paginator.per_page)
        for pk, number in numbers.items()
    }
    _name_other_articles(columns, others)
    context = {"meeting": meeting, "columns": columns, "page_obj": page, "total": len(bodies)}
    return render(request, "articles/meeting_compare.html", context)


def _column(article, passages, numbers) -> dict:
    article.number = numbers[article.pk]
    others = sorted({pk for passage in passages for pk in passage.shared_with}, key=numbers.get)
    text, cut = _bounded_text(article.body)
    marked = [passage for passage in passages if passage.start < len(text)][:MAX_PASSAGES]
    return {
        "article": article,
        "text": text,
        "cut": cut,
        "passages": marked,
        "unmarked_passages": len(passages) - len(marked),
        "shared_percent": round(100 * shared_passages.shared_fraction(article.body, passages)),
        "shared_with_pks": others,
    }


def _bounded_text(body: str) -> tuple[str, bool]:
    """The first ``MAX_CHARS`` characters of ``body``, cut after a word; and whether it was cut."""
    if len(body) <= MAX_CHARS:
        return body, False
    head = body[:MAX_CHARS]
    return head[: head.rfind(" ")] if " " in head else head, True


class OtherArticle:
    """Another article of the meeting as a column names it: its number, source and place."""

    def __init__(self, number: int, source_name: str | None, per_page: int):
        self.number = number
        self.source_name = source_name or _("source inconnue")
        self.compare_url = f"?page={(number - 1) // per_page + 1}#colonne-{number}"


def _name_other_articles(columns, others) -> None:
    """Label passages and link columns with the few other articles each names."""
    for column in columns:
        linked = column.pop("shared_with_pks")
        column["shared_with"] = [others[pk] for pk in linked[:MAX_LINKED_PER_COLUMN]]
        column["shared_with_more"] = len(linked) - len(column["shared_with"])
        highlights = [
            shared_passages.Highlight(passage.start, passage.end, "shared", _label(passage, others))
            for passage in column.pop("passages")
        ]
        column["paragraphs"] = shared_passages.marked_paragraphs(column.pop("text"), highlights)


def _label(passage, others) -> str:
    ordered = sorted((others[pk] for pk in passage.shared_with), key=lambda other: other.number)
    names = ", ".join(
        f"{other.number}. {other.source_name}" for other in ordered[:MAX_NAMED_IN_LABEL]
    )
    rest = len(ordered) - MAX_NAMED_IN_LABEL
    if rest > 0:
        names += " " + ngettext("et %(count)d autre", "et %(count)d autres", rest) % {"count": rest}
    return _("Aussi dans : %(articles)s") % {"articles": names}
