"""An editor's whole path in a real browser: log in, upload a file, accept the proposed meeting
and speakers, publish, and find the article in the public search.

Set ADMIN_SCREENSHOT_DIR to keep a screenshot of every admin page the test goes through.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.urls import NoReverseMatch, reverse

from articles.models import Article
from tests.conftest import launched_chromium

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# are safe here because nothing else uses the connection meanwhile.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).parent.parent / "fixtures" / "admin" / "rome-2021-reunion.txt"
PASSWORD = "une phrase de passe pour le test"


@pytest.fixture
def browser():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def editor():
    user = User.objects.create_user("redactrice", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Éditeur"))
    return user


def snap(page, name: str) -> None:
    folder = os.environ.get("ADMIN_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_an_editor_imports_reviews_publishes_and_finds_the_article(live_server, browser, editor):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    snap(page, "01-index")

    page.get_by_role("link", name="Importer des fichiers").first.click()
    page.set_input_files("input[type=file]", str(FIXTURE))
    snap(page, "02-import-form")
    page.get_by_role("button", name="Importer").click()
    results = page.locator("#import-results")
    assert "Créé" in results.inner_text()
    snap(page, "03-import-report")

    article = Article.objects.get(original_filename=FIXTURE.name)
    results.get_by_role("link", name=article.title).click()
    assert "Rome 2021" in page.locator("#meeting-proposals").inner_text()
    snap(page, "04-review")

    page.locator("#meeting-proposals").get_by_role("button", name="Accepter").click()
    speakers = page.locator("#person-proposals tr", has_text="Cité")
    assert speakers.count() >= 2
    while speakers.get_by_role("button", name="Accepter").count():
        speakers.get_by_role("button", name="Accepter").first.click()
    assert "proposé" not in speakers.locator(".badge").all_inner_texts()

    page.get_by_role("button", name="Marquer vérifié").click()
    assert page.locator("#article-status").inner_text() == "Vérifié"
    page.get_by_role("button", name="Publier").click()
    assert page.locator("#article-status").inner_text() == "Publié"
    snap(page, "05-published")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert not article.meeting_links.filter(confirmed=False).exists()
    assert not article.person_links.filter(role="quoted", confirmed=False).exists()

    try:
        search_url = reverse("articles:search")
    except NoReverseMatch:
        pytest.skip("the public search page (articles:search) does not exist yet")
    page.goto(f"{live_server.url}{search_url}?q=Farnésine")
    page.get_by_role("link", name=article.title).first.click()
    assert page.locator("h1").inner_text() == article.title
