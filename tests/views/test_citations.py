"""Citation formats: BibTeX that parses, RIS with its required tags, CSL-JSON, human references."""

import datetime
import json
import re

import pytest

from articles.views import citations
from articles.views.citations import Reference
from tests.browse_factories import HOSTILE
from tests.factories import ArticleFactory, SourceFactory

ACCESSED = datetime.date(2026, 11, 23)


def reference(**fields) -> Reference:
    values = {
        "key": "coalition-rome-2021",
        "title": "La coalition se réunit à Rome",
        "source_name": "Le Quotidien",
        "source_kind": "newspaper",
        "published_on": datetime.date(2021, 6, 28),
        "url": "https://archive.example/articles/coalition-rome-2021/",
        "language": "fr",
        "accessed_on": ACCESSED,
    }
    values.update(fields)
    return Reference(**values)


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A strict reader for one entry: balanced braces, known value forms, nothing left over.

    Outside the ``url`` field, LaTeX's special characters must be escaped.
    """
    match = re.fullmatch(r"@([a-z]+)\{([A-Za-z0-9:_-]+),\n(.*)\n\}\n", text, re.S)
    assert match, text
    entry_type, key, body = match.groups()
    fields: dict[str, str] = {}
    position = 0
    while position < len(body):
        field = re.compile(r"  ([a-z]+) = ").match(body, position)
        assert field, body[position:]
        name = field.group(1)
        assert name not in fields, f"duplicate field {name}"
        position = field.end()
        if body[position] == "{":
            depth, start = 0, position
            while True:
                char = body[position]
                if char == "\\":
                    position += 2
                    continue
                depth += {"{": 1, "}": -1}.get(char, 0)
                position += 1
                if depth == 0:
                    break
                assert position < len(body), f"unbalanced braces in {name}"
            value = body[start + 1 : position - 1]
        else:
            bare = re.compile(r"[a-z0-9]+").match(body, position)
            assert bare, f"bad value for {name}"
            value, position = bare.group(), bare.end()
        fields[name] = value
        if position < len(body):
            assert body[position : position + 2] == ",\n", body[position:]
            position += 2
    for name, value in fields.items():
        if name != "url":
            assert not re.search(r"(?<!\\)[%&#_$^~]", value), (name, value)
    return entry_type, key, fields


def ris_tags(text: str) -> list[tuple[str, str]]:
    lines = text.split("\r\n")
    assert lines[-1] == ""
    tags = []
    for line in lines[:-1]:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        tags.append(match.groups())
    return tags


# BibTeX ------------------------------------------------------------------------------------


def test_bibtex_entry_parses_and_carries_title_outlet_date_and_url():
    entry_type, key, fields = parse_bibtex(citations.bibtex(reference()))
    assert entry_type == "article"
    assert key == "coalition-rome-2021"
    assert fields["title"] == "La coalition se réunit à Rome"
    assert fields["author"] == "{Le Quotidien}"
    assert fields["journal"] == "Le Quotidien"
    assert (fields["year"], fields["month"], fields["date"]) == ("2021", "jun", "2021-06-28")
    assert fields["url"] == "https://archive.example/articles/coalition-rome-2021/"
    assert fields["urldate"] == "2026-11-23"


def test_bibtex_escapes_every_special_character_and_keeps_braces_balanced():
    title = r"50 % & #1 _x_ $5 ^ ~ {brace} \backslash <script>"
    _, _, fields = parse_bibtex(citations.bibtex(reference(title=title)))
    assert fields["title"] == (
        r"50 \% \& \#1 \_x\_ \$5 \^{} \~{} \{brace\} \textbackslash{}backslash "
        r"\textless{}script\textgreater{}"
    )


def test_bibtex_without_date_or_source_is_still_a_valid_entry():
    entry_type, _, fields = parse_bibtex(
        citations.bibtex(reference(source_name="", source_kind="", published_on=None))
    )
    assert entry_type == "article"
    assert "year" not in fields and "author" not in fields


def test_bibtex_of_a_government_communique_is_a_misc_entry():
    entry_type, _, fields = parse_bibtex(citations.bibtex(reference(source_kind="government")))
    assert entry_type == "misc"
    assert fields["howpublished"] == "Le Quotidien"


# RIS ---------------------------------------------------------------------------------------


def test_ris_has_the_required_tags_in_order_and_ends_with_er():
    text = citations.ris(reference())
    tags = ris_tags(text)
    names = [tag for tag, _ in tags]
    assert names[0] == "TY" and tags[0][1] == "NEWS"
    assert names[-1] == "ER"
    assert text.endswith("ER  - \r\n")
    values = dict(tags)
    assert values["TI"] == "La coalition se réunit à Rome"
    assert values["AU"] == "Le Quotidien"
    assert values["PY"] == "2021"
    assert values["DA"] == "2021/06/28"
    assert values["UR"] == "https://archive.example/articles/coalition-rome-2021/"


def test_ris_without_source_names_the_archive_as_secondary_author_and_skips_dates():
    tags = dict(ris_tags(citations.ris(reference(source_name="", published_on=None))))
    assert "AU" not in tags
    assert tags["A2"] == citations.ARCHIVE_NAME
    assert "PY" not in tags and "DA" not in tags


def test_ris_values_never_break_a_line():
    tags = ris_tags(citations.ris(reference(title="Titre\nsur deux lignes\r\net plus")))
    assert dict(tags)["TI"] == "Titre sur deux lignes et plus"


# CSL-JSON ----------------------------------------------------------------------------------


def test_csl_json_is_a_list_of_one_newspaper_article():
    (item,) = json.loads(citations.csl_json(reference()))
    assert item["type"] == "article-newspaper"
    assert item["title"] == "La coalition se réunit à Rome"
    assert item["container-title"] == "Le Quotidien"
    assert item["author"] == [{"literal": "Le Quotidien"}]
    assert item["issued"] == {"date-parts": [[2021, 6, 28]]}
    assert item["accessed"] == {"date-parts": [[2026, 11, 23]]}
    assert item["URL"].startswith("https://")
    assert item["language"] == "fr"


# Human references --------------------------------------------------------------------------


def test_iso_690_reference_in_french():
    text = citations.plain_text(citations.iso690(reference()))
    assert text == (
        "La coalition se réunit à Rome. Le Quotidien [en ligne]. 28 juin 2021. "
        "[Consulté le 23 novembre 2026]. Disponible à l’adresse : "
        "https://archive.example/articles/coalition-rome-2021/"
    )


def test_chicago_reference_in_english_and_undated_forms():
    text = citations.plain_text(citations.chicago(reference()))
    assert text == (
        "Le Quotidien. “La coalition se réunit à Rome.” June 28, 2021. "
        "Accessed November 23, 2026. https://archive.example/articles/coalition-rome-2021/."
    )
    assert "n.d. Accessed" in citations.plain_text(citations.chicago(reference(published_on=None)))
    assert "Rome. s. d. [Consulté" in citations.plain_text(
        citations.iso690(reference(published_on=None, source_name=""))
    )


def test_human_references_escape_markup():
    html = str(citations.iso690(reference(title=HOSTILE, source_name=HOSTILE)))
    assert HOSTILE not in html
    assert "&lt;script&gt;" in html


# Downloads ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("bib", "application/x-bibtex; charset=utf-8"),
        ("ris", "application/x-research-info-systems; charset=utf-8"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
    ],
)
def test_citation_downloads_have_their_content_type_and_a_filename(client, extension, content_type):
    article = ArticleFactory(title="Réunion à Rome", slug="reunion-a-rome")
    response = client.get(f"/articles/reunion-a-rome/citation.{extension}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="reunion-a-rome.{extension}"'
    assert f"http://testserver{article.get_absolute_url()}" in response.content.decode()


@pytest.mark.django_db
def test_downloads_of_a_hostile_article_parse_and_keep_its_title_as_text(client):
    ArticleFactory(
        title=f"Titre {HOSTILE} 100 % & co",
        slug="titre-hostile",
        source=SourceFactory(name="Presse & Cie"),
        published_on=None,
    )
    bib = client.get("/articles/titre-hostile/citation.bib").content.decode()
    _, _, fields = parse_bibtex(bib)
    assert fields["title"].startswith(r"Titre \textless{}script\textgreater{}")
    assert fields["author"] == r"{Presse \& Cie}"
    ris = client.get("/articles/titre-hostile/citation.ris").content.decode()
    assert dict(ris_tags(ris))["TI"] == f"Titre {HOSTILE} 100 % & co"
    (item,) = json.loads(client.get("/articles/titre-hostile/citation.json").content)
    assert item["title"] == f"Titre {HOSTILE} 100 % & co"
    assert "issued" not in item


@pytest.mark.django_db
def test_unknown_citation_format_is_a_404(client):
    ArticleFactory(slug="un-article")
    assert client.get("/articles/un-article/citation.docx").status_code == 404
