"""The Whoosh index's schema, built from Haystack's index fields, and each article's document.

Facet fields (Haystack ``Facet*Field``) are Whoosh ``ID``/``KEYWORD``: whole values, so a facet
counts slugs and a filter on ``le-monde`` never matches ``le-monde-diplomatique``. Analysed text
uses the French analysis (:mod:`articles.search.analysis`). Three fields Haystack never sees are
added: the spelling vocabulary, a sort key and the article's version.
"""

import datetime

from django.utils.encoding import force_str
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from whoosh import columns
from whoosh.fields import BOOLEAN, COLUMN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID

from articles.search.analysis import french_analyzer, spelling_analyzer, vocabulary
from articles.search.engine.batches import version_of

INDEX_NAME = "MAIN"
# Whoosh-only fields the backend adds to every document (Haystack never sees them).
SPELLING_FIELD = "spelling"
ORDER_FIELD = "date_order"
# The article's ``updated_at`` (microseconds) when indexed: how ``sync_index`` finds stale ones.
VERSION_FIELD = "indexed_version"
# ``date_order`` packs the publication date and the primary key: ordinal << PK_BITS | pk.
PK_BITS = 34
UNDATED = 1 << 62


def is_exact_field(field_class) -> bool:
    """Fields indexed as whole values: Haystack facet fields and unindexed strings."""
    return hasattr(field_class, "facet_for") or (
        field_class.field_type == "string" and field_class.indexed is False
    )


def _whoosh_field(field_class):
    if is_exact_field(field_class):
        if field_class.is_multivalued:
            return KEYWORD(stored=True, commas=True, scorable=False, lowercase=False)
        return WHOOSH_ID(stored=True)
    if field_class.is_multivalued:
        return KEYWORD(stored=True, commas=True, scorable=True, field_boost=field_class.boost)
    if field_class.field_type in ("date", "datetime"):
        return DATETIME(stored=field_class.stored)
    if field_class.field_type in ("integer", "float"):
        numtype = int if field_class.field_type == "integer" else float
        return NUMERIC(stored=field_class.stored, numtype=numtype, field_boost=field_class.boost)
    if field_class.field_type == "boolean":
        return BOOLEAN(stored=field_class.stored)
    # Analysed French text. The document field is not stored: results are loaded from the
    # database, snippets highlighted from the database text.
    return TEXT(
        analyzer=french_analyzer(),
        stored=field_class.stored and not field_class.document,
        field_boost=field_class.boost,
        multitoken_query="phrase",
    )


def build_schema(fields) -> tuple[str, Schema]:
    """The name of the document field and the Whoosh schema for Haystack's ``fields``."""
    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
        SPELLING_FIELD: TEXT(analyzer=spelling_analyzer(), phrase=False),
        ORDER_FIELD: COLUMN(columns.NumericColumn("q", default=0)),
        VERSION_FIELD: COLUMN(columns.NumericColumn("q", default=0)),
    }
    content_field_name = ""
    for field_class in fields.values():
        name = field_class.index_fieldname
        if field_class.document:
            content_field_name = name
        schema_fields[name] = _whoosh_field(field_class)
    if not content_field_name:
        raise SearchBackendError("No document=True field in any search index.")
    return content_field_name, Schema(**schema_fields)


def is_exact_fieldname(schema, fieldname) -> bool:
    """Exact fields (ids, slugs, codes) whose values' documents the searcher caches."""
    if fieldname == ID or fieldname not in schema:
        return False
    return isinstance(schema[fieldname], (WHOOSH_ID, KEYWORD))


def order_key(prepared) -> int:
    """The sort key of a prepared document: publication date, then primary key."""
    pk = int(prepared[DJANGO_ID])
    published_on = prepared.get("published_on")
    if published_on is None:
        return pk
    if isinstance(published_on, datetime.datetime):
        published_on = published_on.date()
    return (published_on.toordinal() << PK_BITS) | pk


def document_for(schema, content_field_name, index, obj, *, from_python) -> dict | None:
    """The Whoosh document for ``obj`` (None when the index skips it); ``from_python`` turns a
    Haystack value into what Whoosh stores (the backend's converter)."""
    try:
        prepared = index.full_prepare(obj)
    except SkipDocument:
        return None
    doc = {}
    for name, value in prepared.items():
        if name == "boost" or value is None:
            continue
        fieldobj = schema[name] if name in schema else None  # noqa: SIM401 (not a dict)
        if isinstance(fieldobj, (WHOOSH_ID, KEYWORD)):
            if isinstance(value, (list, tuple, set)):
                value = ",".join(force_str(v) for v in value if v not in (None, ""))
            else:
                value = force_str(value)
            if value == "":
                continue
        else:
            value = from_python(value)
        doc[name] = value
    doc[SPELLING_FIELD] = vocabulary(doc.get(content_field_name, ""))
    doc[ORDER_FIELD] = order_key(prepared)
    updated_field = index.get_updated_field()
    doc[VERSION_FIELD] = version_of(getattr(obj, updated_field, None) if updated_field else None)
    return doc
