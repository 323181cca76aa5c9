"""The order tools the console added to the core, on SQLite and PostgreSQL: undoing a merge,
a reveal that needs its reason, and reading a material back for a viewer."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from db.models import AuditEvent
from hotline_tui.domain.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from hotline_tui.services.tickets import intake, materials, queries
from tests.services.tickets.helpers import load, new_order


def _merged(hl, who) -> tuple[str, str]:
    lead = new_order(hl, who, lead="M01")
    duplicate = new_order(hl, who, phone="13900139000")
    intake.merge(hl, who["disp"], duplicate, lead, "同一问题")
    return lead, duplicate


def test_unmerge_sends_the_duplicate_back_to_dispatch_and_is_audited(hl, who):
    lead, duplicate = _merged(hl, who)
    version = load(hl, duplicate)[0].version
    result = intake.unmerge(hl, who["disp"], duplicate, "并错了", if_version=version)
    ticket, _ = load(hl, duplicate)
    assert (result.state, ticket.state, ticket.parent_id) == (
        "pending_dispatch",
        "pending_dispatch",
        None,
    )
    assert queries.show(hl, who["disp"], lead).duplicates == []
    with hl.reading() as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))]
    assert actions[-2:] == ["unmerge", "merged_out"]


def test_unmerge_refusals(hl, who):
    lead, duplicate = _merged(hl, who)
    with pytest.raises(ValidationError):
        intake.unmerge(hl, who["disp"], duplicate, "  ")  # the reason is required
    with pytest.raises(PermissionDenied):
        intake.unmerge(hl, who["op"], duplicate, "并错了")  # operators do not merge
    with pytest.raises(IllegalTransition):
        intake.unmerge(hl, who["disp"], lead, "不是并单")
    with pytest.raises(Conflict) as err:
        intake.unmerge(hl, who["disp"], duplicate, "并错了", if_version=1)
    assert err.value.params["changed_by"] == "disp" and err.value.params["action"] == "merge"


def test_reveal_needs_a_reason(hl, who):
    number = new_order(hl, who, lead="M01")
    with pytest.raises(ValidationError) as err:
        queries.reveal(hl, who["h1"], number, " \x07\t ")
    assert err.value.params["field"] == "reason"
    caller = queries.reveal(hl, who["h1"], number, "回电核实").caller
    assert caller is not None and caller.phone == "13800138000"


def test_read_material_for_every_department_on_the_order(hl, who, tmp_path):
    number = new_order(hl, who, lead="M01", co=["M02"])
    source = tmp_path / "现场照片说明.txt"
    source.write_text("井盖缺失，位于东门。", encoding="utf-8")
    added = materials.add_material(hl, who["op"], number, source)
    for user in ("h1", "h2", "disp"):
        view, path, head = materials.read_material(hl, who[user], number, added.sha256)
        assert view.filename == "现场照片说明.txt" and path.is_file()
        assert head.decode("utf-8") == "井盖缺失，位于东门。"
    _view, _path, head = materials.read_material(hl, who["h1"], number, added.sha256, limit=6)
    assert head == "井盖".encode()
    other = new_order(hl, who, lead="M02")
    with pytest.raises(NotFound):  # the digest exists, but not on this order
        materials.read_material(hl, who["disp"], other, added.sha256)
    with pytest.raises(NotFound):  # an order the handler's department has no part in
        materials.read_material(hl, who["h1"], other, added.sha256)
