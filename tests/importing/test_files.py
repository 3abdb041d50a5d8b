"""An import reads named files, folders (recursively) and globs of supported files."""

import shutil

import pytest

from articles.importing import collect_files
from tests.importing.samples import GOOD

pytestmark = pytest.mark.django_db


def test_folders_are_searched_recursively_and_globs_expand(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(GOOD / "riyad-communique.txt", nested / "one.txt")
    shutil.copy(GOOD / "canonique.html", tmp_path / "two.HTML")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")

    files, refused, unmatched = collect_files([str(tmp_path)])
    assert sorted(p.name for p in files) == ["one.txt", "two.HTML"]
    assert unmatched == []
    assert refused == []

    files, refused, unmatched = collect_files(
        [str(tmp_path / "a" / "**" / "*.txt"), "nowhere/*.txt"]
    )
    assert [p.name for p in files] == ["one.txt"]
    assert unmatched == ["nowhere/*.txt"]
