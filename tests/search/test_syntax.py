"""The researcher's query syntax: words, "phrases", OR, -word/NOT, prefix*, parentheses.

The parser alone first (no index involved), then the same syntax through the search page.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.search.syntax import (
    MAX_QUERY_LENGTH,
    NOTICE_CONTROL,
    NOTICE_SHORT_PREFIX,
    NOTICE_SYNTAX,
    NOTICE_TOO_LONG,
    And,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
    parse_query,
    positive_leaves,
)

# --- The parser ------------------------------------------------------------------------------


def test_words_are_all_required():
    parsed = parse_query("frontières sécurité")
    assert parsed.tree == And((Term("frontières"), Term("sécurité")))
    assert parsed.notices == ()


def test_an_empty_query_has_no_tree_and_no_notice():
    for raw in ["", "   ", None]:
        parsed = parse_query(raw)
        assert parsed.is_empty
        assert parsed.notices == ()


def test_double_quotes_and_french_guillemets_make_a_phrase():
    assert parse_query('"califat numérique"').tree == Phrase("califat numérique")
    assert parse_query("« califat numérique »").tree == Phrase("califat numérique")
    assert parse_query("“califat numérique”").tree == Phrase("califat numérique")


def test_or_and_ou_join_alternatives():
    expected = Or((Term("Mossoul"), Term("Raqqa")))
    assert parse_query("Mossoul OR Raqqa").tree == expected
    assert parse_query("Mossoul OU Raqqa").tree == expected


def test_lower_case_or_and_ou_are_ordinary_words():
    assert parse_query("or noir").tree == And((Term("or"), Term("noir")))
    assert parse_query("Mossoul ou Raqqa").tree == And((Term("Mossoul"), Term("ou"), Term("Raqqa")))


def test_minus_not_and_sauf_exclude():
    expected = And((Term("coalition"), Not(Term("Syrie"))))
    assert parse_query("coalition -Syrie").tree == expected
    assert parse_query("coalition NOT Syrie").tree == expected
    assert parse_query("coalition SAUF Syrie").tree == expected


def test_a_minus_glued_to_a_phrase_or_a_group_excludes_it():
    assert parse_query('-"État islamique"').tree == Not(Phrase("État islamique"))
    assert parse_query("-(Mossoul OR Raqqa)").tree == Not(Or((Term("Mossoul"), Term("Raqqa"))))


def test_a_hyphen_inside_a_word_is_part_of_the_compound():
    assert parse_query("États-Unis al-Baghdadi").tree == And(
        (Term("États-Unis"), Term("al-Baghdadi"))
    )


def test_elisions_stay_inside_the_word():
    assert parse_query("l’organisation d'Irak").tree == And(
        (Term("l’organisation"), Term("d'Irak"))
    )


def test_a_trailing_star_is_a_prefix_and_an_elision_is_not_part_of_it():
    assert parse_query("négoci*").tree == Prefix("négoci")
    assert parse_query("l’organis*").tree == Prefix("organis")


def test_parentheses_group_and_and_binds_tighter_than_or():
    assert parse_query("(Mossoul OR Raqqa) libération").tree == And(
        (Or((Term("Mossoul"), Term("Raqqa"))), Term("libération"))
    )
    assert parse_query("a b OR c").tree == Or((And((Term("a"), Term("b"))), Term("c")))


def test_explicit_and_or_et_changes_nothing():
    assert parse_query("Rome AND Paris").tree == parse_query("Rome Paris").tree
    assert parse_query("Rome ET Paris").tree == parse_query("Rome Paris").tree


def test_punctuation_around_words_is_ignored():
    assert parse_query("frontières, sécurité !").tree == And((Term("frontières"), Term("sécurité")))
    assert parse_query("secur*,").tree == Prefix("secur")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('"frontières sécurité', ("frontières", "sécurité")),
        ("frontières »", ("frontières",)),
        ("(Mossoul OR Raqqa", ("Mossoul", "Raqqa")),
        ("Mossoul OR Raqqa)", ("Mossoul", "Raqqa")),
        ("OR", ()),
        ("Mossoul OR", ("Mossoul",)),
        ("OR Mossoul", ("Mossoul",)),
        ("Mossoul OR OR Raqqa", ("Mossoul", "Raqqa")),
        ("NOT", ()),
        ("Mossoul -", ("Mossoul",)),
        ("*", ()),
        ("se*cur", ("se", "cur")),
        ("*curité", ("curité",)),
        ("secur**", ("secur",)),
        ("()", ()),
        ("al-Bag*", ("al-Bag",)),
    ],
)
def test_rejected_queries_become_plain_words_with_a_notice(raw, words):
    parsed = parse_query(raw)
    assert parsed.notices == (NOTICE_SYNTAX,)
    assert tuple(leaf.text for leaf in positive_leaves(parsed.tree)) == words


def test_a_prefix_needs_three_letters():
    parsed = parse_query("se*")
    assert parsed.notices == (NOTICE_SHORT_PREFIX,)
    assert parsed.tree == Term("se")
    assert parse_query("sec*").tree == Prefix("sec")


def test_a_four_thousand_character_query_is_capped_and_searched_as_words():
    raw = ("frontière sécurité " * 250)[:4000]
    parsed = parse_query(raw)
    assert parsed.notices == (NOTICE_TOO_LONG,)
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert len(list(positive_leaves(parsed.tree))) <= 30


def test_too_many_terms_is_capped():
    parsed = parse_query(" ".join(f"mot{n}" for n in range(60)))
    assert parsed.notices == (NOTICE_TOO_LONG,)
    assert len(positive_leaves(parsed.tree)) == 30


def test_control_and_invisible_characters_are_removed_with_a_notice():
    parsed = parse_query("fronti\x00ères \u202esécurité\x1b")
    assert parsed.notices == (NOTICE_CONTROL,)
    assert "\x00" not in parsed.text and "\u202e" not in parsed.text
    assert [leaf.text for leaf in positive_leaves(parsed.tree)] == [
        "fronti",
        "ères",
        "sécurité",
    ]


def test_tabs_and_newlines_are_spaces():
    parsed = parse_query("frontières\tsécurité\nRome")
    assert parsed.notices == ()
    assert parsed.tree == And((Term("frontières"), Term("sécurité"), Term("Rome")))


def test_deep_nesting_is_rejected():
    parsed = parse_query("(" * 20 + "Rome" + ")" * 20)
    assert parsed.notices == (NOTICE_SYNTAX,)
    assert parsed.tree == Term("Rome")


def test_positive_leaves_leave_out_excluded_words():
    parsed = parse_query('coalition -Syrie "État islamique" OR négoci*')
    assert [leaf.text for leaf in positive_leaves(parsed.tree)] == [
        "coalition",
        "État islamique",
        "négoci",
    ]


# --- Any input, through the page -------------------------------------------------------------

printable = st.characters(blacklist_categories=("Cs",))
query_text = st.text(
    alphabet=st.one_of(printable, st.sampled_from('"«»()*-: ORNTAD\x00\x1b\u202e')), max_size=120
)


@pytest.fixture
def one_article(publish):
    # Set up once for all of Hypothesis's examples.
    return publish({"title": "Frontières et sécurité", "body": "La coalition et ses frontières."})


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    q=query_text,
    lieu=st.text(alphabet=printable, max_size=30),
    page=st.text(alphabet=printable, max_size=6),
    du=st.text(alphabet=printable, max_size=12),
    tri=st.sampled_from(["", "pertinence", "recent", "ancien", "<x>"]),
    export=st.sampled_from(["", "json", "csv"]),
)
def test_any_input_answers_without_a_server_error(client, publish, q, lieu, page, du, tri, export):
    if not getattr(publish, "done", False):
        publish({"title": "Frontières et sécurité", "body": "La coalition parle des frontières."})
        publish.done = True
    response = client.get(
        "/recherche/",
        {"q": q, "lieu": lieu, "page": page, "du": du, "tri": tri, "format": export},
    )
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_the_search_page_reports_a_rejected_query_and_searches_its_words(client, publish):
    publish({"title": "Les frontières de la coalition", "body": "Un texte sur les frontières."})
    response = client.get("/recherche/", {"q": '"frontières (coalition'})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Syntaxe non reconnue : recherche sur les mots seuls." in html
    assert "Les <mark>frontières</mark> de la <mark>coalition</mark>" in html
