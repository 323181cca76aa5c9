"""Limits, defaults, due times of an assignment's life, and which rule applies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.limits import (
    DEFAULT_LIMITS,
    ClockInputs,
    Limit,
    TimeLimits,
    Unit,
    default_limits,
    dispatch_due,
    extend,
    paused_seconds,
    recompute,
    resume,
    start_clock,
    start_completion,
    visit_due,
)
from hotline_tui.domain.sla_rules import RuleSpec, resolve_limits
from hotline_tui.domain.workcal import SHANGHAI, WorkCalendar, WorkingHours, builtin_years

CAL = WorkCalendar(WorkingHours.parse("09:00-17:00"), builtin_years())


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


def shown(moment: datetime | None) -> str:
    assert moment is not None
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def test_limits_parse_and_print():
    assert Limit.parse("2wd") == Limit(2, Unit.WD)
    assert Limit.parse(" 24 H ") == Limit(24, Unit.H)
    assert Limit.parse("１５ｄ") == Limit(15, Unit.D)  # full-width input, NFKC
    assert str(Limit.parse("8wh")) == "8wh"
    assert Limit.parse("2wd").seconds(7 * 3600) == 14 * 3600
    for bad, code in [
        ("2w", "validation.limit"),
        ("wd", "validation.limit"),
        ("-1wd", "validation.limit"),
        ("1.5wd", "validation.limit"),
        ("0wd", "validation.limit_range"),
        ("1000d", "validation.limit_range"),
    ]:
        with pytest.raises(ValidationError) as caught:
            Limit.parse(bad, field="complete")
        assert caught.value.code == code
        assert caught.value.params["field"] == "complete"


def test_defaults_follow_design_section_4():
    assert str(default_limits("consult").complete) == "3wd"
    assert str(default_limits("help").complete) == "3wd"
    assert str(default_limits("suggestion").complete) == "5wd"
    assert str(default_limits("complaint").complete) == "13wd"
    assert str(default_limits("report").complete) == "13wd"
    assert str(default_limits("complaint", "urgent").complete) == "24h"
    assert str(default_limits("consult", "critical").complete) == "2h"
    normal = default_limits("other")
    assert (str(normal.dispatch), str(normal.sign), str(normal.return_window)) == (
        "1wd",
        "1wd",
        "2wd",
    )
    assert (str(normal.extension_max), str(normal.visit), normal.warn_fraction) == (
        "10wd",
        "1wd",
        0.2,
    )
    assert len(DEFAULT_LIMITS) == 7 * 3
    assert default_limits("unknown-type") == default_limits("other")


def test_time_limits_check_their_values():
    p = Limit.parse
    with pytest.raises(ValidationError):
        TimeLimits(p("1wd"), p("1wd"), p("2wd"), p("5wd"), p("10d"), p("1wd"))
    with pytest.raises(ValidationError):
        TimeLimits(p("1wd"), p("1wd"), p("2wd"), p("5wd"), p("10wd"), p("1wd"), 1.0)


def test_an_assignment_clock_from_dispatch_to_extension():
    limits = default_limits("suggestion")  # 5 wd, warn at 20 % left
    due = start_clock(CAL, limits, local("2025-09-29 09:00"))
    assert shown(due.sign_due_at) == "2025-09-29 17:00"
    # 40 wh: Mon 8, Tue 16, 10-01..08 off, Thu 24, Fri 32 (warn), make-up Saturday 40 (due).
    assert shown(due.warn_at) == "2025-10-10 17:00"
    assert shown(due.due_at) == "2025-10-11 17:00"
    assert not due.provisional
    longer = extend(CAL, due, 2)  # Sunday 10-12 is not a working day
    assert shown(longer.due_at) == "2025-10-14 17:00"
    assert shown(longer.warn_at) == "2025-10-13 17:00"
    assert longer.sign_due_at == due.sign_due_at
    assert due.due_at is not None and longer.due_at is not None
    assert CAL.working_seconds(due.due_at, longer.due_at) == 2 * 8 * 3600
    assert extend(CAL, due, 0) == due


def test_the_clock_may_start_at_signing():
    limits = default_limits("consult")
    due = start_clock(CAL, limits, local("2025-09-29 09:00"), clock_started=False)
    assert due.due_at is None and due.warn_at is None
    signed = start_completion(CAL, limits, due, local("2025-09-30 10:00"))
    assert signed.sign_due_at == due.sign_due_at
    assert shown(signed.due_at) == "2025-10-11 10:00"  # 3 wd: Tue 7 h, Thu 8, Fri 8, Sat 1


def test_natural_limits_run_day_and_night():
    limits = default_limits("help", "critical")  # sign 1 h, complete 2 h
    due = start_clock(CAL, limits, local("2025-10-01 20:00"))
    assert shown(due.sign_due_at) == "2025-10-01 21:00"
    assert shown(due.due_at) == "2025-10-01 22:00"
    assert shown(due.warn_at) == "2025-10-01 21:36"  # 20 % of 2 h left


def test_a_pause_shifts_the_due_time_by_the_working_time_paused():
    limits = default_limits("suggestion")
    due = start_clock(CAL, limits, local("2025-09-29 09:00"))
    paused_from, resumed = local("2025-10-09 10:00"), local("2025-10-09 14:00")
    assert paused_seconds(CAL, limits.complete, paused_from, resumed) == 4 * 3600
    later = resume(CAL, due, paused_from, resumed, limit=limits.complete)
    assert shown(later.due_at) == "2025-10-13 13:00"
    # A night-long pause costs a working-day limit nothing.
    night = resume(
        CAL, due, local("2025-09-29 18:00"), local("2025-09-30 08:00"), limit=limits.complete
    )
    assert night == due
    critical = default_limits("help", "critical")
    fast = start_clock(CAL, critical, local("2025-10-01 20:00"))
    shifted = resume(
        CAL, fast, local("2025-10-01 20:10"), local("2025-10-01 20:40"), limit=critical.complete
    )
    assert shown(shifted.due_at) == "2025-10-01 22:30"


def test_recompute_from_stored_inputs_equals_the_steps():
    limits = default_limits("complaint")
    start = local("2025-09-26 15:20")
    steps = start_clock(CAL, limits, start)
    steps = resume(
        CAL, steps, local("2025-10-09 10:00"), local("2025-10-10 10:00"), limit=limits.complete
    )
    steps = extend(CAL, steps, 3)
    inputs = ClockInputs(
        dispatched_at=start,
        sign_limit=limits.sign,
        complete=limits.complete,
        warn_fraction=limits.warn_fraction,
        clock_started_at=start,
        extension_wd=3,
        paused=8 * 3600,
        return_limit=limits.return_window,
    )
    assert recompute(CAL, inputs) == steps


def test_dispatch_and_visit_due():
    limits = default_limits("consult")
    assert shown(dispatch_due(CAL, local("2025-09-30 20:00"), limits).at) == "2025-10-09 17:00"
    # The return visit is due on the working day after the reply, by its end.
    assert shown(visit_due(CAL, local("2025-09-30 15:00"), limits).at) == "2025-10-09 17:00"
    assert shown(visit_due(CAL, local("2025-10-04 11:00"), limits).at) == "2025-10-09 17:00"
    assert shown(visit_due(CAL, local("2025-09-26 09:30"), limits).at) == "2025-09-28 17:00"
    due = visit_due(CAL, local("2099-01-02 10:00"), limits)
    assert shown(due.at) == "2099-01-05 17:00" and due.provisional


# ------------------------------------------------------------------------------------ rules

LEAF, MIDDLE, ROOT, ELSEWHERE = 3, 2, 1, 9
CHAIN = [LEAF, MIDDLE, ROOT]


def rule(request_type, category, urgency="any", warn=None, **limits):
    parsed = {k: Limit.parse(v) for k, v in limits.items()}
    return RuleSpec(request_type, category, urgency, parsed, warn)


def complete(rules, request_type="complaint", urgency="normal", chain=CHAIN):
    return str(resolve_limits(rules, request_type, chain, urgency).complete)


def test_without_rules_the_defaults_apply():
    assert complete([]) == "13wd"
    assert complete([], urgency="urgent") == "24h"
    assert complete([], request_type="consult", urgency="critical") == "2h"


def test_a_rule_is_inherited_down_the_category_tree():
    root = rule("complaint", ROOT, complete="10wd")
    assert complete([root]) == "10wd"
    assert complete([root], chain=[ELSEWHERE]) == "13wd"
    leaf = rule("complaint", LEAF, complete="7wd")
    assert complete([root, leaf]) == "7wd"
    assert complete([root, leaf], chain=[MIDDLE, ROOT]) == "10wd"
    assert complete([rule("complaint", ELSEWHERE, complete="1wd")]) == "13wd"
    # Limits the rule leaves unset are inherited: the sign limit stays the default.
    assert str(resolve_limits([leaf], "complaint", CHAIN, "normal").sign) == "1wd"


def test_an_urgency_rule_beats_a_category_rule():
    leaf = rule("complaint", LEAF, complete="7wd")
    assert complete([leaf], urgency="critical") == "2h"
    critical = rule("any", None, "critical", complete="3h")
    assert complete([leaf, critical], urgency="critical") == "3h"
    leaf_critical = rule("complaint", LEAF, "critical", complete="1h")
    assert complete([leaf, critical, leaf_critical], urgency="critical") == "1h"


def test_a_type_rule_beats_an_any_type_rule_and_warn_is_inherited():
    rules = [
        rule("any", ROOT, complete="9wd", warn=0.3),
        rule("complaint", ROOT, complete="8wd"),
    ]
    limits = resolve_limits(rules, "complaint", CHAIN, "normal", warn_fraction=0.1)
    assert (str(limits.complete), limits.warn_fraction) == ("8wd", 0.3)
    assert resolve_limits([], "complaint", CHAIN, "normal", warn_fraction=0.1).warn_fraction == 0.1
    assert complete(rules, request_type="consult") == "9wd"
