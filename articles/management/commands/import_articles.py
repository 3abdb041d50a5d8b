"""``manage.py import_articles PATH [PATH ...]``: import text and HTML articles."""

from django.core.management.base import BaseCommand, CommandError

from articles.importing import ImportResult, Outcome, collect_files, import_files
from articles.management.progress import Progress
from articles.models import Article
from articles.search.queue import deferred_index_drain


class Command(BaseCommand):
    help = (
        "Import press articles from .txt and .html/.htm files, folders (recursively) and globs. "
        "Each file is all or nothing (new articles are written in batches; a failing file "
        "fails alone); re-importing is idempotent. Symbolic links, special files and files "
        "over settings.IMPORT_MAX_FILE_BYTES (2 MB by default) are refused with their reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders or glob patterns.")
        parser.add_argument(
            "--source",
            default="",
            help="Source (outlet) name for files that do not name their publisher.",
        )
        parser.add_argument(
            "--status",
            default=Article.Status.TO_CHECK,
            choices=Article.Status.values,
            help="Review status of new articles (default: to_check).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=(
                "Processes that read, parse and detect ahead of the database writes (default: "
                "one per core, up to 2, for 100 files or more; 1 keeps everything in one)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created without writing anything.",
        )

    def handle(self, *args, paths, source, status, dry_run, workers, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1.")
        files, refused, unmatched = collect_files(paths)
        for argument in unmatched:
            self.stderr.write(f"nothing to import at {argument!r} (.txt, .html, .htm)")
        for path, reason in refused:
            self.stderr.write(f"FAILED {path}: {reason}")
        if not files:
            raise CommandError(
                f"No importable file found ({len(refused)} refused)."
                if refused
                else "No importable file found."
            )

        with Progress(len(files), label="import", stream=self.stderr) as progress:

            def report(result):
                if result.outcome == Outcome.FAILED:
                    progress.message(f"FAILED {result.name}: {result.message}")
                elif options["verbosity"] >= 2:
                    progress.message(f"{result.outcome} {result.name} {result.message}".rstrip())
                if result.warning and result.outcome != Outcome.FAILED:
                    progress.message(f"WARNING {result.name}: {result.warning}")
                progress.advance(result.name)

            # Index updates are queued with each file and applied in one drain at the end.
            with deferred_index_drain():
                summary = import_files(
                    files,
                    source_name=source,
                    status=status,
                    dry_run=dry_run,
                    progress=report,
                    workers=workers,
                )

        failed = len(summary.failed)
        for path, reason in refused:  # counted with the failed files in the summary line
            summary.add(ImportResult(str(path), Outcome.FAILED, reason))
        prefix = "dry run, nothing written: would have " if dry_run else ""
        self.stdout.write(prefix + summary.line())
        if summary.failed or unmatched:
            raise CommandError(
                f"{failed} file(s) failed, {len(refused)} refused, "
                f"{len(unmatched)} path(s) matched nothing."
            )
