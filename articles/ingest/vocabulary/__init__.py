"""Word lists of the ingest layer, kept apart from the logic that reads them.

Each module holds the words of one subject: the calendar, news agencies, how the press names
people and their roles, verbs of speech, the wording of meetings, and the furniture of web pages.
"""


def words(text: str) -> list[str]:
    """The whitespace-separated words of a word list written as one string."""
    return text.split()
