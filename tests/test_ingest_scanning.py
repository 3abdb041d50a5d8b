"""`scan` finds exactly the matches `finditer` finds, trying fewer positions."""

import re
from pathlib import Path

import pytest

from articles.ingest import dates, decode_bytes, detection
from articles.ingest.scanning import _starts, scan

DEMO_CORPUS = Path(__file__).resolve().parent.parent / "demo" / "corpus"
TRICKY = [
    "",
    "A a-t-il déclaré ? S’est-elle félicitée… ſaid, SAID, Said: « oui », a-t-elle ajouté.",
    "Le lundi 3 Décembre 2014, Monday December 3rd, 2014; 3 déc. 2014 — Tuesday, 4 March 2015",
    "M. Blinken, Mme Colonna et ﬁnalement Ǆemal ont dit: « Non ».\nIl a dit",
]


def texts():
    for path in sorted(DEMO_CORPUS.iterdir()):
        yield decode_bytes(path.read_bytes())[0]
    yield from TRICKY


def spans(matches):
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize(
    ("pattern", "before"),
    [
        (detection._SPEECH_VERB, r"\b"),
        (detection._BARE_NAME, ""),
        (detection._HONORIFIC_NAME, r"\b"),
        (dates._WEEKDAY_PATTERN, r"\b"),
        (dates._RELATIVE_PATTERN, ""),
        *((pattern, "") for pattern in dates._EXPLICIT_PATTERNS + dates._DAY_MONTH_PATTERNS),
        *((pattern, r"(?<!\w)") for _role, pattern in detection._ROLE_PATTERNS[:5]),
    ],
)
def test_scanning_finds_the_same_matches_as_finditer(pattern, before):
    for text in texts():
        assert spans(scan(pattern, text, before=before)) == spans(pattern.finditer(text))


def test_a_pattern_that_can_match_nothing_is_tried_everywhere():
    assert _starts(re.compile(r"a*"), "") is None
    assert spans(scan(re.compile(r"a*"), "baab")) == spans(re.finditer(r"a*", "baab"))


def test_the_positions_tried_are_those_where_a_match_can_start():
    starts = _starts(re.compile(r"(?:le\s+)?(?:lundi|mardi)|Mon"), "")
    assert starts.pattern == "[Mlm]"
    assert _starts(re.compile(r"\w+day"), "") is None  # \w: any word character
    # A scoped case-insensitive part may start with either case.
    assert _starts(re.compile(r"(?i:lundi)"), "").flags & re.IGNORECASE
