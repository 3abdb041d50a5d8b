"""How to cite an archived article: a human reference (ISO 690 or Chicago) and BibTeX, RIS and
CSL-JSON files for reference managers.

Articles carry no personal author: like Chicago for unsigned press pieces, the machine-readable
formats name the outlet as the (corporate) author, so every reference says who published it.
"""

import datetime
import json
import re
from dataclasses import dataclass
from html import unescape

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import override

from articles.models import Article, Source

ARCHIVE_NAME = "Archive de presse de la Coalition mondiale contre Daech"


@dataclass(frozen=True)
class CitationFormat:
    extension: str
    content_type: str


FORMATS = {
    "bib": CitationFormat("bib", "application/x-bibtex; charset=utf-8"),
    "ris": CitationFormat("ris", "application/x-research-info-systems; charset=utf-8"),
    "json": CitationFormat("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}

# Source kind → (BibTeX entry type, RIS type, CSL type). Official communiqués are press
# releases, not newspaper articles.
TYPES = {
    Source.Kind.GOVERNMENT: ("misc", "PRESS", "document"),
    Source.Kind.INTERNATIONAL_ORGANISATION: ("misc", "PRESS", "document"),
    Source.Kind.BROADCASTER: ("misc", "NEWS", "broadcast"),
}
DEFAULT_TYPES = ("article", "NEWS", "article-newspaper")


@dataclass(frozen=True)
class Reference:
    """What every format needs to know about one article."""

    key: str
    title: str
    source_name: str
    source_kind: str
    published_on: datetime.date | None
    url: str
    language: str
    accessed_on: datetime.date

    @classmethod
    def for_article(cls, article: Article, *, url: str, accessed_on: datetime.date):
        source = article.source
        return cls(
            key=article.slug,
            title=article.title,
            source_name=source.name if source else "",
            source_kind=source.kind if source else "",
            published_on=article.published_on,
            url=url,
            language=article.language,
            accessed_on=accessed_on,
        )

    @property
    def types(self) -> tuple[str, str, str]:
        return TYPES.get(self.source_kind, DEFAULT_TYPES)


def _end_with_period(text: str) -> str:
    return text if text.endswith((".", "?", "!", "…")) else f"{text}."


# Human references -------------------------------------------------------------------------


def iso690(reference: Reference) -> SafeString:
    """ISO 690 (French): title, outlet in italics, date, consultation date and address."""
    with override("fr"):
        published = (
            date_format(reference.published_on, "j F Y") if reference.published_on else "s. d."
        )
        accessed = date_format(reference.accessed_on, "j F Y")
    parts = [format_html("{}", _end_with_period(reference.title))]
    if reference.source_name:
        parts.append(format_html("<i>{}</i> [en ligne].", reference.source_name))
    parts.append(format_html("{}", _end_with_period(published)))
    parts.append(format_html("[Consulté le {}].", accessed))
    parts.append(format_html("Disponible à l’adresse : {}", reference.url))
    return SafeString(" ".join(parts))


def chicago(reference: Reference) -> SafeString:
    """Chicago notes and bibliography, unsigned article: outlet, “Title.”, date, access, URL."""
    with override("en"):
        published = (
            date_format(reference.published_on, "F j, Y") if reference.published_on else "n.d."
        )
        accessed = date_format(reference.accessed_on, "F j, Y")
    title = reference.title.rstrip(".")
    parts = []
    if reference.source_name:
        parts.append(format_html("<i>{}</i>.", reference.source_name))
    parts.append(format_html("“{}.”", title))
    parts.append(format_html("{}", _end_with_period(published)))
    parts.append(format_html("Accessed {}.", accessed))
    parts.append(format_html("{}.", reference.url))
    return SafeString(" ".join(parts))


def human_reference(reference: Reference, language: str) -> SafeString:
    """The reference in the page's language: ISO 690 in French, Chicago in English."""
    return chicago(reference) if language.startswith("en") else iso690(reference)


def plain_text(reference_html: SafeString) -> str:
    """A human reference without its markup, to paste where italics cannot go."""
    return unescape(re.sub(r"<[^>]+>", "", str(reference_html)))


# BibTeX ------------------------------------------------------------------------------------

BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
BIBTEX_LANGUAGES = {"fr": "french", "en": "english"}


def bibtex_escape(text: str) -> str:
    """Escape the characters BibTeX and LaTeX treat specially; braces always stay balanced."""
    return "".join(BIBTEX_SPECIALS.get(char, char) for char in " ".join(text.split()))


def bibtex_key(text: str) -> str:
    key = re.sub(r"[^A-Za-z0-9:_-]+", "-", text).strip("-")
    return key or "article"


def bibtex(reference: Reference) -> str:
    entry_type = reference.types[0]
    fields = [("title", "{" + bibtex_escape(reference.title) + "}")]
    if reference.source_name:
        # Double braces: a corporate author, never split into first and last names.
        fields.append(("author", "{{" + bibtex_escape(reference.source_name) + "}}"))
        container = "journal" if entry_type == "article" else "howpublished"
        fields.append((container, "{" + bibtex_escape(reference.source_name) + "}"))
    if reference.published_on:
        day = reference.published_on
        fields += [
            ("year", f"{{{day.year}}}"),
            ("month", BIBTEX_MONTHS[day.month - 1]),
            ("date", f"{{{day.isoformat()}}}"),
        ]
    fields += [
        ("url", "{" + _bibtex_url(reference.url) + "}"),
        ("urldate", f"{{{reference.accessed_on.isoformat()}}}"),
    ]
    if reference.language in BIBTEX_LANGUAGES:
        fields.append(("language", "{" + BIBTEX_LANGUAGES[reference.language] + "}"))
    fields.append(("note", "{" + bibtex_escape(f"Archivé dans : {ARCHIVE_NAME}") + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry_type}{{{bibtex_key(reference.key)},\n{body}\n}}\n"


def _bibtex_url(url: str) -> str:
    # The url field is read verbatim: percent-encode what would break the entry instead of
    # escaping it with backslashes.
    return url.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


# RIS ---------------------------------------------------------------------------------------


def _ris_value(text: str) -> str:
    return " ".join(text.split())


def ris(reference: Reference) -> str:
    """RIS, one tag per line (``TY  - …`` to ``ER  - ``), CRLF line ends as the format asks."""
    lines = [("TY", reference.types[1]), ("TI", _ris_value(reference.title))]
    if reference.source_name:
        lines += [("AU", _ris_value(reference.source_name)), ("T2", reference.source_name)]
    else:
        lines.append(("A2", ARCHIVE_NAME))
    if reference.published_on:
        day = reference.published_on
        lines += [("PY", str(day.year)), ("DA", day.strftime("%Y/%m/%d"))]
    lines += [
        ("UR", reference.url),
        ("Y2", reference.accessed_on.strftime("%Y/%m/%d")),
        ("LA", reference.language),
        ("DB", ARCHIVE_NAME),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)


# CSL-JSON ----------------------------------------------------------------------------------


def _date_parts(day: datetime.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(reference: Reference) -> dict:
    item = {
        "id": reference.key,
        "type": reference.types[2],
        "title": reference.title,
        "URL": reference.url,
        "accessed": _date_parts(reference.accessed_on),
        "archive": ARCHIVE_NAME,
    }
    if reference.language in BIBTEX_LANGUAGES:
        item["language"] = reference.language
    if reference.source_name:
        item["author"] = [{"literal": reference.source_name}]
        item["container-title"] = reference.source_name
    if reference.published_on:
        item["issued"] = _date_parts(reference.published_on)
    return item


def csl_json(reference: Reference) -> str:
    return json.dumps([csl_item(reference)], ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"bib": bibtex, "ris": ris, "json": csl_json}


def render(reference: Reference, extension: str) -> str:
    """The file for ``extension`` (one of ``FORMATS``)."""
    return RENDERERS[extension](reference)
