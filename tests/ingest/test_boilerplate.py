"""Lines that copied web pages bring along but that never belong to an article."""

import pytest

from articles.ingest import boilerplate


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
