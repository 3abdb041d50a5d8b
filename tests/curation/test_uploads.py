"""Uploads in the admin go through the importer, with permission and history."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied

from articles import curation
from articles.models import Article
from tests.curation.helpers import messages_for

pytestmark = pytest.mark.django_db


def test_an_import_without_the_permission_is_refused(reviewer):
    with pytest.raises(PermissionDenied):
        curation.import_uploads(
            uploads=[curation.Upload(name="a.txt", raw=b"Titre\n\nTexte.")], user=reviewer
        )


def test_a_created_article_is_an_addition_and_an_updated_one_a_change(editor):
    page = (
        '<html><head><title>{title}</title><link rel="canonical" href="https://exemple.org/a">'
        "</head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )
    first = page.format(title="Première version", text="Les ministres se sont réunis à Rome.")
    second = page.format(title="Version corrigée", text="Les ministres se sont retrouvés à Rome.")
    summary = curation.import_uploads(
        uploads=[
            curation.Upload(name="a.html", raw=first.encode()),
            curation.Upload(name="a-corrige.html", raw=second.encode()),
        ],
        user=editor,
    )
    assert summary.line() == "created 1, updated 1, unchanged 0, duplicates 0, failed 0"
    article = Article.objects.get()
    flags = list(
        LogEntry.objects.filter(object_id=str(article.pk))
        .order_by("id")
        .values_list("action_flag", flat=True)
    )
    assert flags == [ADDITION, CHANGE]
    assert messages_for(article)[-1] == "Importé depuis le fichier a-corrige.html."


class UnreadableUpload:
    """An upload that declares its size and must not be read."""

    def __init__(self, name, size):
        self.name, self.size = name, size

    def read(self):
        raise AssertionError(f"{self.name} was read although it is over the limit")


def test_an_upload_over_the_size_limit_is_refused_unread_and_the_next_one_imported(
    editor, settings
):
    settings.IMPORT_MAX_FILE_BYTES = 2 * 1024 * 1024
    summary = curation.import_uploads(
        uploads=[
            UnreadableUpload("enorme.txt", int(3.4 * 1024 * 1024)),
            curation.Upload(name="a.txt", raw="Titre\n\nLes ministres se réunissent.".encode()),
        ],
        user=editor,
    )
    assert [(result.name, result.outcome, result.message) for result in summary.results] == [
        ("enorme.txt", "failed", "3.4 MB, over the 2 MB limit (IMPORT_MAX_FILE_BYTES)"),
        ("a.txt", "created", ""),
    ]
    assert Article.objects.get().original_filename == "a.txt"
