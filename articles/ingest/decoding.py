"""Turn the bytes of a file into text, detecting (not assuming) its encoding."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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

# A UTF-8 file damaged in a few places (a truncated copy, one pasted Windows-1252 character) is
# still UTF-8: its invalid bytes are replaced one by one and reported, up to a handful or one
# byte in a thousand. More than that is a file that mixes encodings, refused rather than guessed.
_FEW_INVALID_BYTES = 16
_BYTES_PER_INVALID_BYTE = 1000
_OFFSETS_NAMED = 10
# "surrogateescape" turns each byte that is not UTF-8 into one lone surrogate, so the invalid
# bytes are counted and located one by one; no real text decodes to these code points.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    """A file's text, the encoding it was read with, and the byte offsets (in the file) of the
    invalid bytes replaced by U+FFFD, if any."""

    text: str
    encoding: str
    replaced_offsets: tuple[int, ...] = ()


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode `raw` and return `(text, encoding name)`; raise `IngestError` for binary data."""
    decoded = decode_text(raw)
    return decoded.text, decoded.encoding


def decode_text(raw: bytes) -> DecodedText:
    """Decode `raw`: strict UTF-8 first, UTF-8 with a few invalid bytes replaced, then a legacy
    single-byte encoding; raise `IngestError` for binary data or a mix of encodings."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _checked(_decode_with_bom(raw, bom, encoding))
    if b"\x00" in raw:
        raise IngestError("looks like a binary file (it contains NUL bytes), not a text article")
    try:
        decoded = DecodedText(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        decoded = _damaged_utf8(raw, encoding="utf-8") or _decode_single_byte(raw)
    return _checked(decoded)


def replacement_note(offsets: tuple[int, ...]) -> str:
    """The sentence an import reports for replaced bytes: how many, and where in the file."""
    if not offsets:
        return ""
    named = ", ".join(str(offset) for offset in offsets[:_OFFSETS_NAMED])
    if len(offsets) > _OFFSETS_NAMED:
        named += f" and {len(offsets) - _OFFSETS_NAMED} more"
    if len(offsets) == 1:
        return f"1 invalid byte replaced (U+FFFD) at offset {named}"
    return f"{len(offsets)} invalid bytes replaced (U+FFFD) at offsets {named}"


def _checked(decoded: DecodedText) -> DecodedText:
    # The replacement characters put in for a damaged UTF-8 file are counted, not held against it.
    suspicious = control_character_ratio(decoded.text) * len(decoded.text)
    if suspicious - len(decoded.replaced_offsets) > _MAX_CONTROL_SHARE * len(decoded.text):
        raise IngestError("looks like a binary file (too many control characters), not text")
    return decoded


def _decode_with_bom(raw: bytes, bom: bytes, encoding: str) -> DecodedText:
    try:
        return DecodedText(raw.decode(encoding), encoding)
    except UnicodeDecodeError as error:
        # A UTF-8 byte-order mark is the file saying what it is: a few bad bytes do not undo it.
        damaged = (
            _damaged_utf8(raw, encoding=encoding, skip=len(bom), trust_bom=True)
            if encoding == "utf-8-sig"
            else None
        )
        if damaged is None:
            raise IngestError(
                f"starts with a {encoding} byte-order mark but is not valid {encoding}"
            ) from error
        return damaged


def _damaged_utf8(
    raw: bytes, *, encoding: str, skip: int = 0, trust_bom: bool = False
) -> DecodedText | None:
    """UTF-8 with each invalid byte replaced, or None when a legacy encoding explains the bytes
    better: when the invalid bytes are not outnumbered by the valid multi-byte characters,
    reading the file as Windows-1252 garbles fewer characters than it explains."""
    escaped = raw[skip:].decode("utf-8", "surrogateescape")
    invalid = len(_ESCAPED_BYTE.findall(escaped))
    multibyte = len(_NON_ASCII.findall(escaped)) - invalid
    if not trust_bom and multibyte <= invalid:
        return None
    if invalid > max(_FEW_INVALID_BYTES, len(raw) // _BYTES_PER_INVALID_BYTE):
        first = _escaped_offsets(escaped, start=skip, limit=1)[0]
        raise IngestError(
            f"mixes encodings: UTF-8 text with {invalid} bytes that are not UTF-8 (the first at "
            f"offset {first}); save it again as UTF-8"
        )
    offsets = _escaped_offsets(escaped, start=skip)
    return DecodedText(_ESCAPED_BYTE.sub("\ufffd", escaped), encoding, offsets)


def _escaped_offsets(escaped: str, *, start: int, limit: int | None = None) -> tuple[int, ...]:
    """The byte offsets in the file of the escaped bytes, measured by encoding the text between
    them back: one pass over the text."""
    offsets: list[int] = []
    position, offset = 0, start
    for match in _ESCAPED_BYTE.finditer(escaped):
        offset += len(escaped[position : match.start()].encode("utf-8", "surrogateescape"))
        offsets.append(offset)
        offset, position = offset + 1, match.end()
        if limit is not None and len(offsets) >= limit:
            break
    return tuple(offsets)


def _decode_single_byte(raw: bytes) -> DecodedText:
    """Pick between Windows-1252 and Latin-1, falling back to charset-normalizer's guess."""
    c1_bytes = set(b"".join(_C1_RANGE.findall(raw)))
    if c1_bytes and not c1_bytes & _CP1252_UNASSIGNED:
        text, encoding = raw.decode("cp1252"), "cp1252"
    else:
        # Without 0x80–0x9F bytes both decode identically; Latin-1 is then the honest name.
        text, encoding = raw.decode("latin-1"), "latin-1"
    if _looks_western(text):
        return DecodedText(text, encoding)
    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        raise IngestError("could not determine the text encoding (is it a binary file?)")
    return DecodedText(str(guess), codecs.lookup(guess.encoding).name)


def _looks_western(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return control_character_ratio(text) <= _MAX_CONTROL_SHARE
    accented = sum(1 for char in letters if ord(char) > 0x7F)
    return accented / len(letters) <= _MAX_ACCENTED_SHARE
