"""HTML pages: metadata from OpenGraph, JSON-LD and the byline, text from the article only."""

import datetime
from pathlib import Path

import pytest

from articles.ingest import IngestError, ParsedDocument, parse_file, parse_html

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


def parse_fixture(name: str) -> ParsedDocument:
    return parse_file((FIXTURES / name).read_bytes(), filename=name)


def paragraphs(document: ParsedDocument) -> list[str]:
    return document.body.split("\n\n")


def test_opengraph_page_gives_metadata_and_only_the_article_text():
    document = parse_fixture("opengraph_article.html")

    assert document.format == "html"
    assert document.title == "Daech : la Coalition se réunit à Rome"
    assert document.title_is_derived is False
    assert document.published_on == datetime.date(2021, 6, 28)
    assert document.date_evidence == "meta article:published_time"
    assert document.source_name == "Le Quotidien de l’Exemple"
    assert document.canonical_url == "https://quotidien.example/monde/coalition-rome"
    assert document.language == "fr"
    assert paragraphs(document) == [
        "Les ministres des Affaires étrangères de la Coalition mondiale contre Daech se sont "
        "retrouvés lundi à Rome, à l’invitation de l’Italie et des États-Unis.",
        "Ils ont réaffirmé leur volonté d’empêcher toute résurgence du groupe terroriste en Irak "
        "et en Syrie, et se sont inquiétés de l’essor de ses affiliés en Afrique.",
        "Une attention nouvelle pour le Sahel",
        "Plusieurs délégations africaines assistaient pour la première fois aux travaux, en "
        "qualité d’observatrices.",
        "« La menace s’est déplacée, notre vigilance doit suivre », a résumé un diplomate "
        "européen.",
    ]


def test_jsonld_page_gives_headline_publication_date_publisher_and_article_body():
    document = parse_fixture("jsonld_article_body.html")

    assert document.title == "La Coalition fait le point à Koweït"
    assert document.published_on == datetime.date(2018, 2, 13)
    assert document.date_evidence == "JSON-LD datePublished"
    assert document.source_name == "Journal Exemple"
    assert document.canonical_url == "https://journal.example/2018/02/13/coalition-koweit"
    assert document.lead == (
        "Réunis mardi à Koweït, les ministres de la Coalition ont salué la reprise de Mossoul et "
        "de Raqqa."
    )
    assert "stabiliser les zones reprises ;" in paragraphs(document)
    for leftover in ("Les plus lus", "pétrole", "Publicité", "mis à jour", "Claire Exemple"):
        assert leftover not in document.body


def test_plain_old_page_uses_title_tag_byline_date_and_the_densest_block():
    document = parse_fixture("plain_old_page.html")

    assert document.title == "Coalition internationale : réunion ministérielle au Koweït"
    assert document.published_on == datetime.date(2018, 2, 13)
    assert document.date_evidence == "byline « Publié le 13 février 2018 »"
    # Nothing but the <title> names the site: its suffix is the source.
    assert document.source_name == "Portail Exemple"
    assert document.canonical_url == ""
    assert len(paragraphs(document)) == 3
    assert document.lead.startswith("Koweït — Les délégations de près de soixante-dix pays")
    for leftover in ("Accueil", "Contact", "Copyright", "Publié le"):
        assert leftover not in document.body


def test_byline_publication_date_wins_over_update_date():
    markup = (
        "<html><body><article><p class='dates'>Mis à jour le 20 novembre 2017</p>"
        "<p class='dates'>Publié le 15 novembre 2017</p>"
        "<p>Les représentants de la Coalition se sont réunis en Jordanie pour faire le point.</p>"
        "</article></body></html>"
    )
    document = parse_html(markup)

    assert document.published_on == datetime.date(2017, 11, 15)
    assert document.date_evidence == "byline « Publié le 15 novembre 2017 »"


def test_time_element_gives_the_date_when_metadata_is_missing():
    markup = (
        "<html><body><article><h1>Réunion à Amman</h1>"
        "<p>Le <time datetime='2017-11-15T10:00'>15 novembre</time>, la Coalition s’est réunie "
        "à Amman pour faire le bilan de la campagne contre Daech.</p></article></body></html>"
    )
    document = parse_html(markup)

    assert document.published_on == datetime.date(2017, 11, 15)
    assert document.date_evidence == "time datetime=2017-11-15T10:00"
    # The date words inside the paragraph belong to the text and stay in it.
    assert document.body.startswith("Le 15 novembre, la Coalition s’est réunie")


def test_title_tag_loses_its_site_name_suffix():
    markup = (
        "<html><head><title>La Coalition se réunit à Amman - Le Site</title></head>"
        "<body><p>Les représentants de la Coalition se sont réunis à Amman pour la journée.</p>"
        "</body></html>"
    )

    assert parse_html(markup).title == "La Coalition se réunit à Amman"


def test_html_page_without_any_title_derives_one_from_its_lead():
    document = parse_html("<p>La Coalition s’est réunie à Amman. Elle a fait le point.</p>")

    assert document.title == "La Coalition s’est réunie à Amman"
    assert document.title_is_derived is True


def test_english_page_is_detected_as_english():
    markup = (
        "<html lang='fr'><body><article><h1>Coalition meets in Rome</h1>"
        "<p>The ministers of the Global Coalition to Defeat ISIS met in Rome and reaffirmed "
        "that the lasting defeat of the group is their only goal.</p></article></body></html>"
    )

    assert parse_html(markup).language == "en"


def test_hostile_html_comes_out_as_plain_text_only():
    document = parse_fixture("hostile.html")

    assert document.title == "Un article sur la propagande en ligne"
    assert paragraphs(document) == [
        "La Coalition lutte contre la propagande de Daech sur Internet.",
        'Un exemple de code malveillant s’écrit <script>alert("x")</script> et doit rester '
        "lisible tel quel.",
        "Cliquez ici pour lire la suite & les annexes.",
        "Un paragraphe non fermé avec du gras mal imbriqué qui continue",
        "Fin de l’article : 100 % texte.",
    ]
    for leftover in ("xss", "injecté", "onerror", "javascript", "caché", "modèle", "dessin"):
        assert leftover not in document.body
        assert leftover not in document.title


def test_html_without_article_text_is_rejected_with_a_clear_message():
    with pytest.raises(IngestError, match=r"no_article_text\.html: .*no article text"):
        parse_fixture("no_article_text.html")


def test_html_file_in_cp1252_is_decoded_before_parsing():
    markup = "<html><body><p>L’envoyé spécial a fait le point à Amman…</p></body></html>"
    document = parse_file(markup.encode("cp1252"), filename="page.HTM")

    assert document.encoding == "cp1252"
    assert document.body == "L’envoyé spécial a fait le point à Amman…"
