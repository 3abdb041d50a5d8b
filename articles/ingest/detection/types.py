"""What detection reads (reference meetings and people) and what it returns."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

REFERENCE_PATH = Path(__file__).resolve().parents[2] / "migrations" / "reference_data.json"


@dataclass(frozen=True)
class OfficeRef:
    role: str
    title: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class PersonRef:
    slug: str
    name: str
    aliases: tuple[str, ...]
    offices: tuple[OfficeRef, ...]


@dataclass(frozen=True)
class MeetingRef:
    slug: str
    title: str
    kind: str
    city: str
    city_aliases: tuple[str, ...]
    country: str
    country_aliases: tuple[str, ...]
    start_date: datetime.date
    end_date: datetime.date
    member_count: int | None


@dataclass(frozen=True)
class MeetingGuess:
    slug: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class QuoteFound:
    speaker_name: str
    speaker_slug: str | None
    text: str
    kind: str  # 'direct' | 'indirect'
    start: int  # offset in the body


@dataclass(frozen=True)
class PersonFound:
    name: str
    slug: str | None
    role: str  # 'quoted' | 'mentioned'
    quote_kind: str  # 'direct' | 'indirect' | ''
    evidence: str


@dataclass(frozen=True)
class Detection:
    meetings: tuple[MeetingGuess, ...]
    people: tuple[PersonFound, ...]
    quotes: tuple[QuoteFound, ...]


def load_reference(path: str | Path = REFERENCE_PATH) -> tuple[list[MeetingRef], list[PersonRef]]:
    """Read the meetings and people of the reference JSON file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    meetings = [
        MeetingRef(
            slug=item["slug"],
            title=item["title"],
            kind=item["kind"],
            city=item["city"],
            city_aliases=tuple(item.get("city_aliases") or ()),
            country=item["country"],
            country_aliases=tuple(item.get("country_aliases") or ()),
            start_date=datetime.date.fromisoformat(item["start_date"]),
            end_date=datetime.date.fromisoformat(item.get("end_date") or item["start_date"]),
            member_count=item.get("member_count"),
        )
        for item in data["meetings"]
    ]
    people = [
        PersonRef(
            slug=item["slug"],
            name=item["name"],
            aliases=tuple(item.get("aliases") or ()),
            offices=tuple(
                OfficeRef(
                    role=office["role"],
                    title=office["title"],
                    start=datetime.date.fromisoformat(office["start"]),
                    end=datetime.date.fromisoformat(office["end"]) if office.get("end") else None,
                )
                for office in item.get("offices") or ()
            ),
        )
        for item in data["people"]
    ]
    return meetings, people
