"""The assembled pages: the executive dashboard, the departments list and page, the quarterly review, /healthz.

Views stay thin: cco.permissions.rule_required asks the rule before anything is read; the read models
(pages.dashboard, pages.department_page) load what the page shows in a bounded number of queries.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from cco.ids import plain_id
from cco.kept_pages import kept_page
from cco.permissions import rule_required
from departments.models import Department
from goals.models import Period
from goals.selectors import period_asked
from scoring.models import AlignmentScore

from .dashboard import dashboard as dashboard_data
from .department_page import department_overview, departments_directory
from .freshness import Freshness, freshness, status_line
from .health import health_report
from .heatmap import heatmap_page
from .needs import what_needs_me
from .quarterly_review import quarterly_review
from .ranking import page_picker, search_term


@transaction.non_atomic_requests
def healthz(request):
    """200 while the database answers (broker and workers are reported, not required); 503 JSON when it does not.
    Outside ATOMIC_REQUESTS, so a database outage reaches this view instead of failing before it."""
    report = health_report()
    return JsonResponse(report, status=200 if report["database"] == "ok" else 503)


def _dashboard_asked(request, *, claims: int | None = None, fresh: Freshness | None = None):
    """The dashboard for ?period=, ?q= (a department's name) and ?page= (of the departments, worst-first)."""
    return dashboard_data(
        period_asked(request.GET.get("period")),
        query=search_term(request.GET.get("q")),
        pick=page_picker(request.GET.get("page")),
        claims=claims,
        fresh=fresh,
    )


@transaction.non_atomic_requests  # it reads, mostly from copies: no BEGIN and COMMIT around a copy's few queries
@rule_required("view_dashboard")
def dashboard(request):
    """The dashboard of the current period, or with ?period=<id> of any period as it ended; above it, what waits for
    the signed-in user (its counts serve the navigation too, so they are not counted twice).

    Each viewer's copy is kept until the data or the scores change (cco.kept_pages); the status line is read and
    written for every request."""
    fresh = freshness()

    def context() -> dict:
        needs = what_needs_me(request.user)
        # A CCO's counts hold the organisation's claims already, unless they head a department: its claims wait for
        # another reviewer, and the organisation still counts them.
        counts = needs.counts
        claims = counts.claims if counts.is_cco and not counts.is_head else None
        return {
            "dash": _dashboard_asked(request, claims=claims, fresh=fresh),
            "periods": Period.objects.order_by("-start"),
            "needs": needs,
            "nav_needs": needs.counts,
        }

    return kept_page(
        request,
        "dashboard/index.html",
        context,
        key=_dashboard_key(request, fresh),
        fresh={"status_line": status_line(fresh)},
    )


def _dashboard_key(request, fresh: Freshness) -> tuple | None:
    """What a viewer's dashboard depends on besides the data: the period and page asked for and the scores' state.
    None (not kept) for a search or a page number that is not a plain one, whose variants would each take a copy."""
    page = request.GET.get("page") or "1"
    if search_term(request.GET.get("q")) or plain_id(page) is None or len(page) > 6:
        return None
    period = request.GET.get("period") or ""
    if period:
        period_asked(period)  # 404 for a period that does not exist, before anything is kept under it
    return (period, int(page), *fresh.key)


@rule_required("view_dashboard")
def dashboard_scores(request):
    """The scores region alone, fetched again by htmx once a recompute has finished (same page and search)."""
    return render(request, "dashboard/_scores.html", {"dash": _dashboard_asked(request)})


@rule_required("view_dashboard")
def dashboard_breakdown(request, score_id: int):
    """A department's score broken down, with its reasons: fetched when its row on the dashboard is opened, so that
    the page (and each viewer's copy of it) carries no breakdown nobody opens."""
    score = get_object_or_404(
        AlignmentScore.objects.select_related("department", "period"), pk=score_id, department__isnull=False
    )
    return render(request, "dashboard/_department_breakdown.html", {"score": score})


@rule_required("view_dashboard")
def dashboard_heatmap(request):
    """Every department × the strategy's objectives, a page at a time in the dashboard's order; ?q= searches."""
    heatmap = heatmap_page(
        period_asked(request.GET.get("period")),
        query=search_term(request.GET.get("q")),
        pick=page_picker(request.GET.get("page")),
    )
    return render(request, "dashboard/heatmap.html", {"heatmap": heatmap})


@rule_required("view_dashboard")
def dashboard_status(request):
    """Freshness, polled by htmx; tells the page to re-render its scores once newer ones exist."""
    fresh = freshness()
    response = HttpResponse(status_line(fresh))
    if not fresh.pending and (
        request.GET.get("was_pending") or _newer_than(fresh.computed_at, request.GET.get("since"))
    ):
        response["HX-Trigger"] = "scores-refreshed"
    return response


def _newer_than(moment, since: str | None) -> bool:
    try:
        return moment is not None and since is not None and moment.timestamp() > float(since) + 0.001
    except ValueError:
        return False


@rule_required("view_department")
def department_list(request):
    query = search_term(request.GET.get("q"))
    page, rows = departments_directory(query=query, page_number=request.GET.get("page"))
    return render(request, "departments/list.html", {"rows": rows, "page": page, "query": query})


@rule_required("view_department", Department.objects.prefetch_related("heads"))
def department_detail(request, department: Department):
    """The department in the current period, or with ?period=<id> any other period as it ended (read-only)."""
    return render(
        request,
        "departments/detail.html",
        {"page": department_overview(department, period_asked(request.GET.get("period")))},
    )


@rule_required("view_dashboard", Period)
def quarterly_review_page(request, period: Period):
    """The CCO's printable review of one period, for the CEO; any period, past or current."""
    periods = Period.objects.order_by("-start")
    return render(request, "pages/quarterly_review.html", {"review": quarterly_review(period), "periods": periods})


@rule_required("view_dashboard")
def quarterly_review_current(request):
    """The review of the current period (or the latest one) — where the navigation points."""
    period = Period.objects.filter(is_current=True).first() or Period.objects.order_by("-start").first()
    if period is None:
        return render(request, "pages/quarterly_review.html", {"review": None, "periods": []})
    return redirect("quarterly-review", pk=period.pk)
