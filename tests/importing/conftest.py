"""Folders of files for the importing tests, in the order they import."""

import shutil

import pytest

from tests.importing.samples import BROKEN, COLLOQUE, DEMO_CORPUS, GOOD, reprint_of


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


@pytest.fixture
def same_run_folder(tmp_path):
    """The good files, then files that depend on earlier ones of the same run: a reprint, an
    exact copy, a new article under a title already taken, a revised page, an article with no
    meeting reprinted, and a broken file between them."""
    folder = tmp_path / "same-run"
    folder.mkdir()
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
