"""Decoding a file's bytes: the encoding is detected, not assumed."""

import codecs
from pathlib import Path

import pytest

from articles.ingest import (
    IngestError,
    ParsedDocument,
    decode_bytes,
    decode_text,
    parse_file,
    replacement_note,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


def parse_fixture(name: str) -> ParsedDocument:
    return parse_file((FIXTURES / name).read_bytes(), filename=name)


# Encodings -------------------------------------------------------------------------------------

EXPECTED_TITLE = "Un « accord » sur l’aide à l’Irak"
EXPECTED_BODY = (
    "Réunis à Koweït, les ministres ont promis une aide à la reconstruction… Le coût des dégâts "
    "dépasse, selon Bagdad, quatre-vingts milliards de dollars ; l’œuvre sera longue."
)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("encoded_utf8.txt", "utf-8"),
        ("encoded_utf8_bom.txt", "utf-8-sig"),
        ("encoded_cp1252.txt", "cp1252"),
    ],
)
def test_same_text_in_utf8_with_or_without_bom_and_cp1252_parses_identically(name, encoding):
    document = parse_fixture(name)

    assert document.encoding == encoding
    assert document.title == EXPECTED_TITLE
    assert document.body == EXPECTED_BODY


def test_latin1_file_is_detected_and_decoded():
    document = parse_fixture("encoded_latin1.txt")

    assert document.encoding == "latin-1"
    assert document.title == "Un « accord » sur l'aide à l'Irak"
    assert "Le coût des dégâts dépasse" in document.body


def test_cp1252_punctuation_bytes_are_not_read_as_latin1_control_characters():
    text, encoding = decode_bytes("l’Irak… « œuvre » – fin".encode("cp1252"))

    assert encoding == "cp1252"
    assert text == "l’Irak… « œuvre » – fin"


def test_decode_bytes_prefers_strict_utf8():
    assert decode_bytes("Koweït".encode()) == ("Koweït", "utf-8")


def test_non_western_single_byte_encoding_is_detected_rather_than_assumed():
    # Long enough for charset-normalizer to tell cp1251 from Mac Cyrillic.
    russian = (
        "Министры иностранных дел стран Глобальной коалиции по борьбе с ИГИЛ встретились в Риме. "
        "Они подтвердили свою решимость продолжать борьбу с терроризмом и обсудили ситуацию."
    )
    text, encoding = decode_bytes(russian.encode("cp1251"))

    assert text == russian
    assert encoding == "cp1251"


# A UTF-8 file with a few invalid bytes -----------------------------------------------------------

DAMAGED_TEXT = "Réunis à Koweït, les ministres ont promis une aide à la reconstruction de l’Irak."


def with_bytes_spliced(text: str, *insertions: tuple[int, bytes]) -> tuple[bytes, list[int]]:
    """``text`` in UTF-8 with raw bytes spliced in after the given characters, and the byte
    offsets where they landed."""
    raw, offsets, start = b"", [], 0
    for position, junk in insertions:
        raw += text[start:position].encode()
        offsets.extend(range(len(raw), len(raw) + len(junk)))
        raw += junk
        start = position
    return raw + text[start:].encode(), offsets


def test_one_invalid_byte_in_utf8_is_replaced_and_the_rest_stays_utf8():
    raw, offsets = with_bytes_spliced(DAMAGED_TEXT, (10, b"\xe9"))  # a Windows-1252 "é"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")

    decoded = decode_text(raw)

    assert decoded.encoding == "utf-8"
    assert decoded.text == DAMAGED_TEXT[:10] + "\ufffd" + DAMAGED_TEXT[10:]
    assert "Ã" not in decoded.text
    assert decoded.replaced_offsets == tuple(offsets) == (12,)
    assert replacement_note(decoded.replaced_offsets) == (
        "1 invalid byte replaced (U+FFFD) at offset 12"
    )


def test_each_invalid_byte_is_replaced_alone_and_located_in_the_file():
    # A stray continuation byte, and a three-byte character cut after its second byte.
    raw, offsets = with_bytes_spliced(DAMAGED_TEXT, (5, b"\x80"), (40, "’".encode()[:2]))

    decoded = decode_text(raw)

    assert decoded.encoding == "utf-8"
    assert decoded.replaced_offsets == tuple(offsets)
    assert len(offsets) == 3
    assert (
        decoded.text
        == DAMAGED_TEXT[:5] + "\ufffd" + DAMAGED_TEXT[5:40] + "\ufffd\ufffd" + DAMAGED_TEXT[40:]
    )
    assert replacement_note(decoded.replaced_offsets) == (
        f"3 invalid bytes replaced (U+FFFD) at offsets {', '.join(map(str, offsets))}"
    )


def test_a_damaged_utf8_file_with_a_byte_order_mark_is_still_utf8():
    raw, offsets = with_bytes_spliced(DAMAGED_TEXT, (10, b"\xff"))
    decoded = decode_text(codecs.BOM_UTF8 + raw)
    assert decoded.encoding == "utf-8-sig"
    assert decoded.text == DAMAGED_TEXT[:10] + "\ufffd" + DAMAGED_TEXT[10:]
    assert decoded.replaced_offsets == (offsets[0] + len(codecs.BOM_UTF8),)


def test_a_windows_1252_file_is_read_as_such_even_with_a_chance_utf8_pair():
    # "É" then a no-break space is C9 A0: valid UTF-8 (ɠ) by chance, but the other accented
    # letters are not, and Windows-1252 explains every byte.
    text = "L’ONU salue « l’ÉTÉ\xa0» de la coalition à Koweït : élan, énergie, fermeté."
    decoded = decode_text(text.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text == text
    assert decoded.replaced_offsets == ()


def test_a_single_accented_windows_1252_byte_in_ascii_text_is_not_replaced():
    decoded = decode_text("Les ministres se sont réunis.".encode("cp1252"))
    assert decoded.text == "Les ministres se sont réunis."
    assert decoded.encoding in {"cp1252", "latin-1"}
    assert decoded.replaced_offsets == ()


def test_utf8_text_mixed_with_many_legacy_bytes_is_refused_rather_than_garbled():
    text = "Réunis à Koweït, les ministres ont promis une aide à la reconstruction. " * 40
    legacy = "Le coût des dégâts sera élevé. ".encode("cp1252") * 5  # 25 accented bytes
    with pytest.raises(IngestError, match="mixes encodings: UTF-8 text with 25 bytes"):
        decode_text(text.encode() + legacy)


def test_a_damaged_utf8_file_parses_with_its_replaced_offsets():
    raw, offsets = with_bytes_spliced(
        "Un titre\n\n" + DAMAGED_TEXT, (20, b"\xe9"), (30, b"\xe8"), (50, b"\xa0")
    )
    document = parse_file(raw, filename="abime.txt")
    assert document.encoding == "utf-8"
    assert document.replaced_offsets == tuple(offsets)
    assert document.body.count("\ufffd") == 3
    assert "l’Irak" in document.body
    assert "Ã" not in document.body
