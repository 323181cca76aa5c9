"""Every action code the services can write to the audit trail has a label in the console's
catalogue (issue 15, item 7: the timeline showed ``register``, ``assign``, ``follow_lead``).

The codes are read from the source: every ``….record(<action>, …)`` call under ``hotline_tui``
and ``db`` (outside the console). A literal code, a choice between literals and a module-level
constant are read as they are; the few codes computed at run time are listed in
:data:`COMPUTED` by the file and expression that compute them. A new ``record`` call whose code
cannot be read fails here until it is listed, so no code can reach the screen unworded.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from hotline_tui.domain.errors import Conflict
from hotline_tui.domain.kb import KbAction
from hotline_tui.domain.lifecycle import AssignmentAction, TicketAction
from hotline_tui.labels.actions import EVENTS
from hotline_tui.services.scheduling import escalation
from hotline_tui.ui import i18n

ROOT = Path(__file__).resolve().parents[2]

# (file, expression) → the codes it can be. Checked against the source: a listed expression
# that is no longer there fails too, so this table cannot go stale unnoticed.
COMPUTED: dict[tuple[str, str], set[str]] = {
    # move_ticket / move_assignment record the transition's action.
    ("hotline_tui/services/tickets/common.py", "action.value"): {
        *(a.value for a in TicketAction),
        *(a.value for a in AssignmentAction),
    },
    # The escalation ladder's flags and its public notice.
    ("hotline_tui/services/scheduling/escalation.py", "action"): {
        *escalation.FLAG_ACTIONS.values(),
        escalation.NOTICE_ACTION,
    },
    # A knowledge article's snapshot: created, imported, edited, or a status change.
    ("hotline_tui/services/kb/articles.py", "f'kb.{action}'"): {
        "kb.create",
        "kb.import",
        "kb.edit",
        *(f"kb.{a.value}" for a in KbAction),
    },
}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _codes(node: ast.expr, path: Path, found: dict[tuple[str, str], set[str]]) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body, path, found) | _codes(node.orelse, path, found)
    key = (path.relative_to(ROOT).as_posix(), ast.unparse(node))
    if key in COMPUTED:
        found[key] = COMPUTED[key]
        return COMPUTED[key]
    if isinstance(node, ast.Name):
        value = getattr(importlib.import_module(_module(path)), node.id, None)
        if isinstance(value, str):
            return {value}
    raise AssertionError(f"{key}: an audit code this test cannot read; list it in COMPUTED")


def recorded_codes() -> tuple[set[str], dict[tuple[str, str], set[str]]]:
    codes: set[str] = set()
    used: dict[tuple[str, str], set[str]] = {}
    for top in ("hotline_tui", "db"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "ui" in path.relative_to(ROOT).parts[1:2]:
                continue  # the console records nothing itself
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for call in ast.walk(tree):
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "record"
                ):
                    continue
                action = call.args[0] if call.args else None
                action = action or next((k.value for k in call.keywords if k.arg == "action"), None)
                if action is None:
                    continue  # not the unit of work's record (the demo's bulk store)
                codes |= _codes(action, path, used)
    return codes, used


def test_every_code_the_services_record_has_a_label():
    codes, used = recorded_codes()
    assert {"register", "assign", "follow_lead", "limit_change", "public_notice"} <= codes
    assert set(used) == set(COMPUTED), "a COMPUTED entry no longer matches the source"
    missing = sorted(code for code in codes if code not in EVENTS)
    assert not missing, f"audit codes without a label in labels/actions.py: {missing}"


def test_labels_are_chinese_and_english():
    try:
        for code, (zh, en) in EVENTS.items():
            assert zh and any("\u4e00" <= ch <= "\u9fff" for ch in zh), code
            i18n.set_lang("en")
            assert i18n.event_name(code) == en and en.isascii(), code
            i18n.set_lang("zh")
            assert i18n.event_name(code) == zh
    finally:
        i18n.set_lang("zh")


def test_a_conflict_names_the_last_change_in_words():
    error = Conflict(
        "conflict.version",
        ticket="20260302000001",
        changed_by="h1",
        at="2026-03-02T09:30:00+08:00",
        action="follow_lead",
        seen=1,
        current=2,
    )
    text = i18n.error_text(error)
    assert "工单随主办变更" in text and "follow_lead" not in text
