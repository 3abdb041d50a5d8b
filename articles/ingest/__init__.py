"""Pure parsing of article files: bytes of a .txt or .html file in, a `ParsedDocument` out.

Nothing here touches Django models or the database; `articles.importing` does the writing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from .decoding import DecodedText, decode_bytes, decode_text, replacement_note
from .document import IngestError, ParsedDocument
from .html import parse_html
from .text import parse_text

__all__ = [
    "DecodedText",
    "IngestError",
    "ParsedDocument",
    "decode_bytes",
    "decode_text",
    "parse_file",
    "parse_html",
    "parse_text",
    "replacement_note",
]

_PARSERS = {".txt": parse_text, ".html": parse_html, ".htm": parse_html}


def parse_file(raw: bytes, *, filename: str) -> ParsedDocument:
    """Decode and parse one file, choosing the parser by extension.

    Raises `IngestError` (with the file name in the message) for an unsupported extension, an
    empty, binary or undecodable file, or one without article text.
    """
    name = PurePath(filename).name or filename
    parser = _PARSERS.get(PurePath(filename).suffix.lower())
    if parser is None:
        supported = ", ".join(sorted(_PARSERS))
        raise IngestError(f"{name}: unsupported file type (expected one of {supported})")
    if not raw.strip():
        raise IngestError(f"{name}: the file is empty")
    try:
        decoded = decode_text(raw)
        document = parser(decoded.text, encoding=decoded.encoding)
    except IngestError as error:
        raise IngestError(f"{name}: {error}") from error
    if decoded.replaced_offsets:
        return replace(document, replaced_offsets=decoded.replaced_offsets)
    return document
