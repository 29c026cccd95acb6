from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Alignment scoring"

    def ready(self) -> None:
        # Registers the tasks that cco.recompute asks for by name, and connects each worker's heartbeat.
        from . import tasks  # noqa: F401
        from .liveness import watch_moments

        watch_moments()
