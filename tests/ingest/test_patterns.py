"""A pattern set finds each of its patterns' matches exactly where finditer finds them."""

import pytest

from articles.ingest.detection.document import FOLDED_PHRASES
from articles.ingest.names import FoldedText
from articles.ingest.patterns import PatternSet

from .test_phrases import texts

TRICKY = [
    "xsecretaire d'etat secretaire d'etatx, secretaire d'etat",
    "U.S. Secretary of State, u.s. secretary of state, US secretary of stateUS",
    "la semaine derniere la coalition, en mars 2017, en mars, 12 pays 120 membres 2016 lundi",
    "le 14 fevrier dernier depuis lundi depuis 2014 ; se sont reunis ; s'est tenue le 3",
]


def spans(matches):
    return [(match.span(), match.groupdict()) for match in matches]


@pytest.mark.parametrize("name", list(FOLDED_PHRASES.patterns))
def test_every_phrase_of_detection_is_found_where_finditer_finds_it(name):
    pattern = FOLDED_PHRASES.patterns[name]
    for text in [*texts(), *TRICKY]:
        folded = FoldedText.of(text).folded
        assert spans(FOLDED_PHRASES.find(folded)[name]) == spans(pattern.finditer(folded))


def test_overlapping_patterns_each_keep_their_own_matches():
    patterns = PatternSet({"long": r"secretaire d'etat", "short": r"etat", "other": r"d'etat x"})
    found = patterns.find("secretaire d'etat x etat")
    assert spans(found["long"]) == [((0, 17), {})]
    assert spans(found["short"]) == [((13, 17), {}), ((20, 24), {})]
    assert spans(found["other"]) == [((11, 19), {})]
