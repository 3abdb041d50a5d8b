"""Parse a plain-text article: header (title, publisher, date), body paragraphs, no boilerplate."""

from __future__ import annotations

from .boilerplate import (
    header_date,
    is_boilerplate,
    is_header_label,
    masthead_name,
    publisher_rank,
    sign_off_source,
    title_date,
)
from .dates import find_dateline
from .document import IngestError, ParsedDocument
from .normalize import normalize_text
from .prose import derive_title, detect_language, join_wrapped_lines, looks_like_title

# A block of this many lines or more whose lines (but the last) all fill the same width was
# wrapped by a text editor or a mail client: its lines are one paragraph.
_WRAPPED_BLOCK_MIN_LINES = 3
_WRAPPED_MIN_WIDTH = 50
_WRAPPED_MAX_WIDTH = 100
_DATE_PREFERENCE = ("published", "dated", "updated")


def parse_text(text: str, *, encoding: str = "") -> ParsedDocument:
    """Parse the decoded text of a .txt file; raise `IngestError` when it has no body."""
    paragraphs = _paragraphs(normalize_text(text))
    header = _Header()
    index = 0
    while index < len(paragraphs) and header.take(paragraphs[index]):
        index += 1
    body_paragraphs = paragraphs[index:]
    if not body_paragraphs:
        if header.title:
            raise IngestError("has a title but no article text under it")
        raise IngestError("contains no article text")

    lead = body_paragraphs[0]
    dateline = find_dateline(lead)
    title, title_is_derived = header.title, False
    if not title:
        # A wire dateline opens the lead but says nothing of the story.
        opening = lead[len(dateline.text) :].lstrip(" -–—:") if dateline else lead
        title, title_is_derived = derive_title(opening or lead), True
    body = "\n\n".join(body_paragraphs)
    published_on, date_evidence = header.publication_date()
    if published_on is None and dateline is not None and dateline.published_on is not None:
        published_on, date_evidence = dateline.published_on, f"dateline « {dateline.text} »"
    if published_on is None and not title_is_derived:
        published_on = title_date(title)
        date_evidence = f"title « {title} »" if published_on else ""
    source_name = (
        header.source_name()
        or (dateline.agency if dateline else "")
        or sign_off_source(body_paragraphs[-3:])
    )
    return ParsedDocument(
        title=title,
        title_is_derived=title_is_derived,
        lead=lead,
        body=body,
        published_on=published_on,
        date_evidence=date_evidence,
        source_name=source_name,
        canonical_url="",
        language=detect_language(body),
        encoding=encoding,
        format="text",
    )


class _Header:
    """Consumes the lines above the body: title, publisher lines, date line, labels."""

    def __init__(self) -> None:
        self.title = ""
        self.masthead = ""
        self.publishers: list[tuple[int, str]] = []
        self.dates: dict[str, tuple] = {}

    def take(self, line: str) -> bool:
        """Record `line` if it belongs to the header; False means the body starts here."""
        if is_header_label(line):
            return True
        rank = publisher_rank(line)
        if rank is not None:
            self.publishers.append((rank, line.rstrip(" ,")))
            return True
        dated = header_date(line)
        if dated is not None:
            kind, mention = dated
            self.dates.setdefault(kind, (mention.value, f"header line « {line} »"))
            return True
        if looks_like_title(line):
            if not self.title:
                self.title = line
                return True
            # Two headlines in a row: the first was the name of the site or paper it was
            # copied from ("Radio Horizon Internationale", "LE QUOTIDIEN — En bref").
            if not self.masthead and not self.dates and masthead_name(self.title):
                self.masthead, self.title = masthead_name(self.title), line
                return True
        return False

    def source_name(self) -> str:
        return min(self.publishers)[1] if self.publishers else self.masthead

    def publication_date(self) -> tuple:
        for kind in _DATE_PREFERENCE:
            if kind in self.dates:
                return self.dates[kind]
        return None, ""


def _paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs, dropping boilerplate lines anywhere."""
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line and not is_boilerplate(line):
            block.append(line)
            continue
        # A blank or boilerplate line ends the block of consecutive lines.
        paragraphs.extend(_block_paragraphs(block))
        block = []
    return paragraphs


def _block_paragraphs(block: list[str]) -> list[str]:
    if _is_wrapped_block(block):
        return [" ".join(block)]
    return join_wrapped_lines(block)


def _is_wrapped_block(block: list[str]) -> bool:
    if len(block) < _WRAPPED_BLOCK_MIN_LINES:
        return False
    width = max(len(line) for line in block)
    return _WRAPPED_MIN_WIDTH <= width <= _WRAPPED_MAX_WIDTH and all(
        len(line) >= 0.75 * width for line in block[:-1]
    )
