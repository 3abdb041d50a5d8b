"""The researched reference world (meetings and people) is well formed and keeps today's records.

The lead loads these files into the database; a malformed date, a duplicate slug or an alias
shared by two people would silently corrupt detection, so each is checked here before that.
"""

import datetime
import json
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from articles.models import MeetingKind

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "articles" / "reference"
LEGACY = ROOT / "articles" / "migrations" / "reference_data.json"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROLE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KIND = re.compile(r"^[a-z]+(?:_[a-z]+)*$")
MEETING_KEYS = {
    "slug", "title", "kind", "start_date", "end_date", "city", "city_aliases", "country",
    "country_aliases", "venue", "venue_aliases", "hosts", "member_count", "description",
    "source_url",
}  # fmt: skip
PERSON_KEYS = {"slug", "name", "aliases", "offices", "source_url"}
OFFICE_KEYS = {"role", "title", "start", "end"}
# The day the files were researched: an office still held then has no end date.
RESEARCHED_ON = datetime.date(2026, 12, 7)


def load(name):
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


def day(value):
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return datetime.date.fromisoformat(value)


@pytest.fixture(scope="module")
def meeting_data():
    return load("meetings.json")


@pytest.fixture(scope="module")
def meetings(meeting_data):
    return meeting_data["meetings"]


@pytest.fixture(scope="module")
def people():
    return load("people.json")["people"]


@pytest.fixture(scope="module")
def legacy():
    return json.loads(LEGACY.read_text(encoding="utf-8"))


def test_every_meeting_has_the_required_keys(meetings):
    for meeting in meetings:
        missing = MEETING_KEYS - meeting.keys()
        assert not missing, (meeting.get("slug"), missing)


def test_meeting_slugs_are_valid_and_unique(meetings):
    slugs = [meeting["slug"] for meeting in meetings]
    assert all(SLUG.match(slug) for slug in slugs), [s for s in slugs if not SLUG.match(s)]
    assert not [slug for slug, n in Counter(slugs).items() if n > 1]


def test_meeting_dates_are_iso_and_in_order(meetings):
    for meeting in meetings:
        start, end = day(meeting["start_date"]), day(meeting["end_date"])
        assert datetime.date(2014, 1, 1) <= start <= end <= RESEARCHED_ON, meeting["slug"]


def test_meeting_kinds_are_known(meeting_data, meetings):
    new_kinds = meeting_data.get("kinds", {})
    for kind, labels in new_kinds.items():
        assert KIND.match(kind), kind
        assert kind not in MeetingKind.values, f"{kind} is already a MeetingKind"
        assert labels.get("fr") and labels.get("en"), kind
    known = set(MeetingKind.values) | set(new_kinds)
    assert {meeting["kind"] for meeting in meetings} <= known


def test_meeting_fields_have_the_right_types(meetings):
    for meeting in meetings:
        for key in ("city_aliases", "country_aliases", "venue_aliases"):
            assert isinstance(meeting[key], list), (meeting["slug"], key)
            assert all(isinstance(alias, str) and alias.strip() for alias in meeting[key])
        count = meeting["member_count"]
        assert count is None or (isinstance(count, int) and 0 < count < 200), meeting["slug"]
        assert meeting["title"].strip() and meeting["description"].strip(), meeting["slug"]
        # A meeting is placed somewhere: a city, or a named venue such as a videoconference.
        assert meeting["city"].strip() or meeting["venue"].strip(), meeting["slug"]


def test_every_meeting_names_its_source(meetings):
    for meeting in meetings:
        assert meeting["source_url"].startswith(("http://", "https://")), meeting["slug"]


def test_the_calendar_covers_every_kind_of_meeting(meetings):
    kinds = Counter(meeting["kind"] for meeting in meetings)
    assert len(meetings) > 35
    for kind in ("ministerial", "small_group_ministerial", "political_directors",
                 "defence_ministers", "chiefs_of_defence", "virtual", "sidelines"):  # fmt: skip
        assert kinds[kind], kind


def test_the_existing_meetings_are_kept_with_their_slugs_and_dates(legacy, meetings):
    by_slug = {meeting["slug"]: meeting for meeting in meetings}
    for old in legacy["meetings"]:
        new = by_slug.get(old["slug"])
        assert new is not None, old["slug"]
        for key in ("start_date", "end_date", "kind", "city", "country"):
            assert new[key] == old[key], (old["slug"], key)


def test_every_person_has_the_required_keys(people):
    for person in people:
        missing = PERSON_KEYS - person.keys()
        assert not missing, (person.get("slug"), missing)
        assert person["offices"], person["slug"]
        for office in person["offices"]:
            assert not OFFICE_KEYS - office.keys(), (person["slug"], office)


def test_person_slugs_are_valid_and_unique(people):
    slugs = [person["slug"] for person in people]
    assert all(SLUG.match(slug) for slug in slugs), [s for s in slugs if not SLUG.match(s)]
    assert not [slug for slug, n in Counter(slugs).items() if n > 1]


def test_there_are_at_least_150_people(people):
    assert len(people) >= 150


def test_every_person_names_a_source(people):
    for person in people:
        assert person["source_url"].startswith(("http://", "https://")), person["slug"]


def test_offices_have_valid_roles_and_dates_in_order(people):
    for person in people:
        previous_start = None
        for office in person["offices"]:
            assert ROLE.match(office["role"]), (person["slug"], office["role"])
            assert office["title"].strip(), person["slug"]
            start = day(office["start"])
            assert start <= RESEARCHED_ON, person["slug"]
            if office["end"] is not None:
                assert start <= day(office["end"]), (person["slug"], office)
            if previous_start is not None:
                assert previous_start <= start, (person["slug"], "offices out of order")
            previous_start = start


def test_no_person_holds_the_same_role_twice_at_once(people):
    for person in people:
        by_role = {}
        for office in person["offices"]:
            by_role.setdefault(office["role"], []).append(office)
        for role, offices in by_role.items():
            for earlier, later in pairwise(offices):
                assert earlier["end"] is not None, (person["slug"], role)
                assert day(earlier["end"]) <= day(later["start"]), (person["slug"], role)


def test_no_alias_is_shared_by_two_people(people):
    owners = {}
    for person in people:
        for spelling in {person["name"], *person["aliases"]}:
            key = spelling.casefold()
            owner = owners.setdefault(key, person["slug"])
            assert owner == person["slug"], f"{spelling!r}: {owner} and {person['slug']}"


def test_aliases_are_clean_strings(people):
    for person in people:
        assert isinstance(person["aliases"], list), person["slug"]
        for alias in person["aliases"]:
            assert isinstance(alias, str) and alias == alias.strip() and alias, person["slug"]


def test_the_existing_people_are_kept_with_their_slugs_and_offices(legacy, people):
    by_slug = {person["slug"]: person for person in people}
    for old in legacy["people"]:
        new = by_slug.get(old["slug"])
        assert new is not None, old["slug"]
        assert set(old["aliases"]) <= set(new["aliases"]) | {new["name"]}, old["slug"]
        kept = [(o["role"], o["start"], o["end"]) for o in new["offices"]]
        for office in old["offices"]:
            assert (office["role"], office["start"], office["end"]) in kept, old["slug"]
