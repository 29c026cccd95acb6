from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = "Customer objectives, goals and alignment"

    def ready(self) -> None:
        from . import link_totals

        link_totals.connect()
