"""A page's metadata: OpenGraph and meta tags, JSON-LD, its title, site, address and date."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from articles.ingest.vocabulary.web import ARTICLE_TYPES, BLOCK_TAGS, PUBLISHED_META

from ..boilerplate import dated_mentions, header_date, preferred_date
from ..dates import parse_machine_date
from ..normalize import normalize_line
from .tree import clean, inline_text, tags_under

_LINKED_DATA_TYPE = re.compile(r"ld\+json", re.IGNORECASE)
_MAX_BYLINE_TEXT = 200
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_UPDATED_CONTEXT = re.compile(r"(mis à jour|mise à jour|modifié|actualisé|updated)\W*(le|on)?\W*$")


def meta_values(soup: BeautifulSoup) -> dict[str, str]:
    values: dict[str, str] = {}
    for tag in tags_under(soup, {"meta"}):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def linked_data_article(soup: BeautifulSoup) -> dict:
    """The first article-like object of the page's JSON-LD blocks ({} when there is none)."""
    found: list[dict] = []
    for script in tags_under(soup, {"script"}):
        if not _LINKED_DATA_TYPE.search(str(script.get("type") or "")):
            continue
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        found.extend(_linked_data_objects(data))
    for item in found:
        types = item.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(kind, str) and kind in ARTICLE_TYPES for kind in types):
            return item
    return {}


def _linked_data_objects(data, depth: int = 0):
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from _linked_data_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _linked_data_objects(data["@graph"], depth + 1)


def publisher_name(linked_data: dict) -> str:
    publisher = linked_data.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    if isinstance(publisher, dict):
        publisher = publisher.get("name")
    return clean(publisher) if isinstance(publisher, str) else ""


def find_canonical_url(soup: BeautifulSoup, meta: dict[str, str], linked_data: dict) -> str:
    candidates = []
    for link in tags_under(soup, {"link"}):
        if link.get("href") is None:
            continue
        rel = link.get("rel") or []
        if "canonical" in [value.lower() for value in rel]:
            candidates.append(link["href"])
    candidates.append(meta.get("og:url", ""))
    entity = linked_data.get("mainEntityOfPage")
    candidates += [
        linked_data.get("url"),
        entity.get("@id") if isinstance(entity, dict) else entity,
    ]
    for candidate in candidates:
        if isinstance(candidate, str) and urlsplit(candidate.strip()).scheme in ("http", "https"):
            return candidate.strip()
    return ""


def find_page_language(soup: BeautifulSoup) -> str:
    html = soup.find("html")
    lang = html.get("lang", "") if isinstance(html, Tag) else ""
    lang = lang.strip().lower()[:2] if isinstance(lang, str) else ""
    return lang if lang in ("fr", "en") else "fr"


def title_of(soup: BeautifulSoup, meta: dict[str, str], linked_data: dict, site: str) -> str:
    headline = linked_data.get("headline")
    heading = soup.find("h1")
    page_title = soup.find("title")
    candidates = (
        meta.get("og:title", ""),
        headline if isinstance(headline, str) else "",
        inline_text(heading) if isinstance(heading, Tag) else "",
        page_title.get_text() if isinstance(page_title, Tag) else "",
    )
    for candidate in candidates:
        title = _strip_site_suffix(clean(candidate), site)
        if title:
            return title
    return ""


def site_from_page_title(soup: BeautifulSoup) -> str:
    """The site a `<title>` names after its headline ("Réunion à Rome - Le Journal")."""
    page_title = soup.find("title")
    title = clean(page_title.get_text()) if isinstance(page_title, Tag) else ""
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        tail = tail.strip()
        if found and len(tail) <= 50 and len(head) >= 1.5 * len(tail):
            short = len(tail.split()) <= 6 and not re.search(r"[:;!?«»“”\d]", tail)
            return tail if short else ""
    return ""


def _strip_site_suffix(title: str, site: str) -> str:
    """ "Réunion à Rome | Le Journal" → "Réunion à Rome"."""
    for separator in _TITLE_SEPARATORS:
        if site and title.lower().endswith((separator + site).lower()):
            return title[: -len(separator + site)].strip()
    if " | " in title:
        return max(title.split(" | "), key=len).strip()
    for separator in _TITLE_SEPARATORS[1:]:
        head, found, tail = title.rpartition(separator)
        if found and len(tail) <= 40 and len(tail.split()) <= 4 and len(head) >= 2 * len(tail):
            return head.strip()
    return title


def publication_date(soup: BeautifulSoup, meta: dict[str, str], linked_data: dict) -> tuple:
    for key in PUBLISHED_META:
        value = parse_machine_date(meta.get(key, ""))
        if value:
            return value, f"meta {key}"
    published = linked_data.get("datePublished")
    value = parse_machine_date(published) if isinstance(published, str) else None
    if value:
        return value, "JSON-LD datePublished"
    for time in tags_under(soup, {"time"}):
        if time.get("itemprop") == "dateModified" or _UPDATED_CONTEXT.search(_text_before(time)):
            continue
        machine = time.get("datetime")
        value = parse_machine_date(machine) if isinstance(machine, str) else None
        if value:
            return value, f"time datetime={machine}"
    return _byline_date(soup)


def _text_before(tag: Tag) -> str:
    previous = tag.find_previous(string=True)
    return str(previous).lower()[-40:] if previous else ""


def _byline_date(soup: BeautifulSoup) -> tuple:
    """A French date in a short line above or around the text ("Publié le 13 février 2018")."""
    found: list[tuple[str, object, str]] = []
    body = soup.body or soup
    for tag in tags_under(body):
        if any(isinstance(child, Tag) and child.name in BLOCK_TAGS for child in tag.children):
            continue  # only the innermost blocks: a byline is one short line
        text = normalize_line(tag.get_text(" "))
        if not text or len(text) > _MAX_BYLINE_TEXT:
            continue
        mentions = dated_mentions(text)
        # A bare date only counts when it is the whole line, not a date inside a sentence.
        mentions = [m for m in mentions if m[0] != "dated" or header_date(text) is not None]
        chosen = preferred_date(mentions)
        if chosen:
            found.append((chosen[0], chosen[1].value, text))
    for wanted in ("published", "dated", "updated"):
        for kind, value, text in found:
            if kind == wanted:
                return value, f"byline « {text} »"
    return None, ""
