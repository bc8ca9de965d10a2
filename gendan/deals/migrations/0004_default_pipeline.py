from django.db import migrations

from gendan.deals.defaults import DEFAULT_PIPELINE, DEFAULT_STAGES


def create_default_pipeline(apps, schema_editor):
    Pipeline = apps.get_model("deals", "Pipeline")
    Stage = apps.get_model("deals", "Stage")
    if Pipeline.objects.exists():
        return
    pipeline = Pipeline.objects.create(is_default=True, **DEFAULT_PIPELINE)
    for stage in DEFAULT_STAGES:
        Stage.objects.create(pipeline=pipeline, **stage)


class Migration(migrations.Migration):
    dependencies = [("deals", "0003_initial")]
    operations = [migrations.RunPython(create_default_pipeline, migrations.RunPython.noop)]
