"""Progress on the terminal for long commands: a bar on a TTY, periodic lines otherwise."""

import sys
import time


class Progress:
    """``with Progress(total, label="import") as progress: progress.advance(name)``."""

    def __init__(self, total: int, *, label: str, stream=None, every_seconds: float = 5.0):
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self.every_seconds = every_seconds
        self.started = time.monotonic()
        self.last_line = 0.0
        self.is_tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.is_tty and self.total:
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, item: str = "", steps: int = 1) -> None:
        self.done += steps
        now = time.monotonic()
        if self.is_tty:
            self._draw_bar(item)
        elif now - self.last_line >= self.every_seconds or self.done == self.total:
            self.last_line = now
            self.stream.write(f"{self.label}: {self.done}/{self.total} {self._rate(now)}\n")
            self.stream.flush()

    def message(self, text: str) -> None:
        """Print a line without breaking the bar (e.g. one failed file)."""
        if self.is_tty:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        if self.is_tty:
            self._draw_bar("")
        self.stream.flush()

    def _rate(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        return f"({self.done / elapsed:.0f}/s)"

    def _draw_bar(self, item: str) -> None:
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r\033[K{self.label} [{bar}] {self.done}/{self.total} "
            f"{self._rate(time.monotonic())} {item[:40]}"
        )
        self.stream.flush()
