# The form that made a lead is kept by capture (CapturedLead) since capture's 0002, which
# copies this column's values and runs before this migration (its `run_before`): the leads
# migrations need not name capture's to drop it.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('leads', '0008_lead_capture_form'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='lead',
            name='capture_form',
        ),
    ]
