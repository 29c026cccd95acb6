from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Dashboard and department pages"

    def ready(self) -> None:
        from cco import shared_reads

        from .dashboard import warm_organisation_wide

        shared_reads.warm_after_changes(warm_organisation_wide)
