"""Parse an HTML page: metadata from OpenGraph, JSON-LD and the byline; text from the article.

Only text nodes are ever read, so markup cannot reach the body: a `<script>` element is dropped
with its content, while `&lt;script&gt;` written in an article stays as the literal text.
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from ..dates import find_dateline
from ..document import IngestError, ParsedDocument
from ..prose import derive_title, detect_language
from .body import body_paragraphs, main_container, text_paragraphs
from .cleaning import drop_bylines, drop_junk
from .metadata import (
    find_canonical_url,
    find_page_language,
    linked_data_article,
    meta_values,
    publication_date,
    publisher_name,
    site_from_page_title,
    title_of,
)
from .tree import clean, tags_under

__all__ = ["parse_html"]

# Real pages nest a few dozen levels; thousands only come from garbage or hostile input.
_MAX_NESTING = 400


def parse_html(markup: str, *, encoding: str = "") -> ParsedDocument:
    """Parse an HTML page; raise `IngestError` when it holds no article text."""
    with warnings.catch_warnings():
        # Pages that look like XML or like a bare URL are still parsed as the HTML they claim to be.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
    if _nesting_depth(soup) > _MAX_NESTING:
        raise IngestError(f"is an HTML page nested more than {_MAX_NESTING} levels deep")
    meta = meta_values(soup)
    linked_data = linked_data_article(soup)
    source_name = (
        clean(meta.get("og:site_name", ""))
        or publisher_name(linked_data)
        or site_from_page_title(soup)
    )
    canonical_url = find_canonical_url(soup, meta, linked_data)
    page_language = find_page_language(soup)
    title = title_of(soup, meta, linked_data, source_name)

    drop_junk(soup)
    published_on, date_evidence = publication_date(soup, meta, linked_data)
    drop_bylines(soup)

    paragraphs = body_paragraphs(main_container(soup), title=title)
    if not paragraphs and isinstance(linked_data.get("articleBody"), str):
        paragraphs = text_paragraphs(linked_data["articleBody"])
    if not paragraphs:
        raise IngestError("is an HTML page with no article text in it")

    lead = paragraphs[0]
    title_is_derived = not title
    body = "\n\n".join(paragraphs)
    dateline = find_dateline(lead)
    if published_on is None and dateline is not None and dateline.published_on is not None:
        published_on, date_evidence = dateline.published_on, f"dateline « {dateline.text} »"
    source_name = source_name or (dateline.agency if dateline else "")
    return ParsedDocument(
        title=title or derive_title(lead),
        title_is_derived=title_is_derived,
        lead=lead,
        body=body,
        published_on=published_on,
        date_evidence=date_evidence,
        source_name=source_name,
        canonical_url=canonical_url,
        language=detect_language(body, default=page_language),
        encoding=encoding,
        format="html",
    )


def _nesting_depth(soup: BeautifulSoup) -> int:
    depths = {id(soup): 0}
    deepest = 0
    for tag in tags_under(soup):
        depth = depths[id(tag)] = depths.get(id(tag.parent), 0) + 1
        deepest = max(deepest, depth)
    return deepest
