from decimal import Decimal as D

import pytest

from goals.progress import goal_progress


@pytest.mark.parametrize(
    ("baseline", "target", "current", "direction", "expected"),
    [
        (D(60), D(80), D(70), "higher", 0.5),
        (D(60), D(80), D(90), "higher", 1.0),
        (D(60), D(80), D(50), "higher", 0.0),
        (D(9), D(6), D(7.5), "lower", 0.5),
        (D(9), D(6), D(10), "lower", 0.0),
        (D(5), D(5), D(5), "higher", 1.0),
        (D(5), D(5), D(4), "higher", 0.0),
        (D(5), D(5), D(4), "lower", 1.0),
        (D(5), D(5), None, "lower", None),
    ],
)
def test_progress_is_direction_aware_and_never_divides_by_zero(baseline, target, current, direction, expected):
    assert goal_progress(baseline=baseline, target=target, current=current, direction=direction) == expected
