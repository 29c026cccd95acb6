from django.apps import AppConfig


class CcoConfig(AppConfig):
    """The project's own app: no models; the API token lifecycle and its admin (cco/admin.py), deploy checks."""

    name = "cco"
    verbose_name = "CCO Mandate"

    def ready(self) -> None:
        from cco import checks, shared_reads  # noqa: F401 - checks registers the deploy checks
        from cco.api import token_lifecycle  # imports models: only once the app registry is ready

        token_lifecycle.connect()
        # The data pages show; scores and jobs are not watched: no kept read is computed from them.
        shared_reads.watch(["auth", "departments", "goals", "mandates", "notifications"])
