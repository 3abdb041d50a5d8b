"""Plain-text articles: header, title, paragraphs, boilerplate, datelines and sign-offs."""

import datetime
from pathlib import Path

import pytest

from articles.ingest import IngestError, ParsedDocument, parse_file, parse_html, parse_text

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
