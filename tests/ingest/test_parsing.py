"""Specification of the parsing layer: file bytes in, a `ParsedDocument` out, no database."""

import contextlib
import dataclasses
import datetime
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import (
    IngestError,
    ParsedDocument,
    boilerplate,
    decode_bytes,
    normalize,
    parse_file,
    parse_html,
    parse_text,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


def parse_fixture(name: str) -> ParsedDocument:
    return parse_file((FIXTURES / name).read_bytes(), filename=name)


def paragraphs(document: ParsedDocument) -> list[str]:
    return document.body.split("\n\n")


# Text files ------------------------------------------------------------------------------------


def test_text_file_with_title_line_uses_it_as_title_and_keeps_it_out_of_the_body():
    document = parse_fixture("text_with_title.txt")

    assert document.title == "Coalition contre Daech : les ministres se retrouvent à Rome"
    assert document.title_is_derived is False
    assert document.format == "text"
    assert document.language == "fr"
    assert document.title not in document.body
    assert document.lead.startswith("Les chefs de la diplomatie des pays membres")
    assert paragraphs(document)[0] == document.lead
    assert len(paragraphs(document)) == 4


def test_text_file_without_title_gets_a_title_derived_from_its_lead():
    document = parse_fixture("text_without_title.txt")

    assert document.title_is_derived is True
    assert document.title.endswith("…")
    assert len(document.title) <= 101
    assert document.title.startswith("Les représentants de quelque quatre-vingts pays")
    assert document.lead.startswith(document.title.rstrip("…"))
    # The lead is not consumed by the derived title: it is still the first paragraph.
    assert paragraphs(document)[0] == document.lead
    assert len(paragraphs(document)) == 3


def test_short_lead_sentence_becomes_the_whole_derived_title_without_its_period():
    document = parse_text("Les ministres se sont réunis à Rome. Ils ont parlé du Sahel.\n")

    assert document.title == "Les ministres se sont réunis à Rome"
    assert document.title_is_derived is True


def test_derived_title_does_not_stop_on_the_period_of_an_initial():
    document = parse_text(
        "M. Blinken et Luigi Di Maio ont ouvert la réunion de la Coalition à Rome.\n"
    )

    assert (
        document.title == "M. Blinken et Luigi Di Maio ont ouvert la réunion de la Coalition à Rome"
    )


def test_text_file_boilerplate_is_removed_and_header_gives_date_and_publisher():
    document = parse_fixture("text_with_boilerplate.txt")

    assert document.title == "Réunion des ministres de la Coalition mondiale contre Daech à Koweït"
    assert document.title_is_derived is False
    assert document.published_on == datetime.date(2018, 2, 13)
    assert document.date_evidence == "header line « Le 13 février 2018 »"
    assert document.source_name == "Département d’État des États-Unis"
    assert document.lead.startswith("Les ministres de la Coalition mondiale contre Daech")
    assert len(paragraphs(document)) == 3
    for leftover in (
        "rss",
        "English",
        "Русский",
        "Bureau du porte-parole",
        "Communiqué de presse",
        "Accueil >",
        "Partager",
        "Imprimer",
        "traduction",
        "Mises à jour par courrier",
        "abonner",
        "newsletter",
        "13 février",
    ):
        assert leftover not in document.body


def test_boilerplate_words_inside_a_real_paragraph_are_kept():
    text = (
        "La Coalition publie un flux rss\n"
        "Le ministre a tenu à partager son analyse et à imprimer sa marque sur la réunion.\n"
        "Les pays membres veulent s’inscrire à la newsletter de l’alliance, a-t-il plaisanté.\n"
    )
    document = parse_text(text)

    assert "partager son analyse" in document.body
    assert "newsletter de l’alliance" in document.body


def test_hard_wrapped_line_is_joined_to_the_sentence_it_belongs_to():
    document = parse_fixture("text_with_title.txt")

    assert (
        "la stabilisation des zones reprises en Irak et en Syrie ainsi que la menace"
        in document.body
    )


def test_text_wrapped_at_a_fixed_width_is_read_as_paragraphs():
    text = (
        "Une réunion à Bruxelles\n\n"
        "Les ministres de la Défense des pays de la Coalition se sont réunis à\n"
        "Bruxelles pour faire le point sur les opérations en cours en Irak et en\n"
        "Syrie. Ils ont examiné les besoins des forces partenaires sur le terrain.\n\n"
        "Une nouvelle réunion est prévue au printemps.\n"
    )
    document = parse_text(text)

    assert paragraphs(document) == [
        "Les ministres de la Défense des pays de la Coalition se sont réunis à Bruxelles pour "
        "faire le point sur les opérations en cours en Irak et en Syrie. Ils ont examiné les "
        "besoins des forces partenaires sur le terrain.",
        "Une nouvelle réunion est prévue au printemps.",
    ]


def test_quoted_speech_opening_a_file_is_the_lead_not_a_title():
    document = parse_text(
        "« Nous devons vaincre Daech », a déclaré le ministre devant ses homologues.\n"
        "La réunion se poursuit demain.\n"
    )

    assert document.title_is_derived is True
    assert document.lead.startswith("« Nous devons vaincre Daech »")


def test_english_text_is_detected_as_english_and_its_header_date_read():
    document = parse_text(
        "Joint Statement of the Global Coalition\n"
        "Office of the Spokesperson\n"
        "March 22, 2017\n\n"
        "The Ministers of the Global Coalition to Defeat ISIS met in Washington today. "
        "They reaffirmed their commitment to the lasting defeat of the terrorist group.\n"
    )

    assert document.language == "en"
    assert document.published_on == datetime.date(2017, 3, 22)
    assert document.source_name == "Office of the Spokesperson"
    assert document.title == "Joint Statement of the Global Coalition"


def test_whitespace_is_normalised_and_invisible_characters_removed():
    text = (
        "Titre\u00a0 avec   espaces\n\n"
        "Le\u200b ministre\u00a0a dit\u202f: « non\u202f». Fin\x07 du\tparagraphe\x00.\n"
    )
    document = parse_text(text)

    assert document.title == "Titre avec espaces"
    assert document.body == "Le ministre a dit : « non ». Fin du paragraphe."


def test_typographic_quotes_and_apostrophes_are_kept_as_they_are():
    document = parse_text("Titre\n\n“Un” ‘deux’ l’Irak « trois » l'Irak.\n")

    assert document.body == "“Un” ‘deux’ l’Irak « trois » l'Irak."


def test_text_with_only_a_title_has_no_body_and_is_rejected():
    with pytest.raises(IngestError, match="no article text"):
        parse_text("Un titre tout seul\n\nrss\nPartager\n")


# Encodings -------------------------------------------------------------------------------------

EXPECTED_TITLE = "Un « accord » sur l’aide à l’Irak"
EXPECTED_BODY = (
    "Réunis à Koweït, les ministres ont promis une aide à la reconstruction… Le coût des dégâts "
    "dépasse, selon Bagdad, quatre-vingts milliards de dollars ; l’œuvre sera longue."
)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("encoded_utf8.txt", "utf-8"),
        ("encoded_utf8_bom.txt", "utf-8-sig"),
        ("encoded_cp1252.txt", "cp1252"),
    ],
)
def test_same_text_in_utf8_with_or_without_bom_and_cp1252_parses_identically(name, encoding):
    document = parse_fixture(name)

    assert document.encoding == encoding
    assert document.title == EXPECTED_TITLE
    assert document.body == EXPECTED_BODY


def test_latin1_file_is_detected_and_decoded():
    document = parse_fixture("encoded_latin1.txt")

    assert document.encoding == "latin-1"
    assert document.title == "Un « accord » sur l'aide à l'Irak"
    assert "Le coût des dégâts dépasse" in document.body


def test_cp1252_punctuation_bytes_are_not_read_as_latin1_control_characters():
    text, encoding = decode_bytes("l’Irak… « œuvre » – fin".encode("cp1252"))

    assert encoding == "cp1252"
    assert text == "l’Irak… « œuvre » – fin"


def test_decode_bytes_prefers_strict_utf8():
    assert decode_bytes("Koweït".encode()) == ("Koweït", "utf-8")


def test_non_western_single_byte_encoding_is_detected_rather_than_assumed():
    # Long enough for charset-normalizer to tell cp1251 from Mac Cyrillic.
    russian = (
        "Министры иностранных дел стран Глобальной коалиции по борьбе с ИГИЛ встретились в Риме. "
        "Они подтвердили свою решимость продолжать борьбу с терроризмом и обсудили ситуацию."
    )
    text, encoding = decode_bytes(russian.encode("cp1251"))

    assert text == russian
    assert encoding == "cp1251"


# HTML ------------------------------------------------------------------------------------------


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


# Malformed input -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_file_is_rejected_with_its_name_in_the_message(name):
    with pytest.raises(IngestError, match=rf"{name}: the file is empty"):
        parse_fixture(name)


def test_binary_file_is_rejected():
    with pytest.raises(IngestError, match=r"binary\.txt: looks like a binary file"):
        parse_fixture("binary.txt")


@pytest.mark.parametrize("filename", ["article.pdf", "article.docx", "article", "archive.txt.gz"])
def test_unsupported_extension_is_rejected(filename):
    with pytest.raises(IngestError, match="unsupported file type"):
        parse_file(b"Un titre\n\nUn paragraphe.", filename=filename)


def test_ingest_error_is_a_value_error():
    assert issubclass(IngestError, ValueError)


def test_parsed_document_is_immutable():
    document = parse_fixture("text_with_title.txt")

    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "Autre"


@pytest.mark.parametrize("filename", ["random.txt", "random.html"])
def test_random_bytes_give_a_document_or_an_ingest_error_never_another_exception(filename):
    rng = random.Random(f"coalition-{filename}")
    for _ in range(300):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        try:
            document = parse_file(raw, filename=filename)
        except IngestError:
            continue
        assert isinstance(document, ParsedDocument)


@settings(max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=600), filename=st.sampled_from(["a.txt", "a.html"]))
def test_arbitrary_bytes_never_crash_the_parser(raw, filename):
    with contextlib.suppress(IngestError):
        parse_file(raw, filename=filename)


_TAGS = ["<p>", "</p>", "<div class='share'>", "</div>", "<br>", "<script>", "</script>", "<h1>"]


@settings(max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(
        st.one_of(st.sampled_from(_TAGS), st.text(max_size=40)), min_size=1, max_size=30
    )
)
def test_arbitrary_markup_never_crashes_and_never_leaks_tags(pieces):
    markup = "".join(pieces)
    try:
        document = parse_html(markup)
    except IngestError:
        return
    assert document.body.strip()
    assert "\n\n\n" not in document.body


# Datelines, mastheads, title dates and sign-offs ----------------------------------------------


def parse_txt(text: str) -> ParsedDocument:
    return parse_file(text.encode("utf-8"), filename="depeche.txt")


LEAD_WITH_DATELINE = (
    "Lisbonne, 7 déc 2015 (AFP) - Les délégués de quarante pays ont ouvert lundi une "
    "conférence consacrée au financement de la reconstruction des villes reprises."
)


def test_wire_dateline_of_the_lead_gives_the_date_and_the_agency_as_source():
    document = parse_txt(
        "Reconstruction : quarante pays réunis à Lisbonne\n\n"
        f"{LEAD_WITH_DATELINE}\n\nLes travaux doivent durer deux jours.\n"
    )

    assert document.title == "Reconstruction : quarante pays réunis à Lisbonne"
    assert document.published_on == datetime.date(2015, 12, 7)
    assert document.date_evidence == "dateline « Lisbonne, 7 déc 2015 (AFP) »"
    assert document.source_name == "AFP"
    assert document.lead == LEAD_WITH_DATELINE


def test_derived_title_of_a_dispatch_skips_its_dateline():
    document = parse_txt(f"{LEAD_WITH_DATELINE}\n\nLes travaux doivent durer deux jours.\n")

    assert document.title_is_derived
    assert document.title.startswith("Les délégués de quarante pays ont ouvert lundi")
    assert document.published_on == datetime.date(2015, 12, 7)


def test_header_date_and_publisher_win_over_the_dateline():
    document = parse_txt(
        "Ministère de l’Intérieur\n\nQuarante pays réunis à Lisbonne\n\n"
        "Le 8 décembre 2015\n\n"
        f"{LEAD_WITH_DATELINE}\n"
    )

    assert document.published_on == datetime.date(2015, 12, 8)
    assert document.source_name == "Ministère de l’Intérieur"


def test_masthead_above_the_headline_is_the_source_not_the_title():
    document = parse_txt(
        "Le Veilleur des Deux Mers — Brèves\n\n"
        "Sécurité : les ministres promettent de nouveaux moyens\n\n"
        "Mardi 14 avril 2020\n\n"
        "Réunis lundi à Oslo, les ministres ont promis de nouveaux moyens aux forces locales.\n"
    )

    assert document.title == "Sécurité : les ministres promettent de nouveaux moyens"
    assert document.source_name == "Le Veilleur des Deux Mers"
    assert document.published_on == datetime.date(2020, 4, 14)
    assert document.lead.startswith("Réunis lundi à Oslo")


def test_masthead_in_capitals_becomes_a_source_name_in_title_case():
    document = parse_txt(
        "LA TRIBUNE DES RIVAGES\n\n"
        "À Oslo, les ministres se séparent sans accord\n\n"
        "Les ministres se sont séparés mardi sans accord sur le financement.\n"
    )

    assert document.title == "À Oslo, les ministres se séparent sans accord"
    assert document.source_name == "La Tribune des Rivages"


def test_headline_followed_by_a_sentence_case_line_keeps_its_title():
    document = parse_txt(
        "Les ministres se séparent sans accord\n\n"
        "Une réunion tendue à Oslo\n\n"
        "Les ministres se sont séparés mardi sans accord sur le financement.\n"
    )

    assert document.title == "Les ministres se séparent sans accord"
    assert document.source_name == ""


def test_full_date_in_parentheses_ending_the_title_dates_a_release():
    document = parse_txt(
        "Sécurité régionale – Entretien du ministre avec son homologue (9 mars 2021)\n\n"
        "Le ministre a reçu ce jour son homologue pour un entretien sur la sécurité régionale.\n"
    )

    assert document.published_on == datetime.date(2021, 3, 9)
    assert document.date_evidence.startswith("title « Sécurité régionale")


@pytest.mark.parametrize(
    ("footer", "source"),
    [
        ("(APS)", "APS"),
        ("—AFP", "AFP"),
        ("© Radio des Hauts Plateaux – Tous droits réservés", "Radio des Hauts Plateaux"),
    ],
)
def test_sign_off_or_copyright_at_the_foot_names_the_source(footer, source):
    document = parse_txt(
        "Les ministres se séparent sans accord\n\n"
        "Les ministres se sont séparés mardi sans accord sur le financement.\n\n"
        f"{footer}\n"
    )

    assert document.source_name == source


def test_listen_and_share_buttons_are_boilerplate():
    document = parse_txt(
        "Radio des Hauts Plateaux\nÉcouter | Partager\n\n"
        "Les ministres se séparent sans accord\n\n"
        "Les ministres se sont séparés mardi sans accord sur le financement.\n"
    )

    assert document.title == "Les ministres se séparent sans accord"
    assert document.source_name == "Radio des Hauts Plateaux"
    assert "Écouter" not in document.body


def test_html_page_without_date_metadata_is_dated_by_the_dateline_of_its_lead():
    markup = (
        "<html><head><title>Quarante pays réunis à Lisbonne</title></head><body><article>"
        f"<h1>Quarante pays réunis à Lisbonne</h1><p>{LEAD_WITH_DATELINE}</p>"
        "<p>Les travaux doivent durer deux jours, selon les organisateurs.</p>"
        "</article></body></html>"
    )

    document = parse_html(markup)

    assert document.published_on == datetime.date(2015, 12, 7)
    assert document.date_evidence == "dateline « Lisbonne, 7 déc 2015 (AFP) »"
    assert document.source_name == "AFP"


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("Partager | Imprimer | Télécharger | PDF | RSS | Facebook | Twitter | LinkedIn", True),
        ("Partager | Imprimer | PDF | RSS | Facebook | Twitter | LinkedIn | Courriel | X", False),
        ("| Partager | Imprimer | PDF | RSS | Facebook | Twitter | LinkedIn | Courriel |", True),
        ("English, Français, العربية, Español", True),
        ("Français Français | English English | Deutsch Deutsch", True),
        ("Les ministres réunis à Rome ont parlé, English, Français, Español", False),
        ("SEUL LE TEXTE ORIGINAL FAIT FOI.", True),
        ("Le communiqué précise que ſeul le texte en anglais fait foi.", True),
        ("Cette traduction à titre gracieux n’engage pas l’ambassade.", True),
        ("Pour vous abonner, écrivez-nous.", True),
        ("Accueil > Actualités > Coalition", True),
        ("Le texte adopté à Rome fait foi pour les partenaires de la coalition.", False),
    ],
)
def test_lines_that_never_belong_to_an_article_are_recognised_wherever_they_are(line, dropped):
    assert boilerplate.is_boilerplate(line) is dropped


@settings(max_examples=300)
@given(st.text(alphabet="ab \t\u00a0\u202f\u2009\u3000\n", max_size=30))
def test_collapsing_spaces_leaves_one_plain_space_for_every_run_of_them(line):
    expected = re.sub("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+", " ", line).strip()
    assert normalize.normalize_line(line) == expected
