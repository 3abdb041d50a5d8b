"""The search page in a real browser: search, tick two facet values, remove a chip, open a result.

Everything here works without JavaScript; the browser checks what only a browser shows: that the
GET form, its checkboxes and the chips really round-trip.
"""

import datetime
import os

import pytest

from tests.conftest import launched_chromium
from tests.search.corpus import create_article

# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The rows it needs are created here: an earlier transactional test may have flushed the seeds.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def indexed_article(*, meeting, speaker, **fields):
    # A transactional test commits every save: each commit drains the index queue.
    return create_article(meetings=[meeting], speakers=[speaker], source="afp", **fields)


@pytest.fixture
def browser_page():
    with launched_chromium() as browser:
        page = browser.new_page(locale="fr-FR")
        page.set_default_timeout(15_000)
        yield page


def test_search_tick_two_places_remove_a_chip_and_open_a_result(
    live_server, search_index, browser_page
):
    rome = indexed_article(
        title="Rome : la sécurité des frontières au menu",
        body="À Rome, les ministres ont parlé de la sécurité des frontières.",
        meeting="rome-2021",
        speaker="antony-blinken",
        published_on=datetime.date(2021, 6, 28),
    )
    indexed_article(
        title="Washington : sécurité et combattants étrangers",
        body="À Washington, la sécurité des camps de détenus inquiète.",
        meeting="washington-2019-fevrier",
        speaker="rex-tillerson",
        published_on=datetime.date(2019, 2, 6),
    )
    indexed_article(
        title="Au Koweït, la sécurité des chantiers",
        body="Au Koweït, la sécurité des chantiers de reconstruction est assurée.",
        meeting="koweit-2018",
        speaker="rex-tillerson",
        published_on=datetime.date(2018, 2, 14),
    )
    search_index.drain()
    page = browser_page

    page.goto(f"{live_server.url}/recherche/")
    page.fill("#q", "securite")
    page.locator("#recherche .search-box__row button").click()
    page.wait_for_load_state()
    assert page.locator(".search-hit").count() == 3
    assert "3 articles contenant « securite »" in page.locator(".search-sentence").inner_text()

    page.check("#f-lieu-rome")
    page.check("#f-lieu-washington")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_load_state()
    assert "lieu=rome" in page.url and "lieu=washington" in page.url
    assert page.locator(".search-hit").count() == 2
    # Disjunctive counts: Koweït is still offered, with its count.
    assert page.locator("label[for='f-lieu-koweit'] .count").inner_text() == "1"

    page.get_by_role("link", name="Retirer le filtre Lieu : Washington").click()
    page.wait_for_load_state()
    assert "lieu=rome" in page.url and "washington" not in page.url
    assert page.locator(".search-hit").count() == 1
    assert page.locator("#f-lieu-rome").is_checked()

    page.locator(".search-hit h3 a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}{rome.get_absolute_url()}?q=securite")
    assert "Rome : la sécurité des frontières au menu" in page.locator("h1").inner_text()
