"""An index for each custom field that is compared as a whole (INDEXED_TYPES).

The values of a record type live in one JSON column; an index on the expression the list
queries use (expressions.py)
lets a filter by that field, or a sort, read a million records from the index. Indexes are
made by the worker once the field is saved (on PostgreSQL CONCURRENTLY: writes go on while
it is built) and dropped with the field.
"""

import hashlib

from django.apps import apps
from django.db import connection

from gendan.fields.choices import INDEXED_TYPES, RECORD_MODELS
from gendan.fields.expressions import index_sql


def index_name(record_type: str, key: str) -> str:
    digest = hashlib.sha1(f"{record_type}.{key}".encode(), usedforsecurity=False).hexdigest()
    return f"cf_{record_type}_{key}"[:50] + "_" + digest[:8]


def table_of(record_type: str) -> str:
    return apps.get_model(RECORD_MODELS[record_type])._meta.db_table


def create_index(record_type: str, key: str, field_type: str) -> None:
    """Make the field's index if its type has one (the key is checked: [a-z0-9_] only)."""
    if field_type not in INDEXED_TYPES:
        return
    name, table = index_name(record_type, key), table_of(record_type)
    concurrently = "CONCURRENTLY " if connection.vendor == "postgresql" else ""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        concurrently = ""  # inside a transaction (tests run in one): a plain build
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE INDEX {concurrently}IF NOT EXISTS "{name}" ON "{table}" '
            f"{index_sql(connection.vendor, key, field_type)}"
        )


def drop_index(record_type: str, key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX IF EXISTS "{index_name(record_type, key)}"')


def remove_values(record_type: str, key: str) -> int:
    """Take the key out of every record's values (a deleted field leaves nothing behind)."""
    table = table_of(record_type)
    if connection.vendor == "postgresql":
        sql = f'UPDATE "{table}" SET custom = custom - %s WHERE custom ? %s'
        params = [key, key]
    else:
        path = f'$."{key}"'
        sql = (
            f'UPDATE "{table}" SET custom = JSON_REMOVE(custom, %s) '
            "WHERE JSON_TYPE(custom, %s) IS NOT NULL"
        )
        params = [path, path]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
