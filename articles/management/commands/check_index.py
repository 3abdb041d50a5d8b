"""``manage.py check_index [--repair]``: compare the index's stored fields with the database."""

from django.core.management.base import BaseCommand, CommandError

from articles.management.progress import Progress
from articles.models import Article
from articles.search.errors import LockBusy, SearchUnavailable
from articles.search.maintenance import check_fields

# Differing articles named one by one; past this, only counted.
LISTED = 50


class Command(BaseCommand):
    help = (
        "Compare the stored fields of every published article's index document (title, date, "
        "meetings, speakers, source …) with the database, which finds edits made without "
        "touching updated_at (an SQL UPDATE) that sync_index cannot see; --repair writes them "
        "again. Exits with an error while articles differ and --repair was not given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Write the differing articles again."
        )

    def handle(self, *args, repair=False, **options):
        try:
            with Progress(label="checked", stream=self.stdout) as progress:
                check = check_fields(repair=repair, progress=progress.update)
        except LockBusy as busy:
            raise CommandError(f"{busy}; run check_index again once it has finished") from busy
        except SearchUnavailable as unavailable:
            raise CommandError(f"{unavailable}; run sync_index") from unavailable
        if check is None:
            raise CommandError("this search engine stores no fields to compare: run sync_index")
        slugs = dict(
            Article.objects.filter(pk__in=list(check.differing)[:LISTED]).values_list("pk", "slug")
        )
        for pk, names in sorted(check.differing.items())[:LISTED]:
            self.stdout.write(f"article {pk} ({slugs.get(pk, '?')}): {', '.join(names)} differ")
        summary = f"checked {check.checked} published articles: {len(check.differing)} differ"
        if repair:
            summary += f", repaired {check.repaired}"
        self.stdout.write(summary)
        if check.differing and not repair:
            raise CommandError(
                f"{len(check.differing)} articles differ from the database: "
                "run check_index --repair"
            )
