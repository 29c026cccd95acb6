"""API tokens moved from DRF's authtoken (keys stored in clear) to django-rest-knox (hashed, expiring).

The old table, where it exists, holds keys in clear that no longer authenticate: drop it, and forget that its
migrations ran (so reinstalling rest_framework.authtoken would create it afresh). Nothing to do on a new database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL(
            sql=[
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
