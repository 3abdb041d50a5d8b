"""Progress of a long command: a bar on a terminal, a plain line now and then otherwise."""

import io

from django.core.management.base import OutputWrapper

from articles.management.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_off_a_terminal_progress_is_a_line_at_the_start_and_at_the_end():
    stream = io.StringIO()
    with Progress(3, label="import", stream=stream, every_seconds=3600) as progress:
        for name in ("a", "b", "c"):
            progress.advance(name)
    lines = stream.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == ["import 1/3", "import 3/3"]


def test_a_caller_counting_itself_reports_done_and_total():
    stream = io.StringIO()
    with Progress(label="indexed", stream=stream) as progress:
        progress.update(5, 5)
    assert stream.getvalue().startswith("indexed 5/5 ")


def test_on_a_terminal_the_bar_redraws_one_line_through_a_commands_output():
    terminal = Terminal()
    with Progress(2, label="import", stream=OutputWrapper(terminal)) as progress:
        progress.advance("a.txt")
        progress.message("FAILED b.txt: unreadable")
        progress.advance("b.txt")
    written = terminal.getvalue()
    assert written.count("\n") == 2  # the message, and the end of the bar
    assert "FAILED b.txt: unreadable\n" in written
    assert written.rstrip("\n").rsplit("\r", 1)[-1].startswith("\033[Kimport [")
