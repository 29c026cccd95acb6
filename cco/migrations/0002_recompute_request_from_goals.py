"""RecomputeRequest moves from goals to the project package (cco.recompute writes it for every app)."""

import django.utils.timezone
from django.db import migrations, models



class Migration(migrations.Migration):



    dependencies = [
        ('goals', '0004_bounded_text_and_limits'),
        ('cco', '0001_drop_drf_authtoken'),
    ]

    operations = [
        # The tables exist already (created by goals' migrations): only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='RecomputeRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('department_id', models.BigIntegerField(blank=True, help_text='Empty: an organisation-wide change.', null=True)),
                        ('requested_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ],
                    options={
                        'db_table': 'goals_recomputerequest',
                    },
                ),
            ],
        ),
    ]
