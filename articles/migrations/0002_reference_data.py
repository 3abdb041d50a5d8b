"""Load the coalition's reference meetings, the people who speak at them and official sources.

Editors add the rest in the admin; existing rows (matched by slug) are left as editors made them.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

REFERENCE_DATA = Path(__file__).with_name("reference_data.json")


def as_date(value):
    return datetime.date.fromisoformat(value) if value else None


def load_reference_data(apps, schema_editor):
    Source = apps.get_model("articles", "Source")
    Meeting = apps.get_model("articles", "Meeting")
    Person = apps.get_model("articles", "Person")
    Office = apps.get_model("articles", "Office")
    data = json.loads(REFERENCE_DATA.read_text(encoding="utf-8"))

    for source in data["sources"]:
        Source.objects.get_or_create(slug=source["slug"], defaults=source)

    for meeting in data["meetings"]:
        fields = dict(meeting)
        fields["start_date"] = as_date(fields["start_date"])
        fields["end_date"] = as_date(fields["end_date"])
        Meeting.objects.get_or_create(slug=meeting["slug"], defaults=fields)

    for person in data["people"]:
        offices = person["offices"]
        fields = {key: value for key, value in person.items() if key != "offices"}
        person_row, created = Person.objects.get_or_create(slug=person["slug"], defaults=fields)
        if created:
            for office in offices:
                Office.objects.create(
                    person=person_row,
                    role=office["role"],
                    title=office["title"],
                    start_date=as_date(office["start"]),
                    end_date=as_date(office["end"]),
                )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
