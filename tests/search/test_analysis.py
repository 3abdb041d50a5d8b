"""French analysis: the same terms for every form a reader may type (articles.search.analysis)."""

import pickle

import pytest

from articles.search.analysis import (
    analyzed_terms,
    folding_analyzer,
    french_analyzer,
    query_terms,
    spelling_words,
)


def terms(text):
    return [term for term, _, _ in analyzed_terms(text)]


def same_terms(*forms):
    return len({tuple(terms(form)) for form in forms}) == 1


@pytest.mark.parametrize(
    "forms",
    [
        ("libérer", "libérées", "libération", "libéré", "libérés"),
        ("négociation", "négociations"),
        ("terroriste", "terroristes", "terrorisme"),
        ("frappées", "frapper", "frappe"),
        ("réfugié", "réfugiés"),
        ("coalition", "coalitions"),
    ],
)
def test_inflections_share_one_stem(forms):
    assert same_terms(*forms), {form: terms(form) for form in forms}


def test_snowball_keeps_some_derivations_apart():
    # What Snowball does not conflate, documented rather than hidden.
    assert terms("Irak") != terms("irakiens")
    assert terms("djihadistes") != terms("jihadistes")
    assert terms("libèrent") != terms("libérer")


@pytest.mark.parametrize(
    "accented, typed",
    [
        ("sécurité", "securite"),
        ("Koweït", "Koweit"),
        ("États-Unis", "Etats-Unis"),
        ("libérées", "liberees"),
        ("œuvre", "oeuvre"),
        ("réfugiés", "REFUGIES"),
    ],
)
def test_accents_and_case_are_optional(accented, typed):
    assert terms(accented) == terms(typed)


def test_accents_are_folded_before_stemming():
    assert terms("sécurité") == ["securit"]


@pytest.mark.parametrize(
    "elided, plain",
    [
        ("l’État", "État"),
        ("l'État", "État"),
        ("d’Irak", "Irak"),
        ("jusqu’à Mossoul", "Mossoul"),
        ("lorsqu’il négociait", "négociait"),
        ("puisqu'elles négocient", "négocient"),
        ("s’est engagée", "engagée"),
    ],
)
def test_elisions_disappear_with_either_apostrophe(elided, plain):
    assert terms(elided) == terms(plain)


def test_qu_il_is_only_stop_words():
    assert terms("qu’il") == []
    assert terms("qu'il n’a") == []


def test_aujourdhui_stays_one_word_whatever_the_apostrophe():
    assert terms("aujourd’hui") == terms("aujourd'hui") == ["aujourd'hui"]


def test_compounds_split_into_adjacent_positions():
    analyzer = french_analyzer()
    positions = {t.text: t.pos for t in analyzer("Les États-Unis et al-Baghdadi", positions=True)}
    assert positions["unis"] == positions["etat"] + 1
    assert positions["baghdad"] == positions["al"] + 1


def test_stop_words_are_dropped_even_when_accented_or_typed_without_accent():
    assert terms("les ministres de la coalition ont été réunis à Rome") == terms(
        "ministres coalition reunis Rome"
    )


def test_analyzed_terms_point_at_the_words_in_the_original_text():
    text = "Selon l’Élysée, la sécurité d’Irak progresse."
    spans = {term: text[start:end] for term, start, end in analyzed_terms(text)}
    assert spans["elys"] == "Élysée"
    assert spans["securit"] == "sécurité"
    assert spans["irak"] == "Irak"


def test_query_terms_match_document_terms():
    assert query_terms("securite Koweit") <= set(terms("La sécurité du Koweït"))


def test_folding_analyzer_keeps_real_word_forms():
    words = [token.text for token in folding_analyzer()("Les négociations d’aujourd’hui")]
    assert words == ["les", "negociations", "aujourd'hui"]
    assert spelling_words("Les négociations de la coalition") == ["negociations", "coalition"]


def test_the_analyzer_survives_pickling_into_the_index_schema():
    analyzer = pickle.loads(pickle.dumps(french_analyzer()))
    assert [token.text for token in analyzer("libérées")] == ["liber"]
