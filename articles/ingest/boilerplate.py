"""Recognise the lines that copied web pages bring along but that are not the article's text.

Two strengths: `is_boilerplate` lines (share buttons, language menus, newsletter sign-up,
translation disclaimers, breadcrumbs) are specific enough to drop anywhere; labels, publisher and
date lines are only recognised in the header of a file, where they cannot be a real paragraph.
"""

from __future__ import annotations

import re
import unicodedata

from articles.ingest.vocabulary.web import (
    LANGUAGE_NAMES,
    NAME_PARTICLES,
    WIDGET_WORDS,
)

from .dates import DateMention, find_dates, is_agency

_APOSTROPHE = "[’']"

_WIDGET_SEPARATORS = re.compile(r"[\s|•·/,;:]+")

_MENU_SEPARATORS = re.compile(r"\s*[,|•·]\s*")

# Lines dropped wherever they appear, by patterns anchored at the start of the line…
_AT_LINE_START = re.compile(
    "|".join(
        f"(?:{pattern})"
        for pattern in (
            # Newsletter and alert sign-up blocks.
            r"^mises? à jour par (courrier électronique|courriel|e-?mail)\b",
            r"^pour vous abonner\b",
            rf"^s{_APOSTROPHE}(inscrire|abonner) (à|aux) (la|notre|nos) "
            rf"(newsletters?|lettres? d{_APOSTROPHE}information|alertes?)",
            r"^(abonnez-vous|inscrivez-vous)\b.{0,60}(newsletter|lettre|alerte|mises? à jour)",
            r"^(recevez|recevoir) (notre|la|nos) (newsletter|lettre)",
            r"^newsletters?$",
            r"^(sign up|subscribe) (for|to) (e-?mail )?(updates|our newsletter)",
            r"^e-?mail updates$",
            # Translation disclaimers of embassies and ministries.
            r"^traduction (non officielle|de courtoisie)\.?$",
            r"^this (is an? )?(unofficial |courtesy )?translation\b",
            # Breadcrumbs and separators.
            r"^(accueil|home)\s*(>|»|›|\||/)\s*\S",
            r"^[#*=_~\-–—.\s]{3,}$",
        )
    ),
    re.IGNORECASE,
)
# … and by patterns searched through the whole line.
_ANYWHERE_IN_LINE = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # Sign-up forms.
        r"veuillez saisir vos coordonnées",
        # Translation disclaimers.
        r"cette traduction (à|a) titre (gracieux|de courtoisie)",
        r"seul le texte (original )?(en anglais )?fait foi",
    )
)

_UPDATED_BEFORE = re.compile(
    r"(mis à jour|mise à jour|modifié|actualisé|updated|last modified|révisé)\W*(le|on)?\W*$",
    re.IGNORECASE,
)
_PUBLISHED_BEFORE = re.compile(
    r"(publié|mis en ligne|posté|diffusé|published|posted|released)\W*(le|on)?\W*$",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(publié|mis en ligne|posté|diffusé|mis à jour|mise à jour|modifié|actualisé|le|à|"
    r"published|posted|released|updated|on|at|date|\d{1,2}\s?h\s?\d{0,2}|\d{1,2}:\d\d)\b",
    re.IGNORECASE,
)

_HEADER_LABELS = re.compile(
    r"^(communiqué( de presse| conjoint)?|press release|media note|note aux médias|"
    r"pour diffusion immédiate|for immediate release|fiche d’information|fiche d'information|"
    r"fact sheet|dépêche|actualités?|news|à la une|en bref|brèves?)\s*:?$",
    re.IGNORECASE,
)

# Publisher lines, organisation first (what `source_name` should hold), then the office inside it.
_PUBLISHER_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"^département d{_APOSTROPHE}état( des états-unis( d{_APOSTROPHE}amérique)?)?$",
        r"^(the )?(u\.?s\.? )?department of state$",
        r"^(the )?white house$|^maison blanche$",
        r"^ministère (de l|des|du|de la) .{3,70}$",
        r"^ambassade (de|des|du|d’|d') ?.{3,60}$",
        r"^(u\.?s\.? )?embassy (of|in) .{3,60}$",
        r"^(mission|représentation) permanente .{3,70}$",
        r"^présidence de la république$|^élysée$|^quai d[’']orsay$",
    )
)
_OFFICE_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^bureau (du|de la) (porte-parole|secrétaire de presse|secrétaire d[’']état)$",
        r"^office of the (spokesperson|press secretary|secretary of state)$",
        r"^service (de presse|du porte-parole)$",
    )
)


def is_boilerplate(line: str) -> bool:
    """True for a line that never belongs to an article, wherever it appears."""
    line = line.strip()
    if not line:
        return False
    if _is_widget_line(line) or is_language_menu(line) or _AT_LINE_START.match(line):
        return True
    return any(pattern.search(line) for pattern in _ANYWHERE_IN_LINE)


def is_header_label(line: str) -> bool:
    """A genre label such as "Communiqué de presse" sitting above the text."""
    return bool(_HEADER_LABELS.match(line.strip()))


def publisher_rank(line: str) -> int | None:
    """0 for a line naming a publishing organisation, 1 for an office in it, else None."""
    line = line.strip().rstrip(" ,")
    if len(line) > 90:
        return None
    if any(pattern.match(line) for pattern in _PUBLISHER_PATTERNS):
        return 0
    if any(pattern.match(line) for pattern in _OFFICE_PATTERNS):
        return 1
    return None


def header_date(line: str) -> tuple[str, DateMention] | None:
    """The date of a line that is only a date with a few words around it ("Le 15 novembre 2017",
    "Washington, le 15 novembre 2017", "Publié le 13/02/2018"), with its kind (see `dated`)."""
    line = line.strip()
    if len(line) > 120:
        return None
    mentions = dated_mentions(line)
    if not mentions:
        return None
    rest = line
    for _, mention in mentions:
        rest = rest.replace(mention.text, " ")
    rest = _DATE_WORDS.sub(" ", rest)
    if len(rest.split()) > 4 or re.search(r"\w[.!?]\s+\w", rest):
        return None
    return preferred_date(mentions)


def dated_mentions(text: str) -> list[tuple[str, DateMention]]:
    """Every complete date in `text` with its kind: 'published' when preceded by "Publié le",
    'updated' when preceded by "mis à jour le", otherwise 'dated'."""
    found = []
    for mention in find_dates(text, reference=None):
        before = text[max(0, mention.start - 40) : mention.start]
        if _UPDATED_BEFORE.search(before):
            kind = "updated"
        elif _PUBLISHED_BEFORE.search(before):
            kind = "published"
        else:
            kind = "dated"
        found.append((kind, mention))
    return found


def preferred_date(mentions: list[tuple[str, DateMention]]) -> tuple[str, DateMention] | None:
    """Publication wins over a bare date, which wins over an update."""
    for wanted in ("published", "dated", "updated"):
        for kind, mention in mentions:
            if kind == wanted:
                return kind, mention
    return None


def is_language_menu(line: str) -> bool:
    """A language switcher: a comma list of language names, often each written twice."""
    line = line.strip()
    items = [item for item in _MENU_SEPARATORS.split(line) if item]
    if len(items) < 3 or any(len(item) > 40 or len(item.split()) > 4 for item in items):
        return False
    doubled = sum(1 for item in items if _is_doubled(item))
    known = sum(1 for item in items if any(w.lower() in LANGUAGE_NAMES for w in item.split()))
    return doubled * 2 >= len(items) or known * 2 >= len(items) or non_latin_share(line) >= 0.5


def non_latin_share(text: str) -> float:
    """Share of the letters of `text` that are not from the Latin script."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    latin = sum(1 for char in letters if "LATIN" in unicodedata.name(char, ""))
    return 1 - latin / len(letters)


def _is_doubled(item: str) -> bool:
    words = item.split()
    half = len(words) // 2
    return len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]


def _is_widget_line(line: str) -> bool:
    words = [word for word in _WIDGET_SEPARATORS.split(line.lower()) if word]
    return bool(words) and len(words) <= 8 and all(word in WIDGET_WORDS for word in words)


# A masthead: the name of a site or paper, maybe followed by a section after a dash or a bar.
_MASTHEAD_SECTION = re.compile(r"\s+[—–|·-]\s+")
_MASTHEAD_MAX_WORDS = 6


def masthead_name(line: str) -> str:
    """The publication named by a masthead line ("La Voix du Port — En bref" → "La Voix du
    Port"), or "" when the line reads like a headline rather than a name."""
    name = _MASTHEAD_SECTION.split(line.strip(), maxsplit=1)[0].strip()
    name_words = name.split()
    if not name_words or len(name_words) > _MASTHEAD_MAX_WORDS:
        return ""
    if re.search(r"[\d:;,.!?«»“”\"()]", name):
        return ""
    letters = [char for char in name if char.isalpha()]
    if all(char.isupper() for char in letters):
        # "L’ÉCHO DES CAPITALES" is a name in capitals; "OTAN" an acronym to keep as it is.
        return _title_case(name) if any(len(word) > 5 for word in name_words) else name
    for word in name_words:
        bare = re.split(r"[’']", word)[-1]
        if bare.lower() in NAME_PARTICLES or len(bare) < 3:
            continue
        if not bare[:1].isupper():
            return ""
    return name


def _title_case(name: str) -> str:
    """ "L’ÉCHO DES CAPITALES" → "L’Écho des Capitales"."""
    cased = []
    for index, word in enumerate(name.lower().split()):
        if index and word in NAME_PARTICLES:
            cased.append(word)
            continue
        cased.append(re.sub(r"(^|[’'-])(\w)", lambda m: m.group(1) + m.group(2).upper(), word))
    return " ".join(cased)


_SIGN_OFF = re.compile(r"^[\s(—–-]*(?P<agency>[A-Za-z][\w.&/-]{0,20})[\s)]*$")
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?P<name>[^—–|]{3,60}?)\s*(?:[—–|-]\s.*)?$",
    re.IGNORECASE,
)


def sign_off_source(paragraphs: list[str]) -> str:
    """The publisher named at the foot of a text: an agency sign-off such as "(MAP)" or
    "—AFP", or a copyright line ("© Radio Nord – Tous droits réservés")."""
    for paragraph in reversed(paragraphs):
        for line in reversed(paragraph.split("\n")):
            line = line.strip()
            match = _SIGN_OFF.match(line)
            if match and is_agency(match.group("agency")):
                return match.group("agency")
            match = _COPYRIGHT.match(line)
            if match:
                return match.group("name").strip(" .")
    return ""


_TITLE_DATE = re.compile(r"\(([^()]{6,40})\)\s*$")


def title_date(title: str):
    """The full date a title ends with in parentheses, as press releases write it:
    "Réunion des ministres à Madrid (3 octobre 2016)"."""
    match = _TITLE_DATE.search(title.strip())
    if match is None:
        return None
    mentions = find_dates(match.group(1), reference=None)
    if len(mentions) == 1 and mentions[0].text.strip() == match.group(1).strip():
        return mentions[0].value
    return None
