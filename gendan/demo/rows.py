"""Rows written straight into the tables: the demo's millions of rows without a model instance
each.

`Rows.add(model, **values)` gives the row its id at once (so the rows written after it can
name it), fills the columns it is not given with the fields' defaults and buffers it;
`flush()` writes every buffer, parents first: `executemany` on SQLite, `COPY` on PostgreSQL.
The plain indexes (and on PostgreSQL the foreign keys) are set aside while writing and
restored by `finish()`, which also gathers the planner's statistics.

Values are given by attribute name (`owner_id`, not `owner`): ints, strings, booleans, naive
UTC datetimes (`Demo.at` gives them), dates, Decimals, and lists or dicts for JSON.
"""

import json
from datetime import UTC, datetime

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from gendan.deals.totals import deals_changed
from gendan.org.people import people_changed


def _json(value):
    return json.dumps(value)  # as Django writes it


def _sqlite_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


def _postgres_datetime(value: datetime) -> str:
    return _sqlite_datetime(value) + "+00"


def _converter(field: models.Field, vendor: str):
    """How a value of `field` is written, or None when it is written as it is."""
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateTimeField):
        return _postgres_datetime if vendor == "postgresql" else _sqlite_datetime
    if isinstance(field, models.DateField | models.DecimalField):
        return str
    if field.choices:
        return str  # a choices member: its value
    return None


class Table:
    """One model's buffer: its columns, their defaults, the next id."""

    def __init__(self, model, vendor: str):
        self.model = model
        self.vendor = vendor
        fields = list(model._meta.concrete_fields)
        self.pk = model._meta.pk.attname
        self.attnames = [f.attname for f in fields]
        self.sql_columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        self.sql_table = connection.ops.quote_name(model._meta.db_table)
        now = timezone.now()
        self.defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            else:
                self.defaults[f.attname] = f.get_default()
        self.converters = [
            (i, conv) for i, f in enumerate(fields) if (conv := _converter(f, vendor)) is not None
        ]
        self.next_id = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.rows: list[list] = []
        self.count = 0

    def add(self, values: dict) -> int:
        pk = values.get(self.pk)
        if pk is None:
            pk = values[self.pk] = self.next_id
            self.next_id += 1
        defaults = self.defaults
        self.rows.append([values[a] if a in values else defaults[a] for a in self.attnames])
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        rows = self.rows
        for row in rows:
            for i, conv in self.converters:
                value = row[i]
                if value is not None and type(value) is not str:
                    row[i] = conv(value)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                sql = f"COPY {self.sql_table} ({self.sql_columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.attnames))
                sql = f"INSERT INTO {self.sql_table} ({self.sql_columns}) VALUES ({marks})"
                cursor.executemany(sql, rows)
        self.count += len(rows)
        self.rows = []


class Rows:
    """Buffers per model, written parents first (the order of `models`) whenever `flush` or
    `flush_if_full` is called between records: a row never names one not yet written, so
    foreign keys are checked with one lookup each and nothing waits for the commit."""

    def __init__(self, models_: list, limit: int = 20000):
        self.limit = limit
        self.vendor = connection.vendor
        self.tables: dict[type, Table] = {}
        for model in models_:
            self.table(model)
        self.pending = 0
        self.dropped: list[str] = []  # the statements that restore what was dropped

    def drop_indexes(self) -> None:
        """Drop the plain (not unique) indexes of the tables until `finish`: an index built
        once over millions of rows costs far less than one kept up to date row by row. On
        PostgreSQL the foreign keys too: checked once when added back, not row by row."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            _check_pending_keys(cursor)
            for table in self.tables.values():
                name = table.model._meta.db_table
                if self.vendor == "postgresql":
                    for key, sql in _foreign_keys(cursor, name):
                        cursor.execute(f"ALTER TABLE {quote(name)} DROP CONSTRAINT {quote(key)}")
                        self.dropped.append(f"ALTER TABLE {quote(name)} ADD CONSTRAINT {sql}")
                for index, sql in _plain_indexes(cursor, name):
                    cursor.execute(f"DROP INDEX {quote(index)}")
                    self.dropped.insert(0, sql)  # indexes first: the keys are checked faster

    def table(self, model) -> Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(model, self.vendor)
        return table

    def add(self, model, **values) -> int:
        """Buffer one row; answers its id."""
        self.pending += 1
        return self.tables[model].add(values)

    def reserve(self, model) -> int:
        """An id for a row added later (`add(model, id=...)`), for rows that name it first."""
        table = self.tables[model]
        table.next_id += 1
        return table.next_id - 1

    def flush_if_full(self) -> None:
        if self.pending >= self.limit:
            self.flush()

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()
        self.pending = 0

    def link(self, model, column: str, pairs: list[tuple[int, int]]) -> None:
        """Set `column` of rows already written, from (id, value) pairs."""
        if not pairs:
            return
        self.flush()
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        name = quote(model._meta.get_field(column).column)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {table} SET {name} = v.value FROM (SELECT unnest(%s::bigint[]) AS id,"
                    f" unnest(%s::bigint[]) AS value) v WHERE {table}.id = v.id",
                    [[pk for pk, _v in pairs], [v for _pk, v in pairs]],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET {name} = %s WHERE id = %s", [(v, pk) for pk, v in pairs]
                )

    def count(self, model) -> int:
        table = self.tables.get(model)
        return (table.count + len(table.rows)) if table else 0

    def finish(self) -> None:
        """Write what is pending, restore the indexes (and keys) dropped, gather the planner's
        statistics; on PostgreSQL, move the id sequences past the ids given."""
        self.flush()
        with connection.cursor() as cursor:
            _check_pending_keys(cursor)
            for sql in self.dropped:
                cursor.execute(sql)
            self.dropped = []
            if self.vendor == "sqlite":
                cursor.execute("ANALYZE")  # whole: sampled figures mislead the planner
            elif self.vendor == "postgresql":
                for table in self.tables.values():
                    cursor.execute(f"ANALYZE {table.sql_table}")
                models_ = [table.model for table in self.tables.values()]
                for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                    cursor.execute(sql)

        # Kept figures made of what was loaded are forgotten, as the services would.
        deals_changed()
        people_changed()


def _check_pending_keys(cursor) -> None:
    """PostgreSQL alters no table with foreign-key checks still waiting for the commit (the
    organisation's rows, say): check them now, and defer the later ones again."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _foreign_keys(cursor, table: str) -> list[tuple[str, str]]:
    """(name, "name FOREIGN KEY ... REFERENCES ...") of the foreign keys of `table`."""
    cursor.execute(
        "SELECT conname, quote_ident(conname) || ' ' || pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    return list(cursor.fetchall())


def _plain_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of `table` that back no key or constraint."""
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
    elif connection.vendor == "postgresql":
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = %s AND NOT x.indisprimary AND NOT x.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
            [table],
        )
    else:
        return []
    return list(cursor.fetchall())
