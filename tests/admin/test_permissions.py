"""Who may do what in the admin: staff only; reviewers check, editors import and publish.

Users are real staff accounts in the groups the migration creates. The helpers at the top are
shared by the other modules of ``tests/admin/``.
"""

import itertools

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EDITOR = "Éditeur"
REVIEWER = "Relecteur"
_numbers = itertools.count(1)


def staff_in(group_name: str | None, *, superuser: bool = False) -> User:
    """A staff account in one of the migration's groups (or a superuser)."""
    user = User.objects.create_user(
        username=f"{(group_name or 'admin').lower()}-{next(_numbers)}",
        password="un mot de passe de test",
        is_staff=True,
        is_superuser=superuser,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in(client, group_name: str | None, *, superuser: bool = False):
    user = staff_in(group_name, superuser=superuser)
    client.force_login(user)
    client.user = user
    return client


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:articles_article_{name}", args=args)


def run_action(client, action: str, articles, **extra):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [article.pk for article in articles], **extra},
        follow=True,
    )


@pytest.fixture
def editor(client):
    return logged_in(client, EDITOR)


@pytest.fixture
def reviewer(client):
    return logged_in(client, REVIEWER)


# --- Tests --------------------------------------------------------------------------------------


def test_only_staff_reach_the_admin(client):
    ArticleFactory()
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]

    client.force_login(User.objects.create_user("lecteur", password="x", is_staff=False))
    response = client.get(admin_url("review_queue"))
    assert response.status_code == 302


def test_a_reviewer_is_not_offered_the_publish_actions(reviewer):
    ArticleFactory(status=Article.Status.CHECKED)
    response = reviewer.get(reverse("admin:articles_article_changelist"))
    actions = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert "mark_checked_selected" in actions
    assert "publish_selected" not in actions
    assert "unpublish_selected" not in actions
    assert "delete_selected" not in actions


def test_a_reviewer_posting_the_publish_action_anyway_changes_nothing(reviewer):
    article = ArticleFactory(status=Article.Status.CHECKED)
    run_action(reviewer, "publish_selected", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.CHECKED


def test_a_reviewer_cannot_choose_published_in_the_change_form(reviewer):
    article = ArticleFactory(status=Article.Status.CHECKED)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = reviewer.get(url)
    status_field = response.context["adminform"].form.fields["status"]
    choices = [value for value, _label in status_field.choices]
    assert Article.Status.PUBLISHED not in choices

    data = change_form_data(response)
    data["status"] = Article.Status.PUBLISHED
    response = reviewer.post(url, data)
    assert response.status_code == 200  # the form comes back with an error
    assert "status" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == Article.Status.CHECKED


def test_a_reviewer_cannot_edit_a_published_article(reviewer):
    article = ArticleFactory(status=Article.Status.PUBLISHED, title="Texte public")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = reviewer.get(url)
    assert response.status_code == 200  # view only
    assert "status" not in response.context["adminform"].form.fields
    response = reviewer.post(url, {"title": "Texte modifié"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Texte public"


def test_a_reviewer_cannot_delete_an_article(reviewer):
    article = ArticleFactory(status=Article.Status.TO_CHECK)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert reviewer.get(url).status_code == 403
    assert reviewer.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_reviewer_cannot_import(reviewer):
    assert reviewer.get(admin_url("import")).status_code == 403


def test_a_reviewer_marks_checked_but_cannot_publish_from_the_review_page(reviewer):
    article = ArticleFactory(status=Article.Status.TO_CHECK)
    page = reviewer.get(admin_url("review", article.pk))
    assert b'value="publish"' not in page.content
    assert b'value="mark_checked"' in page.content

    response = reviewer.post(admin_url("review", article.pk), {"op": "publish"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.TO_CHECK

    reviewer.post(admin_url("review", article.pk), {"op": "mark_checked"})
    article.refresh_from_db()
    assert article.status == Article.Status.CHECKED


def test_an_editor_publishes_and_deletes(editor):
    article = ArticleFactory(status=Article.Status.CHECKED)
    run_action(editor, "publish_selected", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert editor.get(url).status_code == 200  # Django's confirmation page
    editor.post(url, {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


def test_only_editors_and_superusers_may_repair_the_search_index(client):
    logged_in(client, REVIEWER)
    response = client.post(reverse("admin:articles_article_repair_index"))
    assert response.status_code == 403


def change_form_data(response) -> dict:
    """The change form's current values, as the browser would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for index, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[f"{formset.formset.prefix}-{index}-{name}"] = (
                    value.pk if hasattr(value, "pk") else value
                )
    return data
