"""The arithmetic and the table of `make bench` (ops/bench_report.py); the run itself is never part of the suite."""

from __future__ import annotations

import math

from ops.bench import path_shape
from ops.bench_report import markdown_table, page_cell, percentile


def test_percentiles_interpolate_between_ranks():
    latencies = [0.010, 0.020, 0.030, 0.040, 0.100]
    assert percentile(latencies, 0.5) == 0.030
    assert math.isclose(percentile(latencies, 0.95), 0.088)
    assert math.isnan(percentile([], 0.5))


def test_a_page_cell_gives_latency_size_queries_and_share_of_the_floor():
    cell = page_cell([0.04, 0.05, 0.06], asked=3, body_bytes=120 * 1024, queries=18, share_of_floor=0.09)
    assert cell == "50 ms / 59 ms · 120 KB · 18 q · 9%"
    slow = page_cell([3.7], asked=1, body_bytes=2_500_000, queries=44, share_of_floor=0.00037)
    assert slow == "3.70 s / 3.70 s · 2.4 MB · 44 q · 0.037%"


def test_a_page_behind_a_login_also_gives_its_share_of_the_signed_in_floor():
    cell = page_cell([0.004], asked=1, body_bytes=120 * 1024, queries=4, share_of_floor=0.125, share_of_signed_in=0.52)
    assert cell == "4.0 ms / 4.0 ms · 120 KB · 4 q · 12% (52% signed in)"
    assert "signed in" not in page_cell([0.004], asked=1, body_bytes=2, queries=0, share_of_floor=0.5)


def test_a_failing_page_is_recorded_in_its_cell_not_hidden():
    assert page_cell([], asked=30, body_bytes=0, queries=None, share_of_floor=None, error="HTTP 500") == "**HTTP 500**"
    slow = page_cell([31.0], asked=30, body_bytes=10, queries=4, share_of_floor=None, error="no answer")
    assert "(n=1)" in slow and "**no answer**" in slow


def test_the_table_has_one_column_per_size_and_a_dash_where_a_size_has_no_figure():
    table = markdown_table(["20 departments", "2,000 departments"], [("dashboard", {"20 departments": "5 ms | x"})])
    assert table.splitlines() == [
        "| figure | 20 departments | 2,000 departments |",
        "|---|---|---|",
        "| dashboard | 5 ms \\| x | – |",
    ]


def test_row_labels_do_not_depend_on_the_ids_of_one_run():
    assert path_shape("/goals/117/edit/") == path_shape("/goals/9/edit/") == "/goals/<id>/edit/"
