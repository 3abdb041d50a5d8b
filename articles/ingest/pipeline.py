"""The pure half of importing a file (read, parse, detect, sign), runnable in worker processes.

Everything here is plain Python over bytes and reference data: no Django, no database, so a
spawned worker can import it without settings. The importer writes the results in file order in
its own process; a result computed with out-of-date reference data is detected again there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from articles.ingest import IngestError, ParsedDocument, parse_file
from articles.ingest.detection import Detection, MeetingRef, PersonRef, detect
from articles.ingest.shingles import signature


@dataclass
class PreparedFile:
    """One file read and parsed, with its detection and near-duplicate signature when known.

    ``error`` is the one-line reason a file cannot be imported (unreadable, not an article);
    ``detection`` is None until computed, and ``detected_with`` names the version of the
    reference data it was computed with.
    """

    name: str
    raw: bytes = b""
    document: ParsedDocument | None = None
    error: str = ""
    signature: np.ndarray | None = None
    detection: Detection | None = None
    detected_with: int = -1
    parse_crashed: bool = False


def prepare_raw(raw: bytes, *, filename: str) -> PreparedFile:
    """Parse one file's bytes; an `IngestError` becomes the file's one-line error."""
    try:
        document = parse_file(raw, filename=filename)
    except IngestError as error:
        return PreparedFile(filename, raw=raw, error=str(error))
    return PreparedFile(filename, raw=raw, document=document)


def prepare_path(path: Path) -> PreparedFile:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return PreparedFile(path.name, error=f"cannot read the file: {error}")
    return prepare_raw(raw, filename=path.name)


def detect_document(
    document: ParsedDocument, meetings: Sequence[MeetingRef], people: Sequence[PersonRef]
) -> Detection:
    return detect(
        title=document.title,
        body=document.body,
        published_on=document.published_on,
        meetings=meetings,
        people=people,
    )


# --- Worker processes ----------------------------------------------------------------------------

WORKER_NICENESS = 10
_worker_meetings: list[MeetingRef] = []
_worker_people: list[PersonRef] = []
_worker_base_people = 0
_worker_version = 0


def start_worker(meetings: list[MeetingRef], people: list[PersonRef]) -> None:
    """Pool initializer: the reference data as the importer loaded it (version 0)."""
    global _worker_meetings, _worker_people, _worker_base_people, _worker_version
    # The writes in the importer's process are the bottleneck and wait on each database round
    # trip: whenever it is ready to run, it (and the database) should get the core first.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(WORKER_NICENESS)
    _worker_meetings, _worker_people = list(meetings), list(people)
    _worker_base_people, _worker_version = len(people), 0


def prepare_in_worker(task: tuple[str, int, tuple[PersonRef, ...]]) -> PreparedFile:
    """Read, parse, sign and detect one file with the reference data of ``version``.

    ``added`` holds the people the importer created since it loaded the reference data; any
    exception other than a parsing error is left for the importer to meet again in its own
    process, where it fails that file in the usual way.
    """
    global _worker_people, _worker_version
    path, version, added = task
    if version != _worker_version:
        _worker_people = _worker_people[:_worker_base_people] + list(added)
        _worker_version = version
    try:
        prepared = prepare_path(Path(path))
    except Exception:  # the importer parses again in its own process and meets it there
        return PreparedFile(Path(path).name, parse_crashed=True)
    if prepared.document is None:
        return prepared
    try:
        prepared.signature = signature(prepared.document.body)
        prepared.detection = detect_document(prepared.document, _worker_meetings, _worker_people)
        prepared.detected_with = version
    except Exception:
        prepared.detection, prepared.detected_with = None, -1
    return prepared
