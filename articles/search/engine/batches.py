"""Sending many articles to an engine, a batch at a time, and the version each one carries."""

# Articles read from the database and sent to the engine at a time.
BATCH_SIZE = 500


def write_in_batches(write, queryset, *, progress=None) -> int:
    """``write(batch)`` → (written, removed) for every article of ``queryset``, in batches;
    ``progress(done, total)`` after each. Returns how many were written."""
    total = queryset.count()
    written = 0
    batch = []
    for done, article in enumerate(queryset.iterator(chunk_size=BATCH_SIZE), start=1):
        batch.append(article)
        if len(batch) >= BATCH_SIZE or done == total:
            written += write(batch)[0]
            batch = []
            if progress:
                progress(done, total)
    if batch:
        written += write(batch)[0]
    return written


def version_of(updated_at) -> int:
    """An article's version as an index keeps it: ``updated_at`` in microseconds (0: none)."""
    return int(updated_at.timestamp() * 1_000_000) if updated_at else 0
