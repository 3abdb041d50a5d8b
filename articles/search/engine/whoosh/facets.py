"""Facet counts and document filters as numpy arrays over Whoosh document numbers.

Counting the values of a set of documents is one ``bincount`` over (document, value) pairs read
once per index version, instead of a Python loop over every hit for every facet field.
"""

import numpy as np
from haystack.exceptions import SearchBackendError
from whoosh.idsets import DocIdSet


class FacetTable:
    """One exact field: its values, and (document, value) pairs as numpy arrays grouped by value."""

    def __init__(self, values, docs, starts):
        self.values = values
        self.codes = {value: code for code, value in enumerate(values)}
        self.docs = docs
        self.starts = starts
        self.pair_codes = np.repeat(np.arange(len(values), dtype=np.int32), np.diff(starts))

    @classmethod
    def read(cls, reader, fieldobj, fieldname):
        values, chunks, starts = [], [], [0]
        for btext in reader.lexicon(fieldname):
            ids = np.fromiter(reader.postings(fieldname, btext).all_ids(), dtype=np.int32)
            if len(ids):
                values.append(fieldobj.from_bytes(btext))
                chunks.append(ids)
                starts.append(starts[-1] + len(ids))
        docs = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
        return cls(values, docs, np.array(starts, dtype=np.int64))

    def docs_of(self, value) -> np.ndarray:
        code = self.codes.get(value)
        if code is None:
            return self.docs[:0]
        return self.docs[self.starts[code] : self.starts[code + 1]]

    def counts(self, matched: np.ndarray) -> np.ndarray:
        """How many of the documents in the boolean mask ``matched`` have each value."""
        return np.bincount(self.pair_codes[matched[self.docs]], minlength=len(self.values))


class MaskDocs(DocIdSet):
    """A boolean document mask as the ``filter`` of a Whoosh search."""

    def __init__(self, mask: np.ndarray):
        self.mask = mask

    def __contains__(self, docnum):
        return docnum < len(self.mask) and bool(self.mask[docnum])

    def __len__(self):
        return int(self.mask.sum())

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(np.flatnonzero(self.mask).tolist())


def facet_counts(table: FacetTable, matched: np.ndarray, options: dict, convert) -> list:
    """Haystack's ``[(value, count), …]`` of one field for the documents in ``matched``,
    with Haystack's ``mincount``, ``sort`` (``"index"`` or by count) and ``limit`` options;
    ``convert`` turns a stored value into the field's Python type."""
    mincount = max(int(options.get("mincount", 1)), 1)
    counts = []
    if len(table.values) and matched.any():
        per_value = table.counts(matched)
        for code in np.flatnonzero(per_value >= mincount).tolist():
            counts.append((table.values[code], int(per_value[code])))
    counts = [(convert(value), count) for value, count in counts]
    if options.get("sort") == "index":
        counts.sort(key=lambda item: item[0])
    else:
        counts.sort(key=lambda item: (-item[1], item[0]))
    limit = options.get("limit")
    if limit is not None and int(limit) >= 0:
        counts = counts[: int(limit)]
    return counts


def unknown_facet(fieldname) -> SearchBackendError:
    return SearchBackendError(
        f"Cannot facet on {fieldname!r}: facet fields are Haystack Facet*Field fields."
    )
