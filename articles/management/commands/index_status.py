"""``manage.py index_status``: published articles, indexed documents and the update queue."""

from django.core.management.base import BaseCommand

from articles.search.maintenance import index_status


class Command(BaseCommand):
    help = "Show how many articles are published, indexed and waiting in the index queue."

    def handle(self, *args, **options):
        status = index_status()
        indexed = "unavailable" if status["indexed"] is None else status["indexed"]
        oldest = status["oldest_pending"]
        line = (
            f"published {status['published']}, indexed {indexed}, pending {status['pending']}"
            + (f" (oldest queued {oldest:%Y-%m-%d %H:%M:%S})" if oldest else "")
        )
        self.stdout.write(line)
        if status["error"]:
            self.stderr.write(status["error"])
