"""`scan` finds exactly the matches `finditer` finds, trying fewer positions."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import dates, decode_bytes, detection
from articles.ingest.names import (
    FoldedText,
    _word_heads,
    bounded,
    fold,
    leading_word,
    phrase_pattern,
    stands_whole,
)
from articles.ingest.scanning import _starts, heads, leading_words, scan

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
        (detection._PRONOUN, r"\b"),
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
    assert starts.pattern == "(?:M(?:o(?:n))|l(?:e(?:\\s)|u(?:n))|m(?:a(?:r)))"
    text = "le lundi, lumière, Mon mardi, matin, le\tmardi"
    assert [m.start() for m in starts.finditer(text)] == [0, 3, 19, 23, 37, 40]
    assert _starts(re.compile(r"\w+day"), "") is None  # \w: any word character
    assert _starts(re.compile(r"[^,]+,"), "") is None
    # A part that may be anything only stops the search after the characters before it.
    assert _starts(re.compile(r"a[^,]b"), "").pattern == "(?:a(?:(?s:.)(?:b)))"
    # A scoped case-insensitive part may start with either case.
    starts = _starts(re.compile(r"(?i:lundi)|Monday"), "")
    assert [m.start() for m in starts.finditer("LUNDI Lundi MONDAY Monday")] == [0, 6, 19]


def test_heads_are_the_first_characters_of_every_match():
    assert heads(re.compile(r"(?<!\w)(?:secretaire|sous secretaire|chef)"), 2) == {"se", "so", "ch"}
    assert heads(re.compile(r"(?:u\.s\.|us) (?:envoy)"), 3) == {"u.s", "us "}
    assert heads(re.compile(r"20[0-3]x"), 3) == {"200", "201", "202", "203"}
    assert heads(re.compile(r"(?:ab)?cd"), 2) == {"ab", "cd"}
    assert heads(re.compile(r"a{0,3}bc"), 2) == {"aa", "ab", "bc"}
    assert heads(re.compile(r"(?:x|)+yz"), 2) == {"xx", "xy", "yz"}
    assert heads(re.compile(r"(?<!sous )secretaire(?! general)"), 2) == {"se"}


def test_heads_are_unknown_when_a_match_may_begin_with_anything_or_be_short():
    assert heads(re.compile(r"\w+day"), 2) is None  # \w: any word character
    assert heads(re.compile(r"a.b"), 2) is None
    assert heads(re.compile(r"lundi", re.IGNORECASE), 2) is None
    assert heads(re.compile(r"(?i:lundi)"), 2) is None
    assert heads(re.compile(r"a|bc"), 2) is None  # "a" alone is a match
    assert heads(re.compile(r"a{0,3}bc"), 3) is None  # so is "bc"
    assert heads(re.compile(r"(a)\1"), 2) is None
    assert heads(re.compile(r"a\s"), 2) is None  # a class, not a character
    assert heads(re.compile(r"a[^b]"), 2) is None


FOLDED_TRICKY = [
    "Secrétaire d’État, secrétaire d'État américain",
    "secretaire",  # the whole text
    "Le sous-secrétaire d’État et le secrétaire d’État.",
    "Cœur de l’Œuvre : Œdipe, sœur et secrétaire d’État… Mœurs",
    "chef de la diplomatie américaine chef de la diplomatie americaine",
    "xsecretaire d'etat secretaire d'etatx, secretaire d'etat",
    "Le président américain Trump—président des États-Unis—",
    "U.S. Secretary of State, u.s. secretary of state, US secretary of stateUS",
    "l’OTAN l'otan lotan l' otan lxyz lx l'otanx",
    "",
]


def folded_spans(folded, pattern):
    return [(start, end, match.span()) for start, end, match in folded.finditer(pattern)]


def spans_by_finditer(folded, pattern):
    return [
        (*folded.span(match.start(), match.end()), match.span())
        for match in pattern.finditer(folded.folded)
        if match.end() > match.start()
    ]


@pytest.mark.parametrize(
    "pattern",
    [
        *(pattern for _role, pattern in detection._ROLE_PATTERNS),
        detection._NATO,
        detection._MAIN_EVENT,
        detection._ELSEWHERE_IN_TIME,
        detection._POINTS_AHEAD,
        detection._WEEKDAY,
        detection._YEAR,
        bounded(phrase_pattern("Œdipe")),
        bounded(phrase_pattern("sœur")),
        bounded(r"secretaire d'etat|d'etat secretaire|etat"),  # overlapping alternatives
        bounded(r"otan|l'otan"),
        # Looked up by their first two characters: a match's first word is not known whole.
        bounded(r"secr\w+ d'etat"),
        bounded(r"l'otan|lx\w*"),
    ],
)
def test_folded_text_finds_the_matches_finditer_finds(pattern):
    assert _word_heads(pattern) is not None  # looked up by the beginnings of words
    for text in [*texts(), *FOLDED_TRICKY]:
        folded = FoldedText.of(text)
        assert folded_spans(folded, pattern) == spans_by_finditer(folded, pattern)


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
        *(place for meeting in detection.load_reference()[0] for place in (meeting.city,)),
    ],
)
def test_a_phrase_looked_up_by_its_leading_word_is_found_where_finditer_finds_it(phrase):
    folded_phrase = fold(phrase)
    pattern, lead = bounded(phrase_pattern(folded_phrase)), leading_word(folded_phrase)
    assert lead
    for text in [*texts(), *FOLDED_TRICKY, f"{phrase}, {phrase.upper()} et {phrase}x {phrase}"]:
        folded = FoldedText.of(text)
        expected = spans_by_finditer(folded, pattern)
        found = [(s, e, m.span()) for s, e, m in folded.finditer(pattern, lead=lead)]
        assert found == expected
        assert folded.has_word(lead) or not expected
        assert stands_whole(lead, folded.folded) == folded.has_word(lead)


def test_folded_text_maps_matches_after_an_expansion_back_to_the_original():
    folded = FoldedText.of("Cœur de l’Œuvre, secrétaire d’État")
    pattern = bounded(r"secretaire d'etat")
    [(start, end, _match)] = folded.finditer(pattern)
    assert folded.original[start:end] == "secrétaire d’État"


def test_leading_words_are_the_whole_words_every_match_begins_with():
    assert leading_words(re.compile(r"\b(?:lundi|mardi)\b")) == {"lundi", "mardi"}
    assert leading_words(re.compile(r"(?<![\w-])(?:hier|avant-hier)(?![\w-])")) == {
        "hier",
        "avant",
    }
    assert leading_words(re.compile(r"\b(?:a|ont)(?:-t-il)?\s+dit")) == {"a", "ont"}
    assert leading_words(re.compile(r"\bs['’]est\b")) == {"s"}
    assert leading_words(re.compile(r"\bemphasi[sz]ed\b")) == {"emphasised", "emphasized"}
    assert leading_words(re.compile(r"\b(?:Mr\.?|Mme)[^\S\n]+[A-Z]")) == {"Mr", "Mme"}
    assert leading_words(re.compile(r"\b(?:le\s+)?jeudi\b")) == {"le", "jeudi"}
    assert leading_words(re.compile(r"(?i:\bLundi\b)")) == {"Lundi"}  # as written


def test_leading_words_are_unknown_unless_matches_start_and_stop_at_word_boundaries():
    assert leading_words(re.compile(r"lundi\b")) is None  # may start inside a word
    assert leading_words(re.compile(r"\blundi")) is None  # may stop inside one: "lundis"
    assert leading_words(re.compile(r"\blun\w+\b")) is None
    assert leading_words(re.compile(r"\b[a-z]+\b")) is None
    assert leading_words(re.compile(r"\b\d+\s")) is None
    assert leading_words(re.compile(r"\b(?:x|)\s")) is None  # a match may start with a space
    assert leading_words(re.compile(r"\blundi\B")) is None
    assert leading_words(re.compile(r"\blundi[^,]")) is None  # [^,] may be a word character
    # ASCII word characters: "dit" would start a word inside "édit".
    assert leading_words(re.compile(r"\bdit\b", re.ASCII)) is None
    assert leading_words(re.compile(r"(?a:\bdit\b)")) is None
    # (?<![^\w]) asks for a word character before the match, not for a word to start there.
    assert leading_words(re.compile(r"(?<![^\w])dit\b")) is None


SCANNED_BY_WORD = [
    (detection._SPEECH_VERB, r"\b"),
    (detection._HONORIFIC_NAME, r"\b"),
    (detection._PRONOUN, r"\b"),
    (dates._WEEKDAY_PATTERN, r"\b"),
    (dates._RELATIVE_PATTERN, ""),
    *((pattern, "") for pattern in dates._EXPLICIT_PATTERNS + dates._DAY_MONTH_PATTERNS),
]
# Characters whose folding would move a word boundary, or that `re` matches to another letter
# when ignoring case ("ı" and "i"), next to ligatures and letters that fold to several.
UNEVEN_TEXTS = [
    "Il a de\u0301clare\u0301 lundi, elle a\u0301 dit : « oui ».",
    "Le mercredı 3 mai, Blinken dıt hier que la coalition tient.",
    "Mr™ Smith, M™ Dupont, TMa dit ™a dit.",
    "SAMEDI, ſamedi et Hier : Il S’EST DIT prêt ; Cœur a ajouté ; Straße a dit.",
    "Aujourd’hui, ﬁnalement, l’Œuvre a précisé ; Aujourd'hui il a dit.",
]


@pytest.mark.parametrize(("pattern", "before"), SCANNED_BY_WORD)
def test_folded_text_scans_the_original_text_as_finditer_does(pattern, before):
    for text in [*texts(), *FOLDED_TRICKY, *UNEVEN_TEXTS]:
        folded = FoldedText.of(text)
        assert spans(folded.scan(pattern, before=before)) == spans(pattern.finditer(text))


def test_a_text_whose_folding_moves_word_boundaries_is_scanned_character_by_character():
    assert FoldedText.of("Il a déclaré, ſamedi, Œdipe, Straße").word_starts(["a"]) == [3]
    for text in UNEVEN_TEXTS[:3]:
        assert FoldedText.of(text).word_starts(["a"]) is None


def test_the_word_index_holds_every_word_where_finditer_finds_it():
    for text in [*texts(), *FOLDED_TRICKY, *UNEVEN_TEXTS, "a", " ", "é"]:
        folded = FoldedText.of(text)
        expected: dict[str, list[int]] = {}
        for found in re.finditer(r"\w+", folded.folded):
            expected.setdefault(found.group(), []).append(found.start())
        index = folded._word_index
        assert set(index.ids) == set(expected)
        for word, starts in expected.items():
            assert index.starts_of([word]) == starts
            assert folded.has_word(word)
        assert index.starts_of(["absentzz", "xqxq"]) == []
        every_start = sorted(start for starts in expected.values() for start in starts)
        assert index.starts_of(list(expected)) == every_start


@settings(max_examples=500)
@given(st.text(alphabet="ab É’'.-,;:«» \t\n\u00a0\u2009é1_", max_size=30), st.data())
def test_the_word_before_a_position_is_the_one_a_search_from_the_start_finds(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = re.search(r"([\w’'.-]+)\s*$", text[start:end])
    expected = None if found is None else (start + found.start(), start + found.end(1), found[1])
    assert detection._token_before(text, start, end) == expected
    clause_ended = re.search(r"[,;:(«“»”]\s*$", text[start:end]) is not None
    assert (text[start:end].rstrip()[-1:] in detection._CLAUSE_MARKS) == clause_ended
