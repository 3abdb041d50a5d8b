"""The fast import path gives the same archive as the plain one: stored shingle signatures,
reference data loaded once per run, bulk writes and worker processes change nothing but speed."""

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.curation import rerun_detection
from articles.importing import (
    Outcome,
    candidates,
    import_article,
    import_files,
    links,
    near_duplicates,
    writer,
)
from articles.indexing import deferred_index_drain
from articles.ingest import decode_bytes
from articles.ingest import shingles as shingles_module
from articles.ingest.names import fold as fold_name
from articles.ingest.shingles import fold, shingle_overlap, shingles, signature
from articles.models import (
    Article,
    ArticleFingerprint,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    PendingIndexUpdate,
    Person,
    Quote,
)
from tests.factories import ArticleFactory, ArticleMeetingFactory, MeetingFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "import"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"
DEMO_CORPUS = Path(__file__).resolve().parent.parent / "demo" / "corpus"


def whole_string_fold(text: str) -> str:
    """The importer's fold as first written: normalise the whole text, then drop the marks."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def text_of(path: Path) -> str:
    return decode_bytes(path.read_bytes())[0]


def reprint_of(name: str) -> str:
    edited = (GOOD / name).read_text()
    edited = edited.replace("Riyad accueille les ministres", "À Riyad, les ministres")
    return edited + "\nLa prochaine réunion n’a pas encore été fixée.\n"


def archive_contents() -> list[tuple]:
    """Everything an import writes, without ids or timestamps."""
    rows = []
    for article in Article.objects.order_by("original_filename"):
        twin = article.near_duplicate_of
        rows.append(
            (
                article.original_filename,
                article.slug,
                article.title,
                article.body,
                article.source.slug if article.source else None,
                twin.original_filename if twin else None,
                article.near_duplicate_similarity,
                sorted(
                    (link.meeting.slug, link.confidence, link.evidence)
                    for link in article.meeting_links.all()
                ),
                sorted(
                    (link.person.slug, link.role, link.quote_kind, link.evidence)
                    for link in article.person_links.all()
                ),
                sorted((q.person.slug, q.text, q.kind, q.position) for q in article.quotes.all()),
            )
        )
    return rows


@pytest.fixture
def mixed_folder(tmp_path):
    """Good files, a broken one, a reprint and an updated page, in the order they import."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in sorted(GOOD.iterdir()):
        shutil.copy(path, folder / f"1-{path.name}")
    shutil.copy(BROKEN / "binaire-corrompu.txt", folder / "2-binaire-corrompu.txt")
    (folder / "3-riyad-reprise.txt").write_text(reprint_of("riyad-communique.txt"))
    revised = (GOOD / "canonique.html").read_text().replace("réunis lundi", "retrouvés lundi")
    (folder / "4-canonique-v2.html").write_text(revised)
    for path in sorted(DEMO_CORPUS.iterdir())[:6]:
        shutil.copy(path, folder / f"5-{path.name}")
    return sorted(folder.iterdir())


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


def test_a_signature_is_the_same_whether_its_words_were_hashed_before_or_not(monkeypatch):
    text = (GOOD / "riyad-communique.txt").read_text()
    first = signature(text)
    monkeypatch.setattr(shingles_module, "_MAX_WORD_HASHES", 3)  # emptied again and again
    shingles_module._WORD_HASHES.clear()
    assert signature(text).tolist() == first.tolist()
    assert len(shingles_module._WORD_HASHES) <= 3


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


def test_the_candidates_are_the_oldest_unflagged_articles_of_the_meetings(monkeypatch):
    monkeypatch.setattr(candidates, "NEAR_DUPLICATE_CANDIDATES", 4)  # links read 5 at a time
    meeting, other_meeting = MeetingFactory(), MeetingFactory()
    articles = ArticleFactory.create_batch(14)
    for article in articles[:12]:
        ArticleMeetingFactory(article=article, meeting=meeting)
    ArticleMeetingFactory(article=articles[3], meeting=other_meeting)  # in both: counted once
    ArticleMeetingFactory(article=articles[12], meeting=other_meeting)
    for flagged in (articles[1], articles[2], articles[4], articles[6]):
        flagged.near_duplicate_of = articles[0]
        flagged.save()
    new = articles[13]
    ArticleMeetingFactory(article=new, meeting=meeting)

    key, rows = candidates.near_duplicate_candidates(new, [meeting.pk, other_meeting.pk])

    the_join = (
        Article.objects.exclude(pk=new.pk)
        .filter(
            near_duplicate_of__isnull=True,
            meeting_links__meeting_id__in=[meeting.pk, other_meeting.pk],
        )
        .order_by("id")
        .distinct()
        .values_list("id", "updated_at")
    )
    assert rows == list(the_join[:4])
    assert [pk for pk, _updated in rows] == [articles[i].pk for i in (0, 3, 5, 7)]
    assert key == ("meetings", tuple(sorted([meeting.pk, other_meeting.pk])))


def test_a_run_reuses_a_full_candidate_set_while_its_digest_is_unchanged(monkeypatch):
    monkeypatch.setattr(candidates, "NEAR_DUPLICATE_CANDIDATES", 4)  # links read 5 at a time
    meeting = MeetingFactory()
    articles = ArticleFactory.create_batch(8)
    for article in articles:
        ArticleMeetingFactory(article=article, meeting=meeting)
    index = near_duplicates.NearDuplicateIndex()

    def read_candidates(new):
        with CaptureQueriesContext(connection) as queries:
            _key, rows = candidates.near_duplicate_candidates(new, [meeting.pk], index=index)
        return [pk for pk, _updated in rows], len(queries)

    def the_join(new):
        unflagged = Article.objects.filter(
            near_duplicate_of__isnull=True, meeting_links__meeting=meeting
        ).exclude(pk=new.pk)
        return list(unflagged.order_by("id").values_list("id", flat=True)[:4])

    first_read = read_candidates(articles[7])
    assert first_read == (the_join(articles[7]), 2)  # the links, then their articles

    newer = ArticleFactory()
    ArticleMeetingFactory(article=newer, meeting=meeting)
    assert read_candidates(newer) == (first_read[0], 1)  # one aggregate: the set is unchanged

    articles[2].title = "Corrigé"
    articles[2].save()  # a newer version: its signature must be read again
    ids, statements = read_candidates(newer)
    assert ids == first_read[0] and statements == 1 + 2
    assert (
        dict(index.known_candidates(("meetings", (meeting.pk,))).rows)[articles[2].pk]
        == Article.objects.get(pk=articles[2].pk).updated_at
    )

    Article.objects.filter(pk=articles[1].pk).update(near_duplicate_of=articles[0])
    ids, statements = read_candidates(newer)
    assert ids == the_join(newer) == [articles[i].pk for i in (0, 2, 3, 4)]
    assert statements == 1 + 2


def test_the_digest_of_a_candidate_set_is_the_one_its_walk_computes(monkeypatch):
    monkeypatch.setattr(candidates, "NEAR_DUPLICATE_CANDIDATES", 4)  # links read 5 at a time
    meeting, other_meeting, empty_meeting = MeetingFactory(), MeetingFactory(), MeetingFactory()
    articles = ArticleFactory.create_batch(9)
    for article in articles[:7]:
        ArticleMeetingFactory(article=article, meeting=meeting)
    for article in articles[5:]:
        ArticleMeetingFactory(article=article, meeting=other_meeting)
    Article.objects.filter(pk=articles[1].pk).update(near_duplicate_of=articles[0])
    exclude = {articles[2].pk, articles[8].pk}
    meeting_sets = [
        [meeting.pk],
        [meeting.pk, other_meeting.pk],
        [other_meeting.pk],
        [empty_meeting.pk],
    ]

    digests = candidates.first_batch_digests(meeting_sets, exclude=exclude)

    walked = [
        candidates.oldest_unflagged_in_meetings(meeting_ids, exclude=exclude)[1]
        for meeting_ids in meeting_sets
    ]
    assert digests == walked
    assert digests[0].links == 5 and digests[0].count == 4  # one flagged, beyond the batch: 2
    assert digests[3] == candidates.CandidatesDigest(
        links=0, count=0, ids=0, squares=0, latest=None
    )


@pytest.mark.django_db(transaction=True)  # the sets kept by the first batch, checked by the next
def test_a_batch_checks_the_candidate_sets_kept_for_its_meetings_in_one_statement():
    by_name = sorted(DEMO_CORPUS.iterdir())  # named after their meetings
    first_batch, second_batch = by_name[0::2], by_name[1::2]  # the same meetings in both
    import_files(by_name)  # the people and sources: the next run writes in batches only
    Article.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        import_files([*first_batch, *second_batch], workers=1, batch_size=len(first_batch))

    digest_checks = [q["sql"] for q in queries if " UNION ALL " in q["sql"]]
    assert len(digest_checks) == 1
    assert digest_checks[0].count("SELECT 1, COUNT(*)") == 1  # two meetings at least


@pytest.mark.django_db(transaction=True)  # the sets grow as each file commits
@pytest.mark.parametrize("batch_size", [1, 2])
def test_a_run_reads_a_meetings_candidates_once_then_grows_them_with_its_own_articles(
    batch_size,
):
    files = [path for path in sorted(DEMO_CORPUS.iterdir()) if "washington-2017" in path.name]
    with CaptureQueriesContext(connection) as queries:
        summary = import_files(files, workers=1, batch_size=batch_size)

    assert summary.count(Outcome.CREATED) + summary.count(Outcome.DUPLICATE) == len(files) == 5
    meeting = Meeting.objects.get(slug="washington-2017")
    assert all(article.meetings.get() == meeting for article in Article.objects.all())
    walks = [q for q in queries if q["sql"].startswith('SELECT "articles_articlemeeting"')]
    assert len(walks) == 1


@pytest.mark.django_db(transaction=True)  # each file commits: the run's caches fill as in use
def test_a_new_article_costs_a_bounded_number_of_queries():
    files = sorted(DEMO_CORPUS.iterdir())[:10]
    import_files(files[:1])  # the run's reference data, then one query per kind of write
    with deferred_index_drain(drain=False), CaptureQueriesContext(connection) as queries:
        summary = import_files(files[1:], workers=1)
    created = summary.count(Outcome.CREATED) + summary.count(Outcome.DUPLICATE)
    assert created == 9
    reference_data = 4  # meetings, people, their offices, sources
    # Per file: its transaction's BEGIN and COMMIT, one lookup (content hash, canonical URL,
    # slugs taken), the article, its index update, its meeting, people, quotes and signature,
    # the near-duplicate candidates (the meeting's links, then those articles) and (first
    # seen in this run) their signatures; a source seen for the first time costs a few more.
    per_file, new_source = 12, 6
    new_sources = len(set(Article.objects.values_list("source", flat=True))) - 1
    assert len(queries) <= reference_data + per_file * created + new_source * new_sources


def test_one_index_update_is_queued_per_imported_article():
    summary = import_files(sorted(GOOD.iterdir()))
    assert summary.count(Outcome.CREATED) == 4
    queued = list(PendingIndexUpdate.objects.values_list("article_id", flat=True))
    assert sorted(set(queued)) == sorted(Article.objects.values_list("pk", flat=True))


def test_rerunning_detection_queues_the_article_for_the_index(django_user_model):
    article = import_article(
        raw=(GOOD / "riyad-communique.txt").read_bytes(), filename="riyad-communique.txt"
    ).article
    PendingIndexUpdate.objects.all().delete()
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "x")

    rerun_detection(articles=[article], user=user)

    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()
    assert ArticleMeeting.objects.get(article=article).meeting.slug == "riyad-2023"


def test_two_worker_processes_import_exactly_what_one_process_imports(mixed_folder):
    one = import_files(mixed_folder, workers=1)
    written_by_one = archive_contents()
    outcomes_by_one = [(r.name, r.outcome, r.message) for r in one.results]
    Article.objects.all().delete()
    Person.objects.filter(needs_review=True).delete()

    two = import_files(mixed_folder, workers=2)

    assert [(r.name, r.outcome, r.message) for r in two.results] == outcomes_by_one
    assert archive_contents() == written_by_one
    assert two.count(Outcome.DUPLICATE) == 1
    assert two.count(Outcome.UPDATED) == 1
    assert two.failed[0].name == "2-binaire-corrompu.txt"
    assert "binaire-corrompu.txt" in two.failed[0].message


def test_a_file_that_fails_in_a_worker_run_leaves_nothing_half_written(mixed_folder, monkeypatch):
    real = writer.propose_links

    def fail_on_the_reprint(article, detection, **kwargs):
        if article.original_filename == "3-riyad-reprise.txt":
            raise RuntimeError("detection crashed")
        return real(article, detection, **kwargs)

    monkeypatch.setattr(writer, "propose_links", fail_on_the_reprint)
    summary = import_files(mixed_folder, workers=2)

    failed = {result.name: result.message for result in summary.failed}
    assert "RuntimeError: detection crashed" in failed["3-riyad-reprise.txt"]
    assert not Article.objects.filter(original_filename="3-riyad-reprise.txt").exists()
    assert summary.count(Outcome.CREATED) == len(mixed_folder) - 3  # failed twice, 1 update
    assert Quote.objects.exists() and ArticlePerson.objects.exists()


COLLOQUE = (  # no meeting: its near-duplicates are looked for among articles of the same days
    "Lyon, 3 mars 2024 – Des chercheurs et des élus ont débattu jeudi des moyens de financer "
    "les écoles et les hôpitaux des villes libérées. Les intervenants ont insisté sur la "
    "formation des enseignants et sur la remise en état des réseaux d’eau potable. Plusieurs "
    "associations ont présenté leurs projets aux collectivités présentes. La journée s’est "
    "achevée par une table ronde consacrée au retour des familles déplacées.\n"
)


@pytest.fixture
def batch_folder(tmp_path):
    """The demo corpus and the good files, then files that depend on earlier ones of the same
    batch: a reprint, an exact copy, a new article under a title already taken, a revised page,
    and a broken file between them."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in sorted(DEMO_CORPUS.iterdir()):
        shutil.copy(path, folder / f"a-{path.name}")
    for path in sorted(GOOD.iterdir()):
        shutil.copy(path, folder / f"b-{path.name}")
    (folder / "b-zz-colloque.txt").write_text(f"Un colloque sur la reconstruction\n\n{COLLOQUE}")
    (folder / "c-0-colloque-reprise.txt").write_text(
        f"À Lyon, un colloque sur la reconstruction\n\n{COLLOQUE}Les actes seront publiés.\n"
    )
    (folder / "c-1-riyad-reprise.txt").write_text(reprint_of("riyad-communique.txt"))
    title = (GOOD / "riyad-communique.txt").read_text().splitlines()[0]
    (folder / "c-2-meme-titre.txt").write_text(
        f"{title}\n\nLes délégations ont quitté la salle sans texte commun ce soir-là.\n"
    )
    shutil.copy(BROKEN / "binaire-corrompu.txt", folder / "c-3-binaire-corrompu.txt")
    shutil.copy(GOOD / "marrakech-depeche.txt", folder / "c-4-copie.txt")
    revised = (GOOD / "canonique.html").read_text().replace("réunis lundi", "retrouvés lundi")
    (folder / "c-5-canonique-v2.html").write_text(revised)
    return sorted(folder.iterdir())


def import_and_read(files, **options):
    return read_and_empty_the_archive(import_files(files, workers=1, **options).results)


def import_each_alone_and_read(files):
    """Each file in a run of its own: nothing is carried from one file to the next."""
    return read_and_empty_the_archive(
        [result for path in files for result in import_files([path]).results]
    )


def read_and_empty_the_archive(results):
    """The outcomes, what was written and the people created; then all of it deleted."""
    written = (
        [(r.name, r.outcome, r.message) for r in results],
        archive_contents(),
        sorted(Person.objects.filter(needs_review=True).values_list("slug", flat=True)),
    )
    Article.objects.all().delete()
    Person.objects.filter(needs_review=True).delete()
    return written


# Committed: the candidate sets a run keeps grow with its own articles once each commits.
@pytest.mark.django_db(transaction=True)
def test_writing_new_articles_in_batches_gives_the_archive_a_file_by_file_import_gives(
    batch_folder,
):
    each_alone = import_each_alone_and_read(batch_folder)
    outcomes = [outcome for _name, outcome, _message in each_alone[0]]
    assert outcomes.count(Outcome.DUPLICATE) >= 3
    assert outcomes.count(Outcome.UNCHANGED) == 1
    assert outcomes.count(Outcome.UPDATED) == 1
    assert outcomes.count(Outcome.FAILED) == 1
    assert each_alone[2], "a quoted speaker unknown to detection becomes a person"

    for batch_size in (1, 32, 4):
        assert import_and_read(batch_folder, batch_size=batch_size) == each_alone


def test_a_batch_of_new_articles_sends_one_insert_per_kind_of_row(tmp_path):
    files = sorted(DEMO_CORPUS.iterdir())[:12]
    same_title = tmp_path / "zz-meme-titre.txt"  # its slug is numbered within the batch
    same_title.write_text(f"{text_of(files[0]).splitlines()[0]}\n\n{COLLOQUE}")
    files.append(same_title)
    # A file naming a source or quoting a speaker the archive does not know yet is written on
    # its own (it creates them); here they are known from an earlier import.
    import_files(files)
    Article.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        summary = import_files(files, workers=1)

    assert summary.count(Outcome.CREATED) + summary.count(Outcome.DUPLICATE) == 13
    assert Article.objects.get(original_filename=same_title.name).slug.endswith("-2")
    # INSERT, or COPY on PostgreSQL for the rows whose ids are not read back.
    writes = [re.match(r'(?:INSERT INTO|COPY) "articles_(\w+)"', q["sql"]) for q in queries]
    tables = [write.group(1) for write in writes if write]
    for table in ("article", "articlemeeting", "articleperson", "quote", "articlefingerprint"):
        assert tables.count(table) == 1, table


def test_a_person_created_during_a_run_has_only_the_files_naming_them_detected_again(
    monkeypatch,
):
    files = sorted(DEMO_CORPUS.iterdir())
    detected_again = []
    real = links.detect_document

    def spy(document, meetings, people):
        detected_again.append(document)
        return real(document, meetings, people)

    monkeypatch.setattr(links, "detect_document", spy)  # this process only, not the workers
    summary = import_files(files, workers=2)

    created = [
        fold(name)
        for name in Person.objects.filter(needs_review=True).values_list("name", flat=True)
    ]
    assert created and not summary.failed
    assert len(detected_again) < len(files) // 2
    for document in detected_again:
        text = fold_name(f"{document.title} {document.body}")
        assert any(name.split()[0] in text for name in created), document.title


def test_the_command_imports_with_worker_processes_and_refuses_zero(capsys):
    call_command("import_articles", str(GOOD), "--workers", "2")
    assert "created 4, updated 0, unchanged 0, duplicates 0, failed 0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--workers"):
        call_command("import_articles", str(GOOD), "--workers", "0")


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
