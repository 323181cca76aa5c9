"""The public channels' pure rules: the type gate, the masking of free text, Open311's status;
and the safety parts of the web front end: CSRF tokens, token buckets, the secret file."""

from __future__ import annotations

import stat

import pytest

from hotline_tui.domain.kb_gate import is_complaint_or_report
from hotline_tui.domain.public import public_state, public_text, request_type_of
from hotline_tui.web.security import Csrf, RateLimiter, load_secret


@pytest.mark.parametrize(
    ("text", "gated", "kind"),
    [
        ("营业执照怎么办理", False, "help"),
        ("社保缴费基数是多少", False, "help"),
        ("我要投诉楼下饭店油烟", True, "complaint"),
        ("举报 有人 偷排 污水", True, "report"),
        ("工地夜间施工扰民", True, "complaint"),
        ("公司拖欠工资三个月", True, "complaint"),
        ("怎么检举违法行为", True, "report"),
        ("公积金提取需要什么材料", False, "help"),
    ],
)
def test_the_type_gate(text, gated, kind):
    assert is_complaint_or_report(text) is gated
    assert request_type_of(text) == kind


def test_free_text_is_masked_like_callers_and_cut():
    text = (
        "电话13800138000或+86 139 1234 5678，座机0571-87654321，"
        "身份证11010519900307123X，单号20260302000001"
    )
    assert public_text(text) == (
        "电话138****8000或139****5678，座机0571-****4321，"
        "身份证110105********123X，单号20260302000001"
    )
    cut = public_text("长" * 5000)
    assert len(cut) == 4000 and cut.endswith("…")
    assert public_text("短") == "短"


def test_open311_status():
    assert [public_state(s) for s in ("registered", "in_progress", "closed", "archived")] == [
        "open",
        "open",
        "closed",
        "closed",
    ]


def test_csrf_tokens_are_bound_to_the_cookie_and_expire():
    now = [1_000_000.0]
    csrf = Csrf(b"k" * 32, clock=lambda: now[0])
    nonce = csrf.new_nonce()
    token = csrf.issue(nonce)
    assert csrf.valid(nonce, token)
    assert not csrf.valid(csrf.new_nonce(), token)
    assert not csrf.valid(nonce, token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not csrf.valid(None, token) and not csrf.valid(nonce, None)
    assert not Csrf(b"j" * 32, clock=lambda: now[0]).valid(nonce, token)
    now[0] += 4 * 3600 + 1
    assert not csrf.valid(nonce, token)


def test_a_token_bucket_refills_at_its_rate():
    now = [0.0]
    bucket = RateLimiter(per_minute=6, burst=2, clock=lambda: now[0])
    assert [bucket.allow("a"), bucket.allow("a"), bucket.allow("a")] == [True, True, False]
    assert bucket.allow("b")  # per address
    now[0] += 10.0  # 6 a minute: one token every 10 seconds
    assert [bucket.allow("a"), bucket.allow("a")] == [True, False]


def test_the_secret_is_made_once_private(tmp_path):
    path = tmp_path / "web.secret"
    first = load_secret(path)
    assert len(first) == 32 and load_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
