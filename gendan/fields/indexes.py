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


OWNER_SUFFIX = "_o"


def has_owner(record_type: str) -> bool:
    model = apps.get_model(RECORD_MODELS[record_type])
    return any(f.attname == "owner_id" for f in model._meta.concrete_fields)


def create_index(record_type: str, key: str, field_type: str) -> None:
    """Make the field's indexes if its type has them (the key is checked: [a-z0-9_] only):
    one on the value, and, on a record with an owner, one on (owner, value) for the lists of
    a team, whose owners are read one after another."""
    if field_type not in INDEXED_TYPES:
        return
    table = table_of(record_type)
    concurrently = "CONCURRENTLY " if connection.vendor == "postgresql" else ""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        concurrently = ""  # inside a transaction (tests run in one): a plain build
    expression = index_sql(connection.vendor, key, field_type)
    columns = {"": expression}
    if has_owner(record_type):
        columns[OWNER_SUFFIX] = f'("owner_id", {expression[1:-1]})'
    with connection.cursor() as cursor:
        for suffix, indexed in columns.items():
            name = index_name(record_type, key) + suffix
            cursor.execute(
                f'CREATE INDEX {concurrently}IF NOT EXISTS "{name}" ON "{table}" {indexed}'
            )
            # The planner's statistics of the new index: without them SQLite takes any
            # indexed expression for a rare value.
            if connection.vendor == "sqlite":
                cursor.execute(f'ANALYZE "{name}"')
        if connection.vendor == "postgresql":
            cursor.execute(f'ANALYZE "{table}"')


def drop_index(record_type: str, key: str) -> None:
    with connection.cursor() as cursor:
        for suffix in ("", OWNER_SUFFIX):
            cursor.execute(f'DROP INDEX IF EXISTS "{index_name(record_type, key)}{suffix}"')


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
