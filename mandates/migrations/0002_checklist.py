"""Create the CCO's empowerment checklist (mandates/checklist.py)."""

from django.db import migrations

from mandates.checklist import ensure_checklist


def create_items(apps, schema_editor):
    ensure_checklist(apps.get_model("mandates", "MandateItem"))


class Migration(migrations.Migration):
    dependencies = [("mandates", "0001_initial")]
    operations = [migrations.RunPython(create_items, migrations.RunPython.noop)]
