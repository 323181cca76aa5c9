"""``hotline nlp stats``: the suggestions' acceptance equals a plain count of the log's rows
(SQLite and PostgreSQL), over the period asked for; in Chinese, or as JSON."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from db.models import NlpSuggestion
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.suggestion_log import Offered
from hotline_tui.services.tickets import intake
from hotline_tui.services.tickets.intake import Disposition

CALLS = [
    # (request type registered, lead registered, what was suggested)
    (
        "complaint",
        "M01",
        (("request_type", "complaint", 0.97, True), ("department", "M01", 0.9, True)),
    ),
    ("help", "M02", (("request_type", "complaint", 0.96, True), ("department", "M01", 0.5, False))),
    (
        "consult",
        "M03",
        (("request_type", "consult", 0.4, False), ("department", "M03", 0.6, False)),
    ),
    ("consult", "M01", (("request_type", "help", 0.3, False),)),
]


def register(hl, who, request_type, lead, offered, phone):
    intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type=request_type,
            description="小区门口的路灯坏了一个月没人修",
            caller=CallerInput(name="王五", phone=phone),
        ),
        Disposition(
            kind="dispatch", lead_dept=lead, suggestions=tuple(Offered(*o) for o in offered)
        ),
    )


def plain_count(hl, task, since, auto=None):
    """Suggestions and those kept, counted row by row (no category rows here: exact match)."""
    with hl.reading() as s:
        rows = [
            r
            for r in s.exec(select(NlpSuggestion)).all()
            if r.task == task and r.at >= since and (auto is None or r.auto_filled == auto)
        ]
    return len(rows), sum(1 for r in rows if r.final == r.suggested)


def local_day(hl):
    return hl.now().astimezone(ZoneInfo(hl.settings.timezone)).date().isoformat()


def test_stats_equal_a_plain_count(cli, hl, who, clock):
    register(hl, who, "consult", "M01", (("request_type", "consult", 0.99, True),), "13600136000")
    before = local_day(hl)
    clock.advance(days=40)  # the first order is outside the period asked for below
    for n, (kind, lead, offered) in enumerate(CALLS):
        register(hl, who, kind, lead, offered, f"1380013800{n}")
    day = local_day(hl)
    found = cli.json("nlp", "stats", "--since", day, "--until", day, user="sup")
    table = {(r["task"], r["way"]): (r["suggested"], r["kept"]) for r in found["rows"]}
    since = hl.now() - timedelta(days=1)
    for task in ("request_type", "department"):
        assert table[task, "auto"] == plain_count(hl, task, since, True)
        assert table[task, "offered"] == plain_count(hl, task, since, False)
        assert table[task, "all"] == plain_count(hl, task, since)
    assert table["request_type", "auto"] == (2, 1) and table["department", "all"] == (3, 2)
    assert table["category", "all"] == (0, 0)
    rates = {(r["task"], r["way"]): r["rate"] for r in found["rows"]}
    assert rates["request_type", "auto"] == 0.5 and rates["category", "auto"] is None
    first = cli.json("nlp", "stats", "--since", before, "--until", before, user="sup")
    assert [(r["task"], r["way"]) for r in first["rows"] if r["suggested"]] == [
        ("request_type", "auto"),
        ("request_type", "all"),
    ]

    shown = cli("nlp", "stats", "--since", day, "--until", day, user="sup").output
    assert f"建议采纳率 {day} 至 {day}" in shown
    assert "诉求类型" in shown and "自动填写" in shown and "50.0%" in shown


def test_an_operator_may_not_read_the_stats(cli):
    result = cli("nlp", "stats", user="op", ok=False)
    assert result.exit_code != 0
