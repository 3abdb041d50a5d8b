"""The demo corpus imports through the real command and matches the table in demo/README.md.

The table is the corpus author's answer key: meeting, quoted people, people only mentioned,
and publication date for each file. Detection is judged on it as a whole, file by file.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, ArticlePerson

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo"


def answer_key() -> dict[str, dict]:
    rows = {}
    for line in (DEMO / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not re.match(r"\d\d_", cells[0]):
            continue
        name, meeting, quoted, mentioned, _source, date = cells

        def slugs(cell):
            return set() if cell in {"—", "-", ""} else {s.strip() for s in cell.split(",")}

        rows[name] = {
            "meeting": meeting,
            "quoted": slugs(quoted),
            "mentioned": slugs(mentioned),
            "date": None if date == "none" else date,
        }
    return rows


@pytest.fixture(scope="module")
def imported_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_articles", str(DEMO / "corpus"), "--status", "published")
        yield {article.original_filename: article for article in Article.objects.all()}
        Article.objects.all().delete()


def quoted_slugs(article):
    return set(
        article.person_links.filter(role=ArticlePerson.Role.QUOTED).values_list(
            "person__slug", flat=True
        )
    )


def test_every_demo_file_is_imported(imported_demo):
    assert set(answer_key()) <= set(imported_demo)
    assert len(answer_key()) >= 30


@pytest.mark.parametrize("name", sorted(answer_key()))
def test_demo_article_gets_its_meeting_speakers_and_date(imported_demo, name):
    expected = answer_key()[name]
    article = imported_demo[name]
    meetings = set(article.meeting_links.values_list("meeting__slug", flat=True))
    assert meetings == {expected["meeting"]}
    quoted = quoted_slugs(article)
    assert expected["quoted"] <= quoted
    assert not (expected["mentioned"] & quoted), "people only mentioned are not speakers"
    published_on = article.published_on.isoformat() if article.published_on else None
    assert published_on == expected["date"]
