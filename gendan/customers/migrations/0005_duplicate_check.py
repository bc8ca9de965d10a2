"""The match keys of the duplicate check (查重) of customers (their name) and contacts (phone
and e-mail): added as columns with a default, filled (core/backfill.py), then indexed."""

from django.db import migrations, models

from gendan.core import backfill


def add_column(model: str, table: str, name: str):
    field = models.CharField(blank=True, default="", max_length=200)
    return migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                f"ALTER TABLE {table} ADD COLUMN {name} varchar(200) DEFAULT '' NOT NULL",
                f"ALTER TABLE {table} DROP COLUMN {name}",
            )
        ],
        state_operations=[migrations.AddField(model_name=model, name=name, field=field)],
    )


def fill(apps, schema_editor):
    backfill.company_keys("customers_customer", "name", "name_key")
    backfill.phone_keys("customers_contact")
    backfill.email_keys("customers_contact")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_contact_custom_customer_custom"),
    ]

    operations = [
        add_column("customer", "customers_customer", "name_key"),
        add_column("contact", "customers_contact", "phone_key"),
        add_column("contact", "customers_contact", "email_key"),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["name_key", "owner"], name="customers_name_key_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["phone_key", "customer"], name="contact_phone_key_idx"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["email_key", "customer"], name="contact_email_key_idx"),
        ),
    ]
