"""Row locks on periods: a roll-over has the period it writes into to itself, and nobody else waits on it.

A roll-over at 2,000 departments writes for minutes (docs/operations.md). It holds its target period's row FOR
UPDATE; everyone else who writes a period's goals, links or levers holds that period's row FOR KEY SHARE, which any
number of writers share and which only a roll-over's lock excludes. A write into the period being rolled over into is
refused at once with a sentence saying so (SKIP LOCKED, so the transaction stays usable), instead of waiting minutes
for a response cut at 30 s (Django's foreign keys are checked at commit, so an insert into the period would only
find out then); writes into every other period go on as before. At the roll-over's commit, the foreign-key checks
of its inserts take FOR KEY SHARE on the rows they reference (departments, people), which the writers' FOR NO KEY
UPDATE locks (departments.locks) do not exclude. PostgreSQL only; no-ops elsewhere, where writes are serialised
anyway.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection

from .models import Period


def hold_periods(*period_ids: int | None, field: str | None = "period") -> None:
    """Before writing goals, links, levers or objectives of these periods: refused (on `field`, or as a whole with
    None) while a roll-over writes into one of them."""
    wanted = sorted({pk for pk in period_ids if pk is not None})
    if not wanted or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:  # Django's select_for_update has no FOR KEY SHARE
        cursor.execute("SELECT id FROM goals_period WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE SKIP LOCKED", [wanted])
        held = {row[0] for row in cursor.fetchall()}
    busy = [pk for pk in wanted if pk not in held and Period.objects.filter(pk=pk).exists()]
    if busy:
        period = Period.objects.get(pk=busy[0])
        message = rolling_over_message(period)
        raise ValidationError({field: message} if field else message)


def rolling_over_message(period: Period) -> str:
    return (
        f"{period} is being rolled over into right now: it can be changed again once that has finished, in a few "
        "minutes. Nothing was saved."
    )


def take_period_whole(period: Period) -> Period:
    """For a roll-over into `period`: waits for writers of the period to finish, then keeps new ones out until this
    transaction ends (two roll-overs into one period queue up)."""
    return Period.objects.select_for_update().get(pk=period.pk)
