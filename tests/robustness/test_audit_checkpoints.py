"""Checkpoints cannot be used to hide a rewound trail, and verify reads all of them.

An attacker with database access but without the key deletes the newest events and fixes the
head row, then waits for (or takes) the next checkpoint; or wipes the whole trail. Each is
found: a checkpoint refuses to record a head that went backwards or forked, verify compares
every checkpoint with its event, the checkpoint file is chained under the key, and orders
without their registration events are reported. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, text

from db.models import AuditEvent
from hotline_tui.domain.audit_checkpoints import CheckpointRecord, seal
from hotline_tui.domain.errors import AuditMismatch
from hotline_tui.services.admin import audit, status
from hotline_tui.services.scheduling import daily as scheduler_daily
from hotline_tui.services.scheduling import jobs as scheduler
from hotline_tui.services.tickets import intake
from tests.cli import conftest as cli_conftest
from tests.robustness.test_audit_tamper import make_orders
from tests.robustness.workers import order_input

cli = cli_conftest.cli  # the CLI runner fixture, shared with tests/cli

EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]


def sql(hl, statement: str, **params: Any) -> None:
    with hl.engines.write.begin() as conn:
        conn.execute(text(statement), params)


def mac_of(hl, seq: int) -> str:
    with hl.engines.read.connect() as conn:
        return str(conn.execute(select(EVENTS.c.mac).where(EVENTS.c.seq == seq)).scalar_one())


def cut_tail(hl, keep: int) -> None:
    """Delete every event after ``keep`` and point the head row at ``keep``."""
    sql(hl, "DELETE FROM audit_event WHERE seq > :keep", keep=keep)
    mac = mac_of(hl, keep) if keep else ""
    sql(hl, "UPDATE audit_head SET seq = :seq, mac = :mac WHERE id = 1", seq=keep, mac=mac)


def head_seq(hl) -> int:
    with hl.reading() as session:
        return audit.read_head(session).seq


def lines(hl) -> list[dict[str, Any]]:
    text_ = hl.settings.checkpoint_path.read_text()
    return [json.loads(line) for line in text_.splitlines() if line.strip()]


def write_lines(hl, records: list[dict[str, Any]]) -> None:
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    hl.settings.checkpoint_path.write_text(body)


@pytest.fixture
def two_checkpoints(hl, who) -> tuple[int, int]:
    """Orders, a checkpoint, more orders, another: their heads."""
    make_orders(hl, who, 2)
    first = audit.checkpoint(hl)
    make_orders(hl, who, 2)
    second = audit.checkpoint(hl)
    assert (first.n, second.n) == (1, 2) and second.seq > first.seq + 5
    assert audit.verify(hl).ok
    return first.seq, second.seq


def test_a_deleted_tail_is_not_hidden_by_the_next_checkpoint(hl, two_checkpoints):
    _, head = two_checkpoints
    cut_tail(hl, head - 3)
    assert audit.verify(hl, use_checkpoint=False).ok  # the rest of the chain is sound
    with pytest.raises(AuditMismatch) as refused:
        audit.checkpoint(hl)
    assert refused.value.code == "audit.checkpoint_rewound"
    assert refused.value.params["seq"] == head - 3
    assert refused.value.params["checkpoint_seq"] == head
    assert len(lines(hl)) == 2  # nothing recorded
    report = audit.verify(hl)
    assert (report.ok, report.reason, report.bad_seq) == (False, "checkpoint", head - 2)


def test_a_forked_head_is_refused_and_verify_checks_every_checkpoint(hl, who, two_checkpoints):
    first, second = two_checkpoints
    cut_tail(hl, first - 2)
    # The program goes on writing from the rewound head: the numbers pass both checkpoints.
    while head_seq(hl) < second:
        intake.register(hl, who["op"], order_input("截断之后的工单"))
    with pytest.raises(AuditMismatch) as refused:
        audit.checkpoint(hl)
    assert refused.value.code == "audit.checkpoint_forked"
    # A checkpoint of the forked head written anyway (as a version that did not refuse would
    # have): the newest checkpoint now agrees with the chain, the first one does not.
    records = lines(hl)
    with hl.reading() as session:
        head = audit.read_head(session)
    forged = seal(hl.key.secret, record_of(records[-1]), seq=head.seq, mac=head.mac, at=hl.now())
    write_lines(hl, [*records, json.loads(forged.to_line())])
    report = audit.verify(hl)
    assert (report.ok, report.reason, report.bad_seq) == (False, "checkpoint", first)
    assert "no. 1" in report.detail


def record_of(raw: dict[str, Any]) -> CheckpointRecord:
    names = ("n", "seq", "mac", "at", "key_id", "prev", "cmac")
    return CheckpointRecord(**{name: raw[name] for name in names})


def test_a_wiped_trail_is_reported_through_the_orders(hl, who, two_checkpoints):
    with hl.reading() as session:
        orders = int(session.execute(text("SELECT count(*) FROM ticket")).scalar_one())
    cut_tail(hl, 0)
    report = audit.verify(hl)
    assert (report.ok, report.reason) == (False, "checkpoint")
    hl.settings.checkpoint_path.unlink()  # the checkpoints gone too
    report = audit.verify(hl)
    assert (report.ok, report.reason, report.checked) == (False, "orders", 0)
    assert report.detail.startswith(f"{orders} orders without their registration events")


def test_a_deleted_order_is_reported(hl, who, two_checkpoints):
    with hl.reading() as session:
        ticket_id = session.execute(text("SELECT max(id) FROM ticket")).scalar_one()
    for table in ("supervision", "material", "assignment"):
        sql(hl, f"DELETE FROM {table} WHERE ticket_id = :i", i=ticket_id)
    sql(hl, "UPDATE ticket SET parent_id = NULL WHERE parent_id = :i", i=ticket_id)
    sql(hl, "DELETE FROM ticket WHERE id = :i", i=ticket_id)
    report = audit.verify(hl)
    assert (report.ok, report.reason) == (False, "orders_gone")
    assert f"#{ticket_id}" in report.detail


@pytest.mark.parametrize("edit", ["drop_middle", "edit_newest", "forge_newest", "reorder"])
def test_an_edited_checkpoint_file_is_found_and_not_appended_to(hl, who, two_checkpoints, edit):
    intake.register(hl, who["op"], order_input("第三个检查点之前"))
    audit.checkpoint(hl)
    records = lines(hl)
    if edit == "drop_middle":
        records = [records[0], records[2]]
    elif edit == "edit_newest":
        records[-1]["seq"] -= 1
    elif edit == "forge_newest":  # a copy of the newest with a lower head, no key to seal it
        records.append(records[-1] | {"n": 4, "prev": records[-1]["cmac"]})
    else:
        records[1], records[2] = records[2], records[1]
    write_lines(hl, records)
    report = audit.verify(hl)
    assert (report.ok, report.reason) == (False, "checkpoint_file"), report
    with pytest.raises(AuditMismatch) as refused:
        audit.checkpoint(hl)
    assert refused.value.code == "audit.checkpoint_file"


def test_a_head_row_that_disagrees_with_the_events_is_not_recorded(hl, two_checkpoints):
    _, head = two_checkpoints
    sql(hl, "UPDATE audit_head SET seq = :s WHERE id = 1", s=head - 1)
    with pytest.raises(AuditMismatch) as refused:
        audit.checkpoint(hl)
    assert refused.value.code == "audit.head_mismatch"


def test_checkpoints_from_before_the_chain_are_read_and_continued(hl, who):
    make_orders(hl, who, 1)
    with hl.reading() as session:
        head = audit.read_head(session)
    legacy = {"seq": head.seq, "mac": head.mac, "at": "2026-03-01T00:20:00+00:00", "key_id": "x"}
    write_lines(hl, [legacy])
    make_orders(hl, who, 1)
    taken = audit.checkpoint(hl)
    assert taken.n == 1 and lines(hl)[1]["prev"] == ""
    report = audit.verify(hl)
    assert report.ok and report.checkpoints == 2
    sql(hl, "UPDATE audit_event SET mac = 'x' WHERE seq = :s", s=head.seq)
    assert audit.verify(hl).reason == "mac"


def test_the_command_refuses_and_says_why(cli, hl, who, two_checkpoints):
    _, head = two_checkpoints
    cut_tail(hl, head - 3)
    refused = cli("audit", "checkpoint", ok=False)
    assert refused.exit_code == 1
    message = " ".join(refused.stderr.split())
    assert "拒绝记录检查点" in message and "audit.checkpoint_rewound" in message, message
    cut_tail(hl, 0)
    hl.settings.checkpoint_path.unlink()
    failed = cli("audit", "verify", ok=False)
    assert failed.exit_code == 1
    assert "没有受理事件" in failed.stderr and "0 条事件" not in failed.stdout


def test_the_daily_checkpoint_job_fails_visibly_on_a_rewound_trail(hl, two_checkpoints, clock):
    _, head = two_checkpoints
    cut_tail(hl, head - 3)
    (run,) = scheduler.run_due(hl, clock(), only=["audit_checkpoint"])
    assert not run.ok and "audit.checkpoint_rewound" in run.result["error"]
    assert "jobs" in status.status(hl).problems
    with pytest.raises(AuditMismatch):
        scheduler_daily.audit_checkpoint(hl, clock())
