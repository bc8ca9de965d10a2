"""What a backup counts: the rows of every table of the installed models, and the migrations.

The same functions count the snapshot a backup copies and the database a restore wrote, on
SQLite (a `sqlite3` cursor on the copied file) and on PostgreSQL (a cursor inside the snapshot's
transaction), so the two sets of figures compare table by table.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy

# The tables an operator looks at first, in the order of the sales process; printed after a
# backup and a restore, and the ones that tell whether a database holds an organisation's data.
KEY_MODELS = [
    (gettext_lazy("users"), "org", "User"),
    (gettext_lazy("teams"), "org", "Team"),
    (gettext_lazy("leads"), "leads", "Lead"),
    (gettext_lazy("customers"), "customers", "Customer"),
    (gettext_lazy("contacts"), "customers", "Contact"),
    (gettext_lazy("deals"), "deals", "Deal"),
    (gettext_lazy("follow-ups"), "activities", "Activity"),
    (gettext_lazy("tasks"), "activities", "Task"),
    (gettext_lazy("quotes"), "sales", "Quote"),
    (gettext_lazy("contracts"), "sales", "Contract"),
    (gettext_lazy("payments"), "sales", "Payment"),
    (gettext_lazy("attachments"), "activities", "Attachment"),
]


def counted_tables() -> list[str]:
    """Every table Django manages for the installed apps, many-to-many tables included."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def key_tables() -> list[tuple[str, str]]:
    """(label, table) of the tables in KEY_MODELS."""
    return [
        (str(label), apps.get_model(app, name)._meta.db_table) for label, app, name in KEY_MODELS
    ]


def quote(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def count_rows(cursor, existing: set[str], tables: list[str] | None = None) -> dict[str, int]:
    """{table: rows} of each table in `tables` (default: all counted) that exists."""
    counts = {}
    for table in counted_tables() if tables is None else tables:
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, existing: set[str]) -> list[list[str]]:
    """[app, name] of every applied migration, in the order they were applied."""
    if "django_migrations" not in existing:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [[app, name] for app, name in cursor.fetchall()]


def key_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, rows) of the key tables, for the summary an operator reads."""
    return [(label, counts.get(table, 0)) for label, table in key_tables()]


def holds_data(cursor, existing: set[str]) -> dict[str, int]:
    """{label: rows} of the key tables that have rows: empty when the database holds no
    organisation's data (a migrated database has only its reference data: roles, pipeline)."""
    tables = {table: label for label, table in key_tables()}
    counts = count_rows(cursor, existing, list(tables))
    return {tables[table]: rows for table, rows in counts.items() if rows}
