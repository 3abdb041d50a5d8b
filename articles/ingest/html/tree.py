"""Reading a parsed page's tree: its tags in order, and the text of its text nodes."""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString, Script, Stylesheet, TemplateString

from articles.ingest.vocabulary.web import BLOCK_TAGS

from ..normalize import normalize_line


def tags_under(root: Tag, names: frozenset[str] | set[str] | None = None) -> list[Tag]:
    """The tags under ``root`` (of these ``names``), in document order: what ``find_all`` gives
    for a name, read straight off the tree instead of through its filters (a page is walked a
    dozen times)."""
    return [
        node
        for node in root.descendants
        if isinstance(node, Tag) and (names is None or node.name in names)
    ]


def collect_text(root: Tag, chunks: list[str]) -> None:
    """Append the text under `root` to `chunks`, with "\n\n" around blocks and "\n" for <br>.

    Iterative rather than recursive: a page nested a thousand levels deep must not crash.
    """
    stack: list[tuple[object, bool]] = [(child, False) for child in reversed(root.contents)]
    while stack:
        node, closing = stack.pop()
        if closing:
            chunks.append("\n\n")
        elif isinstance(node, Tag):
            if node.name == "br":
                chunks.append("\n")
            elif node.name == "pre":
                chunks.append("\n\n" + node.get_text() + "\n\n")
            else:
                if node.name in BLOCK_TAGS:
                    chunks.append("\n\n")
                    stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        elif is_text(node):
            # Source line breaks inside HTML text are only spaces.
            chunks.append(re.sub(r"\s+", " ", str(node)))


def inline_text(tag: Tag) -> str:
    chunks: list[str] = []
    collect_text(tag, chunks)
    return " ".join("".join(chunks).split())


def is_text(node) -> bool:
    return isinstance(node, NavigableString) and not isinstance(
        node, PreformattedString | Script | Stylesheet | TemplateString
    )


def clean(value) -> str:
    return normalize_line(str(value)) if value else ""
