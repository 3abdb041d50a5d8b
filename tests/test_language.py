"""The site speaks French first; English is one click away and URLs do not change."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_english_still_gets_the_french_site(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_the_language_switch_serves_english_at_the_same_address(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/reunions/"})
    assert response.status_code == 302
    assert response["Location"] == "/reunions/"
    english = client.get("/reunions/")
    assert english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()


def test_an_unknown_language_cookie_falls_back_to_french(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "fr"
