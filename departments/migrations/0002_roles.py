"""Create the four roles as groups (cco/roles.py)."""

from django.db import migrations

from cco.roles import ensure_role_groups


def create_roles(apps, schema_editor):
    ensure_role_groups(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("departments", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
