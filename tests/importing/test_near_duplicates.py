"""Near-duplicates are found by shingle signatures: stable, stored, kept current with the text."""

import unicodedata

import numpy as np
import pytest
from django.db import connection

from articles.importing import Outcome, import_article, near_duplicates
from articles.ingest.shingles import fold, shingle_overlap, shingles, signature, word_hash
from articles.models import Article, ArticleFingerprint, ArticleMeeting, Meeting
from tests.importing.samples import DEMO_CORPUS, GOOD, reprint_of, text_of

pytestmark = pytest.mark.django_db


def whole_string_fold(text: str) -> str:
    """The importer's fold as first written: normalise the whole text, then drop the marks."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def test_folding_character_by_character_gives_the_same_text_as_folding_the_whole_string():
    samples = [text_of(path) for path in sorted(DEMO_CORPUS.iterdir())]
    samples.append("L’Œuvre d’Ångström : ﬁn, İstanbul, ǅemal, ẞtraße, Ⅻ, ½ — « Ça » 𝔄")
    for text in samples:
        assert fold(text) == whole_string_fold(text)


def test_a_signature_counts_the_same_shared_shingles_as_the_shingle_sets():
    texts = [text_of(path) for path in sorted(DEMO_CORPUS.iterdir())[:8]]
    texts.append(reprint_of("riyad-communique.txt"))
    texts.append((GOOD / "riyad-communique.txt").read_text())
    for first in texts:
        for second in texts:
            own, other = signature(first), signature(second)
            assert len(own) == len(shingles(first))
            shared = len(set(own.tolist()) & set(other.tolist()))
            assert shared == len(shingles(first) & shingles(second))


def test_a_signature_stays_the_same_from_one_version_of_the_importer_to_the_next():
    # Stored fingerprints are compared with signatures cut later: the hashes must not move (a
    # change of hashing comes with a migration dropping the stored ones, as 0007 does).
    text = "Les ministres de la Coalition se réunissent à Rome, où l’Italie les accueille."
    assert signature(text).tolist() == [
        271253800734936697,
        1552990098694691640,
        2637886030634909312,
        3846332708535728291,
        8312456864661879533,
        8336232892849744830,
        9305108487566107154,
        10314207981337143814,
        11440420151784147607,
        17783706372097944306,
    ]
    assert signature("").tolist() == signature("trop court").tolist() == []


def test_the_order_of_the_words_in_a_shingle_counts():
    assert (
        signature("un deux trois quatre cinq").tolist()
        != signature("deux un trois quatre cinq").tolist()
    )
    assert len(signature("la la la la la la la")) == 1


def test_a_signature_is_the_same_whether_its_words_were_hashed_before_or_not():
    text = (GOOD / "riyad-communique.txt").read_text()
    first = signature(text)
    word_hash.cache_clear()
    assert signature(text).tolist() == first.tolist()
    assert word_hash.cache_info().maxsize is not None  # the cache of word hashes is bounded


def test_each_imported_article_keeps_a_signature_of_its_current_text():
    article = import_article(
        raw=(GOOD / "riyad-communique.txt").read_bytes(), filename="riyad-communique.txt"
    ).article
    fingerprint = ArticleFingerprint.objects.get(article=article)
    assert fingerprint.computed_for == Article.objects.get(pk=article.pk).updated_at
    assert bytes(fingerprint.shingle_hashes) == signature(article.body).tobytes()


def test_the_near_duplicate_score_is_the_share_of_the_smaller_texts_shingles():
    twin = import_article(
        raw=(GOOD / "riyad-communique.txt").read_bytes(), filename="riyad-communique.txt"
    ).article
    reprint = reprint_of("riyad-communique.txt")
    result = import_article(raw=reprint.encode(), filename="riyad-reprise.txt")

    expected = shingle_overlap(shingles(result.article.body), shingles(twin.body))
    assert result.outcome == Outcome.DUPLICATE
    assert result.article.near_duplicate_similarity == round(expected, 3)


def test_an_article_edited_after_import_is_compared_by_its_edited_text():
    original = import_article(
        raw=(GOOD / "koweit-inconnu.txt").read_bytes(), filename="koweit-inconnu.txt"
    ).article
    # An editor pastes the Riyadh communiqué into it: its stored signature is now out of date.
    riyadh = import_article(
        raw=(GOOD / "riyad-communique.txt").read_bytes(), filename="riyad-communique.txt"
    ).article
    riyadh.delete()
    article = Article.objects.get(pk=original.pk)
    article.body = riyadh.body
    article.save()
    ArticleMeeting.objects.create(article=article, meeting=riyadh_meeting(), confirmed=True)

    result = import_article(
        raw=reprint_of("riyad-communique.txt").encode(), filename="riyad-reprise.txt"
    )

    assert result.outcome == Outcome.DUPLICATE
    assert result.duplicate_of.pk == original.pk


def riyadh_meeting():
    return Meeting.objects.get(slug="riyad-2023")


def test_articles_without_a_stored_signature_are_compared_by_their_text():
    twin = import_article(
        raw=(GOOD / "riyad-communique.txt").read_bytes(), filename="riyad-communique.txt"
    ).article
    ArticleFingerprint.objects.all().delete()  # e.g. written by the admin or a bulk load

    result = import_article(
        raw=reprint_of("riyad-communique.txt").encode(), filename="riyad-reprise.txt"
    )

    assert result.outcome == Outcome.DUPLICATE
    assert result.duplicate_of.pk == twin.pk


def test_a_signature_cut_from_the_text_is_stored_for_the_next_run():
    twin = import_article(
        raw=(GOOD / "riyad-communique.txt").read_bytes(), filename="riyad-communique.txt"
    ).article
    ArticleFingerprint.objects.all().delete()  # an article saved before signatures were kept

    import_article(raw=reprint_of("riyad-communique.txt").encode(), filename="riyad-reprise.txt")

    stored = ArticleFingerprint.objects.get(article=twin)
    assert stored.computed_for == Article.objects.get(pk=twin.pk).updated_at
    assert bytes(stored.shingle_hashes) == signature(twin.body).tobytes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_word_sum_hashes_drops_the_signatures_stored_with_the_old_hashing():
    from django.db.migrations.executor import MigrationExecutor

    before = [("articles", "0006_meeting_article_index")]
    after = [("articles", "0007_drop_fingerprints_of_the_old_hashing")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        Article = apps.get_model("articles", "Article")
        ArticleFingerprint = apps.get_model("articles", "ArticleFingerprint")
        article = Article.objects.create(title="Avant", slug="avant", body="Un texte stocké.")
        ArticleFingerprint.objects.create(
            article=article, shingle_hashes=b"\x01" * 8, computed_for=article.updated_at
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert not ArticleFingerprint.objects.exists()
        assert Article.objects.filter(pk=article.pk).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_bank_grown_one_signature_at_a_time_counts_what_one_built_at_once_counts():
    rng = np.random.default_rng(7)
    vocabulary = rng.integers(0, 2**63, size=3000, dtype=np.uint64)
    signatures = [np.unique(rng.choice(vocabulary, size=rng.integers(0, 400))) for _ in range(60)]
    rows = [(pk, None) for pk in range(len(signatures))]
    built_at_once = near_duplicates.SignatureBank()
    built_at_once.extend(rows, signatures)
    grown = near_duplicates.SignatureBank()
    grown.extend(rows[:40], signatures[:40])

    for pk in range(40, len(signatures)):  # the recent ones wait, then merge, then wait again
        grown.extend(rows[pk : pk + 1], signatures[pk : pk + 1])
        own = np.unique(rng.choice(vocabulary, size=300))
        expected = [len(np.intersect1d(own, other)) for other in signatures[: pk + 1]]
        assert grown.shared(own).tolist() == expected

    own = np.unique(rng.choice(vocabulary, size=300))
    assert grown.shared(own).tolist() == built_at_once.shared(own).tolist()
    assert grown.shared(np.zeros(0, dtype=np.uint64)).tolist() == [0] * len(signatures)
