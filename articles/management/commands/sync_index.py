"""``manage.py sync_index``: bring the search index in line with the database."""

import time

from django.core.management.base import BaseCommand, CommandError

from articles.search.errors import LockBusy
from articles.search.maintenance import repair_index


class Progress:
    """A progress bar on a terminal, a plain line every few seconds otherwise."""

    def __init__(self, stream, *, interval=5.0):
        self.stream = stream
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.interval = interval
        self.last = 0.0
        self.drawn = False

    def __call__(self, done, total):
        if self.tty:
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "." * (width - filled)
            self.stream.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stream.flush()
            self.drawn = True
        elif time.monotonic() - self.last >= self.interval or done == total:
            self.last = time.monotonic()
            self.stream.write(f"indexed {done}/{total}")

    def finish(self):
        if self.drawn:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Compare the published articles with the search index and repair the drift (missing, "
        "stale and ghost documents); creates the index when missing, rebuilds it when unreadable."
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
        progress = Progress(self.stdout)
        try:
            summary = repair_index(progress=progress, rebuild=rebuild, procs=procs)
        except LockBusy as busy:
            raise CommandError(f"{busy}; run sync_index again once it has finished") from busy
        finally:
            progress.finish()
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
