"""AlignmentScore, RecomputeJob, WorkerHeartbeat (to scoring) and RecomputeRequest (to cco) leave goals;
their tables stay (scoring.0001 and cco.0002 take them over)."""

from django.db import migrations



class Migration(migrations.Migration):

    dependencies = [
        ('scoring', '0001_initial'),
        ('cco', '0002_recompute_request_from_goals'),
        ('goals', '0004_bounded_text_and_limits'),
    ]

    operations = [
        # The tables exist already (created by goals' migrations): only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='alignmentscore',
                    name='department',
                ),
                migrations.RemoveField(
                    model_name='recomputejob',
                    name='requested_by',
                ),
                migrations.DeleteModel(
                    name='RecomputeRequest',
                ),
                migrations.DeleteModel(
                    name='WorkerHeartbeat',
                ),
                migrations.DeleteModel(
                    name='AlignmentScore',
                ),
                migrations.DeleteModel(
                    name='RecomputeJob',
                ),
            ],
        ),
    ]
