"""The match keys of the duplicate check (查重): added as columns with a default (instant on
SQLite and PostgreSQL, no table rewrite), filled by SQL in ranges of ids (core/backfill.py),
and indexed once they are filled."""

from django.conf import settings
from django.db import migrations, models

from gendan.core import backfill

TABLE = "leads_lead"
KEYS = ("phone_key", "email_key", "company_key")


def add_column(name: str):
    field = models.CharField(blank=True, default="", max_length=200)
    return migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                f"ALTER TABLE {TABLE} ADD COLUMN {name} varchar(200) DEFAULT '' NOT NULL",
                f"ALTER TABLE {TABLE} DROP COLUMN {name}",
            )
        ],
        state_operations=[migrations.AddField(model_name="lead", name=name, field=field)],
    )


def fill(apps, schema_editor):
    backfill.phone_keys(TABLE)
    backfill.email_keys(TABLE)
    backfill.company_keys(TABLE, "company", "company_key")


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0010_lead_owned_since"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *(add_column(name) for name in KEYS),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["phone_key", "owner"], name="leads_lead_phone_key_idx"),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["email_key", "owner"], name="leads_lead_email_key_idx"),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["company_key", "owner"], name="leads_lead_company_key_idx"),
        ),
    ]
