"""Detection on large files (issue 16, point 8): the same answers, in time linear in the size.

The texts repeat the demo articles (French and English reports, with names, quotes and dates)
up to about 1 and 3 MB. A repeated article must give the same quotes each time it comes back.
How the work grows is counted, not timed: the Python calls detection makes, through
`sys.setprofile`, grow in proportion to the text where every scan reads only near each mention.
"""

import dataclasses
import sys
from pathlib import Path

import pytest

from articles.ingest import parse_file
from articles.ingest.detection import Detection, detect, load_reference

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"
MEETINGS, PEOPLE = load_reference()
SEPARATOR = "\n\n"


@pytest.fixture(scope="module")
def articles_text() -> str:
    """The bodies of the demo articles, one after the other (about 60 kB)."""
    paths = sorted(DEMO_CORPUS.iterdir())
    return SEPARATOR.join(parse_file(path.read_bytes(), filename=path.name).body for path in paths)


def repeated(unit: str, copies: int) -> str:
    return SEPARATOR.join([unit] * copies)


def run(body: str) -> Detection:
    return detect(title="", body=body, published_on=None, meetings=MEETINGS, people=PEOPLE)


def expected_quotes(unit: str, copies: int) -> list:
    """The quotes of ``copies`` copies, from those of two: every copy after the first is
    preceded by the same text as the second, and must be read the same way."""
    two = run(repeated(unit, 2)).quotes
    shift = len(unit) + len(SEPARATOR)
    first = [quote for quote in two if quote.start < shift]
    second = [quote for quote in two if quote.start >= shift]
    assert first and second
    return first + [
        dataclasses.replace(quote, start=quote.start + shift * copy)
        for copy in range(copies - 1)
        for quote in second
    ]


@pytest.mark.parametrize("megabytes", [1, 3])
def test_a_large_text_gives_each_repeated_article_the_same_quotes_and_people(
    articles_text, megabytes
):
    copies = megabytes * 1_000_000 // len(articles_text) + 1
    text = repeated(articles_text, copies)
    assert len(text) >= megabytes * 1_000_000

    detection = run(text)

    assert list(detection.quotes) == expected_quotes(articles_text, copies)
    one = run(articles_text)
    assert {person.slug or person.name for person in detection.people} == {
        person.slug or person.name for person in one.people
    }
    assert detection.meetings and one.meetings
    assert detection.meetings[0].slug == one.meetings[0].slug


def python_calls_to_detect(text: str) -> int:
    calls = 0

    def count(_frame, event, _arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        run(text)
    finally:
        sys.setprofile(None)
    return calls


def test_detection_work_grows_in_proportion_to_the_text(articles_text):
    run(articles_text)  # compiled patterns and reference indexes are built once, before counting
    two = python_calls_to_detect(repeated(articles_text, 2))
    six = python_calls_to_detect(repeated(articles_text, 6))
    # Three times the text: three times the calls, give or take the work done once per text.
    # A scan of every mention for each mention made it eight times.
    assert six <= 3.3 * two
