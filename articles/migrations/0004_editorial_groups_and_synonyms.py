"""Create the editors' groups and the curated synonyms for the group's names.

« Éditeur » imports, edits and publishes; « Relecteur » views and marks articles checked.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "delete_article",
    "view_article",
    "publish_article",
    "import_articles",
    "add_articlemeeting",
    "change_articlemeeting",
    "delete_articlemeeting",
    "view_articlemeeting",
    "add_articleperson",
    "change_articleperson",
    "delete_articleperson",
    "view_articleperson",
    "add_quote",
    "change_quote",
    "delete_quote",
    "view_quote",
    "add_meeting",
    "change_meeting",
    "view_meeting",
    "add_person",
    "change_person",
    "view_person",
    "add_office",
    "change_office",
    "delete_office",
    "view_office",
    "add_source",
    "change_source",
    "view_source",
    "add_synonymgroup",
    "change_synonymgroup",
    "delete_synonymgroup",
    "view_synonymgroup",
    "view_pendingindexupdate",
]
REVIEWER_PERMISSIONS = [
    "view_article",
    "change_article",
    "view_articlemeeting",
    "change_articlemeeting",
    "view_articleperson",
    "change_articleperson",
    "view_quote",
    "view_meeting",
    "view_person",
    "view_office",
    "view_source",
    "view_synonymgroup",
    "view_pendingindexupdate",
]
SYNONYMS = {
    "Daech": [
        "Daech",
        "Daesh",
        "EI",
        "État islamique",
        "Etat islamique",
        "ISIS",
        "ISIL",
        "EIIL",
        "Islamic State",
    ],
}


def create_groups_and_synonyms(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in [
        ("Éditeur", EDITOR_PERMISSIONS),
        ("Relecteur", REVIEWER_PERMISSIONS),
    ]:
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )

    SynonymGroup = apps.get_model("articles", "SynonymGroup")
    for name, terms in SYNONYMS.items():
        SynonymGroup.objects.get_or_create(name=name, defaults={"terms": terms})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_synonyms_and_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups_and_synonyms, migrations.RunPython.noop)]
