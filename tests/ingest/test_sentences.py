"""The one sentence splitter, for titles and for detection alike."""

import pytest

from articles.ingest.sentences import quote_spans, sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("M. Kerry est arrivé. Mme Colonna aussi.", ["M. Kerry est arrivé.", "Mme Colonna aussi."]),
        ("U.S. Secretary Blinken visits Rome", ["U.S. Secretary Blinken visits Rome"]),
        ("Le gén. Martin est arrivé. Il a parlé.", ["Le gén. Martin est arrivé.", "Il a parlé."]),
        ("Il est 3 p.m. Now the meeting opens.", ["Il est 3 p.m. Now the meeting opens."]),
        ("Le n°. 5 est là.", ["Le n°. 5 est là."]),
        (
            "Jean-Yves Le Drian, ministre. Il est arrivé !",
            ["Jean-Yves Le Drian, ministre.", "Il est arrivé !"],
        ),
        (
            "Réunion des ministres à Madrid (3 octobre 2016)",
            ["Réunion des ministres à Madrid (3 octobre 2016)"],
        ),
        ("", [""]),
    ],
)
def test_a_period_ends_a_sentence_but_not_an_abbreviation_or_an_initial(text, sentences):
    assert split_sentences(text) == sentences


def test_a_quotation_is_not_cut_at_its_own_periods():
    text = "« Nous vaincrons. Ensemble. » a-t-il dit. Puis il est parti."
    assert split_sentences(text) == [
        "« Nous vaincrons. Ensemble. » a-t-il dit.",
        "Puis il est parti.",
    ]
    assert quote_spans(text) == [(0, 29)]


def test_a_line_broken_mid_sentence_goes_on_and_a_new_line_in_capitals_starts_one():
    text = "Les ministres se sont\nréunis à Rome.\nIls ont parlé"
    assert [text[start:end] for start, end in sentence_spans(text)] == [
        "Les ministres se sont\nréunis à Rome.",
        "Ils ont parlé",
    ]
