"""The demo text generators are deterministic and produce valid, varied Chinese text."""

from __future__ import annotations

import random
import re

import pytest

from hotline_tui.demo import text
from hotline_tui.demo.city import AREAS, CATEGORIES, ENTERPRISE_ROOT
from hotline_tui.domain.validation import (
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

MOBILE = re.compile(r"^1[3-9]\d{9}$")
CJK = re.compile(r"[\u4e00-\u9fff]")
REQUEST_TYPES = ("consult", "help", "complaint", "report", "suggestion", "praise", "other")
STREETS = [a for a in AREAS if a.level == "street"]
ENTERPRISE_LEAVES = [c.path for c in CATEGORIES if c.path[0] == ENTERPRISE_ROOT]


def _sample(seed: int) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(40):
        street = STREETS[i % len(STREETS)]
        leaf = CATEGORIES[(i * 7) % len(CATEGORIES)].path
        addr = text.address(rng, street.name)
        ent = text.enterprise(rng, street.code)
        out += [
            text.person_name(rng),
            text.mobile(rng),
            text.resident_id(rng),
            ent.name,
            ent.credit_code,
            addr,
            text.description(rng, leaf, REQUEST_TYPES[i % 7], street.name, addr),
            text.reply_text(rng, leaf[2], ("resolved", "partly", "unresolved")[i % 3]),
            text.return_basis(rng, "wrong_area"),
            text.extension_reason(rng),
            text.visit_note(rng, i % 2 == 0),
            text.note(rng),
        ]
    return out


def test_generators_are_deterministic():
    assert _sample(12345) == _sample(12345)
    assert _sample(12345) != _sample(54321)


def test_person_names():
    rng = random.Random(1)
    names = [text.person_name(rng) for _ in range(500)]
    assert all(2 <= len(n) <= 4 and all(CJK.match(ch) for ch in n) for n in names)
    assert len(set(names)) > 300


def test_mobiles_are_valid():
    rng = random.Random(2)
    for _ in range(500):
        number = text.mobile(rng)
        assert MOBILE.match(number), number
        assert validate_mobile(number) == number


def test_resident_ids_are_valid():
    rng = random.Random(3)
    for _ in range(500):
        value = text.resident_id(rng)
        assert len(value) == 18
        assert validate_resident_id(value) == value


@pytest.mark.parametrize("area_code", [None, "QC", "QC01", "QC0203", "QC06", "QC0601", "QC05"])
def test_enterprises_have_valid_credit_codes(area_code):
    rng = random.Random(4)
    for _ in range(200):
        ent = text.enterprise(rng, area_code)
        assert validate_credit_code(ent.credit_code) == ent.credit_code
        assert ent.size in ("micro", "small", "medium", "large")
        assert ent.name.endswith("有限公司")
        assert ent.name.startswith("青川")
        assert CJK.search(ent.industry)


def test_enterprise_name_mentions_its_district():
    rng = random.Random(5)
    assert text.enterprise(rng, "QC0101").name.startswith("青川市东湖区")
    assert text.enterprise(rng, "QC01").name.startswith("青川市东湖区")
    assert text.enterprise(rng, "QC0602").name.startswith("青川县")


def test_addresses_start_with_the_street():
    rng = random.Random(6)
    for street in STREETS:
        addr = text.address(rng, street.name)
        assert addr.startswith(street.name) and len(addr) > len(street.name)


@pytest.mark.parametrize("request_type", [*REQUEST_TYPES, "咨询", "投诉", "unknown"])
def test_descriptions_mention_the_topic(request_type):
    rng = random.Random(7)
    for spec in CATEGORIES:
        addr = text.address(rng, "湖滨街道")
        desc = text.description(rng, spec.path, request_type, "东湖区", addr)
        assert spec.path[2] in desc
        assert "{" not in desc and "}" not in desc
        assert desc.endswith(("。", "？", "！"))
        assert 1 <= len(re.findall(r"[。？！]", desc)) <= 4


def test_enterprise_descriptions_are_chinese_and_varied():
    rng = random.Random(8)
    descs = []
    for i in range(100):
        leaf = ENTERPRISE_LEAVES[i % len(ENTERPRISE_LEAVES)]
        street = STREETS[i % len(STREETS)]
        request_type = REQUEST_TYPES[i % len(REQUEST_TYPES)]
        addr = text.address(rng, street.name)
        descs.append(text.description(rng, leaf, request_type, street.name, addr))
    assert all(len(CJK.findall(d)) >= 8 for d in descs)
    assert len(set(descs)) >= 50


def test_enterprise_descriptions_use_the_common_words():
    rng = random.Random(9)
    joined = "".join(
        text.description(rng, leaf, request_type, "高新区", text.address(rng, "科创街道"))
        for leaf in ENTERPRISE_LEAVES
        for request_type in ("consult", "complaint", "help") * 5
    )
    for word in ("营业执照", "执照", "许可", "材料", "办理", "社保", "公积金"):
        assert word in joined, word


def test_many_descriptions_are_not_alike():
    rng = random.Random(10)
    descs = {
        text.description(rng, spec.path, request_type, "东湖区", text.address(rng, "湖滨街道"))
        for spec in CATEGORIES[:40]
        for request_type in REQUEST_TYPES
    }
    assert len(descs) >= 270


@pytest.mark.parametrize("outcome", ["resolved", "partly", "unresolved", "已解决", "whatever"])
def test_replies(outcome):
    rng = random.Random(11)
    reply = text.reply_text(rng, "占道经营", outcome)
    assert "占道经营" in reply and "{" not in reply


@pytest.mark.parametrize("reason", [*text.RETURN_REASON_LABELS, "something_else"])
def test_return_basis(reason):
    rng = random.Random(12)
    basis = text.return_basis(rng, reason)
    assert CJK.search(basis) and "{" not in basis


def test_other_follow_up_texts():
    rng = random.Random(13)
    assert CJK.search(text.extension_reason(rng))
    assert "满意" in text.visit_note(rng, True)
    assert CJK.search(text.visit_note(rng, False))
    assert CJK.search(text.note(rng))
