"""Drop from the tree what is not the article: scripts and furniture, hidden and junk blocks."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag

from articles.ingest.vocabulary.web import (
    BYLINE_NAME_PARTS,
    DROPPED_ROLES,
    DROPPED_TAGS,
    JUNK_NAME_PARTS,
)

from .tree import tags_under

_NAME_SPLIT = re.compile(r"[-_\s]+")
# A class-named element holding most of the page is a wrapper with an unlucky name, not junk.
_WRAPPER_SHARE = 0.5
_MIN_WRAPPER_TEXT = 500
_MAX_HEADER_TEXT = 600


def drop_junk(soup: BeautifulSoup) -> None:
    comments = [node for node in soup.descendants if isinstance(node, Comment)]
    for node in comments:
        node.extract()
    for tag in tags_under(soup, DROPPED_TAGS):
        tag.decompose()
    page_size = len(soup.get_text())
    _drop_outermost(
        soup,
        lambda tag: (
            _is_hidden(tag)
            or bool(_name_parts(tag) & JUNK_NAME_PARTS and not _is_wrapper(tag, page_size))
        ),
    )


def drop_bylines(soup: BeautifulSoup) -> None:
    _drop_outermost(
        soup,
        lambda tag: (
            bool(tag.name == "header" or _name_parts(tag) & BYLINE_NAME_PARTS)
            and len(tag.get_text()) <= _MAX_HEADER_TEXT
        ),
    )


def _drop_outermost(soup: BeautifulSoup, should_drop) -> None:
    """Decompose the outermost tags for which `should_drop` is true (never the article)."""
    dropped: set[int] = set()
    outermost: list[Tag] = []
    for tag in tags_under(soup):  # document order: parents before their children
        if id(tag.parent) in dropped:
            dropped.add(id(tag))
        elif not _is_protected(tag) and should_drop(tag):
            dropped.add(id(tag))
            outermost.append(tag)
    for tag in outermost:
        tag.decompose()


def _is_protected(tag: Tag) -> bool:
    return tag.name in ("html", "body", "article", "main") or tag.get("itemprop") == "articleBody"


def _is_hidden(tag: Tag) -> bool:
    style = tag.get("style") or ""
    role = tag.get("role") or ""
    return (
        tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or bool(re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", str(style), re.I))
        or (isinstance(role, str) and role.lower() in DROPPED_ROLES)
    )


def _is_wrapper(tag: Tag, page_size: int) -> bool:
    size = len(tag.get_text())
    return size >= _MIN_WRAPPER_TEXT and size >= _WRAPPER_SHARE * page_size


def _name_parts(tag: Tag) -> set[str]:
    names = tag.get("class") or []
    if isinstance(names, str):
        names = [names]
    names = [*names, str(tag.get("id") or "")]
    parts = set()
    for name in names:
        lowered = name.lower()
        parts.add(lowered)
        parts.update(_NAME_SPLIT.split(lowered))
    return parts
