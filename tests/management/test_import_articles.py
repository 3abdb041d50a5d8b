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


def test_a_utf8_file_with_three_invalid_bytes_is_imported_as_utf8_and_the_command_says_so(
    tmp_path, capsys
):
    text = (GOOD / "riyad-communique.txt").read_text(encoding="utf-8")
    assert "é" in text
    cut = [text.index("é"), text.index(" ", 200), text.rindex(" ")]
    raw, offsets, start = b"", [], 0
    for position, junk in zip(cut, [b"\xe9", b"\x80", b"\xff"], strict=True):
        raw += text[start:position].encode()
        offsets.append(len(raw))
        raw += junk
        start = position
    raw += text[start:].encode()
    (tmp_path / "abime.txt").write_bytes(raw)

    call_command("import_articles", str(tmp_path))

    captured = capsys.readouterr()
    assert "created 1, updated 0, unchanged 0, duplicates 0, failed 0" in captured.out
    assert (
        "WARNING abime.txt: 3 invalid bytes replaced (U+FFFD) at offsets "
        f"{offsets[0]}, {offsets[1]}, {offsets[2]}"
    ) in captured.err
    article = Article.objects.get()
    assert article.raw_encoding == "utf-8"
    assert article.body.count("\ufffd") + article.title.count("\ufffd") == 3
    assert "Ã" not in article.body and "Ã" not in article.title
    assert bytes(article.raw_file) == raw
