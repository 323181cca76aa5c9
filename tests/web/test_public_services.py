"""The public channels' services on both backends: a citizen's request registered as intake
registers it, its progress for number + phone only, the Open311 view, the partners' keys."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import ApiKey, AuditEvent
from hotline_tui.domain.errors import PermissionDenied, ValidationError
from hotline_tui.services.public import apikeys, open311
from hotline_tui.services.public import requests as public
from hotline_tui.services.public.accounts import channel_actor, ensure_channel_accounts
from hotline_tui.services.tickets.intake import answer
from hotline_tui.services.tickets.worklists import work_queue
from tests.world import leaf_code


@pytest.fixture
def web(hl):
    assert ensure_channel_accounts(hl) == ["web", "open311"]
    assert ensure_channel_accounts(hl) == []  # made once
    return channel_actor(hl, "web")


def test_a_request_is_queued_for_dispatch_and_its_progress_needs_number_and_phone(hl, who, web):
    wanted = public.CitizenRequest("楼道灯不亮", phone="+86 138 0013 8000", area="D1", name="李四")
    done = public.submit(hl, web, wanted, channel="web")
    assert done.state == "pending_dispatch"
    assert done.number in [i.number for i in work_queue(hl, who["disp"], "to_dispatch")]
    seen = public.progress(hl, web, done.number, "13800138000")
    assert seen is not None and (seen.state, seen.reply) == ("pending_dispatch", None)
    assert public.progress(hl, web, done.number, "13900139000") is None
    assert public.progress(hl, web, done.number, "not a phone") is None
    assert public.progress(hl, web, "20990101000001", "13800138000") is None
    answer(hl, who["disp"], done.number, "已通知物业维修，联系电话 13912345678。")
    closed = public.progress(hl, web, done.number, "13800138000")
    assert closed is not None and closed.ending == "answered"
    assert closed.reply == "已通知物业维修，联系电话 139****5678。"


def test_the_channel_account_may_do_only_what_a_channel_may(hl, who, web):
    with pytest.raises(PermissionDenied):
        work_queue(hl, web, "to_dispatch")
    with pytest.raises(PermissionDenied):
        apikeys.list_keys(hl, web)
    with pytest.raises(ValidationError):
        public.submit(hl, web, public.CitizenRequest("x", phone="010-12345678"), channel="web")


def test_open311_lists_public_orders_masked_and_hides_reports(hl, who, web):
    partner = channel_actor(hl, "open311")
    code = leaf_code(hl, "物业管理")
    shown = public.submit(
        hl,
        partner,
        public.CitizenRequest("电梯坏了，请回电 13800138000", category=code, mobile_only=False),
        channel="open311",
    )
    hidden = public.submit(
        hl, web, public.CitizenRequest("举报有人偷排污水", phone="13800138000"), channel="web"
    )
    found = open311.find(hl, partner, open311.OrderQuery())
    assert [o.number for o in found] == [shown.number]
    assert found[0].description == "电梯坏了，请回电 138****8000"
    assert (found[0].status, found[0].service_code) == ("open", code)
    assert open311.one(hl, partner, hidden.number) is None
    assert open311.find(hl, partner, open311.OrderQuery(statuses=("closed",))) == []
    assert [s.group for s in open311.services(hl, partner) if s.name == "物业管理"] == ["城乡建设"]


def test_partner_keys_are_stored_hashed_listed_by_prefix_and_revoked(hl, who):
    adm = who["adm"]
    _view, key = apikeys.add_key(hl, adm, "city-app")
    assert apikeys.partner_of(hl, key) == "city-app"
    assert apikeys.partner_of(hl, key[:-1]) is None
    with hl.reading() as session:
        row = session.exec(select(ApiKey)).one()
    assert key not in (row.key_hash, row.prefix) and key.startswith(row.prefix)
    assert [k.partner for k in apikeys.list_keys(hl, adm)] == ["city-app"]
    with pytest.raises(ValidationError):
        apikeys.add_key(hl, adm, "city-app")
    assert apikeys.revoke_key(hl, adm, "city-app").revoked_at is not None
    assert apikeys.partner_of(hl, key) is None
    with hl.reading() as session:
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.entity == "api_key")
        ).all()
    assert list(actions) == ["apikey.add", "apikey.revoke"]
