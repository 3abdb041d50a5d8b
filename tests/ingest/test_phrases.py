"""One automaton finds names, aliases and places where their bounded patterns would match."""

from pathlib import Path

import pytest

from articles.ingest import decode_bytes
from articles.ingest.detection import load_reference
from articles.ingest.names import FoldedText, fold, phrase_pattern
from articles.ingest.patterns import bounded
from articles.ingest.phrases import PhraseIndex

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"
TRICKY = [
    "",
    "Secrétaire d’État, secrétaire d'État américain",
    "Le sous-secrétaire d’État et le secrétaire d’État.",
    "Cœur de l’Œuvre : Œdipe, sœur et secrétaire d’État… Mœurs",
    "Le président américain Trump—président des États-Unis—",
    "l’OTAN l'otan lotan l' otan lxyz lx l'otanx",
    "Rex  Tillerson, Rex\nTillerson, Rex\u00a0\u00a0Tillerson et Rex-Tillerson",
    "M. Blinken, Mme Colonna et ﬁnalement Ǆemal ont dit: « Non ».\nIl a dit",
]


def texts():
    for path in sorted(DEMO_CORPUS.iterdir()):
        yield decode_bytes(path.read_bytes())[0]
    yield from TRICKY


@pytest.mark.parametrize(
    "phrase",
    [
        "Rex Tillerson",
        "Tillerson",
        "O’Brien",
        "l’OTAN",
        "Abou Bakr al-Baghdadi",
        "Œdipe",
        "M. Blinken",
        "secrétaire d’État",
        "a",
        "Ǆemal",
        *(meeting.city for meeting in load_reference()[0]),
    ],
)
def test_a_phrase_is_found_where_its_bounded_pattern_matches(phrase):
    folded_phrase = fold(phrase)
    pattern = bounded(phrase_pattern(folded_phrase))
    index = PhraseIndex([" ".join(folded_phrase.split())])
    for text in [*texts(), f"{phrase}, {phrase.upper()} et {phrase}x {phrase}"]:
        folded = FoldedText.of(text).folded
        expected = [match.span() for match in pattern.finditer(folded)]
        assert index.find(folded).get(0, []) == expected


def test_each_phrase_keeps_its_own_matches_when_phrases_overlap():
    index = PhraseIndex(["secretaire d'etat", "etat", "d'etat secretaire", "etat"])
    folded = FoldedText.of("Le secrétaire d’État secrétaire d’État").folded
    assert index.find(folded) == {
        0: [(3, 20), (21, 38)],
        1: [(16, 20), (34, 38)],
        2: [(14, 31)],
    }


def test_a_phrase_repeating_itself_is_found_as_finditer_finds_it():
    index = PhraseIndex(["a a"])
    assert index.find("a a a a a") == {0: [(0, 3), (4, 7)]}
    assert PhraseIndex([]).find("a a") == {}


def test_folded_text_maps_matches_after_an_expansion_back_to_the_original():
    folded = FoldedText.of("Cœur de l’Œuvre, secrétaire d’État")
    [(start, end, _match)] = folded.finditer(bounded(r"secretaire d'etat"))
    assert folded.original[start:end] == "secrétaire d’État"
