"""The benchmark's floor (`make bench`, ops/bench.py): the cheapest answer this server gives through the whole
middleware stack, with no database query and no template, so every page's speed can be read against it."""

from django.db import transaction
from django.http import HttpResponse


@transaction.non_atomic_requests
def bench_floor(request):
    """Always "ok"; public because it reads and reveals nothing."""
    return HttpResponse("ok", content_type="text/plain")
