"""The importer writes each file completely or not at all, and re-importing changes nothing."""

import os

import pytest

from articles import importing
from articles.importing import Outcome, import_article, import_files, writer
from articles.models import Article, ArticleMeeting, ArticlePerson, Person, Quote, Source
from tests.importing.samples import BROKEN, GOOD

pytestmark = pytest.mark.django_db


def import_one(name: str, **options):
    path = GOOD / name
    return import_article(raw=path.read_bytes(), filename=path.name, **options)


def test_a_text_article_is_created_with_its_metadata_and_the_importers_proposals():
    result = import_one("riyad-communique.txt")

    assert result.outcome == Outcome.CREATED
    article = result.article
    assert article.title == "Riyad accueille les ministres de la coalition contre Daech"
    assert article.status == Article.Status.TO_CHECK
    assert article.original_filename == "riyad-communique.txt"
    assert bytes(article.raw_file) == (GOOD / "riyad-communique.txt").read_bytes()
    assert article.importer_version == importing.IMPORTER_VERSION
    assert article.imported_at is not None

    proposal = ArticleMeeting.objects.get(article=article)
    assert proposal.meeting.slug == "riyad-2023"
    assert proposal.confirmed is False
    assert 0 < proposal.confidence <= 1
    assert proposal.evidence

    quoted = set(
        article.person_links.filter(role=ArticlePerson.Role.QUOTED).values_list(
            "person__slug", flat=True
        )
    )
    assert {"antony-blinken", "faisal-bin-farhan"} <= quoted
    assert Quote.objects.filter(article=article, person__slug="antony-blinken").exists()


def test_an_article_without_a_title_gets_one_derived_from_its_lead():
    result = import_one("marrakech-depeche.txt")
    assert result.outcome == Outcome.CREATED
    assert result.article.title_is_derived is True
    assert result.article.title
    assert result.article.meeting_links.get().meeting.slug == "marrakech-2022"


def test_an_unknown_quoted_speaker_becomes_a_person_marked_for_review():
    result = import_one("koweit-inconnu.txt")
    reynders = Person.objects.get(slug="didier-reynders")
    assert reynders.needs_review is True
    assert result.article.person_links.get(person=reynders).role == ArticlePerson.Role.QUOTED


def test_the_publisher_named_by_an_html_page_becomes_the_source():
    result = import_one("canonique.html")
    article = result.article
    assert article.source.name == "Le Journal Exemple"
    assert article.canonical_url == "https://journal.example/2021/06/rome-coalition"
    assert str(article.published_on) == "2021-06-28"
    assert article.source_format == Article.Format.HTML


def test_the_source_option_applies_only_when_the_file_names_no_publisher():
    text = import_one("marrakech-depeche.txt", source_name="Agence Exemple").article
    html = import_one("canonique.html", source_name="Agence Exemple").article
    assert text.source.name == "Agence Exemple"
    assert html.source.name == "Le Journal Exemple"


def test_a_known_source_is_matched_by_alias_without_creating_a_new_one():
    raw = "Titre du communiqué\n\nPar AFP. La coalition s’est réunie à Rome lundi.".encode()
    before = Source.objects.count()
    result = import_article(raw=raw, filename="afp.txt", source_name="afp")
    assert result.article.source.slug == "afp"
    assert Source.objects.count() == before


def test_reimporting_the_same_files_is_idempotent():
    first = import_files(sorted(GOOD.iterdir()))
    counts = (Article.objects.count(), ArticlePerson.objects.count(), Quote.objects.count())
    second = import_files(sorted(GOOD.iterdir()))

    assert first.count(Outcome.CREATED) == 4
    assert second.count(Outcome.UNCHANGED) == 4
    assert second.line() == "created 0, updated 0, unchanged 4, duplicates 0, failed 0"
    assert (Article.objects.count(), ArticlePerson.objects.count(), Quote.objects.count()) == counts


def test_a_changed_page_at_the_same_canonical_url_updates_the_article():
    original = import_one("canonique.html").article
    revised = (
        (GOOD / "canonique.html")
        .read_text()
        .replace("se sont réunis lundi", "se sont retrouvés lundi")
    )
    result = import_article(raw=revised.encode(), filename="canonique-v2.html")

    assert result.outcome == Outcome.UPDATED
    assert result.article.pk == original.pk
    assert "se sont retrouvés lundi" in Article.objects.get(pk=original.pk).body
    assert Article.objects.count() == 1


def test_a_republished_dispatch_with_small_edits_is_flagged_and_linked_to_its_twin():
    twin = import_one("riyad-communique.txt").article
    edited = (GOOD / "riyad-communique.txt").read_text()
    edited = (
        edited.replace("Riyad accueille les ministres", "À Riyad, les ministres")
        + "\nLa prochaine réunion n’a pas encore été fixée.\n"
    )
    result = import_article(raw=edited.encode(), filename="riyad-reprise.txt")

    assert result.outcome == Outcome.DUPLICATE
    assert result.article.near_duplicate_of == twin
    assert result.article.near_duplicate_similarity >= importing.NEAR_DUPLICATE_THRESHOLD
    assert Article.objects.count() == 2, "a near-duplicate is kept, not dropped"


def test_a_corrupt_file_among_good_ones_fails_alone_with_a_reason():
    files = [
        GOOD / "riyad-communique.txt",
        BROKEN / "binaire-corrompu.txt",
        GOOD / "koweit-inconnu.txt",
    ]
    summary = import_files(files)

    assert [r.outcome for r in summary.results] == [
        Outcome.CREATED,
        Outcome.FAILED,
        Outcome.CREATED,
    ]
    failure = summary.failed[0]
    assert failure.name == "binaire-corrompu.txt"
    assert failure.message
    assert Article.objects.count() == 2


def test_a_failure_while_writing_leaves_nothing_half_written(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("detection crashed")

    monkeypatch.setattr(writer, "propose_links", explode)
    result = import_one("riyad-communique.txt")

    assert result.outcome == Outcome.FAILED
    assert "detection crashed" in result.message
    assert Article.objects.count() == 0
    assert ArticleMeeting.objects.count() == 0


def test_a_dry_run_reports_what_it_would_create_and_writes_nothing():
    people_before = Person.objects.count()
    summary = import_files(sorted(GOOD.iterdir()), dry_run=True)

    assert summary.count(Outcome.CREATED) == 4
    assert Article.objects.count() == 0
    assert Person.objects.count() == people_before
    assert Source.objects.filter(name="Le Journal Exemple").count() == 0


# Committed: the candidate sets a run keeps grow with its own articles once each commits.
@pytest.mark.django_db(transaction=True)
def test_each_file_of_a_run_finds_what_the_files_before_it_wrote(same_run_folder):
    summary = import_files(same_run_folder, workers=1)

    result = {result.name: result for result in summary.results}
    outcomes = [result.outcome for result in summary.results]
    assert outcomes.count(Outcome.DUPLICATE) == 2
    assert outcomes.count(Outcome.UNCHANGED) == 1
    assert outcomes.count(Outcome.UPDATED) == 1
    assert outcomes.count(Outcome.FAILED) == 1
    reprint = result["c-1-riyad-reprise.txt"]
    assert reprint.outcome == Outcome.DUPLICATE
    assert reprint.duplicate_of.original_filename == "b-riyad-communique.txt"
    without_meeting = result["c-0-colloque-reprise.txt"]  # compared with the same days' articles
    assert not without_meeting.article.meeting_links.exists()
    assert without_meeting.duplicate_of.original_filename == "b-zz-colloque.txt"
    copy = result["c-4-copie.txt"]
    assert copy.outcome == Outcome.UNCHANGED
    assert copy.article.pk == result["b-marrakech-depeche.txt"].article.pk
    revised = result["c-5-canonique-v2.html"]
    assert revised.outcome == Outcome.UPDATED
    assert revised.article.pk == result["b-canonique.html"].article.pk
    assert "retrouvés lundi" in Article.objects.get(pk=revised.article.pk).body
    same_title = result["c-2-meme-titre.txt"].article
    assert same_title.slug == result["b-riyad-communique.txt"].article.slug + "-2"
    assert "binaire-corrompu.txt" in result["c-3-binaire-corrompu.txt"].message
    assert Article.objects.count() == len(same_run_folder) - 3  # a copy, a broken file, a revision
    assert Person.objects.filter(needs_review=True).exists(), "an unknown speaker is a person"


def test_the_importer_refuses_a_link_or_a_named_pipe_it_is_given_without_opening_it(
    tmp_path, fails_instead_of_hanging
):
    link = tmp_path / "lien.txt"
    link.symlink_to(GOOD / "riyad-communique.txt")
    pipe = tmp_path / "tube.txt"
    os.mkfifo(pipe)  # opening it to read would block this test forever

    summary = import_files([link, pipe, GOOD / "canonique.html"], workers=1)

    assert summary.line() == "created 1, updated 0, unchanged 0, duplicates 0, failed 2"
    reasons = {result.name: result.message for result in summary.failed}
    assert reasons["lien.txt"].startswith("refused: a symbolic link to a file (")
    assert reasons["tube.txt"] == "refused: a named pipe (FIFO), not a regular file"


def test_the_importer_refuses_bytes_over_the_size_limit(settings):
    settings.IMPORT_MAX_FILE_BYTES = 1024 * 1024
    raw = (GOOD / "riyad-communique.txt").read_bytes()
    too_large = raw * (1024 * 1024 // len(raw) + 1)
    result = import_article(raw=too_large, filename="long.txt")
    assert result.outcome == Outcome.FAILED
    assert result.message == (
        f"{len(too_large)} bytes, over the 1048576 bytes limit (IMPORT_MAX_FILE_BYTES)"
    )
    assert not Article.objects.exists()
    assert import_article(raw=raw, filename="court.txt").outcome == Outcome.CREATED
