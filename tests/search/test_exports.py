"""The same search as JSON, CSV (every row, safe in a spreadsheet) and an Atom feed."""

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from articles.views import search as search_views
from tests.search.corpus import CORPUS, PUBLISHED

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = '<script>alert("titre")</script> Frontières'


def csv_rows(response):
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


# --- JSON ----------------------------------------------------------------------------------


def test_json_gives_results_total_facets_page_and_notices(client, corpus):
    response = client.get("/recherche/?q=sécurité&lieu=rome&lieu=atlantide&format=json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["total"] == 2
    assert data["query"] == "sécurité"
    assert data["page"] == {
        "number": 1,
        "per_page": 20,
        "num_pages": 1,
        "previous": None,
        "next": None,
    }
    assert data["notices"] == ["Valeur inconnue ignorée pour « Lieu » : atlantide."]
    assert data["sentence"].startswith("2 articles contenant « sécurité », à Rome")
    lieux = {value["slug"]: value for value in data["facets"]["lieu"]["values"]}
    assert lieux["rome"]["selected"] is True
    assert lieux["rome"]["label"] == "Rome"
    assert lieux["rome"]["count"] == 2
    first = data["results"][0]
    assert set(first) == {
        "title",
        "url",
        "source",
        "published_on",
        "language",
        "meetings",
        "speakers",
        "snippet",
    }
    by_title = {result["title"]: result for result in data["results"]}
    rome = by_title[CORPUS["rome"]["title"]]
    assert (
        rome["url"] == f"http://testserver{corpus['rome'].get_absolute_url()}?q=s%C3%A9curit%C3%A9"
    )
    assert rome["source"] == {"name": "Agence France-Presse", "slug": "afp"}
    assert rome["published_on"] == "2021-06-28"
    assert rome["meetings"] == [{"slug": "rome-2021", "title": "Rome 2021 — Réunion ministérielle"}]
    assert rome["speakers"] == [{"slug": "antony-blinken", "name": "Antony Blinken"}]
    assert "<mark>" not in rome["snippet"] and "sécurité des frontières" in rome["snippet"]


def test_json_pages_link_to_their_neighbours(client, corpus):
    data = json.loads(client.get("/recherche/?par_page=3&page=2&format=json").content)
    assert data["page"]["num_pages"] == 3
    assert data["page"]["previous"] == "http://testserver/recherche/?par_page=3&format=json"
    assert data["page"]["next"] == "http://testserver/recherche/?par_page=3&page=3&format=json"
    assert len(data["results"]) == 3


def test_json_keeps_hostile_text_as_data_and_never_as_markup(client, publish):
    publish({"title": HOSTILE_TITLE, "body": "<img src=x onerror=alert(1)> frontières"})
    response = client.get("/recherche/?q=frontières&format=json")
    assert b"<script>" not in response.content and b"<img" not in response.content
    data = json.loads(response.content)
    assert data["results"][0]["title"] == HOSTILE_TITLE
    assert data["results"][0]["snippet"].startswith("<img src=x onerror=alert(1)>")


def test_json_when_the_search_is_unavailable_is_a_503(client, search_index):
    shutil.rmtree(search_index.path)
    response = client.get("/recherche/?q=frontières&format=json")
    assert response.status_code == 503
    assert "indisponible" in json.loads(response.content)["error"]


# --- CSV -----------------------------------------------------------------------------------


def test_csv_streams_every_matching_row_not_just_one_page(client, publish):
    publish(
        *[
            {"title": f"Dépêche {n} sur Mossoul", "body": f"Mossoul, dépêche {n}."}
            for n in range(23)
        ]
    )
    response = client.get("/recherche/?q=Mossoul&par_page=5&page=2&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="recherche-archive-')
    rows = csv_rows(response)
    assert rows[0] == [
        "titre",
        "url",
        "source",
        "date",
        "réunions",
        "intervenants",
        "langue",
        "extrait",
    ]
    assert len(rows) == 1 + 23


def test_csv_columns_hold_the_article(client, corpus):
    rows = csv_rows(client.get("/recherche/?q=Tillerson&format=csv"))
    assert rows[1][0] == CORPUS["washington"]["title"]
    assert rows[1][1].startswith("http://testserver/articles/")
    assert rows[1][2:7] == [
        "Maghreb Arabe Presse",
        "2019-02-06",
        "Washington 2019 — Réunion ministérielle",
        "Rex Tillerson",
        "Français",
    ]
    assert "Rex Tillerson a plaidé" in rows[1][7]


def test_csv_is_bounded_by_a_hard_cap(client, corpus, monkeypatch):
    monkeypatch.setattr(search_views, "CSV_MAX_ROWS", 3)
    assert len(csv_rows(client.get("/recherche/?format=csv"))) == 1 + 3


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://example.invalid","clic")',
        "+33 1 23 45 67 89",
        "-2+3",
        "@SUM(A1:A2)",
        "\tcmd",
        "\r=1+1",
        "  =1+1",
    ],
)
def test_csv_cells_cannot_run_as_formulas(client, publish, title):
    publish({"title": title + " Frontières", "body": "Texte sur les frontières."})
    rows = csv_rows(client.get("/recherche/?q=frontières&format=csv"))
    assert rows[1][0] == "'" + title + " Frontières"


def test_csv_keeps_hostile_text_as_text(client, publish):
    publish({"title": HOSTILE_TITLE, "body": "frontières ; « guillemets », virgules\net lignes"})
    rows = csv_rows(client.get("/recherche/?q=frontières&format=csv"))
    assert rows[1][0] == HOSTILE_TITLE
    assert rows[1][7] == "frontières ; « guillemets », virgules et lignes"


def test_csv_of_nothing_is_a_header(client, corpus):
    assert len(csv_rows(client.get("/recherche/?q=introuvablissime&format=csv"))) == 1


def test_csv_when_the_search_is_unavailable_is_a_503(client, search_index):
    shutil.rmtree(search_index.path)
    assert client.get("/recherche/?q=frontières&format=csv").status_code == 503


# --- Atom ----------------------------------------------------------------------------------


def test_the_feed_lists_the_search_newest_first(client, corpus):
    response = client.get("/recherche/flux/?q=sécurité&tri=ancien")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "Archive de la Coalition — recherche « sécurité »"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        CORPUS["califat"]["title"],
        CORPUS["rome"]["title"],
        CORPUS["undated"]["title"],
    ]
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["alternate"] == "http://testserver/recherche/?q=s%C3%A9curit%C3%A9&tri=ancien"
    assert links["self"] == "http://testserver/recherche/flux/?q=s%C3%A9curit%C3%A9&tri=ancien"
    first_link = entries[0].find(f"{ATOM}link").get("href")
    assert (
        first_link
        == f"http://testserver{corpus['califat'].get_absolute_url()}?q=s%C3%A9curit%C3%A9"
    )


def test_the_feed_follows_the_filters(client, corpus):
    feed = ET.fromstring(client.get("/recherche/flux/?lieu=washington&langue=fr").content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == [CORPUS["washington"]["title"]]


def test_the_feed_keeps_hostile_text_inert(client, publish):
    publish({"title": HOSTILE_TITLE, "body": "<img src=x onerror=alert(1)> frontières"})
    feed = ET.fromstring(client.get("/recherche/flux/?q=frontières").content)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == HOSTILE_TITLE
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The summary is HTML: once a reader unescapes it, the tag is still text.
    assert "<img" not in summary.text
    assert summary.text.startswith("&lt;img src=x onerror=alert(1)&gt; <mark>frontières</mark>")


def test_the_feed_when_the_search_is_unavailable_is_a_503(client, search_index):
    shutil.rmtree(search_index.path)
    assert client.get("/recherche/flux/?q=frontières").status_code == 503


def test_exports_never_fail_on_hostile_parameters(client, corpus):
    for url in [
        "/recherche/?format=json&page=-1&du=xx&lieu=%00",
        "/recherche/?format=csv&q=%22(&tri=%3Cscript%3E",
        "/recherche/flux/?q=*&annee=99999&par_page=abc",
        "/recherche/?format=nope&q=)",
    ]:
        assert client.get(url).status_code == 200, url
    assert len(PUBLISHED) == 7
