"""Writing the Whoosh index: documents in place, or a whole new index swapped in.

Every function here expects the caller to hold the writer lock (:mod:`..lock`), except
Haystack's own entry points at the end (``update_index``, ``rebuild_index``, ``update_object``),
which take it themselves.
"""

import os
import shutil
import time

from haystack.constants import DJANGO_ID, ID
from haystack.utils import get_identifier, get_model_ct
from whoosh.filedb.filestore import FileStorage

from articles.search.engine.lock import COMMAND_WAIT_SECONDS, writer_lock
from articles.search.engine.whoosh import checksums
from articles.search.engine.whoosh.handle import toc_signature
from articles.search.engine.whoosh.schema import INDEX_NAME, VERSION_FIELD
from articles.search.errors import SearchUnavailable

# Rows a rebuild reads from the database at a time.
CHUNK_SIZE = 500


def document_id(model, pk) -> str:
    """Haystack's identifier of a model instance's document."""
    return f"{get_model_ct(model)}.{pk}"


def open_index(backend):
    """The Whoosh index at the backend's path.

    Never created here: a write into a lost index would make a nearly empty one that answers
    searches as if it were whole. Only a rebuild (:func:`rebuild`, :func:`create_empty`) makes
    an index; a write to a missing one raises :class:`SearchUnavailable` and its updates stay
    queued.
    """
    path = backend.path
    if toc_signature(path) is None:
        raise SearchUnavailable(
            f"no search index at {path}: `manage.py sync_index --rebuild` builds it"
        )
    # A write into damaged segments could merge their bytes into a new segment with a good
    # checksum, so writes and reads alike refuse a damaged index.
    damage = checksums.damage(path)
    if damage:
        raise SearchUnavailable(f"the search index at {path} is damaged: {damage}")
    try:
        return FileStorage(path).open_index(INDEX_NAME, schema=backend.schema)
    except Exception as error:
        raise SearchUnavailable(f"the search index at {path} cannot be read ({error!r})") from error


def commit(writer, path):
    """Commit ``writer`` and record the checksums of the version it wrote."""
    writer.commit()
    checksums.record(path)


def _schema_shape(schema) -> dict:
    # Field types and each analyzer's steps: a changed analysis needs a rebuild too.
    return {
        name: (
            type(fieldobj).__name__,
            [type(step).__name__ for step in getattr(fieldobj.analyzer, "items", ())]
            if hasattr(fieldobj, "analyzer")
            else [],
        )
        for name, fieldobj in schema.items()
    }


def schema_matches(ix, backend) -> bool:
    """False when the index on disk was built with other fields or field types."""
    try:
        # Opened without a schema, an index reads the one its table of contents stores.
        stored = ix.storage.open_index(ix.indexname).schema
    except Exception:
        return False
    return _schema_shape(stored) == _schema_shape(backend.schema)


def swap_in(new_path, path):
    """Put a freshly built index folder in place of the old one (readers keep their files)."""
    old_path = None
    if os.path.lexists(path):
        old_path = f"{path}.old-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(path, old_path)
    os.rename(new_path, path)
    if old_path:
        shutil.rmtree(old_path, ignore_errors=True)


def new_writer(ix, *, procs=1):
    if procs > 1:
        return ix.writer(procs=procs, multisegment=True, limitmb=128)
    return ix.writer(timeout=10.0, limitmb=128)


def write_articles(backend, writer, index, articles, *, replace=True) -> tuple[int, int]:
    """Write each article's document (or delete it when the index skips it): (written, skipped)."""
    written = skipped = 0
    for article in articles:
        doc = backend.whoosh_document(index, article)
        if doc is None:
            if replace:
                writer.delete_by_term(ID, document_id(type(article), article.pk))
            skipped += 1
            continue
        if replace:
            writer.update_document(**doc)
        else:
            writer.add_document(**doc)
        written += 1
    return written, skipped


def apply_changes(backend, index, articles, gone_ids, *, model) -> tuple[int, int]:
    """In one commit: write ``articles``, delete the documents of ``gone_ids``.
    Returns (written, removed)."""
    writer = new_writer(open_index(backend))
    try:
        written, skipped = write_articles(backend, writer, index, articles)
        for pk in sorted(gone_ids):
            writer.delete_by_term(ID, document_id(model, pk))
    except BaseException:
        writer.cancel()
        raise
    commit(writer, backend.path)
    return written, len(gone_ids) + skipped


def indexed_versions(ix) -> dict[int, int]:
    """Primary key → indexed version (the article's ``updated_at`` in microseconds)."""
    versions = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if not reader.doc_count_all():  # no segments: an EmptyReader has no columns
            return versions
        column = list(reader.column_reader(VERSION_FIELD))
        fieldobj = ix.schema[DJANGO_ID]
        for btext in reader.lexicon(DJANGO_ID):
            for docnum in reader.postings(DJANGO_ID, btext).all_ids():
                versions[int(fieldobj.from_bytes(btext))] = column[docnum]
    return versions


def _new_folder(backend) -> str:
    new_path = f"{backend.path.rstrip('/')}.new-{os.getpid()}"
    shutil.rmtree(new_path, ignore_errors=True)
    os.makedirs(new_path)
    return new_path


def create_empty(backend):
    """Replace the index with an empty one."""
    new_path = _new_folder(backend)
    FileStorage(new_path).create_index(backend.schema, indexname=INDEX_NAME)
    checksums.record(new_path)
    swap_in(new_path, backend.path)


def rebuild(backend, index, queryset, *, progress=None, procs=1) -> int:
    """Write every document of ``queryset`` into a new folder, then swap it in: how many."""
    total = queryset.count()
    new_path = _new_folder(backend)
    ix = FileStorage(new_path).create_index(backend.schema, indexname=INDEX_NAME)
    writer = new_writer(ix, procs=procs if total >= 1000 else 1)
    written = 0
    try:
        for done, article in enumerate(queryset.iterator(chunk_size=CHUNK_SIZE), start=1):
            doc = backend.whoosh_document(index, article)
            if doc is not None:
                writer.add_document(**doc)
                written += 1
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)
        commit(writer, new_path)
    except BaseException:
        writer.cancel()
        shutil.rmtree(new_path, ignore_errors=True)
        raise
    swap_in(new_path, backend.path)
    return written


# Haystack's own entry points (update_index, rebuild_index, update_object) ----------------------


def write_documents(backend, index, objects):
    """Haystack's ``update``: write these objects' documents."""
    if not objects:
        return
    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        writer = new_writer(open_index(backend))
        try:
            write_articles(backend, writer, index, objects)
        except BaseException:
            writer.cancel()
            raise
        commit(writer, backend.path)


def delete_documents(backend, objects):
    """Haystack's ``remove``: delete these objects' (or identifiers') documents."""
    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        writer = new_writer(open_index(backend))
        for obj in objects:
            writer.delete_by_term(ID, get_identifier(obj))
        commit(writer, backend.path)


def clear_index(backend):
    """Haystack's ``clear``: replace the index with an empty one."""
    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        create_empty(backend)


def optimize_index(backend):
    """Haystack's ``optimize``: merge the index's segments into one."""
    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        optimize(backend)


def optimize(backend):
    """Merge the index's segments into one (with the writer lock held)."""
    open_index(backend).optimize()
    checksums.record(backend.path)
