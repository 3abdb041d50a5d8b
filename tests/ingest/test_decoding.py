"""Decoding a file's bytes: the encoding is detected, not assumed."""

from pathlib import Path

import pytest

from articles.ingest import ParsedDocument, decode_bytes, parse_file

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
