"""What the parsing layer hands to the importer: one immutable `ParsedDocument` per file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


class IngestError(ValueError):
    """A file that cannot become an article; the message says what is wrong with which file."""


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    title_is_derived: bool
    lead: str
    body: str
    published_on: datetime.date | None
    date_evidence: str
    source_name: str
    canonical_url: str
    language: str
    encoding: str
    format: str
    # Byte offsets of the invalid bytes a damaged UTF-8 file had, replaced by U+FFFD.
    replaced_offsets: tuple[int, ...] = ()
