from django.apps import AppConfig


class CcoConfig(AppConfig):
    """The project's own app: no models; the API token lifecycle and its admin (cco/admin.py), deploy checks."""

    name = "cco"
    verbose_name = "CCO Mandate"

    def ready(self) -> None:
        from cco import checks  # noqa: F401 - registers the deploy checks
        from cco.api import token_lifecycle  # imports models: only once the app registry is ready

        token_lifecycle.connect()
