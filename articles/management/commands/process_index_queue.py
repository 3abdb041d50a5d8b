"""``manage.py process_index_queue``: the worker that applies queued search index updates."""

import time

from django.core.management.base import BaseCommand, CommandError

from articles.search.queue import COMMAND_WAIT_SECONDS, drain_index_queue


class Command(BaseCommand):
    help = (
        "Apply queued search index updates as the single index writer, in a loop "
        "(or once with --once). Saves drain the queue too; this catches what they left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Drain once, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="Seconds between two drains in the loop (default 2).",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=COMMAND_WAIT_SECONDS,
            help="Seconds to wait for the writer lock (default %(default)s).",
        )

    def handle(self, *args, once=False, interval=2.0, wait=COMMAND_WAIT_SECONDS, **options):
        if interval <= 0 or wait < 0:
            raise CommandError("--interval must be positive and --wait not negative")
        while True:
            report = drain_index_queue(wait_seconds=wait)
            if once or report.applied_rows or not report.ok:
                self.stdout.write(f"index queue: {report}")
            if once:
                if report.status == "failed":
                    raise CommandError(f"queued updates stay queued: {report.error}")
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
