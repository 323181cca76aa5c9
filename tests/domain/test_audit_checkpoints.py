"""The checkpoint file's own chain: sealed records verify; any edit but a cut tail is found."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from hotline_tui.domain.audit_chain import Checkpoint, compute_mac, key_id_of, verify_chain
from hotline_tui.domain.audit_checkpoints import CheckpointRecord, parse, refusal, seal

KEY = b"k" * 32
OTHER = b"o" * 32
AT = datetime(2026, 3, 2, tzinfo=UTC)


def chain(count: int, key: bytes = KEY) -> list[str]:
    records: list[CheckpointRecord] = []
    for i in range(count):
        previous = records[-1] if records else None
        records.append(seal(key, previous, seq=10 * (i + 1), mac=f"m{i}", at=AT))
    return [r.to_line() for r in records]


def test_sealed_records_verify_in_order():
    found = parse(chain(4), KEY)
    assert found.ok and [r.n for r in found.records] == [1, 2, 3, 4]
    assert found.last is not None and found.last.seq == 40
    assert parse([], KEY).ok and parse([], KEY).last is None


@pytest.mark.parametrize(
    ("edit", "problem", "line"),
    [
        (lambda ls: [ls[0], ls[2], ls[3]], "number", 2),
        (lambda ls: [ls[1], ls[0], ls[2], ls[3]], "number", 1),
        (lambda ls: [*ls[:3], ls[3].replace('"seq": 40', '"seq": 41')], "mac", 4),
        (lambda ls: [*ls, ls[3]], "number", 5),
        (lambda ls: [*ls[:2], "{not json", *ls[2:]], "syntax", 3),
        (lambda ls: [*ls, json.dumps({"seq": 50, "mac": "x"})], "legacy", 5),
    ],
    ids=["drop_middle", "swap", "edit", "repeat", "garbage", "unsigned_after_signed"],
)
def test_edits_are_found_at_their_line(edit, problem, line):
    found = parse(edit(chain(4)), KEY)
    assert (found.problem, found.line) == (problem, line), found
    assert len(found.records) == line - 1 or problem == "syntax"


def test_a_cut_tail_leaves_a_valid_file():
    """The documented limit: removing the newest lines cannot be told from the file alone."""
    assert parse(chain(4)[:2], KEY).ok


def test_another_keys_file_is_wrong_key_and_a_lower_head_is_backwards():
    assert parse(chain(2, OTHER), KEY).problem == "wrong_key"
    first = seal(KEY, None, seq=20, mac="a", at=AT)
    lower = seal(KEY, first, seq=10, mac="b", at=AT)
    found = parse([first.to_line(), lower.to_line()], KEY)
    assert (found.problem, found.line) == ("backwards", 2)


def test_legacy_records_before_the_chain_are_read():
    legacy = json.dumps({"seq": 5, "mac": "m", "at": "", "key_id": "x"})
    first = seal(KEY, parse([legacy], KEY).last, seq=10, mac="n", at=AT)
    assert (first.n, first.prev) == (1, "")
    found = parse([legacy, first.to_line()], KEY)
    assert found.ok and [r.n for r in found.records] == [0, 1]


def test_a_head_is_refused_when_it_went_backwards_or_forked():
    last = seal(KEY, None, seq=10, mac="m10", at=AT)
    assert refusal(None, 0, None) is None
    assert refusal(last, 12, "m10") is None
    assert refusal(last, 10, "m10") is None
    assert refusal(last, 9, None) == "rewound"
    assert refusal(last, 12, "other") == "forked"
    assert refusal(last, 12, None) == "forked"


def events(count: int) -> list[dict[str, object]]:
    made: list[dict[str, object]] = []
    for seq in range(1, count + 1):
        event: dict[str, object] = {
            "seq": seq,
            "action": "test",
            "key_id": key_id_of(KEY),
            "prev_mac": made[-1]["mac"] if made else "",
        }
        event["mac"] = compute_mac(KEY, event)
        made.append(event)
    return made


def test_verify_chain_compares_every_checkpoint_not_only_the_newest():
    trail = events(3)
    marks = [Checkpoint(1, str(trail[0]["mac"]), 1), Checkpoint(3, str(trail[2]["mac"]), 3)]
    assert verify_chain(trail, KEY, marks).ok
    assert verify_chain(trail, KEY, marks).checkpoints == 2
    wrong = [*marks[:1], Checkpoint(2, "forked", 2), *marks[1:]]
    report = verify_chain(trail, KEY, wrong)
    assert (report.ok, report.reason, report.bad_seq) == (False, "checkpoint", 2)
    assert "no. 2" in report.detail
    beyond = [Checkpoint(5, "x", 4), *marks]
    report = verify_chain(trail, KEY, beyond)
    assert (report.ok, report.reason, report.bad_seq) == (False, "checkpoint", 4)
