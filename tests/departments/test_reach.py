"""How departments reach the CCO, computed from plain line data."""

from departments.reach import DIRECT, DOTTED, NONE, LineData, compute_reach


def line(source, target, kind="direct", goals=True, pay=True, veto=True):
    return LineData(source, target, kind, goals, pay, veto)


def test_direct_line_to_the_cco_reaches_directly():
    reach = compute_reach([1], [line(1, None)])
    assert reach[1].status == DIRECT
    assert reach[1].path == (1, None)


def test_chain_of_direct_lines_reaches_directly():
    reach = compute_reach([1, 2], [line(1, 2), line(2, None)])
    assert reach[1].status == DIRECT
    assert reach[1].path == (1, 2, None)


def test_dotted_line_anywhere_on_the_chain_makes_it_dotted():
    reach = compute_reach([1, 2], [line(1, 2), line(2, None, "dotted")])
    assert reach[1].status == DOTTED
    assert reach[2].status == DOTTED


def test_direct_chain_is_preferred_over_a_shorter_dotted_line():
    reach = compute_reach([1, 2], [line(1, None, "dotted"), line(1, 2), line(2, None)])
    assert reach[1].status == DIRECT
    assert reach[1].path == (1, 2, None)


def test_department_with_no_chain_does_not_reach():
    reach = compute_reach([1, 2], [line(1, 2)])
    assert reach[1].status == NONE
    assert not reach[1].reaches_cco
    assert not reach[2].reaches_cco


def test_authority_is_what_every_line_on_the_chain_grants():
    reach = compute_reach([1, 2], [line(1, 2, pay=False), line(2, None)])
    assert reach[1].sets_goals and not reach[1].signs_off_compensation
    assert not reach[1].holds_goal_and_pay_authority
    assert reach[2].holds_goal_and_pay_authority


def test_the_compact_reach_kept_in_the_cache_gives_back_every_departments_reach():
    import pickle

    from departments.reach import CompactReach

    lines = [line(1, None), line(2, 1, "dotted", pay=False), line(3, 2)]
    reach = compute_reach([1, 2, 3, 4], lines)
    compact = pickle.loads(pickle.dumps(CompactReach(reach)))  # noqa: S301 - the bytes it has just made
    assert dict(compact) == reach
    assert compact[3].status == DOTTED and compact[3].path == (3, 2, 1, None) and not compact[3].signs_off_compensation
    assert compact.get(4).status == NONE and compact.get(99) is None


def test_of_equally_short_chains_the_first_in_line_order_is_taken():
    lines = [line(1, 3, pay=False), line(1, 2), line(2, None), line(3, None), line(4, 1)]
    reach = compute_reach([1, 4], lines)
    assert reach[1].path == (1, 3, None) and not reach[1].signs_off_compensation
    assert reach[4].path == (4, 1, 3, None)
