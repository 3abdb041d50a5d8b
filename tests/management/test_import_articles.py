"""The import command: one summary line, progress, a clear failure, searchable results."""

import os
import shutil

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


@pytest.fixture
def import_folder_with_links_and_a_pipe(tmp_path):
    """An import folder with one article, a link to an article file outside it, a link to a
    folder of articles outside it and a named pipe; the outside files are real articles, so
    following a link would create one."""
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    shutil.copy(GOOD / "marrakech-depeche.txt", outside / "secret.txt")
    folder = tmp_path / "import"
    folder.mkdir()
    shutil.copy(GOOD / "riyad-communique.txt", folder / "riyad.txt")
    (folder / "passwd.txt").symlink_to(outside / "secret.txt")
    (folder / "lien-etc.txt").symlink_to("/etc/passwd")
    (folder / "dossier-lie").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "tube.txt")
    return folder


def test_links_and_named_pipes_in_an_import_folder_are_refused_with_a_reason(
    import_folder_with_links_and_a_pipe, fails_instead_of_hanging, capsys
):
    folder = import_folder_with_links_and_a_pipe
    with pytest.raises(CommandError, match="0 file\\(s\\) failed, 4 refused"):
        call_command("import_articles", str(folder))

    captured = capsys.readouterr()
    assert "created 1, updated 0, unchanged 0, duplicates 0, failed 4" in captured.out
    assert f"FAILED {folder / 'passwd.txt'}: refused: a symbolic link to a file (" in captured.err
    assert (
        f"FAILED {folder / 'lien-etc.txt'}: refused: a symbolic link to a file (/etc/passwd)"
    ) in captured.err
    assert f"FAILED {folder / 'dossier-lie'}: refused: a symbolic link to a folder (" in (
        captured.err
    )
    assert f"FAILED {folder / 'tube.txt'}: refused: a named pipe (FIFO), not a regular file" in (
        captured.err
    )
    assert list(Article.objects.values_list("original_filename", flat=True)) == ["riyad.txt"]


def test_a_link_named_on_the_command_line_or_reached_by_a_glob_is_refused(
    import_folder_with_links_and_a_pipe, fails_instead_of_hanging, capsys
):
    folder = import_folder_with_links_and_a_pipe
    with pytest.raises(CommandError, match="No importable file found \\(3 refused\\)"):
        call_command(
            "import_articles",
            str(folder / "lien-etc.txt"),
            str(folder / "tube.txt"),
            str(folder / "**" / "secret.txt"),  # only inside the linked folder
        )
    captured = capsys.readouterr()
    assert "refused: a symbolic link to a file (/etc/passwd)" in captured.err
    assert "refused: a named pipe (FIFO)" in captured.err
    assert f"refused: reached through the symbolic link {folder / 'dossier-lie'}" in captured.err
    assert not Article.objects.exists()


def test_a_file_over_the_size_limit_is_refused_from_its_size_and_the_others_are_imported(
    tmp_path, capsys
):
    shutil.copy(GOOD / "riyad-communique.txt", tmp_path / "riyad.txt")
    huge = tmp_path / "enorme.txt"
    with huge.open("wb") as sparse:  # 3.4 MB on paper, no block written: reading it would show
        sparse.truncate(int(3.4 * 1024 * 1024))

    with pytest.raises(CommandError, match="0 file\\(s\\) failed, 1 refused"):
        call_command("import_articles", str(tmp_path))

    captured = capsys.readouterr()
    assert f"FAILED {huge}: 3.4 MB, over the 2 MB limit (IMPORT_MAX_FILE_BYTES)" in captured.err
    assert "created 1, updated 0, unchanged 0, duplicates 0, failed 1" in captured.out
    assert list(Article.objects.values_list("original_filename", flat=True)) == ["riyad.txt"]


def test_the_commands_size_limit_is_the_admins_setting(tmp_path, capsys, settings):
    shutil.copy(GOOD / "riyad-communique.txt", tmp_path / "riyad.txt")
    settings.IMPORT_MAX_FILE_BYTES = 100
    with pytest.raises(CommandError, match="No importable file found \\(1 refused\\)"):
        call_command("import_articles", str(tmp_path / "riyad.txt"))
    assert "over the 100 bytes limit (IMPORT_MAX_FILE_BYTES)" in capsys.readouterr().err
