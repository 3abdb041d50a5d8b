"""What only a browser shows: a reader's path through the archive, the language switch, the
layout on a phone, and an axe-core audit (no serious or critical violation) of the main pages."""

import contextlib
import os
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browse_factories import covered_meeting
from tests.conftest import launched_chromium, skip_or_fail
from tests.factories import OfficeFactory, QuoteFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# (factories) are safe here because nothing else uses the connection meanwhile.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as browser:
        yield browser


def new_page(browser, width=1280, locale="fr-FR"):
    # bypass_csp: axe-core is injected as an inline script, which the site's CSP forbids.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale=locale, bypass_csp=True
    )
    return context.new_page()


@pytest.fixture
def archive():
    meeting, speaker, articles = covered_meeting(city="Lisbonne", hosts="Portugal")
    OfficeFactory(person=speaker, title="Ministre des Affaires étrangères")
    QuoteFactory(
        article=articles[0],
        person=speaker,
        text="tout en finançant la reconstruction des villes libérées",
    )
    return {"meeting": meeting, "speaker": speaker, "articles": articles}


def test_a_reader_goes_from_home_to_a_meeting_its_comparison_an_article_and_a_speaker(
    live_server, browser, archive
):
    page = new_page(browser)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Lisbonne").first.click()
    assert page.locator("h1").inner_text() == archive["meeting"].title
    assert page.locator("svg[role=img] title").count() == 1

    page.get_by_role("link", name="Comparer la couverture côte à côte").click()
    assert page.locator(".compare__column").count() == 3
    assert page.locator(".compare__column mark.shared").count() == 3

    first = archive["articles"][0]
    page.get_by_role("link", name=first.title).first.click()
    assert page.locator("h1").inner_text() == first.title
    assert page.locator(".article__text mark.quoted").count() == 1
    assert page.locator('meta[name="citation_title"]').get_attribute("content") == first.title

    page.locator(".article__aside").get_by_role("link", name=archive["speaker"].name).first.click()
    assert page.locator("h1").inner_text() == archive["speaker"].name
    assert "Ministre des Affaires étrangères" in page.content()
    page.context.close()


def test_the_language_switch_shows_the_same_page_in_english(live_server, browser, archive):
    page = new_page(browser)
    url = live_server.url + archive["meeting"].get_absolute_url()
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Coverage over time").is_visible()
    assert page.get_by_role("link", name="Meetings").first.is_visible()
    page.get_by_role("button", name="Français").click()
    assert page.get_by_role("heading", name="La couverture dans le temps").is_visible()
    page.context.close()


def test_on_a_phone_the_comparison_stacks_articles_and_nothing_overflows(
    live_server, browser, archive
):
    page = new_page(browser, width=390)
    page.goto(live_server.url + f"/reunions/{archive['meeting'].slug}/comparaison/")
    boxes = [column.bounding_box() for column in page.locator(".compare__column").all()]
    assert len({round(box["x"]) for box in boxes}) == 1
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


def test_pages_work_without_javascript(live_server, browser, archive):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/reunions/")
    page.get_by_label("Lieu").select_option("lisbonne")
    page.get_by_role("button", name="Filtrer").click()
    assert "lieu=lisbonne" in page.url
    assert page.locator(".meeting-row").count() == 1
    context.close()


def audited_paths(archive) -> list[str]:
    paths = [
        "/",
        archive["meeting"].get_absolute_url(),
        f"/reunions/{archive['meeting'].slug}/comparaison/",
        archive["speaker"].get_absolute_url(),
        archive["articles"][0].get_absolute_url(),
        "/reunions/",
        "/intervenants/",
        "/sources/",
        "/nulle-part/",
    ]
    with contextlib.suppress(NoReverseMatch):
        paths.append(reverse("articles:search") + "?q=coalition")
    return paths


def test_axe_finds_no_serious_or_critical_accessibility_violation(live_server, browser, archive):
    if not AXE.exists():
        skip_or_fail(f"axe-core is not installed at {AXE}: run `npm ci` at the project root")
    problems = []
    for width in (1280, 390):
        page = new_page(browser, width=width)
        for path in audited_paths(archive):
            page.goto(live_server.url + path)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            )
            for violation in violations:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{width}px {path}: {violation['id']} {targets}")
        page.context.close()
    assert not problems, "\n".join(problems)
