"""The benchmark's floors (`make bench`, ops/bench.py), so every page's speed can be read against them:
- /bench/floor, the cheapest answer this server gives through the whole middleware stack, with no database query
  and no template;
- /bench/floor/signed-in, the same once the server knows who asks: the session, the user and their roles, which every
  signed-in page pays before it reads anything of its own."""

from django.db import transaction
from django.http import HttpResponse

from cco.permissions import rule_required


@transaction.non_atomic_requests
def bench_floor(request):
    """Always "ok"; public because it reads and reveals nothing."""
    return HttpResponse("ok", content_type="text/plain")


@transaction.non_atomic_requests
@rule_required("view_dashboard")
def bench_floor_signed_in(request):
    """ "ok" for anyone who may see the dashboard (as the dashboard asks)."""
    return HttpResponse("ok", content_type="text/plain")
