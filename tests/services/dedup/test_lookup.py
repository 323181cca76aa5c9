"""可能重复 through the services, on both backends: the same caller's resubmission is a
duplicate, another caller's call about the same thing at the same address is related, the
30-day window, what is never offered, the queue's marks, and a second process catching up."""

from __future__ import annotations

import pytest

from hotline_tui.domain.errors import PermissionDenied
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.context import Hotline
from hotline_tui.services.dedup.lookup import Probe, find_similar, similar_to_orders
from hotline_tui.services.tickets import intake
from hotline_tui.services.tickets.intake import Disposition

FIRST = "芙蓉路88号楼下的烧烤店每天晚上油烟很大，噪音扰民到凌晨两点，多次反映没有处理，请尽快查处。"
AGAIN = (
    "芙蓉路88号楼下烧烤店每天晚上油烟很大,噪音扰民到凌晨2点。"
    "已经多次反映了,一直没有处理,请尽快查处!"
)
ADDRESS = "芙蓉路88号"
PHONE = "13812345678"


def register(hl, who, description=FIRST, phone=PHONE, address=ADDRESS, caller=None) -> str:
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description=description,
            address=address,
            caller=caller or CallerInput(name="张三", phone=phone),
        ),
        Disposition(kind="queue"),
    ).number


def test_the_same_callers_resubmission_is_a_duplicate(hl, who) -> None:
    first = register(hl, who)
    found = find_similar(hl, who["op"], Probe(AGAIN, phone="138 1234 5678", address=ADDRESS))
    assert [m.number for m in found.duplicates] == [first]
    match = found.duplicates[0]
    assert match.relation == "duplicate" and match.same_caller and match.same_place
    assert match.mergeable and found.best == match
    assert found.related == ()


def test_the_same_caller_by_call_back_number(hl, who) -> None:
    first = register(hl, who)
    probe = Probe(AGAIN, phone="13900001111", callback_phone=PHONE)
    assert [m.number for m in find_similar(hl, who["op"], probe).duplicates] == [first]


def test_another_caller_at_the_same_address_is_related_not_a_duplicate(hl, who) -> None:
    first = register(hl, who)
    found = find_similar(hl, who["op"], Probe(AGAIN, phone="13900001111", address=ADDRESS))
    assert found.duplicates == ()
    assert [m.number for m in found.related] == [first]
    assert found.related[0].same_caller is False
    # Another caller somewhere else: nothing, however alike the words.
    elsewhere = Probe(AGAIN, phone="13900001111", address="五一大道1号")
    assert find_similar(hl, who["op"], elsewhere) == find_similar(hl, who["op"], Probe("短"))


def test_the_same_enterprise_counts_as_the_same_place(hl, who) -> None:
    firm = CallerInput(kind="enterprise", name="星城餐饮有限公司", credit_code="91110000600037341L")
    first = register(hl, who, phone="13700000000", address="", caller=firm)
    probe = Probe(AGAIN, phone="13900001111", credit_code="91110000600037341L")
    found = find_similar(hl, who["op"], probe)
    assert [m.number for m in found.related] == [first]
    assert found.related[0].same_place


def test_a_different_matter_from_the_same_caller_is_not_a_duplicate(hl, who) -> None:
    register(hl, who)
    other = "芙蓉路88号小区的电梯坏了一个多月，物业一直不修，老人上下楼非常困难，请督促维修。"
    found = find_similar(hl, who["op"], Probe(other, phone=PHONE, address=ADDRESS))
    assert found.duplicates == ()


def test_thirty_days_window(hl, who, clock) -> None:
    first = register(hl, who)
    clock.advance(days=29, hours=23)
    probe = Probe(AGAIN, phone=PHONE, address=ADDRESS)
    assert [m.number for m in find_similar(hl, who["op"], probe).duplicates] == [first]
    clock.advance(hours=2)
    assert find_similar(hl, who["op"], probe).duplicates == ()


def test_withdrawn_and_merged_orders_are_not_offered(hl, who) -> None:
    first = register(hl, who)
    second = register(hl, who, description=AGAIN)
    intake.merge(hl, who["disp"], second, first)
    probe = Probe(AGAIN, phone=PHONE, address=ADDRESS)
    assert [m.number for m in find_similar(hl, who["op"], probe).duplicates] == [first]
    intake.withdraw(hl, who["disp"], first, "来电人撤回")
    # The lead is withdrawn: its duplicate is back in the queue, and is what is offered now.
    assert [m.number for m in find_similar(hl, who["op"], probe).duplicates] == [second]
    intake.withdraw(hl, who["disp"], second, "来电人撤回")
    assert find_similar(hl, who["op"], probe).duplicates == ()


def test_queue_marks_the_later_order_only(hl, who) -> None:
    first = register(hl, who)
    second = register(hl, who, description=AGAIN)
    other = register(hl, who, description=AGAIN, phone="13900001111")
    marks = similar_to_orders(hl, who["disp"], [first, second, other])
    assert [m.number for m in marks[second].duplicates] == [first]
    assert first not in marks or marks[first].duplicates == ()
    assert marks[other].duplicates == ()
    assert {m.number for m in marks[other].related} == {first, second}


def test_a_second_process_catches_up_with_the_first(hl, who, settings, clock) -> None:
    from db.engine import make_engines

    other = Hotline(settings, make_engines(settings.db_url), clock=clock)
    try:
        probe = Probe(AGAIN, phone=PHONE, address=ADDRESS)
        assert find_similar(other, who["op"], probe).duplicates == ()  # filled, empty
        first = register(hl, who)  # registered by another process
        assert [m.number for m in find_similar(other, who["op"], probe).duplicates] == [first]
    finally:
        other.close()


def test_department_handlers_may_not_look(hl, who) -> None:
    with pytest.raises(PermissionDenied):
        find_similar(hl, who["h1"], Probe(AGAIN, phone=PHONE))
    with pytest.raises(PermissionDenied):
        similar_to_orders(hl, who["op"], [])


def test_an_order_committed_out_of_id_order_is_still_read(hl, who, clock) -> None:
    from hotline_tui.services.dedup.recent import recent_index

    first = register(hl, who)
    clock.advance(minutes=1)
    register(hl, who, description="清溪小区三栋的电梯坏了一个多月，物业一直不修，老人上下楼很困难")
    index = recent_index(hl)
    # As if the first order's commit had come after the second's was read (PostgreSQL: two
    # saves at once): the index has the higher id, and not the lower.
    index.forget_before(int(clock.current.timestamp()))
    assert len(index) == 1  # the first order is not in it
    probe = Probe(AGAIN, phone=PHONE, address=ADDRESS)
    assert [m.number for m in find_similar(hl, who["op"], probe).duplicates] == [first]
    assert len(index) == 2
