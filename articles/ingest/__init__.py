"""Pure parsing of article files: bytes of a .txt or .html file in, a `ParsedDocument` out.

Nothing here touches Django models or the database; `articles.importing` does the writing.
"""

from __future__ import annotations

from pathlib import PurePath

from .decoding import decode_bytes
from .document import IngestError, ParsedDocument
from .html import parse_html
from .text import parse_text

__all__ = [
    "IngestError",
    "ParsedDocument",
    "decode_bytes",
    "parse_file",
    "parse_html",
    "parse_text",
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
        text, encoding = decode_bytes(raw)
        return parser(text, encoding=encoding)
    except IngestError as error:
        raise IngestError(f"{name}: {error}") from error
