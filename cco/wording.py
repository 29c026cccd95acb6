"""Words for people: a person's name instead of their login, and numbers as a person reads them.

Every sentence a person reads (pages, messages, score reasons, attention items, the API's `detail`, emails) names
people with `person` and prints numbers with `number`, `points`, `percent` or `as_percent`; templates use the
`person`, `num` and `percent` filters of cco.templatetags.cco. Pure Python: the scoring engine's reasons use it too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def person(user) -> str:
    """A user's full name, or their username when no name is recorded ("someone" when there is no user)."""
    if user is None:
        return "someone"
    full_name = getattr(user, "get_full_name", None)
    name = (full_name() if callable(full_name) else "") or ""
    return name.strip() or user.get_username()


def person_named(username: str, first_name: str = "", last_name: str = "") -> str:
    """`person` for a row read with values(): the full name, or the username."""
    return f"{first_name or ''} {last_name or ''}".strip() or username


def number(value, places: int = 2) -> str:
    """A number as a person reads it: rounded half up to `places` decimals, without trailing zeros.
    20.00 → "20", 68.75 → "68.75", 0.50 → "0.5"; with places=1, 68.75 → "68.8"."""
    if value is None or value == "":
        return "–"
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not exact.is_finite():
        return str(value)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points(value) -> str:
    """Score points, to one decimal: 68.75 → "68.8", 95.0 → "95"."""
    return number(value, 1)


def percent(value, places: int = 1) -> str:
    """A value already in percent: 20.00 → "20%", 12.5 → "12.5%"."""
    return f"{number(value, places)}%"


def as_percent(fraction, places: int = 0) -> str:
    """A fraction as a percentage, rounded half up like every other number: 0.4834 → "48%", 0.245 → "25%".

    The page's breakdown and the score's reasons both print through here, so they never disagree by one."""
    if fraction is None or fraction == "":
        return "–"
    try:
        exact = Decimal(str(fraction))
    except InvalidOperation:
        return str(fraction)
    return percent(exact * 100 if exact.is_finite() else exact, places)


def counted(*items: tuple[int, str, str]) -> list[str]:
    """Each `(count, one, many)` with a count, said as a person says it: (2, "check-in", "check-ins") → "2 check-ins";
    for the refusals that name what an object holds."""
    return [f"{count} {one if count == 1 else many}" for count, one, many in items if count]
