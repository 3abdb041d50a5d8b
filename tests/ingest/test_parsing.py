"""Any file in, a `ParsedDocument` or an `IngestError` out, whatever the bytes."""

import contextlib
import dataclasses
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import IngestError, ParsedDocument, parse_file, parse_html

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


def parse_fixture(name: str) -> ParsedDocument:
    return parse_file((FIXTURES / name).read_bytes(), filename=name)


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_file_is_rejected_with_its_name_in_the_message(name):
    with pytest.raises(IngestError, match=rf"{name}: the file is empty"):
        parse_fixture(name)


def test_binary_file_is_rejected():
    with pytest.raises(IngestError, match=r"binary\.txt: looks like a binary file"):
        parse_fixture("binary.txt")


@pytest.mark.parametrize("filename", ["article.pdf", "article.docx", "article", "archive.txt.gz"])
def test_unsupported_extension_is_rejected(filename):
    with pytest.raises(IngestError, match="unsupported file type"):
        parse_file(b"Un titre\n\nUn paragraphe.", filename=filename)


def test_ingest_error_is_a_value_error():
    assert issubclass(IngestError, ValueError)


def test_parsed_document_is_immutable():
    document = parse_fixture("text_with_title.txt")

    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "Autre"


@pytest.mark.parametrize("filename", ["random.txt", "random.html"])
def test_random_bytes_give_a_document_or_an_ingest_error_never_another_exception(filename):
    rng = random.Random(f"coalition-{filename}")
    for _ in range(300):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        try:
            document = parse_file(raw, filename=filename)
        except IngestError:
            continue
        assert isinstance(document, ParsedDocument)


@settings(max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=600), filename=st.sampled_from(["a.txt", "a.html"]))
def test_arbitrary_bytes_never_crash_the_parser(raw, filename):
    with contextlib.suppress(IngestError):
        parse_file(raw, filename=filename)


_TAGS = ["<p>", "</p>", "<div class='share'>", "</div>", "<br>", "<script>", "</script>", "<h1>"]


@settings(max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(
        st.one_of(st.sampled_from(_TAGS), st.text(max_size=40)), min_size=1, max_size=30
    )
)
def test_arbitrary_markup_never_crashes_and_never_leaks_tags(pieces):
    markup = "".join(pieces)
    try:
        document = parse_html(markup)
    except IngestError:
        return
    assert document.body.strip()
    assert "\n\n\n" not in document.body
