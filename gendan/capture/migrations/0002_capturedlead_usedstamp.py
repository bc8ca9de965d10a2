# The form that made a lead moves from the lead's column (leads.Lead.capture_form) to a row of
# capture: this migration makes the table and copies every value, before leads' 0009 drops
# the column (`run_before`).

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

BATCH = 2000


def copy_links(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    CapturedLead = apps.get_model("capture", "CapturedLead")
    made = (
        Lead.objects.filter(capture_form__isnull=False)
        .order_by("pk")
        .values_list("pk", "capture_form_id", "created_at")
    )
    batch = []
    for lead_id, form_id, created_at in made.iterator(chunk_size=BATCH):
        batch.append(CapturedLead(lead_id=lead_id, form_id=form_id, created_at=created_at))
        if len(batch) == BATCH:
            CapturedLead.objects.bulk_create(batch)
            batch = []
    CapturedLead.objects.bulk_create(batch)


def copy_links_back(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    CapturedLead = apps.get_model("capture", "CapturedLead")
    links = CapturedLead.objects.order_by("pk").values_list("lead_id", "form_id")
    for lead_id, form_id in links.iterator(chunk_size=BATCH):
        Lead.objects.filter(pk=lead_id).update(capture_form_id=form_id)


class Migration(migrations.Migration):

    dependencies = [
        ('capture', '0001_initial'),
        ('leads', '0008_lead_capture_form'),
    ]
    run_before = [
        ('leads', '0009_remove_lead_capture_form'),
    ]

    operations = [
        migrations.CreateModel(
            name='UsedStamp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('once', models.CharField(max_length=32, unique=True)),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name='CapturedLead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('form', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='captured', to='capture.leadform')),
                ('lead', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='captured', to='leads.lead')),
            ],
            options={
                'indexes': [models.Index(fields=['form', 'lead'], name='capture_captured_form_idx')],
            },
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
