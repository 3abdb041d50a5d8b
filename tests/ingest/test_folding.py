"""The folding variants, each pinned on tricky characters."""

import pytest

from articles.ingest.folding import (
    fold_accents,
    fold_accents_and_case,
    fold_for_shingles,
    fold_name,
)


@pytest.mark.parametrize(
    ("text", "for_shingles", "for_names"),
    [
        ("Secrétaire d’État", "secretaire d'etat", "secretaire d'etat"),
        ("Œuvre ŒDIPE straße", "œuvre œdipe strasse", "oeuvre oedipe strasse"),
        ("ﬁnalement — l‘OTAN", "finalement — l‘otan", "finalement l'otan"),
        ("Koweït İstanbul ǅemal", "koweit istanbul dzemal", "koweit istanbul dzemal"),
        ("  x\u00a0y  ", "x y", "x y"),
        ("ℌello ½ ²", "hello 1⁄2 2", "Hello 1⁄2 2"),
    ],
)
def test_each_variant_folds_as_it_always_has(text, for_shingles, for_names):
    # Stored near-duplicate signatures depend on the shingle fold: it must never change.
    assert fold_for_shingles(text) == for_shingles
    assert fold_name(text) == for_names


def test_the_search_fold_drops_accents_and_opens_ligatures_and_keeps_case():
    # The search index's words are folded so: a change means rebuilding every index.
    assert fold_accents("Koweït, États-Unis — l’Œuvre, straße") == (
        "Koweit, Etats-Unis — l’OEuvre, strasse"
    )
    assert fold_accents_and_case("Koweït, ÉTATS, Œuvre") == "koweit, etats, oeuvre"
