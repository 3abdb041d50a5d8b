"""Worker processes parse ahead of the writes and change nothing but speed."""

import pytest

from articles.importing import Outcome, import_files, links
from articles.ingest.names import fold as fold_name
from articles.ingest.shingles import fold
from articles.models import Article, Person
from tests.importing.samples import DEMO_CORPUS, archive_contents

pytestmark = pytest.mark.django_db


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
