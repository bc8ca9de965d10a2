"""On PostgreSQL, an index that answers `phone LIKE '138%'` whatever the database's collation
(the plain index does only under the C collation). SQLite searches by a range on the plain one."""

from django.db import migrations

INDEXES = (
    ("leads_lead_phone_prefix", "leads_lead"),
    ("customers_contact_phone_prefix", "customers_contact"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("phone" varchar_pattern_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0003_leadpoolevent_lead_in_pool_lead_pool_entered_at_and_more"),
        ("customers", "0003_customer_risk_level_customer_risk_reasons"),
    ]

    operations = [migrations.RunPython(create, drop)]
