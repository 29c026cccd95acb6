from django.urls import path

from . import rollover_views

urlpatterns = [
    path("periods/roll-over/", rollover_views.next_roll_over_page, name="period-roll-over-next"),
    path("periods/<int:pk>/roll-over/", rollover_views.roll_over_page, name="period-roll-over"),
    path(
        "periods/<int:pk>/roll-over/jobs/<uuid:job_id>/",
        rollover_views.roll_over_job_page,
        name="period-roll-over-job",
    ),
]
