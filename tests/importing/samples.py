"""Files and readings shared by the importing tests."""

from pathlib import Path

from articles.ingest import decode_bytes
from articles.models import Article

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"
DEMO_CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"


def text_of(path: Path) -> str:
    return decode_bytes(path.read_bytes())[0]


def reprint_of(name: str) -> str:
    edited = (GOOD / name).read_text()
    edited = edited.replace("Riyad accueille les ministres", "À Riyad, les ministres")
    return edited + "\nLa prochaine réunion n’a pas encore été fixée.\n"


def archive_contents() -> list[tuple]:
    """Everything an import writes, without ids or timestamps."""
    rows = []
    for article in Article.objects.order_by("original_filename"):
        twin = article.near_duplicate_of
        rows.append(
            (
                article.original_filename,
                article.slug,
                article.title,
                article.body,
                article.source.slug if article.source else None,
                twin.original_filename if twin else None,
                article.near_duplicate_similarity,
                sorted(
                    (link.meeting.slug, link.confidence, link.evidence)
                    for link in article.meeting_links.all()
                ),
                sorted(
                    (link.person.slug, link.role, link.quote_kind, link.evidence)
                    for link in article.person_links.all()
                ),
                sorted((q.person.slug, q.text, q.kind, q.position) for q in article.quotes.all()),
            )
        )
    return rows


COLLOQUE = (  # no meeting: its near-duplicates are looked for among articles of the same days
    "Lyon, 3 mars 2024 – Des chercheurs et des élus ont débattu jeudi des moyens de financer "
    "les écoles et les hôpitaux des villes libérées. Les intervenants ont insisté sur la "
    "formation des enseignants et sur la remise en état des réseaux d’eau potable. Plusieurs "
    "associations ont présenté leurs projets aux collectivités présentes. La journée s’est "
    "achevée par une table ronde consacrée au retour des familles déplacées.\n"
)
