"""The scoring models move here from goals, keeping their tables and rows (renamed in 0002)."""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('goals', '0004_bounded_text_and_limits'),
        ('departments', '0003_bounded_text_and_limits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (created by goals' migrations): only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='WorkerHeartbeat',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('hostname', models.CharField(max_length=255, unique=True)),
                        ('pid', models.PositiveIntegerField()),
                        ('started_at', models.DateTimeField()),
                        ('seen_at', models.DateTimeField(db_index=True)),
                    ],
                    options={
                        'db_table': 'goals_workerheartbeat',
                    },
                ),
                migrations.CreateModel(
                    name='RecomputeJob',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('worker', models.CharField(blank=True, help_text='The Celery worker that last started it.', max_length=255)),
                        ('attempts', models.PositiveSmallIntegerField(default=0, help_text='How many times a worker started it: more than one after a worker died or a retry.')),
                        ('result', models.JSONField(blank=True, default=dict)),
                        ('error', models.TextField(blank=True)),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'goals_recomputejob',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='AlignmentScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.DecimalField(decimal_places=1, max_digits=5)),
                        ('components', models.JSONField(default=dict)),
                        ('reasons', models.JSONField(default=list)),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('computed_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='departments.department')),
                    ],
                    options={
                        'db_table': 'goals_alignmentscore',
                        'ordering': ['-computed_at', '-pk'],
                        'get_latest_by': 'computed_at',
                        'indexes': [models.Index(fields=['department', '-computed_at'], name='score_department_latest')],
                    },
                ),
            ],
        ),
    ]
