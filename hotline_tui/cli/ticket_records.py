"""``hotline ticket show``'s records beside the loop: the supervisions (催办, 督办 with its answer,
提级 and 会商 with their participants, due time and outcome) and every return-visit call."""

from __future__ import annotations

from datetime import datetime

from hotline_tui.cli.output import table
from hotline_tui.domain.display_time import short_time
from hotline_tui.labels import label
from hotline_tui.services.tickets.views import SupervisionView, TicketDetail

__all__ = ["print_supervisions", "print_visits"]

ANSWERED = ("supervise", "escalate", "consult")  # waits for an answer or an outcome


def _parties(depts: list[str], leader: str | None, dept: str | None) -> str:
    named = [*depts, *([f"领导 {leader}"] if leader else [])]
    return "、".join(named) or (dept or "")


def _short(at: datetime | None) -> str:
    """``03-09 09:30``: these tables fit an 80-column terminal with their text."""
    return short_time(at)


def _outcome(s: SupervisionView) -> str:
    if s.answered_at is not None:
        return f"{s.note} → {s.answered_by or ''} {_short(s.answered_at)}：{s.answer or ''}"
    return f"【待反馈】{s.note}" if s.kind in ANSWERED else s.note


def print_supervisions(detail: TicketDetail) -> None:
    """One row per 催办/督办/提级/会商: who is addressed, by when, and the answer or outcome."""
    if not detail.supervisions:
        return
    table(
        ["事项", "时间", "发起", "对象", "反馈期限", "意见 → 结果"],
        [
            (
                label("step", s.kind),
                _short(s.created_at),
                s.created_by,
                _parties(s.depts, s.leader, s.dept),
                _short(s.due_at),
                _outcome(s),
            )
            for s in detail.supervisions
        ],
        title="督办、提级与会商",
    )


def print_visits(detail: TicketDetail) -> None:
    """Every return-visit call, oldest first."""
    if not detail.visits:
        return
    table(
        ["次", "时间", "回访人", "联系", "评价", "结果", "说明"],
        [
            (
                v.attempt,
                _short(v.at),
                v.by,
                label("visit_contact", v.contact),
                "/".join(
                    w
                    for w in (
                        label("resolution", v.resolution),
                        label("satisfaction", v.satisfaction),
                    )
                    if w
                ),
                label("visit_outcome", v.action),
                v.note,
            )
            for v in detail.visits
        ],
        title="回访记录",
    )
