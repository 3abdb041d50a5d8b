"""The import command: one summary line, progress, a clear failure, searchable results."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.importing.samples import BROKEN, GOOD

pytestmark = pytest.mark.django_db


def test_the_command_prints_one_summary_line_and_fails_when_a_file_failed(capsys):
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_articles", str(GOOD), str(BROKEN / "binaire-corrompu.txt"))
    captured = capsys.readouterr()
    assert "created 4, updated 0, unchanged 0, duplicates 0, failed 1" in captured.out
    assert "FAILED binaire-corrompu.txt:" in captured.err


def test_the_command_can_publish_directly_and_dry_run(capsys):
    call_command("import_articles", str(GOOD), "--dry-run")
    assert "dry run, nothing written" in capsys.readouterr().out
    assert Article.objects.count() == 0

    call_command("import_articles", str(GOOD), "--status", "published")
    assert Article.objects.published().count() == 4


def test_the_command_refuses_paths_with_nothing_to_import(tmp_path):
    with pytest.raises(CommandError, match="No importable file"):
        call_command("import_articles", str(tmp_path))


def test_articles_published_by_the_command_are_searchable_when_it_returns(search_index):
    call_command("import_articles", str(GOOD), "--status", "published")
    assert search_index.document_ids() == set(
        Article.objects.published().values_list("pk", flat=True)
    )
    assert len(search_index.document_ids()) == 4


def test_the_command_imports_with_worker_processes_and_refuses_zero(capsys):
    call_command("import_articles", str(GOOD), "--workers", "2")
    assert "created 4, updated 0, unchanged 0, duplicates 0, failed 0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--workers"):
        call_command("import_articles", str(GOOD), "--workers", "0")
