"""Importer acceptance on real input: import ../shared/seeds into a scratch database and check
each article's meeting, quoted speakers, and people who must not be speakers.

Usage: .venv/bin/python .ci/check_seeds.py ../shared/seeds
"""

import os
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

EXPECTED = {
    "000_": ("washington-2017", {"rex-tillerson"}, {"nasser-bourita"}),
    "001_": ("washington-2017", {"rex-tillerson"}, {"donald-trump", "abou-bakr-al-baghdadi"}),
    "002_": ("washington-2019-novembre", {"jens-stoltenberg"}, {"abou-bakr-al-baghdadi"}),
    "003_": ("amman-2017", {"brett-mcgurk"}, {"abdullah-ii", "kasasbeh"}),
    "004_": ("rome-2021", {"antony-blinken", "jens-stoltenberg"}, set()),
}
AMMAN_TITLE = "Compte rendu de la réunion du groupe restreint de la Coalition mondiale contre Daech"


def main(seeds_dir: str) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="seeds-check-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'seeds.sqlite3'}"
    os.environ["SEARCH_URL"] = f"whoosh://{scratch / 'index'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition_archive.settings")
    sys.path.insert(0, str(PROJECT_DIR))

    import django
    from django.core.management import call_command

    django.setup()
    from articles.models import Article, ArticlePerson

    call_command("migrate", verbosity=0)
    try:
        call_command("import_articles", seeds_dir, verbosity=0)
    except Exception as error:  # the report below says which file is wrong
        print(f"import_articles: {error}")

    problems = []
    for prefix, (meeting, speakers, not_speakers) in EXPECTED.items():
        article = Article.objects.filter(original_filename__startswith=prefix).first()
        if article is None:
            problems.append(f"{prefix}: not imported")
            continue
        meetings = set(article.meeting_links.values_list("meeting__slug", flat=True))
        quoted = set(
            article.person_links.filter(role=ArticlePerson.Role.QUOTED).values_list(
                "person__slug", flat=True
            )
        )
        print(
            f"{prefix}: meeting {sorted(meetings)}, quoted {sorted(quoted)}, "
            f"title « {article.title} »"
        )
        if meetings != {meeting}:
            problems.append(f"{prefix}: meeting {sorted(meetings)}, expected {meeting}")
        if not speakers <= quoted:
            problems.append(f"{prefix}: speakers {sorted(quoted)} miss {sorted(speakers - quoted)}")
        wrongly_quoted = {slug for slug in quoted if any(slug.endswith(n) for n in not_speakers)}
        if wrongly_quoted:
            problems.append(f"{prefix}: {sorted(wrongly_quoted)} must not be speakers")

    amman = Article.objects.filter(original_filename__startswith="003_").first()
    if amman is not None:
        if amman.title != AMMAN_TITLE:
            problems.append(f"003_: title « {amman.title} »")
        if str(amman.published_on) != "2017-11-15":
            problems.append(f"003_: date {amman.published_on}, expected 2017-11-15")
        if amman.source is None or amman.source.slug != "departement-d-etat":
            problems.append(f"003_: source {amman.source}, expected the US State Department")
        for leftover in ("English English", "abonner", "courrier électronique", "rss"):
            if leftover in amman.body.split("\n\n")[0] or leftover in amman.body[-300:]:
                problems.append(f"003_: boilerplate left in the body: {leftover!r}")

    for problem in problems:
        print("FAIL", problem)
    failing_files = {problem.split(":")[0] for problem in problems}
    print(f"seeds: {len(EXPECTED) - len(failing_files)} of {len(EXPECTED)} as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds"))
