"""What an import reports: one result per file, and the run's summary line."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from articles.models import Article


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass
class ImportResult:
    """What became of one file. ``warning`` is what an editor should know of a file that was
    imported nonetheless (bytes of a damaged UTF-8 file replaced)."""

    name: str
    outcome: Outcome
    message: str = ""
    article: Article | None = None
    duplicate_of: Article | None = None
    warning: str = ""


@dataclass
class ImportSummary:
    results: list[ImportResult] = field(default_factory=list)

    def add(self, result: ImportResult) -> None:
        self.results.append(result)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def failed(self) -> list[ImportResult]:
        return [result for result in self.results if result.outcome == Outcome.FAILED]

    def line(self) -> str:
        return ", ".join(
            f"{label} {self.count(outcome)}"
            for label, outcome in [
                ("created", Outcome.CREATED),
                ("updated", Outcome.UPDATED),
                ("unchanged", Outcome.UNCHANGED),
                ("duplicates", Outcome.DUPLICATE),
                ("failed", Outcome.FAILED),
            ]
        )
