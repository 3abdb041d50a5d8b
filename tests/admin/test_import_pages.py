"""Importing files from the admin goes through the importer, file by file, and reports each."""

from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from articles.models import Article, Source
from tests.admin.test_permissions import EDITOR, admin_url, logged_in

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "admin"


def upload(*names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, (FIXTURES / name).read_bytes()) for name in names]


def post_import(client, *names, status="to_check", source_name=""):
    return client.post(
        admin_url("import"),
        {"files": upload(*names), "status": status, "source_name": source_name},
    )


@pytest.fixture
def editor(client):
    return logged_in(client, EDITOR)


def test_the_import_page_is_linked_from_the_article_list_and_the_admin_index(editor):
    import_url = admin_url("import")
    assert import_url in editor.get(reverse("admin:articles_article_changelist")).text
    assert import_url in editor.get(reverse("admin:index")).text
    page = editor.get(import_url)
    assert page.status_code == 200
    assert 'type="file"' in page.text
    assert "multiple" in page.text


def test_several_files_are_imported_and_each_one_is_reported(editor):
    response = post_import(
        editor,
        "rome-2021-reunion.txt",
        "marrakech-2022-depeche.html",
        "vide.txt",
        "image-renommee.txt",
        "notes.pdf",
    )

    assert response.status_code == 200
    rows = {row["result"].name: row for row in response.context["rows"]}
    assert {name: str(row["label"]) for name, row in rows.items()} == {
        "rome-2021-reunion.txt": "Créé",
        "marrakech-2022-depeche.html": "Créé",
        "vide.txt": "Échec",
        "image-renommee.txt": "Échec",
        "notes.pdf": "Échec",
    }
    assert "empty" in rows["vide.txt"]["result"].message
    assert "binary" in rows["image-renommee.txt"]["result"].message
    assert "unsupported file type" in rows["notes.pdf"]["result"].message
    for name in ("vide.txt", "image-renommee.txt", "notes.pdf"):
        assert name in response.text
    # The good files were kept although others failed: one transaction per file.
    rome = Article.objects.get(original_filename="rome-2021-reunion.txt")
    assert rome.status == Article.Status.TO_CHECK
    assert bytes(rome.raw_file) == (FIXTURES / "rome-2021-reunion.txt").read_bytes()
    assert rome.meeting_links.get().meeting.slug == "rome-2021"
    assert admin_url("review", rome.pk) in response.text
    assert Article.objects.count() == 2


def test_each_imported_article_gets_a_history_entry_naming_its_file(editor):
    post_import(editor, "rome-2021-reunion.txt")
    article = Article.objects.get()
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.action_flag == ADDITION
    assert entry.user == editor.user
    assert entry.get_change_message() == "Importé depuis le fichier rome-2021-reunion.txt."
    history = editor.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Importé depuis le fichier rome-2021-reunion.txt" in history.text


def test_importing_the_same_file_again_changes_nothing(editor):
    post_import(editor, "rome-2021-reunion.txt")
    response = post_import(editor, "rome-2021-reunion.txt")
    [row] = response.context["rows"]
    assert str(row["label"]) == "Inchangé (déjà dans l’archive)"
    assert Article.objects.count() == 1
    assert LogEntry.objects.count() == 1


def test_a_near_duplicate_is_reported_with_a_link_to_its_twin(editor):
    post_import(editor, "amman-2017-version-courte.txt")
    response = post_import(editor, "amman-2017-version-longue.txt")

    [row] = response.context["rows"]
    assert str(row["label"]) == "Quasi-doublon"
    twin = Article.objects.get(original_filename="amman-2017-version-courte.txt")
    duplicate = Article.objects.get(original_filename="amman-2017-version-longue.txt")
    assert duplicate.near_duplicate_of == twin
    assert admin_url("duplicate", duplicate.pk) in response.text
    assert twin.title in response.text
    assert LogEntry.objects.get(object_id=str(duplicate.pk)).action_flag == ADDITION


def test_the_source_name_given_on_the_form_is_used_and_matched_on_aliases(editor):
    post_import(editor, "rome-2021-reunion.txt", source_name="AFP")
    article = Article.objects.get()
    assert article.source == Source.objects.get(slug="afp")


def test_an_editor_may_import_straight_to_published(editor):
    post_import(editor, "rome-2021-reunion.txt", status="published")
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_importing_as_published_needs_the_publish_permission(client):
    importer = User.objects.create_user("importateur", password="x", is_staff=True)
    importer.user_permissions.add(
        *Permission.objects.filter(codename__in=["import_articles", "view_article"])
    )
    client.force_login(importer)

    form = client.get(admin_url("import")).context["form"]
    assert "published" not in [value for value, _label in form.fields["status"].choices]
    response = post_import(client, "rome-2021-reunion.txt", status="published")
    assert "status" in response.context["form"].errors
    assert not Article.objects.exists()

    post_import(client, "rome-2021-reunion.txt", status="to_check")
    assert Article.objects.get().status == Article.Status.TO_CHECK


def test_the_import_page_refuses_a_post_without_files(editor):
    response = editor.post(admin_url("import"), {"status": "to_check"})
    assert response.status_code == 200
    assert "files" in response.context["form"].errors


def test_the_import_page_commits_file_by_file_outside_the_request_transaction():
    # With ATOMIC_REQUESTS, a late failure would otherwise undo the files already imported.
    view = resolve(admin_url("import")).func
    assert "default" in view._non_atomic_requests


def test_a_file_over_the_size_limit_is_reported_unread_and_the_others_are_imported(editor):
    from django.conf import settings

    article = (FIXTURES / "rome-2021-reunion.txt").read_bytes()
    too_large = article * (int(3.4 * 1024 * 1024) // len(article) + 1)
    assert len(too_large) > settings.IMPORT_MAX_FILE_BYTES == 2 * 1024 * 1024
    response = editor.post(
        admin_url("import"),
        {
            "files": [
                SimpleUploadedFile("enorme.txt", too_large),
                *upload("marrakech-2022-depeche.html"),
            ],
            "status": "to_check",
        },
    )
    assert response.status_code == 200
    rows = {row["result"].name: row for row in response.context["rows"]}
    assert {name: str(row["label"]) for name, row in rows.items()} == {
        "enorme.txt": "Échec",
        "marrakech-2022-depeche.html": "Créé",
    }
    message = "3.4 MB, over the 2 MB limit (IMPORT_MAX_FILE_BYTES)"
    assert rows["enorme.txt"]["result"].message == message
    assert message in response.content.decode()
    assert list(Article.objects.values_list("original_filename", flat=True)) == [
        "marrakech-2022-depeche.html"
    ]


def test_one_failing_file_of_an_upload_never_drops_the_others(editor, settings):
    settings.IMPORT_MAX_FILE_BYTES = 4000
    response = editor.post(
        admin_url("import"),
        {
            "files": [
                SimpleUploadedFile("trop-long.txt", b"Titre\n\n" + b"Texte. " * 1000),
                *upload("image-renommee.txt", "vide.txt", "notes.pdf"),
                *upload("rome-2021-reunion.txt", "marrakech-2022-depeche.html"),
            ],
            "status": "to_check",
        },
    )
    rows = [(row["result"].name, str(row["label"])) for row in response.context["rows"]]
    assert rows == [
        ("trop-long.txt", "Échec"),
        ("image-renommee.txt", "Échec"),
        ("vide.txt", "Échec"),
        ("notes.pdf", "Échec"),
        ("rome-2021-reunion.txt", "Créé"),
        ("marrakech-2022-depeche.html", "Créé"),
    ]
    html = response.content.decode()
    assert "6.8 KB, over the 3.9 KB limit (IMPORT_MAX_FILE_BYTES)" in html
    for name, _label in rows:
        assert name in html
    assert sorted(Article.objects.values_list("original_filename", flat=True)) == [
        "marrakech-2022-depeche.html",
        "rome-2021-reunion.txt",
    ]


def test_the_size_limit_is_a_setting(editor, settings):
    settings.IMPORT_MAX_FILE_BYTES = 500
    response = post_import(editor, "rome-2021-reunion.txt")
    [row] = response.context["rows"]
    assert row["result"].message.endswith(", over the 500 bytes limit (IMPORT_MAX_FILE_BYTES)")
    assert not Article.objects.exists()
    settings.IMPORT_MAX_FILE_BYTES = 1_000_000
    response = post_import(editor, "rome-2021-reunion.txt")
    [row] = response.context["rows"]
    assert str(row["label"]) == "Créé"


def test_an_upload_with_invalid_utf8_bytes_reports_them_and_keeps_them_in_the_history(editor):
    good = (FIXTURES / "rome-2021-reunion.txt").read_bytes()
    position = good.index("Réunis".encode()) + 1  # inside the text, before "é"
    damaged = good[:position] + b"\xe9" + good[position:]
    response = editor.post(
        admin_url("import"),
        {"files": [SimpleUploadedFile("abime.txt", damaged)], "status": "to_check"},
    )

    [row] = response.context["rows"]
    assert str(row["label"]) == "Créé"
    note = f"1 invalid byte replaced (U+FFFD) at offset {position}"
    assert row["result"].warning == note
    assert note in response.content.decode()
    article = Article.objects.get()
    assert "R\ufffdéunis" in article.body
    assert "Ã" not in article.body
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.get_change_message() == f"Importé depuis le fichier abime.txt ({note})."
