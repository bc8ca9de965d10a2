"""The SQL expression of one custom field's value, the same in the queries and in its index.

SQLite's planner, seeing a filter on an indexed expression, reads the index even when the
reader's own scope (a rep's own records) is far smaller; `indexed=False` tells it not to. And
it guesses a range (between two numbers) to be narrow, where an equality's index knows how
many rows a value has: `indexed=SORTED` leaves a range's index to the queries sorted by that
field (the page, which reads it in order and stops after a few rows) and counts through the
equality's index.

Django's own JSON key lookups bind the key's path as a parameter (and on SQLite wrap it in a
CASE), which no expression index can match. This expression writes the key into the SQL (a
key is `[a-z][a-z0-9_]*`, checked when the field is made), typed for comparing:

- SQLite: `JSON_EXTRACT(custom, '$."key"')`, which answers numbers as numbers and text as text;
- PostgreSQL: `(custom ->> 'key')`, cast to numeric, boolean or bigint for those types.
"""

from django.db import models
from django.db.models import F, Func

from gendan.fields.choices import FieldType

PG_CASTS = {
    FieldType.NUMBER: "numeric",
    FieldType.MONEY: "numeric",
    FieldType.BOOLEAN: "boolean",
    FieldType.USER: "bigint",
}
OUTPUT = {
    FieldType.NUMBER: models.FloatField,
    FieldType.MONEY: models.FloatField,
    FieldType.BOOLEAN: models.BooleanField,
    FieldType.USER: models.BigIntegerField,
}


def _checked(key: str) -> str:
    if not key.replace("_", "").isalnum() or not key.isascii():
        raise ValueError(f"not a field key: {key!r}")
    return key


def sqlite_sql(column: str, key: str) -> str:
    return f"JSON_EXTRACT({column}, '$.\"{_checked(key)}\"')"


def postgres_sql(column: str, key: str, field_type: str) -> str:
    text = f"({column} ->> '{_checked(key)}')"
    cast = PG_CASTS.get(field_type)
    return f"({text}::{cast})" if cast else text


SORTED = "sorted"


def _sorted_by(query, key: str) -> bool:
    return any(
        isinstance(getattr(item, "expression", None), CustomValue) and item.expression.key == key
        for item in query.order_by
    )


class CustomValue(Func):
    """`CustomValue(key, type)`: the value of a record's custom field, NULL when it has none."""

    # A list filtered by it counts its rows up to GENDAN_CUSTOM_COUNT_LIMIT (core.pagination).
    counted_per_row = True

    def __init__(self, key: str, field_type: str, column: str = "custom", *, indexed=True):
        self.key, self.field_type, self.indexed = _checked(key), field_type, indexed
        output = OUTPUT.get(field_type, models.TextField)()
        super().__init__(F(column), output_field=output)

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        # `+` keeps SQLite from the field's index: for a list whose scope is a few hundred
        # records, reading them through the scope's own index is the faster way.
        indexed = self.indexed
        if indexed == SORTED:
            indexed = _sorted_by(compiler.query, self.key)
        return ("" if indexed else "+") + sqlite_sql(column, self.key), params

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return postgres_sql(column, self.key, self.field_type), params


def index_sql(vendor: str, key: str, field_type: str) -> str:
    """The indexed expression, as CREATE INDEX takes it."""
    if vendor == "postgresql":
        return f"({postgres_sql('custom', key, field_type)})"
    return f"({sqlite_sql('custom', key)})"
