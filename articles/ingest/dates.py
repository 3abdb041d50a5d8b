"""Find dates written in French (and English) prose, and read machine dates from metadata."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from articles.ingest.spans import Occupied
from articles.ingest.vocabulary.agencies import AGENCY_NAMES
from articles.ingest.vocabulary.calendar import (
    ENGLISH_MONTH_ABBREVIATIONS,
    ENGLISH_MONTHS,
    ENGLISH_WEEKDAYS,
    FRENCH_MONTH_ABBREVIATIONS,
    FRENCH_MONTHS,
    FRENCH_WEEKDAYS,
    RELATIVE_DAYS,
)


def _alternatives(words) -> str:
    # Longest first, so that "septembre" wins over "sept".
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _month_alternatives(
    months: dict[str, int], abbreviations: dict[str, int], *, period: str = r"\."
) -> str:
    # Abbreviations only count with their period (`period`), unless a year follows: "sept"
    # alone is the number seven, "3 sept 2015" (or a wire dateline's "3 déc 2014") a date.
    short = [re.escape(name) + period for name in abbreviations]
    return "|".join([_alternatives(months), *sorted(short, key=len, reverse=True)])


_FR_MONTH = rf"(?P<month>{_month_alternatives(FRENCH_MONTHS, FRENCH_MONTH_ABBREVIATIONS)})"
_OPTIONAL_PERIOD = r"\.?"
_FR_MONTH_BEFORE_YEAR = _month_alternatives(
    FRENCH_MONTHS, FRENCH_MONTH_ABBREVIATIONS, period=_OPTIONAL_PERIOD
)
_FR_MONTH_BEFORE_YEAR = rf"(?P<month>{_FR_MONTH_BEFORE_YEAR})"
_FR_WEEKDAY = rf"(?:(?:{_alternatives(FRENCH_WEEKDAYS)})\s+)"
_FR_DAY = r"(?P<day>1\s?(?:er|ᵉʳ)|[0-3]?\d)"
_YEAR = r"(?P<year>(?:1[89]|2[01])\d\d)"
_EN_MONTH = rf"(?P<month>{_month_alternatives(ENGLISH_MONTHS, ENGLISH_MONTH_ABBREVIATIONS)})"
_EN_MONTH_BEFORE_YEAR = _month_alternatives(
    ENGLISH_MONTHS, ENGLISH_MONTH_ABBREVIATIONS, period=_OPTIONAL_PERIOD
)
_EN_MONTH_BEFORE_YEAR = rf"(?P<month>{_EN_MONTH_BEFORE_YEAR})"
_EN_WEEKDAY = rf"(?:(?:{_alternatives(ENGLISH_WEEKDAYS)}),?\s+)"
_EN_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_LEADING_LE = r"(?:\b(?:[Ll]e|[Dd]u)\s+)?"


def _starting_with(*names: str, ignore_case: bool = False) -> str:
    """A lookahead for the first letters of these names, for a pattern whose every match starts
    with one of them: at any other character, `re` then gives up before trying the names."""
    letters = "".join(sorted({name[0] for name in names}))
    return f"(?=(?i:[{letters}]))" if ignore_case else f"(?=[{letters}])"


_EN_START = _starting_with(*ENGLISH_WEEKDAYS, *ENGLISH_MONTHS, *ENGLISH_MONTH_ABBREVIATIONS)

# French words are matched case-insensitively (a header may say "Le 15 Novembre 2017"); English
# month and weekday names need their capital, otherwise "may" the verb would become a date.
_EXPLICIT_PATTERNS = (
    re.compile(
        rf"{_LEADING_LE}(?i:{_FR_WEEKDAY})?\b(?i:{_FR_DAY}\s+{_FR_MONTH_BEFORE_YEAR})\s+{_YEAR}(?!\d)"
    ),
    re.compile(rf"{_LEADING_LE}\b(?P<day>[0-3]?\d)([/.-])(?P<month>[01]?\d)\2{_YEAR}(?!\d)"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    re.compile(
        rf"\b{_EN_START}{_EN_WEEKDAY}?{_EN_MONTH_BEFORE_YEAR}\s+{_EN_DAY},?\s+{_YEAR}(?!\d)"
    ),
    re.compile(rf"\b{_EN_WEEKDAY}?{_EN_DAY}\s+{_EN_MONTH_BEFORE_YEAR},?\s+{_YEAR}(?!\d)"),
)
_DAY_MONTH_PATTERNS = (
    re.compile(rf"{_LEADING_LE}(?i:{_FR_WEEKDAY})?\b(?i:{_FR_DAY}\s+{_FR_MONTH})(?![\w’'])"),
    re.compile(rf"\b{_EN_START}{_EN_WEEKDAY}?{_EN_MONTH}\s+{_EN_DAY}\b(?!,?\s*\d)"),
)
_WEEKDAY_PATTERN = re.compile(
    _starting_with(*FRENCH_WEEKDAYS, *ENGLISH_WEEKDAYS, ignore_case=True)
    + rf"(?i:\b(?P<weekday>{_alternatives(FRENCH_WEEKDAYS)})\b"
    r"(?:\s+(?P<direction>dernier|prochain))?)"
    rf"|\b(?P<en_weekday>{_alternatives(ENGLISH_WEEKDAYS)})\b"
)
_RELATIVE_PATTERN = re.compile(
    _starting_with(*RELATIVE_DAYS, ignore_case=True)
    + rf"(?i:(?<![\w-])(?P<word>{_alternatives(RELATIVE_DAYS)})(?![\w-]))"
)
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-([01]\d)-([0-3]\d)(?!\d)")


# Most dates have their day (or an ISO date its year) where a number begins, with at most two
# words before it ("le", a weekday): trying them only around the numbers of the text spares
# trying their optional words at every character.
NUMBER_LED_PATTERNS = (*_EXPLICIT_PATTERNS[:3], _EXPLICIT_PATTERNS[4], _DAY_MONTH_PATTERNS[0])
_NUMBER = re.compile(r"\d+")
_LEAD_IN_WORDS = 2


def matches_around_numbers(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern of `NUMBER_LED_PATTERNS`, tried only from the
    few words before a number a match starts at.

    Without its optional words, a match also matches from its number on: the numbers where the
    pattern matches are the only ones to look before.
    """
    starts: set[int] = set()
    for number in _NUMBER.finditer(text):
        if pattern.match(text, number.start()) is not None:
            starts.update(range(_words_before(text, number.start()), number.start() + 1))
    end = 0
    for start in sorted(starts):
        if start >= end and (found := pattern.match(text, start)) is not None:
            yield found
            end = found.end()


def _words_before(text: str, position: int) -> int:
    """Where the `_LEAD_IN_WORDS` words before `position` begin (words end on spaces or a comma)."""
    for _word in range(_LEAD_IN_WORDS):
        gap = position
        while gap > 0 and _separates_words(text[gap - 1]):
            gap -= 1
        start = gap
        while start > 0 and not _separates_words(text[start - 1]):
            start -= 1
        if gap == position or start == gap:
            break
        position = start
    return position


def _separates_words(char: str) -> bool:
    return char.isspace() or char == ","


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    if pattern in NUMBER_LED_PATTERNS:
        return matches_around_numbers(pattern, text)
    return pattern.finditer(text)


@dataclass(frozen=True)
class DateMention:
    value: datetime.date
    text: str
    kind: str
    start: int


def find_dates(text: str, *, reference: datetime.date | None) -> list[DateMention]:
    """Every date mentioned in `text`, in order; relative ones need a `reference` day."""
    mentions: list[DateMention] = []
    taken = Occupied(len(text))

    def add(match: re.Match, value: datetime.date | None, kind: str) -> None:
        start, end = match.span()
        if value is None or taken.overlaps(start, end):
            return
        taken.take(start, end)
        mentions.append(DateMention(value=value, text=match.group(0), kind=kind, start=start))

    for pattern in _EXPLICIT_PATTERNS:
        for match in _matches(pattern, text):
            add(match, _explicit_value(match), "explicit")
    if reference is not None:
        for pattern in _DAY_MONTH_PATTERNS:
            for match in _matches(pattern, text):
                add(match, _day_month_value(match, reference), "day_month")
        for match in _WEEKDAY_PATTERN.finditer(text):
            add(match, _weekday_value(match, reference), "weekday")
        for match in _RELATIVE_PATTERN.finditer(text):
            offset = RELATIVE_DAYS[match.group("word").lower()]
            add(match, reference + datetime.timedelta(days=offset), "relative")
    return sorted(mentions, key=lambda mention: mention.start)


def parse_machine_date(value: str) -> datetime.date | None:
    """Read the day out of an ISO 8601 timestamp such as `2017-11-15T09:30:00+01:00`."""
    match = _ISO_DATE.search(value or "")
    if match is None:
        return None
    return _safe_date(*(int(part) for part in match.groups()))


def _month_number(word: str) -> int | None:
    word = word.rstrip(".")
    if word.isdigit():
        return int(word)
    lowered = word.lower()
    return (
        FRENCH_MONTHS.get(lowered)
        or FRENCH_MONTH_ABBREVIATIONS.get(lowered)
        or ENGLISH_MONTHS.get(word)
        or ENGLISH_MONTH_ABBREVIATIONS.get(word)
    )


def _day_number(word: str) -> int:
    digits = re.match(r"\d+", word)
    return int(digits.group(0)) if digits else 1


def _safe_date(year: int, month: int | None, day: int) -> datetime.date | None:
    if month is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _explicit_value(match: re.Match) -> datetime.date | None:
    return _safe_date(
        int(match.group("year")), _month_number(match.group("month")), _day_number(match["day"])
    )


def _day_month_value(match: re.Match, reference: datetime.date) -> datetime.date | None:
    month, day = _month_number(match.group("month")), _day_number(match.group("day"))
    candidates = [
        value
        for year in (reference.year - 1, reference.year, reference.year + 1)
        if (value := _safe_date(year, month, day)) is not None
    ]
    if not candidates:
        return None
    # The nearest occurrence; on a tie, the past one (the press mostly reports what happened).
    return min(candidates, key=lambda value: (abs((value - reference).days), value > reference))


def _weekday_value(match: re.Match, reference: datetime.date) -> datetime.date:
    if match.group("en_weekday"):
        weekday, direction = ENGLISH_WEEKDAYS[match.group("en_weekday")], None
    else:
        weekday = FRENCH_WEEKDAYS[match.group("weekday").lower()]
        direction = (match.group("direction") or "").lower() or None
    days_back = (reference.weekday() - weekday) % 7
    if direction == "prochain":
        return reference + datetime.timedelta(days=(7 - days_back) if days_back else 7)
    if direction == "dernier" and days_back == 0:
        days_back = 7
    return reference - datetime.timedelta(days=days_back)


# --- Wire datelines -------------------------------------------------------------------------

# "Bruxelles, 3 déc 2014 (AFP) -", "WASHINGTON, March 22, 2017 (Reuters) —", "Koweït City
# (Koweït), 13 fév. 2018 (MAP) –", "Paris, le 2 juin 2015 –", "WASHINGTON (AP) —": a place in
# capitals, a date and/or an agency in parentheses, then a dash (or a colon) before the text.
_PLACE_WORD = r"[A-ZÀ-Ý][^\W\d_]*(?:[-'’.][^\W\d_]+)*\.?"
_DATELINE = re.compile(
    rf"(?P<dateline>(?P<place>{_PLACE_WORD}(?:\s(?:(?:de|du|des|la|le|el|al|sur)[\s-])?{_PLACE_WORD})"
    r"{0,3}(?:\s*\([^()\n]{2,30}\))??)"
    r"(?:\s*,\s*(?P<date>[^()\n–—:]{3,45}?))??"
    r"(?:\s*\((?P<agency>[A-Za-z][\w.&]*(?:[ /-][A-Za-z][\w.&]*){0,2})\))?)"
    r"\s*(?:[-–—]|:(?!\d))\s*\S"
)
# A day and a month without the year ("3 déc"): the dispatch's day, but not a date to keep.
_DAY_AND_MONTH = re.compile(r"(?:le\s+)?\d{1,2}(?:er)?\s+[^\W\d_]{3,9}\.?", re.IGNORECASE)
# Agencies as they sign their dispatches: an acronym (AFP, AP, MAP, APS, ANSA, dpa…) or a name.
_AGENCY_ACRONYM = re.compile(r"(?:[A-Z][A-Za-z]{0,2}\.?){2,5}|dpa|[A-Z]{2,6}(?:[/-][A-Z]{2,6})?")


@dataclass(frozen=True)
class Dateline:
    text: str  # "Bruxelles, 3 déc 2014 (AFP)"
    place: str
    published_on: datetime.date | None
    agency: str


def find_dateline(lead: str) -> Dateline | None:
    """The wire dateline opening a lead ("Bruxelles, 3 déc 2014 (AFP) - Les …"), if any.

    It needs a full date, an agency in parentheses, or both; its date is the dispatch's date.
    """
    match = _DATELINE.match(lead.strip())
    if match is None:
        return None
    agency = match.group("agency") or ""
    if agency and not is_agency(agency):
        return None
    published_on = None
    if match.group("date"):
        date_text = match.group("date").strip()
        mentions = find_dates(date_text, reference=None)
        if len(mentions) == 1 and mentions[0].text.strip() == date_text:
            published_on = mentions[0].value
        elif not (agency and _DAY_AND_MONTH.fullmatch(date_text)):
            return None
    if published_on is None and not _is_known_agency(agency):
        # Without a date, "Jean Dupont (PS) –" is a name and a party, not a dateline.
        return None
    return Dateline(
        text=match.group("dateline").strip(),
        place=match.group("place").strip(),
        published_on=published_on,
        agency=agency,
    )


def is_agency(name: str) -> bool:
    """Whether `name`, written in parentheses or as a sign-off, is a news agency."""
    name = name.strip()
    parts = re.split(r"[ /-]", name)
    return all(
        part.lower() in AGENCY_NAMES or _AGENCY_ACRONYM.fullmatch(part) for part in parts if part
    )


def _is_known_agency(name: str) -> bool:
    parts = [part for part in re.split(r"[ /-]", name.strip()) if part]
    return bool(parts) and all(part.lower() in AGENCY_NAMES for part in parts)
