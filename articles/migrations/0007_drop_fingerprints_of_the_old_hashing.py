"""Shingle hashes are now weighted sums of word hashes (articles.ingest.shingles.signature):
signatures stored with the former hashing share no hash with new ones, so they are dropped.
The importer cuts them again from the text the first time an article is a candidate, and keeps
them. Going back drops them too, for the same reason."""

from django.db import migrations


def drop_fingerprints(apps, schema_editor):
    ArticleFingerprint = apps.get_model("articles", "ArticleFingerprint")
    ArticleFingerprint.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_meeting_article_index"),
    ]

    operations = [
        migrations.RunPython(drop_fingerprints, drop_fingerprints, elidable=True),
    ]
