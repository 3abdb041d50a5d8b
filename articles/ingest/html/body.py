"""The article's text: the container holding it, and its paragraphs without boilerplate."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from articles.ingest.vocabulary.web import BLOCK_TAGS, PARAGRAPH_TAGS

from ..boilerplate import header_date, is_boilerplate
from ..normalize import normalize_line, normalize_text
from ..prose import join_wrapped_lines
from .tree import collect_text, is_text, tags_under

_MIN_CONTAINER_TEXT = 200
_MIN_BLOCK_TEXT = 25
_EDGE_PARAGRAPHS = 3


def main_container(soup: BeautifulSoup) -> Tag:
    body = soup.body or soup
    body_size = len(body.get_text(" ", strip=True))
    for selector in ({"itemprop": "articleBody"}, "article", "main", {"role": "main"}):
        matches = soup.find_all(attrs=selector) if isinstance(selector, dict) else soup(selector)
        if matches:
            best = max(matches, key=lambda tag: len(tag.get_text(" ", strip=True)))
            size = len(best.get_text(" ", strip=True))
            if size >= _MIN_CONTAINER_TEXT or size >= 0.5 * body_size:
                return best
    return _densest_block(body)


def _densest_block(body: Tag) -> Tag:
    """The element holding most paragraph text, scored like Readability does."""
    scores: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for tag in tags_under(body, BLOCK_TAGS):
        own = _own_text(tag)
        if len(own) < _MIN_BLOCK_TEXT:
            continue
        links = sum(
            len(child.get_text(" ", strip=True))
            for child in tag.children
            if isinstance(child, Tag) and child.name == "a"
        )
        if links > 0.5 * len(own):
            continue
        holder = tag.parent if tag.name in PARAGRAPH_TAGS else tag
        for weight, ancestor in ((1.0, holder), (0.5, getattr(holder, "parent", None))):
            if isinstance(ancestor, Tag):
                scores[id(ancestor)] = scores.get(id(ancestor), 0) + weight * len(own)
                tags[id(ancestor)] = ancestor
    if not scores:
        return body
    return tags[max(scores, key=scores.__getitem__)]


def _own_text(tag: Tag) -> str:
    """The text of `tag` that is not inside one of its block children."""
    parts = []
    for child in tag.children:
        if isinstance(child, Tag) and child.name not in BLOCK_TAGS:
            parts.append(child.get_text(" "))
        elif is_text(child):
            parts.append(str(child))
    return normalize_line(" ".join(parts))


def body_paragraphs(container: Tag, *, title: str) -> list[str]:
    chunks: list[str] = []
    collect_text(container, chunks)
    paragraphs = text_paragraphs("".join(chunks))
    # The page's own heading repeated at the top of the body is the title, not a paragraph, and
    # a line that is only a date ("Publié le 13 février 2018") is a byline.
    folded_title = title.casefold()
    last = len(paragraphs) - _EDGE_PARAGRAPHS
    return [
        paragraph
        for index, paragraph in enumerate(paragraphs)
        if not (
            (index < _EDGE_PARAGRAPHS and folded_title and paragraph.casefold() == folded_title)
            or ((index < _EDGE_PARAGRAPHS or index >= last) and header_date(paragraph))
        )
    ]


_BLANK_LINES = re.compile(r"\n\s*\n")


def text_paragraphs(text: str) -> list[str]:
    paragraphs = []
    for block in _BLANK_LINES.split(normalize_text(text)):
        lines = [line for line in block.split("\n") if line and not is_boilerplate(line)]
        kept = set(lines)  # a paragraph that is one of these lines is known to be kept
        paragraphs.extend(
            paragraph
            for paragraph in join_wrapped_lines(lines)
            if paragraph in kept or not is_boilerplate(paragraph)
        )
    return paragraphs
