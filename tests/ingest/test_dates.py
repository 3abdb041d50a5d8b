"""Specification of `find_dates`: the dates a French (or English) article mentions."""

import datetime

import pytest

from articles.ingest import dates
from articles.ingest.dates import DateMention, find_dateline, find_dates, parse_machine_date

# A Wednesday.
REFERENCE = datetime.date(2017, 11, 15)


def found(text, reference=REFERENCE):
    return [(m.value, m.text, m.kind) for m in find_dates(text, reference=reference)]


@pytest.mark.parametrize(
    ("text", "value", "words"),
    [
        ("le 15 novembre 2017", datetime.date(2017, 11, 15), "le 15 novembre 2017"),
        ("Le 1er juin 2021", datetime.date(2021, 6, 1), "Le 1er juin 2021"),
        ("le 2/02/2016", datetime.date(2016, 2, 2), "le 2/02/2016"),
        ("le mercredi 14 février 2018", datetime.date(2018, 2, 14), "le mercredi 14 février 2018"),
        ("3 AOÛT 2019", datetime.date(2019, 8, 3), "3 AOÛT 2019"),
        ("15 déc. 2017", datetime.date(2017, 12, 15), "15 déc. 2017"),
        ("March 22, 2017", datetime.date(2017, 3, 22), "March 22, 2017"),
        ("November 15, 2017", datetime.date(2017, 11, 15), "November 15, 2017"),
        ("Wednesday, March 22, 2017", datetime.date(2017, 3, 22), "Wednesday, March 22, 2017"),
        ("14 July 2016", datetime.date(2016, 7, 14), "14 July 2016"),
        ("2021-06-28", datetime.date(2021, 6, 28), "2021-06-28"),
    ],
)
def test_explicit_french_and_english_dates_are_found_with_their_words(text, value, words):
    assert found(f"Texte avant, {text}, texte après.") == [(value, words, "explicit")]


def test_mention_records_where_the_date_starts_in_the_text():
    text = "La réunion s’est tenue le 15 novembre 2017 à Amman."

    (mention,) = find_dates(text, reference=None)

    assert mention == DateMention(
        value=datetime.date(2017, 11, 15),
        text="le 15 novembre 2017",
        kind="explicit",
        start=text.index("le 15"),
    )


def test_without_reference_only_explicit_dates_come_back():
    text = "Mercredi, aujourd’hui, hier et le 20 novembre ; puis le 22 mars 2017."

    assert found(text, reference=None) == [
        (datetime.date(2017, 3, 22), "le 22 mars 2017", "explicit")
    ]


def test_day_and_month_without_year_take_the_year_of_the_reference():
    assert found("la réunion du 20 novembre") == [
        (datetime.date(2017, 11, 20), "du 20 novembre", "day_month")
    ]


def test_day_and_month_without_year_choose_the_nearest_occurrence_around_the_reference():
    january = datetime.date(2018, 1, 4)

    assert found("le 28 décembre", reference=january) == [
        (datetime.date(2017, 12, 28), "le 28 décembre", "day_month")
    ]
    assert found("le 3 janvier", reference=datetime.date(2017, 12, 30)) == [
        (datetime.date(2018, 1, 3), "le 3 janvier", "day_month")
    ]


def test_impossible_day_and_month_is_ignored():
    assert found("le 31 février, le 32 mars 2017") == []


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("mercredi", datetime.date(2017, 11, 15)),  # the reference day itself
        ("jeudi", datetime.date(2017, 11, 9)),
        ("lundi", datetime.date(2017, 11, 13)),
        ("Dimanche", datetime.date(2017, 11, 12)),
        ("Thursday", datetime.date(2017, 11, 9)),
    ],
)
def test_weekday_is_the_most_recent_such_day_on_or_before_the_reference(word, value):
    assert found(f"Les ministres se sont réunis {word} à Washington.") == [(value, word, "weekday")]


def test_weekday_followed_by_dernier_or_prochain_moves_accordingly():
    assert found("mercredi dernier et mercredi prochain") == [
        (datetime.date(2017, 11, 8), "mercredi dernier", "weekday"),
        (datetime.date(2017, 11, 22), "mercredi prochain", "weekday"),
    ]


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("aujourd’hui", datetime.date(2017, 11, 15)),
        ("aujourd'hui", datetime.date(2017, 11, 15)),
        ("Aujourd’hui", datetime.date(2017, 11, 15)),
        ("hier", datetime.date(2017, 11, 14)),
        ("demain", datetime.date(2017, 11, 16)),
        ("avant-hier", datetime.date(2017, 11, 13)),
        ("yesterday", datetime.date(2017, 11, 14)),
    ],
)
def test_relative_words_are_counted_from_the_reference(word, value):
    assert found(f"Ils se sont réunis {word}.") == [(value, word, "relative")]


def test_words_that_merely_contain_a_date_word_are_not_dates():
    text = "Thierry parle de la hiérarchie ; sept pays ont voté ; les 7 sept membres ; mardiste."

    assert found(text) == []


def test_weekday_inside_a_full_date_is_not_counted_twice():
    assert found("le jeudi 14 novembre 2019, puis demain") == [
        (datetime.date(2019, 11, 14), "le jeudi 14 novembre 2019", "explicit"),
        (datetime.date(2017, 11, 16), "demain", "relative"),
    ]


def test_mentions_come_back_in_text_order():
    text = "Hier, le 13 février 2018, puis mercredi, et enfin le 20 novembre."

    assert [m.start for m in find_dates(text, reference=REFERENCE)] == sorted(
        m.start for m in find_dates(text, reference=REFERENCE)
    )
    assert [kind for _, _, kind in found(text)] == ["relative", "explicit", "weekday", "day_month"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-11-15T09:30:00+01:00", datetime.date(2017, 11, 15)),
        ("2017-11-15", datetime.date(2017, 11, 15)),
        ("  2021-06-28 18:42", datetime.date(2021, 6, 28)),
        ("2017-13-45", None),
        ("hier", None),
        ("", None),
    ],
)
def test_machine_dates_from_metadata_are_read_to_the_day(value, expected):
    assert parse_machine_date(value) == expected


# --- Abbreviated months and wire datelines ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("le 9 janv 2016", datetime.date(2016, 1, 9)),
        ("4 févr 2019", datetime.date(2019, 2, 4)),
        ("17 fév 2020", datetime.date(2020, 2, 17)),
        ("le 21 sept 2015", datetime.date(2015, 9, 21)),
        ("30 oct 2018", datetime.date(2018, 10, 30)),
        ("2 nov 2016", datetime.date(2016, 11, 2)),
        ("11 déc 2013", datetime.date(2013, 12, 11)),
        ("Oct 4, 2018", datetime.date(2018, 10, 4)),
    ],
)
def test_month_abbreviation_without_its_period_is_a_month_when_a_year_follows(text, value):
    assert found(f"Annoncé {text}, sans autre précision.", reference=None) == [
        (value, text, "explicit")
    ]


def test_sept_and_other_abbreviations_without_period_or_year_are_not_dates():
    assert found("Les sept pays fondateurs se sont vus le 5 nov à Oslo.") == []
    assert found("Le 12 déc., les ministres ont signé.") == [
        (datetime.date(2017, 12, 12), "Le 12 déc.", "day_month")
    ]


@pytest.mark.parametrize(
    ("lead", "text", "value", "agency"),
    [
        (
            "Bagdad, 9 janv 2016 (AFP) - Les forces irakiennes ont repris un quartier.",
            "Bagdad, 9 janv 2016 (AFP)",
            datetime.date(2016, 1, 9),
            "AFP",
        ),
        (
            "LONDRES, 4 oct. 2018 (Reuters) – Le gouvernement a confirmé l’envoi d’avions.",
            "LONDRES, 4 oct. 2018 (Reuters)",
            datetime.date(2018, 10, 4),
            "Reuters",
        ),
        (
            "Rabat, le 2 févr 2019 (MAP) : Le royaume a accueilli une conférence.",
            "Rabat, le 2 févr 2019 (MAP)",
            datetime.date(2019, 2, 2),
            "MAP",
        ),
        (
            "Charm el-Cheikh, 21 sept 2015 (APS) — Les délégations sont arrivées.",
            "Charm el-Cheikh, 21 sept 2015 (APS)",
            datetime.date(2015, 9, 21),
            "APS",
        ),
        (
            "BOSTON, March 3, 2016 (AP) — Officials met on Thursday.",
            "BOSTON, March 3, 2016 (AP)",
            datetime.date(2016, 3, 3),
            "AP",
        ),
        (
            "Lisbonne, 7 juin 2018 – Les ministres ont adopté une déclaration.",
            "Lisbonne, 7 juin 2018",
            datetime.date(2018, 6, 7),
            "",
        ),
        ("Genève (ANSA) - Les négociations reprennent.", "Genève (ANSA)", None, "ANSA"),
        ("Tunis, 5 avr (AFP) - Le sommet s’ouvre.", "Tunis, 5 avr (AFP)", None, "AFP"),
    ],
)
def test_wire_dateline_gives_place_date_and_agency(lead, text, value, agency):
    dateline = find_dateline(lead)

    assert dateline is not None
    assert (dateline.text, dateline.published_on, dateline.agency) == (text, value, agency)


@pytest.mark.parametrize(
    "lead",
    [
        "Selon le porte-parole, 3 déc 2014 (AFP) - une date citée.",
        "Jean Dupont (PS) – Le député a posé une question au gouvernement.",
        "Les ministres, réunis mardi (AFP) - ont parlé.",
        "Bruxelles accueille les ministres le 3 décembre 2014.",
        "Paris (France) - La capitale reçoit les délégations.",
    ],
)
def test_sentences_that_only_look_like_a_dateline_are_not_one(lead):
    assert find_dateline(lead) is None


AROUND_NUMBERS_TRICKY = [
    "",
    "2017",
    "le 15 novembre 2017",
    "Le   Lundi \n 3 Mars 2015 et le mardi 4 mars 2015, du 1er au 3 juin 2016 puis 1 er juin 2016",
    "xlundi 3 mars 2015 ; 13 mars 2015 ; 123 mars 2015 ; A3 mars 2015 ; 3 mars 20155",
    "le 2/02/2016, le 2-02-2016 et 2.02.2016. 2021-06-28 12021-06-28 2021-06-281",
    "x2021-06-28, 2021-06-28T09:30, ²2021-06-28, 2021-13-28 2021-06-28-2021-06-29 2021-06-2",
    "Monday, 14 July 2016; Wednesday,  14 July 2016 and Sunday 3rd March 2019, 3 Jul 2019",
    "au sommet du 3 sept. 2015, le 3 sept 2015 et le 3 sept. Le 14 février, le 1ᵉʳ mai.",
    "ſamedi 3 mars 2015, Vendredi,3 mars 2015, « le dimanche 4 mars » 2015-03-04 3 mars 2015",
]


@pytest.mark.parametrize("pattern", dates.NUMBER_LED_PATTERNS)
def test_dates_looked_for_around_numbers_are_those_finditer_finds(pattern):
    for text in AROUND_NUMBERS_TRICKY:
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        found = dates.matches_around_numbers(pattern, text)
        assert [(m.span(), m.groupdict()) for m in found] == expected
