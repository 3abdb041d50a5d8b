"""Turn the bytes of a file into text, detecting (not assuming) its encoding."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from .document import IngestError
from .normalize import control_character_ratio

# Bytes 0x80–0x9F that Windows-1252 maps to printable characters (’ “ ” … – — € œ…);
# the five others are unassigned there and only make sense as Latin-1 C1 controls.
_CP1252_UNASSIGNED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_C1_RANGE = re.compile(rb"[\x80-\x9f]")
# A Western text is mostly ASCII letters with a few accented ones; text in another script read as
# cp1252 turns into long runs of À–ÿ letters instead.
_MAX_ACCENTED_SHARE = 0.3
_MAX_CONTROL_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode `raw` and return `(text, encoding name)`; raise `IngestError` for binary data."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise IngestError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from error
    if b"\x00" in raw:
        raise IngestError("looks like a binary file (it contains NUL bytes), not a text article")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_single_byte(raw)
    if control_character_ratio(text) > _MAX_CONTROL_SHARE:
        raise IngestError("looks like a binary file (too many control characters), not text")
    return text, encoding


def _decode_single_byte(raw: bytes) -> tuple[str, str]:
    """Pick between Windows-1252 and Latin-1, falling back to charset-normalizer's guess."""
    c1_bytes = set(b"".join(_C1_RANGE.findall(raw)))
    if c1_bytes and not c1_bytes & _CP1252_UNASSIGNED:
        text, encoding = raw.decode("cp1252"), "cp1252"
    else:
        # Without 0x80–0x9F bytes both decode identically; Latin-1 is then the honest name.
        text, encoding = raw.decode("latin-1"), "latin-1"
    if _looks_western(text):
        return text, encoding
    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        raise IngestError("could not determine the text encoding (is it a binary file?)")
    return str(guess), codecs.lookup(guess.encoding).name


def _looks_western(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return control_character_ratio(text) <= _MAX_CONTROL_SHARE
    accented = sum(1 for char in letters if ord(char) > 0x7F)
    return accented / len(letters) <= _MAX_ACCENTED_SHARE
