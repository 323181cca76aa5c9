"""Every code a user can see has its Chinese text in the one catalogue (:mod:`hotline_tui.labels`).

Walks the domain's vocabularies (states, request types, urgencies, caller kinds, roles, endings,
choices, queues, boards, steps, permissions, the console's actions and their inputs) and fails on
a code without text, or whose Chinese text has no Chinese in it, or whose English is not English.
The error codes and the audit codes are read from the source in their own tests.
"""

from __future__ import annotations

from enum import StrEnum

import pytest

from db.models.reference import AREA_LEVELS, DEPT_KINDS
from hotline_tui import labels
from hotline_tui.domain import permissions, states
from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.domain.escalation import Step
from hotline_tui.domain.intake import CALLER_SIZES
from hotline_tui.domain.kb import ArticleStatus, FeedbackKind
from hotline_tui.domain.limits import LIMIT_FIELDS
from hotline_tui.services.tickets import worklists
from hotline_tui.services.tickets.deadlines import Board


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


# vocabulary → the codes the domain and the services define for it.
DOMAIN: dict[str, list[str]] = {
    "state": _values(states.TicketState) + _values(states.AssignmentState),
    "request_type": _values(states.RequestType),
    "urgency": _values(states.Urgency),
    "caller_kind": _values(states.CallerKind),
    "enterprise_size": list(CALLER_SIZES),
    "part_role": _values(states.AssignmentRole),
    "user_role": _values(states.Role),
    "ending": _values(states.Ending),
    "return_reason": _values(states.ReturnReason),
    "visit_contact": _values(states.VisitContact),
    "resolution": _values(states.Resolution),
    "satisfaction": _values(states.Satisfaction),
    "queue": list(worklists.QUEUE_NAMES),
    "board": _values(Board),
    "kb_status": _values(ArticleStatus),
    "feedback": _values(FeedbackKind),
    "step": _values(states.SupervisionKind) + _values(Step),
    "area_level": list(AREA_LEVELS),
    "dept_kind": list(DEPT_KINDS),
    "limit_kind": list(LIMIT_FIELDS),
}


@pytest.mark.parametrize("kind", sorted(DOMAIN))
def test_every_domain_code_has_chinese_text(kind: str) -> None:
    words = labels.vocabulary(kind)
    missing = [code for code in DOMAIN[kind] if code not in words]
    assert not missing, f"{kind}: codes without a label in hotline_tui/labels: {missing}"


def test_every_permission_a_refusal_names_has_words() -> None:
    missing = [
        action
        for action in sorted(permissions.ACTIONS)
        if action not in labels.ACTIONS
        and action not in labels.EVENTS
        and action not in labels.PERMISSIONS
    ]
    assert not missing, f"permissions without a label: {missing}"
    assert "「查看工单」" in labels.describe(
        PermissionDenied("permission.role", user="op", role="operator", action="ticket.read")
    )


def test_every_action_of_the_catalogue_has_words() -> None:
    from hotline_tui.services.tickets.actions.catalogue import ACTIONS

    missing = [name for name in ACTIONS if name not in labels.ACTIONS]
    assert not missing, f"order actions without a label in labels/actions.py: {missing}"


def test_the_console_actions_and_their_inputs_have_words() -> None:
    from hotline_tui.ui.actions import ACTIONS

    for spec in ACTIONS.values():
        assert spec.name in labels.ACTIONS, spec.name
        for field in spec.fields:
            assert field.name in labels.FIELDS, (spec.name, field.name)
            for value in field.choices:
                assert value in labels.vocabulary("yes_no") or any(
                    value in labels.vocabulary(kind)
                    for kind in (
                        "return_reason",
                        "visit_contact",
                        "resolution",
                        "satisfaction",
                        "urgency",
                        "request_type",
                    )
                ), (spec.name, field.name, value)


def test_the_scheduler_jobs_have_words() -> None:
    for job in ("scan", "kpi_snapshot", "kb_expiry", "calendar_coverage", "audit_checkpoint"):
        assert job in labels.vocabulary("job")


@pytest.mark.parametrize(
    "kind", [*sorted(labels.VOCABULARIES), "action", "field", "event", "permission"]
)
def test_every_text_is_chinese_with_an_english_twin(kind: str) -> None:
    for code, (zh, en) in labels.vocabulary(kind).items():
        assert chinese(zh), f"{kind}.{code}: {zh!r} has no Chinese"
        assert en and en.isascii(), f"{kind}.{code}: English {en!r}"
        assert labels.label(kind, code) == zh and labels.label(kind, code, "en") == en


def test_a_code_is_found_by_its_words_and_unknown_words_pass_through() -> None:
    assert labels.code_of("enterprise_size", "中型") == "medium"
    assert labels.code_of("enterprise_size", "medium") == "medium"
    assert labels.code_of("urgency", "特急") == "critical"
    assert labels.code_of("urgency", "很急") == "很急"
    assert labels.label("state", None) == ""
