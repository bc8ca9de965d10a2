from django.db import migrations

from gendan.org.choices import DEFAULT_SCOPES, ROLE_NAMES_ZH, RoleCode


def seed_roles(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for code in RoleCode:
        Role.objects.get_or_create(
            code=code.value,
            defaults={
                "name": str(code.label),
                "name_zh": ROLE_NAMES_ZH[code],
                "scope": DEFAULT_SCOPES[code].value,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
