"""Shared passages between articles (articles/views/shared_passages.py) and the side-by-side
page."""

import pytest

from articles.views import shared_passages
from articles.views.shared_passages import Highlight
from tests.browse_factories import HOSTILE, WIRE_PARAGRAPH, covered_meeting
from tests.factories import ArticleFactory, ArticleMeetingFactory, MeetingFactory

WIRE = (
    "Les ministres de la coalition se sont engagés à poursuivre la lutte contre le groupe "
    "jihadiste jusqu’à sa défaite complète."
)


def test_words_are_normalised_for_case_accents_ligatures_and_elisions():
    assert [w.text for w in shared_passages.words("L’État, l'Etat ŒUVRE «Sécurité»")] == [
        "l",
        "etat",
        "l",
        "etat",
        "oeuvre",
        "securite",
    ]


def test_word_offsets_point_back_into_the_original_text():
    text = "Déjà  là : l’Irak."
    for word in shared_passages.words(text):
        assert shared_passages.normalise_word(text[word.start : word.end]) == word.text


def test_a_passage_shared_word_for_word_is_found_in_both_texts():
    first = f"Rome (AFP) - {WIRE} Notre envoyé spécial a noté une grande prudence."
    second = f"Selon l’agence, {WIRE.upper()} Le ministre n’a rien annoncé."
    passages = shared_passages.shared_passages({"a": first, "b": second})
    (in_first,) = passages["a"]
    (in_second,) = passages["b"]
    assert first[in_first.start : in_first.end] == WIRE.rstrip(".")
    assert second[in_second.start : in_second.end].casefold() == WIRE.rstrip(".").casefold()
    assert in_first.shared_with == frozenset({"b"})


def test_fewer_than_eight_common_words_are_not_a_shared_passage():
    first = "La coalition se réunit à Rome cette semaine, dit-on."
    second = "La coalition se réunit à Rome, selon nos informations."
    passages = shared_passages.shared_passages({"a": first, "b": second})
    assert passages == {"a": [], "b": []}


def test_a_passage_shared_with_several_articles_names_them_all():
    texts = {n: f"Introduction propre {n}. {WIRE} Conclusion propre {n}." for n in (1, 2, 3)}
    passages = shared_passages.shared_passages(texts)
    assert [p.shared_with for p in passages[1]] == [frozenset({2, 3})]


def test_an_article_alone_shares_nothing_and_an_empty_text_is_harmless():
    assert shared_passages.shared_passages({"seul": WIRE, "vide": ""}) == {"seul": [], "vide": []}
    assert shared_passages.shared_fraction("", []) == 0.0


def test_shared_fraction_counts_the_words_inside_passages():
    text = f"{WIRE} Un ajout."
    passages = shared_passages.shared_passages({"a": text, "b": WIRE})["a"]
    fraction = shared_passages.shared_fraction(text, passages)
    assert fraction == pytest.approx(21 / 23)


def test_paragraphs_split_on_blank_lines_and_ignore_extra_space():
    text = "  Premier.\n\n\n  Deuxième\nsur deux lignes.  \n \nTroisième."
    spans = shared_passages.paragraphs(text)
    assert [text[s:e] for s, e in spans] == ["Premier.", "Deuxième\nsur deux lignes.", "Troisième."]


def test_marked_paragraphs_escape_text_and_wrap_highlights_in_mark():
    text = f"Avant {HOSTILE} milieu après.\n\nSecond & dernier."
    start = text.index("milieu")
    html = shared_passages.marked_paragraphs(
        text, [Highlight(start, start + len("milieu"), "shared", 'Aussi dans : "AFP"')]
    )
    assert html == [
        "Avant &lt;script&gt;alert(1)&lt;/script&gt; "
        '<mark class="shared" title="Aussi dans : &quot;AFP&quot;">milieu</mark> après.',
        "Second &amp; dernier.",
    ]


def test_overlapping_highlights_are_cut_so_the_markup_nests():
    text = "un deux trois quatre"
    html = shared_passages.marked_paragraphs(
        text, [Highlight(0, 13, "shared"), Highlight(8, 20, "quoted")]
    )
    assert html == [
        '<mark class="shared">un deux </mark>'
        '<mark class="shared quoted">trois</mark>'
        '<mark class="quoted"> quatre</mark>'
    ]


def test_a_highlight_across_paragraphs_is_marked_in_each():
    text = "début commun\n\nfin commune"
    html = shared_passages.marked_paragraphs(text, [Highlight(6, len(text), "shared")])
    assert html == [
        'début <mark class="shared">commun</mark>',
        '<mark class="shared">fin commune</mark>',
    ]


def test_find_spans_ignores_spacing_differences():
    text = "Il a dit : « Nous   resterons\nunis » hier."
    (span,) = shared_passages.find_spans(text, "Nous resterons unis")
    assert text[span[0] : span[1]] == "Nous   resterons\nunis"
    assert shared_passages.find_spans(text, "   ") == []


# The page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_comparison_page_puts_articles_side_by_side_and_marks_the_wire_copy(client):
    meeting, speaker, articles = covered_meeting()
    response = client.get(f"/reunions/{meeting.slug}/comparaison/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="compare__column"') == 3
    for article in articles:
        assert article.get_absolute_url() in html
        assert article.source.name in html
    assert html.count(speaker.name) >= 3
    assert html.count('<mark class="shared" title="Aussi dans : ') == 3
    assert f"{WIRE_PARAGRAPH.rstrip('.')}</mark>." in html
    # What each outlet added stays unmarked.
    assert "<p>Notre correspondant note une ambiance studieuse" in html


@pytest.mark.django_db
def test_comparison_of_a_meeting_without_articles_says_there_is_nothing_to_compare(client):
    meeting = MeetingFactory()
    html = client.get(f"/reunions/{meeting.slug}/comparaison/").content.decode()
    assert "il n’y a rien à comparer" in html


@pytest.mark.django_db
def test_comparison_escapes_hostile_text_inside_marks(client):
    meeting = MeetingFactory()
    body = f"{WIRE} {HOSTILE} {WIRE}"
    for number in range(2):
        ArticleMeetingFactory(
            article=ArticleFactory(body=f"{body} Ajout {number}.", title=f"Copie {number}"),
            meeting=meeting,
        )
    html = client.get(f"/reunions/{meeting.slug}/comparaison/").content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_unknown_meeting_comparison_is_a_404(client):
    assert client.get("/reunions/inconnue/comparaison/").status_code == 404


def wire_meeting(count: int, slug: str):
    """A meeting covered by ``count`` articles that all carry the same wire paragraphs."""
    import datetime

    from tests.factories import SourceFactory

    meeting = MeetingFactory(slug=slug)
    wire = " ".join([WIRE_PARAGRAPH] * 3)
    for number in range(count):
        article = ArticleFactory(
            title=f"Dépêche reprise numéro {number}",
            slug=f"{slug}-depeche-{number}",
            published_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=number),
            body=f"{wire}\n\nLe média {number} ajoute son propre paragraphe sur {slug}.",
            source=SourceFactory(name=f"Média {slug} {number}"),
        )
        ArticleMeetingFactory(article=article, meeting=meeting)
    return meeting


@pytest.mark.django_db
def test_the_comparison_of_a_meeting_with_many_articles_is_paged_and_bounded_in_size(client):
    from articles.views.compare import COLUMNS_PER_PAGE

    small = client.get(f"/reunions/{wire_meeting(COLUMNS_PER_PAGE, 'peu').slug}/comparaison/")
    meeting = wire_meeting(45, "beaucoup")
    url = f"/reunions/{meeting.slug}/comparaison/"
    first = client.get(url)
    html = first.content.decode()
    assert html.count('class="compare__column"') == COLUMNS_PER_PAGE
    # Each article shares its wire copy with 44 others: the page names only a few of them.
    assert len(first.content) < 2 * len(small.content), (len(first.content), len(small.content))
    assert len(first.content) < 40_000
    assert "et 41 autres" in html  # the label names 3 of the 44
    assert "et 34 autres" in html  # the header links 10 of the 44
    assert '?page=2#colonne-7"' in html  # another page's article, linked where it is
    assert 'href="?page=2" rel="next"' in html
    last = client.get(url, {"page": "8"}).content.decode()
    assert last.count('class="compare__column"') == 45 - 7 * COLUMNS_PER_PAGE
    assert "Dépêche reprise numéro 44" in last
    assert 'aria-current="page">8<' in last
    assert client.get(url, {"page": "9999"}).status_code == 200


@pytest.mark.django_db
def test_a_very_long_article_is_cut_in_the_comparison_with_a_link_to_all_of_it(client):
    from articles.views.compare import MAX_CHARS

    meeting = MeetingFactory(slug="longue")
    article = ArticleFactory(body=(WIRE + " ") * (MAX_CHARS // len(WIRE) * 3))
    ArticleMeetingFactory(article=article, meeting=meeting)
    response = client.get(f"/reunions/{meeting.slug}/comparaison/")
    assert response.status_code == 200
    assert len(response.content) < MAX_CHARS * 2
    assert "Texte coupé ici : lire l’article entier" in response.content.decode()
