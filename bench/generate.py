"""A seeded generator of synthetic French press articles, written as .txt and .html files.

Text: sentences of the demo corpus recombined, and new sentences from a word-level Markov chain
(order 2) trained on them, so the vocabulary and its frequencies are the corpus's. Metadata:
about 40 meetings (the 12 reference ones and synthetic ones), 60 speakers (the reference people
and invented ones), 1–4 quoted per article, 40 sources, dates 2014–2026, Zipf-like popularity.
Invented names only; the synthetic meetings, people and sources are written to the database by
:func:`install_reference_rows` before the import, so detection can find them.
"""

from __future__ import annotations

import datetime
import html
import json
import random
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils.text import slugify

ROOT = Path(__file__).resolve().parent.parent
DEMO_CORPUS = ROOT / "demo" / "corpus"
REFERENCE_JSON = ROOT / "articles" / "migrations" / "reference_data.json"
GENERATOR_VERSION = "2"  # 2: no sentence cut after a title ("… M." + "Mazloum Abdi a …")

MEETINGS = 40
SPEAKERS = 60
SOURCES = 40

_CITIES = [
    ("Londres", "Royaume-Uni"),
    ("Berlin", "Allemagne"),
    ("Madrid", "Espagne"),
    ("Copenhague", "Danemark"),
    ("Ottawa", "Canada"),
    ("Rabat", "Maroc"),
    ("Tunis", "Tunisie"),
    ("Doha", "Qatar"),
    ("Abou Dhabi", "Émirats arabes unis"),
    ("Le Caire", "Égypte"),
    ("Ankara", "Turquie"),
    ("Bagdad", "Irak"),
    ("Erbil", "Irak"),
    ("Nairobi", "Kenya"),
    ("Niamey", "Niger"),
    ("Dakar", "Sénégal"),
    ("Abuja", "Nigeria"),
    ("Lisbonne", "Portugal"),
    ("Varsovie", "Pologne"),
    ("Stockholm", "Suède"),
    ("Oslo", "Norvège"),
    ("La Haye", "Pays-Bas"),
    ("Vienne", "Autriche"),
    ("Genève", "Suisse"),
    ("Tokyo", "Japon"),
    ("Canberra", "Australie"),
    ("New York", "États-Unis"),
    ("Athènes", "Grèce"),
]
_KINDS = [
    "ministerial",
    "small_group_ministerial",
    "small_group",
    "political_directors",
    "defence_ministers",
    "other",
]
_FIRST = [
    "Claire",
    "Hervé",
    "Amina",
    "Tomasz",
    "Ingrid",
    "Karim",
    "Sofia",
    "Pieter",
    "Yasmine",
    "Olivier",
    "Leïla",
    "Mats",
    "Giulia",
    "Rachid",
    "Hélène",
    "Anders",
    "Samira",
    "Dmitri",
    "Nadia",
    "Bastien",
    "Farah",
    "Jonas",
    "Mariam",
    "Étienne",
    "Kenji",
    "Zeynep",
    "Lucas",
    "Aïcha",
    "Henrik",
    "Inès",
    "Tariq",
    "Maëlle",
    "Ruben",
]
_LAST = [
    "Vasseur",
    "Lindqvist",
    "Benali",
    "Kowalczyk",
    "Haddou",
    "Marchetti",
    "Okafor",
    "Delorme",
    "Nyberg",
    "El-Amrani",
    "Castellane",
    "Jansen",
    "Rahimi",
    "Moreau-Lenoir",
    "Takeda",
    "Aydın",
    "Fournier",
    "Ben Salah",
    "Holmgren",
    "Quercy",
    "Nasser",
    "Van Dijk",
    "Sauvageot",
    "Karimov",
    "Lambertin",
    "Chraïbi",
    "Aubertin",
    "Sørensen",
    "Mbeki-Diallo",
    "Ferrand",
    "Zanetti",
    "Oyelaran",
    "Brenner",
]
_SOURCE_NAMES = [
    "Le Courrier du Levant",
    "La Tribune des Deux Mers",
    "Le Journal de l’Euphrate",
    "La Gazette Atlantique",
    "Le Messager du Sahel",
    "L’Éveil de Carthage",
    "Le Phare d’Alger",
    "La Voix du Golfe",
    "Le Quotidien Continental",
    "La Lettre Diplomatique",
    "Le Nouvel Observateur du Nil",
    "La Dépêche Méridionale",
    "Le Progrès de Mossoul",
    "L’Horizon Arabe",
    "La Revue des Capitales",
    "Le Veilleur de Bagdad",
    "La Chronique du Tigre",
    "Le Réveil Sahélien",
    "L’Écho de la Mer Rouge",
    "La Presse Riveraine",
    "Le Signal du Maghreb",
    "La Sentinelle de Tunis",
    "Le Journal des Chancelleries",
    "La Semaine Internationale",
    "Le Guetteur du Levant",
    "La Boussole Diplomatique",
    "Le Héraut de Rabat",
    "La Gazette de la Corne",
    "Le Fanal d’Erbil",
    "La Nouvelle République du Désert",
    "Le Relais Oriental",
    "L’Estafette Européenne",
    "Le Vigilant de Niamey",
    "La Plume du Bosphore",
]
_VERBS = [
    "a déclaré",
    "a affirmé",
    "a souligné",
    "a assuré",
    "a estimé",
    "a insisté",
    "a rappelé",
    "a ajouté",
    "a prévenu",
    "a martelé",
]
_INDIRECT = ["a souligné que", "a estimé que", "a rappelé que", "a assuré que", "a indiqué que"]
_TITLE_OPENERS = [
    "Coalition contre Daech",
    "Coalition anti-EI",
    "Lutte contre l’État islamique",
    "Coalition mondiale",
    "Daech",
    "Réunion de la coalition",
]
_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@dataclass
class MeetingSpec:
    slug: str
    title: str
    kind: str
    city: str
    country: str
    start_date: str
    end_date: str
    synthetic: bool


@dataclass
class PersonSpec:
    slug: str
    name: str
    aliases: list[str]
    synthetic: bool


@dataclass
class SourceSpec:
    slug: str
    name: str
    kind: str
    synthetic: bool


@dataclass
class Universe:
    """The meetings, people and sources the articles are drawn from (seeded)."""

    meetings: list[MeetingSpec]
    people: list[PersonSpec]
    sources: list[SourceSpec]


@dataclass
class ArticleSpec:
    number: int
    meeting: str
    speakers: list[str]
    source: str
    published_on: str | None
    words: int
    format: str
    filename: str = ""


@dataclass
class Manifest:
    n: int
    seed: int
    version: str = GENERATOR_VERSION
    articles: list[dict] = field(default_factory=list)


# --- The universe -------------------------------------------------------------------------------


def build_universe(seed: int) -> Universe:
    rng = random.Random(seed * 7919 + 1)
    reference = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    meetings = [
        MeetingSpec(
            slug=m["slug"],
            title=m["title"],
            kind=m["kind"],
            city=m["city"],
            country=m["country"],
            start_date=m["start_date"],
            end_date=m["end_date"],
            synthetic=False,
        )
        for m in reference["meetings"]
    ]
    taken = {m.slug for m in meetings}
    cities = list(_CITIES)
    rng.shuffle(cities)
    for city, country in cities:
        if len(meetings) >= MEETINGS:
            break
        day = datetime.date(2014, 10, 1) + datetime.timedelta(days=rng.randrange(0, 12 * 365))
        slug = f"{slugify(city)}-{day.year}"
        if slug in taken:
            continue
        taken.add(slug)
        kind = rng.choice(_KINDS)
        meetings.append(
            MeetingSpec(
                slug=slug,
                title=f"Réunion de la Coalition à {city}",
                kind=kind,
                city=city,
                country=country,
                start_date=day.isoformat(),
                end_date=(day + datetime.timedelta(days=rng.choice([0, 0, 1]))).isoformat(),
                synthetic=True,
            )
        )
    people = [
        PersonSpec(slug=p["slug"], name=p["name"], aliases=p.get("aliases", []), synthetic=False)
        for p in reference["people"]
    ]
    names = set()
    while len(people) < SPEAKERS:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        last = name.split(" ", 1)[1]
        if name in names or any(last in other for other in names):
            continue
        names.add(name)
        people.append(PersonSpec(slug=slugify(name), name=name, aliases=[last], synthetic=True))
    sources = [
        SourceSpec(slug=s["slug"], name=s["name"], kind=s["kind"], synthetic=False)
        for s in reference["sources"]
    ]
    for name in _SOURCE_NAMES[: SOURCES - len(sources)]:
        sources.append(SourceSpec(slug=slugify(name), name=name, kind="newspaper", synthetic=True))
    return Universe(meetings=meetings, people=people, sources=sources)


def install_reference_rows(universe: Universe) -> None:
    """Create the synthetic meetings, people and sources (the reference ones are migrated)."""
    from articles.models import Meeting, Person, Source

    for m in universe.meetings:
        if m.synthetic:
            Meeting.objects.get_or_create(
                slug=m.slug,
                defaults={
                    "title": m.title,
                    "kind": m.kind,
                    "city": m.city,
                    "country": m.country,
                    "start_date": m.start_date,
                    "end_date": m.end_date,
                },
            )
    for p in universe.people:
        if p.synthetic:
            Person.objects.get_or_create(
                slug=p.slug, defaults={"name": p.name, "aliases": p.aliases}
            )
    for s in universe.sources:
        if s.synthetic:
            Source.objects.get_or_create(slug=s.slug, defaults={"name": s.name, "kind": s.kind})


# --- Text ---------------------------------------------------------------------------------------

# A sentence ends on a mark followed by a capital, but not on a title's abbreviation ("M. Abdi").
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bM\.)(?<!\bMM\.)(?<!\bDr\.)(?<!\bSt\.)\s+(?=[A-ZÀÂÉÈÊÎÔÙÛÇ«])"
)


class TextModel:
    """Sentences of the demo corpus without quotations or names, and a Markov chain on them."""

    def __init__(self, rng: random.Random):
        from articles.ingest import parse_file

        self.rng = rng
        people = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))["people"]
        surnames = {p["name"].split()[-1] for p in people} | {
            alias for p in people for alias in p.get("aliases", [])
        }
        self.sentences: list[str] = []
        for path in sorted(DEMO_CORPUS.iterdir()):
            document = parse_file(path.read_bytes(), filename=path.name)
            if document.language != "fr":
                continue
            for paragraph in document.body.split("\n"):
                for sentence in _SENTENCE_END.split(paragraph.strip()):
                    sentence = sentence.strip()
                    if (
                        12 <= len(sentence.split()) <= 45
                        and not re.search(r"[«»“”\"]", sentence)
                        and not any(name in sentence for name in surnames)
                        and sentence[-1] in ".!?"
                    ):
                        self.sentences.append(sentence)
        self.chain: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        for sentence in self.sentences:
            words = sentence.split()
            self.starts.append((words[0], words[1]))
            padded = [*words, None]
            for i in range(len(words) - 1):
                self.chain[(padded[i], padded[i + 1])].append(padded[i + 2])

    def markov_sentence(self) -> str:
        for _ in range(10):
            a, b = self.rng.choice(self.starts)
            words = [a, b]
            while len(words) < 60:
                nxt = self.rng.choice(self.chain[(a, b)])
                if nxt is None:
                    break
                words.append(nxt)
                a, b = b, nxt
            if 8 <= len(words) < 60:
                return " ".join(words)
        return self.rng.choice(self.sentences)

    def sentence(self) -> str:
        return (
            self.markov_sentence() if self.rng.random() < 0.5 else self.rng.choice(self.sentences)
        )


# --- Articles -----------------------------------------------------------------------------------


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


def _french_date(day: datetime.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def write_corpus(directory: Path, n: int, *, seed: int = 42, progress=None) -> Manifest:
    """Write ``n`` articles (60 % .txt, 40 % .html) under ``directory``; return the manifest.

    Idempotent: a directory whose manifest has the same ``n``, seed and version is kept.
    """
    directory = Path(directory)
    manifest_path = directory / "manifest.json"
    if manifest_path.exists():
        previous = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (previous["n"], previous["seed"], previous["version"]) == (n, seed, GENERATOR_VERSION):
            return Manifest(**previous)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    universe = build_universe(seed)
    text = TextModel(rng)
    meeting_weights = _zipf_weights(len(universe.meetings), 0.8)
    meetings = list(universe.meetings)
    rng.shuffle(meetings)
    people = list(universe.people)
    rng.shuffle(people)
    person_weights = _zipf_weights(len(people), 0.9)
    sources = list(universe.sources)
    rng.shuffle(sources)
    source_weights = _zipf_weights(len(sources), 1.0)
    manifest = Manifest(n=n, seed=seed)
    for number in range(1, n + 1):
        meeting = rng.choices(meetings, meeting_weights)[0]
        speakers: list[PersonSpec] = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            person = rng.choices(people, person_weights)[0]
            if person not in speakers:
                speakers.append(person)
        source = rng.choices(sources, source_weights)[0]
        start = datetime.date.fromisoformat(meeting.start_date)
        day = start + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 7]))
        dated = rng.random() > 0.08
        fmt = "html" if rng.random() < 0.4 else "txt"
        target_words = rng.randint(300, 800)
        title, lead, paragraphs = _article_text(rng, text, meeting, speakers, day, target_words)
        filename = f"{number:06d}_{meeting.slug}.{fmt}"
        subdir = directory / f"{(number - 1) // 1000:03d}"
        subdir.mkdir(exist_ok=True)
        if fmt == "txt":
            content = _as_text(title, lead, paragraphs, source, day if dated else None)
        else:
            content = _as_html(number, title, lead, paragraphs, source, day if dated else None)
        (subdir / filename).write_text(content, encoding="utf-8")
        words = sum(len(p.split()) for p in [lead, *paragraphs])
        manifest.articles.append(
            asdict(
                ArticleSpec(
                    number=number,
                    meeting=meeting.slug,
                    speakers=[p.slug for p in speakers],
                    source=source.slug,
                    published_on=day.isoformat() if dated else None,
                    words=words,
                    format=fmt,
                    filename=f"{subdir.name}/{filename}",
                )
            )
        )
        if progress and (number % 500 == 0 or number == n):
            progress(number, n)
    manifest_path.write_text(json.dumps(asdict(manifest)), encoding="utf-8")
    return manifest


def _article_text(rng, text, meeting, speakers, day, target_words):
    opener = rng.choice(_TITLE_OPENERS)
    speaker_last = speakers[0].name.split(" ", 1)[-1]
    topic = " ".join(rng.choice(text.sentences).split()[2:7]).rstrip(",.;:")
    title = f"{opener} : à {meeting.city}, {speaker_last} évoque {topic}"
    lead = (
        f"Les représentants de la coalition mondiale contre Daech se sont réunis à "
        f"{meeting.city} le {_french_date(day)}. {text.sentence()}"
    )
    paragraphs = []
    words = len(lead.split())
    quoted = list(speakers)
    while words < target_words:
        size = rng.randint(2, 4)
        paragraph = " ".join(text.sentence() for _ in range(size))
        if quoted and rng.random() < 0.5:
            person = quoted.pop(0)
            quote = text.sentence().rstrip(".!?")
            if rng.random() < 0.7:
                paragraph += f" « {quote} », {rng.choice(_VERBS)} {person.name}."
            else:
                said = rng.choice(_INDIRECT)
                paragraph += f" {person.name} {said} {quote[0].lower()}{quote[1:]}."
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    for person in quoted:
        quote = text.sentence().rstrip(".!?")
        paragraphs.append(f"« {quote} », {rng.choice(_VERBS)} {person.name}.")
    return title, lead, paragraphs


def _as_text(title, lead, paragraphs, source, day) -> str:
    lines = [source.name, "", title, ""]
    if day is not None:
        lines += [f"Le {_french_date(day)}", ""]
    lines += [lead, ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    return "\n".join(lines)


def _as_html(number, title, lead, paragraphs, source, day) -> str:
    e = html.escape
    url = f"https://www.{slugify(source.name)}.example/articles/{number}"
    head = [
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">',
        f"<title>{e(title)} | {e(source.name)}</title>",
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{e(source.name)}">',
        f'<meta property="og:title" content="{e(title)}">',
        f'<link rel="canonical" href="{url}">',
    ]
    if day is not None:
        head.append(f'<meta property="article:published_time" content="{day.isoformat()}">')
    body = [
        "</head>\n<body>",
        f'<header class="masthead"><a class="brand" href="/">{e(source.name)}</a>',
        '<nav><a href="/monde/">Monde</a> <a href="/politique/">Politique</a></nav></header>',
        "<article>",
        f"<h1>{e(title)}</h1>",
    ]
    if day is not None:
        body.append(
            f'<p class="meta"><time datetime="{day.isoformat()}">{_french_date(day)}</time></p>'
        )
    body.append(f'<p class="lead">{e(lead)}</p>')
    body += [f"<p>{e(p)}</p>" for p in paragraphs]
    body.append("</article>\n<footer><p>Newsletter : inscrivez-vous</p></footer>\n</body>\n</html>")
    return "\n".join(head + body) + "\n"
