"""Progress on the terminal for long commands: a bar on a TTY, a line now and then otherwise."""

import sys
import time

from django.core.management.base import OutputWrapper


class Progress:
    """``with Progress(total, label="import") as progress: progress.advance(name)``; or, for a
    caller that reports ``(done, total)`` itself, pass ``progress.update``."""

    def __init__(
        self, total: int = 0, *, label: str, stream=None, every_seconds: float = 5.0
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self.every_seconds = every_seconds
        self.started = time.monotonic()
        self.last_line: float | None = None  # the first step always prints a line
        self.is_tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.drawn = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.drawn:
            self._write("\n")

    def advance(self, item: str = "", steps: int = 1) -> None:
        self.update(self.done + steps, self.total, item=item)

    def update(self, done: int, total: int, *, item: str = "") -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if self.is_tty:
            self._draw_bar(item)
        elif (
            self.last_line is None
            or now - self.last_line >= self.every_seconds
            or self.done == self.total
        ):
            self.last_line = now
            self._write(f"{self.label} {self.done}/{self.total} {self._rate(now)}\n")

    def message(self, text: str) -> None:
        """Print a line without breaking the bar (e.g. one failed file)."""
        if self.is_tty:
            self._write("\r\033[K")
        self._write(text + "\n")
        if self.is_tty:
            self._draw_bar("")

    def _rate(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        return f"({self.done / elapsed:.0f}/s)"

    def _draw_bar(self, item: str) -> None:
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        self._write(
            f"\r\033[K{self.label} [{bar}] {self.done}/{self.total} "
            f"{self._rate(time.monotonic())} {item[:40]}"
        )
        self.drawn = True

    def _write(self, text: str) -> None:
        # A command's stdout and stderr end each write with a newline unless told otherwise.
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
