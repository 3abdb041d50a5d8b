"""Insert many new rows at once, through PostgreSQL's COPY where the database is PostgreSQL.

A batch of imported articles writes a few hundred link and quote rows. Django's ``bulk_create``
turns them into one INSERT with a parameter per value: Django prepares each value through the
SQL compiler, psycopg merges them into the statement text on the client, and PostgreSQL parses
it all again. ``COPY … FROM STDIN`` sends the same values as rows of data: a third of the CPU on
the client, less on the server. Other databases keep ``bulk_create``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from django.db import connections, models


def insert_rows(model: type[models.Model], objects: Sequence[models.Model], *, using="default"):
    """Insert ``objects`` (new, unsaved) as ``bulk_create`` would, without reading back their
    ids: the primary keys of the objects stay unset on PostgreSQL.

    Field values go through each field's ``pre_save`` and ``get_db_prep_save``, as in an INSERT,
    so defaults, ``auto_now_add`` and field conversions apply the same way.
    """
    if not objects:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.using(using).bulk_create(objects)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)})"
        " FROM STDIN"
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # Logged like the statements Django runs itself (DEBUG, CaptureQueriesContext).
        logged = (
            cursor.debug_sql(statement) if connection.queries_logged else contextlib.nullcontext()
        )
        with logged, cursor.cursor.copy(statement) as copy:
            for obj in objects:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(obj, True), connection)
                        for field in fields
                    ]
                )
