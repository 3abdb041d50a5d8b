"""``manage.py sync_index``: bring the search index in line with the database."""

from django.core.management.base import BaseCommand, CommandError

from articles.management.progress import Progress
from articles.search.errors import LockBusy, SearchUnavailable
from articles.search.maintenance import repair_index


class Command(BaseCommand):
    help = (
        "Compare the published articles with the search index and repair the drift (missing, "
        "stale and ghost documents); rebuilds it when unreadable. A missing index is created "
        "only by --rebuild, or when no article is published yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Rebuild the whole index from the database (into a new folder, then swapped in).",
        )
        parser.add_argument(
            "--procs",
            type=int,
            default=1,
            help=(
                "Writer processes for a rebuild of 1,000 articles or more (default 1: on two "
                "cores, procs=2 measured no faster)."
            ),
        )

    def handle(self, *args, rebuild=False, procs=1, **options):
        if procs < 1:
            raise CommandError("--procs must be 1 or more")
        try:
            with Progress(label="indexed", stream=self.stdout) as progress:
                summary = repair_index(progress=progress.update, rebuild=rebuild, procs=procs)
        except LockBusy as busy:
            raise CommandError(f"{busy}; run sync_index again once it has finished") from busy
        except SearchUnavailable as unavailable:
            raise CommandError(str(unavailable)) from unavailable
        if not summary.rebuilt and not summary.in_sync_before:
            self.stdout.write(
                f"drift: {summary.missing} missing {summary.details['missing']}, "
                f"{summary.stale} stale {summary.details['stale']}, "
                f"{summary.ghosts} ghosts {summary.details['ghosts']}"
            )
        queue = summary.drained
        if queue is not None and (queue.applied_rows or not queue.ok):
            self.stdout.write(f"queue: {queue}")
        self.stdout.write(f"search index: {summary}")
        if queue is not None and not queue.ok:
            raise CommandError(f"queued updates could not be applied: {queue.error}")
