"""Tampering with the audit trail in the database is detected, naming the first bad event.

Each scenario starts from a fresh copy of the test database with a few orders and a checkpoint,
changes the trail with raw SQL (as someone with database access but without the key file
would), and expects ``audit.verify`` to fail at a known sequence number with a known reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, select, text, update

from db.engine import make_engines
from db.models import AuditEvent
from hotline_tui.domain.audit_chain import key_id_of
from hotline_tui.services.admin import audit
from hotline_tui.services.admin.audit_key import create_key, load_key
from hotline_tui.services.context import Hotline
from hotline_tui.services.tickets import dispatch, handling, intake
from tests.cli import conftest as cli_conftest
from tests.robustness.workers import order_input

cli = cli_conftest.cli  # the CLI runner fixture, shared with tests/cli

EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]


def make_orders(hl, who, count: int = 4) -> None:
    for i in range(count):
        number = intake.register(hl, who["op"], order_input(f"审计测试工单 {i}")).number
        dispatch.dispatch(hl, who["disp"], number, "M01", ["M02"] if i % 2 else [])
        if i % 2 == 0:
            handling.sign(hl, who["h1"], number)


@pytest.fixture
def head(hl, who) -> int:
    """A few orders, then a checkpoint of the head outside the database; returns its seq."""
    make_orders(hl, who)
    record = audit.checkpoint(hl)
    assert audit.verify(hl).ok
    assert record.seq >= 20
    return record.seq


def sql(hl, statement: str, **params: Any) -> None:
    with hl.engines.write.begin() as conn:
        conn.execute(text(statement), params)


def row(hl, seq: int) -> dict[str, Any]:
    with hl.engines.read.connect() as conn:
        return dict(conn.execute(select(EVENTS).where(EVENTS.c.seq == seq)).one()._mapping)


def renumber_from(hl, seq: int) -> None:
    """Move events ``seq``… up by one, leaving a hole at ``seq`` (two steps: keys stay unique)."""
    sql(hl, "UPDATE audit_event SET seq = -seq - 1 WHERE seq >= :seq", seq=seq)
    sql(hl, "UPDATE audit_event SET seq = -seq WHERE seq < 0")


def put(hl, values: dict[str, Any]) -> None:
    with hl.engines.write.begin() as conn:
        conn.execute(insert(EVENTS).values(**values))


def set_head(hl, seq: int) -> None:
    """Point the head row at ``seq`` (an attacker hiding their change from the head check)."""
    mac = row(hl, seq)["mac"]
    sql(hl, "UPDATE audit_head SET seq = :seq, mac = :mac WHERE id = 1", seq=seq, mac=mac)


def edit_note(hl, head: int, m: int) -> tuple[int, str]:
    sql(hl, "UPDATE audit_event SET note = note || '（已改）' WHERE seq = :m", m=m)
    return m, "mac"


def edit_actor(hl, head: int, m: int) -> tuple[int, str]:
    sql(hl, "UPDATE audit_event SET actor = 'sup' WHERE seq = :m", m=m)
    return m, "mac"


def delete_middle(hl, head: int, m: int) -> tuple[int, str]:
    sql(hl, "DELETE FROM audit_event WHERE seq = :m", m=m)
    return m, "gap"


def delete_newest(hl, head: int, m: int) -> tuple[int, str]:
    sql(hl, "DELETE FROM audit_event WHERE seq > :keep", keep=head - 2)
    set_head(hl, head - 2)
    # The chain that is left is internally sound: only the checkpoint reveals the deletion.
    assert audit.verify(hl, use_checkpoint=False).ok
    return head - 1, "checkpoint"


def insert_forged_renumbered(hl, head: int, m: int) -> tuple[int, str]:
    """A forged event slipped in at ``m`` with a copied MAC; later events renumbered."""
    forged = row(hl, m) | {"note": "伪造的事件", "action": "visit"}
    renumber_from(hl, m)
    put(hl, forged)
    set_head(hl, head + 1)
    return m, "mac"


def insert_replayed_copy(hl, head: int, m: int) -> tuple[int, str]:
    """An exact copy of event ``m`` (valid MAC and link) inserted before it: a replay."""
    copy = row(hl, m)
    renumber_from(hl, m)
    put(hl, copy)
    set_head(hl, head + 1)
    # The copy itself checks out; the event after it no longer links to its predecessor.
    return m + 1, "chain"


def append_forged(hl, head: int, m: int) -> tuple[int, str]:
    """A forged newest event linked to the head, with the head's MAC copied."""
    last = row(hl, head)
    put(hl, last | {"seq": head + 1, "prev_mac": last["mac"], "note": "伪造"})
    set_head(hl, head + 1)
    return head + 1, "mac"


def reorder(hl, head: int, m: int) -> tuple[int, str]:
    """Events ``m`` and ``m + 1`` swap places (contents swapped, numbers kept)."""
    first, second = row(hl, m), row(hl, m + 1)
    with hl.engines.write.begin() as conn:
        for seq, content in ((m, second), (m + 1, first)):
            values = {k: v for k, v in content.items() if k != "seq"}
            conn.execute(update(EVENTS).where(EVENTS.c.seq == seq).values(**values))
    return m, "chain"


def rewind_head(hl, head: int, m: int) -> tuple[int, str]:
    """Only the head row is changed (the next writer would reuse sequence numbers)."""
    sql(hl, "UPDATE audit_head SET seq = :seq WHERE id = 1", seq=head - 1)
    return head + 1, "head"


SCENARIOS = [
    edit_note,
    edit_actor,
    delete_middle,
    delete_newest,
    insert_forged_renumbered,
    insert_replayed_copy,
    append_forged,
    reorder,
    rewind_head,
]


@pytest.mark.parametrize("tamper", SCENARIOS, ids=lambda f: f.__name__)
def test_tampering_is_detected_at_the_first_bad_event(hl, head, tamper):
    m = head // 2
    bad_seq, reason = tamper(hl, head, m)
    report = audit.verify(hl)
    assert not report.ok
    assert (report.bad_seq, report.reason) == (bad_seq, reason), report


def test_a_different_key_is_reported_as_wrong_key(hl, head, settings, tmp_path):
    other = tmp_path / "other" / "audit.key"
    assert create_key(other)
    assert load_key(other).key_id != hl.key.key_id
    elsewhere = settings.model_copy(update={"audit_key_file": other})
    core = Hotline(elsewhere, make_engines(elsewhere.db_url))
    try:
        report = audit.verify(core)
    finally:
        core.close()
    assert not report.ok
    assert (report.bad_seq, report.reason) == (1, "wrong_key"), report
    assert key_id_of(load_key(other).secret) in report.detail


def test_a_key_substituted_after_some_events_is_tampering_not_wrong_key(hl, head):
    """Events signed with our key, then one with another key: that is an edit, not a key mix-up."""
    m = head // 2
    sql(hl, "UPDATE audit_event SET key_id = :k WHERE seq = :m", k="0" * 16, m=m)
    report = audit.verify(hl)
    assert (report.ok, report.bad_seq, report.reason) == (False, m, "mac")


def test_cli_verify_passes_then_names_the_edited_event(cli, hl, head):
    ok = cli("audit", "verify")
    assert ok.exit_code == 0
    assert str(head) in ok.stdout
    m = head // 2 + 1
    sql(hl, "UPDATE audit_event SET note = 'x' WHERE seq = :m", m=m)
    failed = cli("audit", "verify", ok=False)
    assert failed.exit_code != 0
    message = " ".join(failed.stderr.split())
    assert f"第 {m} 条" in message and "mac" in message, failed.stderr
    as_json = cli("audit", "verify", "--json", ok=False)
    assert as_json.exit_code != 0
    assert '"bad_seq": ' + str(m) in as_json.stdout


def test_cli_says_wrong_key(cli, hl, head, tmp_path):
    other = tmp_path / "other" / "audit.key"
    create_key(other)
    cli.env["HOTLINE_AUDIT_KEY_FILE"] = str(other)
    failed = cli("audit", "verify", ok=False)
    assert failed.exit_code != 0
    message = " ".join(failed.stderr.split())
    assert "第 1 条" in message and "密钥错误" in message and "wrong_key" in message, message
