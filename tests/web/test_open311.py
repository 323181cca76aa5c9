"""Open311 GeoReport v2 over a real server: the shapes of the spec, JSON and XML that a
GeoReport client reads into the same records, the partner's key (good, wrong, revoked), the
date window, the spec's errors, and the order a POST makes in the dispatch queue."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from georeport import GeoReport

from hotline_tui.services.public import apikeys
from hotline_tui.services.tickets.worklists import work_queue
from tests.web.conftest import start_server, token
from tests.world import actors, leaf_code

REQUEST_KEYS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
ZONED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


@pytest.fixture
def who(sqlite_hl):
    return actors(sqlite_hl)


@pytest.fixture
def api(sqlite_hl):
    yield from start_server(sqlite_hl)


def check_request_shape(record: dict[str, Any]) -> None:
    """The GeoReport v2 shape of one service request, as the spec's JSON lists it."""
    assert set(record) == REQUEST_KEYS
    assert isinstance(record["service_request_id"], str)
    assert record["status"] in ("open", "closed")
    for key in ("requested_datetime", "updated_datetime"):
        assert ZONED.match(record[key]), record[key]
        datetime.fromisoformat(record[key])
    assert record["expected_datetime"] is None or ZONED.match(record["expected_datetime"])
    assert isinstance(record["description"], str) and len(record["description"]) <= 4000


def test_services_are_the_leaf_categories_with_their_group(api, sqlite_hl):
    client = GeoReport(api.url + "/open311/v2")
    services = client.get_service_list()
    assert {s["service_name"] for s in services} == {
        "营业执照办理",
        "名称变更",
        "物业管理",
        "社保缴费",
    }
    licence = next(s for s in services if s["service_name"] == "营业执照办理")
    assert licence == {
        "service_code": leaf_code(sqlite_hl, "营业执照办理"),
        "service_name": "营业执照办理",
        "description": "",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "企业服务",
    }
    xml = GeoReport(api.url + "/open311/v2", output_format="xml").get_service_list()
    assert [s["service_code"] for s in xml] == [s["service_code"] for s in services]


def test_a_partner_posts_with_its_key_and_the_order_waits_for_dispatch(api, sqlite_hl, who):
    _view, key = apikeys.add_key(sqlite_hl, who["adm"], "district-app")
    code = leaf_code(sqlite_hl, "物业管理")
    text = "小区电梯停运，联系人 13800138000，身份证 110105199003071234。" + "很" * 4100
    fields = {"api_key": key, "service_code": code, "description": text[:3990]}
    with api.client() as http:
        made = http.post("/open311/v2/requests.json", data=fields)
        assert made.status_code == 201, made.text
        [created] = made.json()
        number = created["service_request_id"]
        assert isinstance(number, str) and created["account_id"] is None
        assert number in [i.number for i in work_queue(sqlite_hl, who["disp"], "to_dispatch")]
        wrong = http.post("/open311/v2/requests.json", data={**fields, "api_key": key + "x"})
        assert wrong.status_code == 403
        assert wrong.json() == [
            {"code": 403, "description": "api_key is missing, unknown or revoked"}
        ]
        apikeys.revoke_key(sqlite_hl, who["adm"], "district-app")
        revoked = http.post("/open311/v2/requests.xml", data=fields)
        assert revoked.status_code == 403
        assert "<errors><error><code>403</code>" in revoked.text
    client = GeoReport(api.url + "/open311/v2")
    record = client.get_service_request(number)
    check_request_shape(record)
    assert record["service_code"] == code and record["service_name"] == "物业管理"
    assert record["status"] == "open" and record["status_notes"] == "待派单"
    assert "13800138000" not in record["description"] and "138****8000" in record["description"]
    assert "110105********1234" in record["description"]


def test_json_and_xml_read_into_the_same_records(api, sqlite_hl, who):
    with api.client() as http:
        for i in range(3):
            fields = {"csrf": token(http), "phone": "13800138000", "area": "D1"}
            http.post("/request", data={**fields, "description": f"第{i}个诉求 <b>&</b>"})
    as_json = GeoReport(api.url + "/open311/v2").get_service_requests(status="open")
    as_xml = GeoReport(api.url + "/open311/v2", output_format="xml").get_service_requests(
        status="open"
    )
    assert len(as_json) == 3
    for record in as_json:
        check_request_shape(record)
    # xmltodict reads an empty element as None and every value as text: the same records.
    assert as_xml == [
        {k: (None if v in ("", None) else str(v)) for k, v in r.items()} for r in as_json
    ]
    assert as_json[0]["address"] == "甲区"
    closed = GeoReport(api.url + "/open311/v2").get_service_requests(status="closed")
    assert closed == []
    ids = ",".join(r["service_request_id"] for r in as_json[:2])
    picked = GeoReport(api.url + "/open311/v2").get_service_requests(service_request_id=ids)
    assert {r["service_request_id"] for r in picked} == set(ids.split(","))


def test_the_window_is_at_most_90_days_and_errors_are_the_specs(api):
    with api.client() as http:
        wide = http.get(
            "/open311/v2/requests.json",
            params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        )
        assert wide.status_code == 400
        [problem] = wide.json()
        assert problem["code"] == 400 and problem["description"]
        assert http.get("/open311/v2/requests.json", params={"start_date": "x"}).status_code == 400
        assert http.get("/open311/v2/requests.json", params={"status": "done"}).status_code == 400
        missing = http.get("/open311/v2/requests/20260302999999.xml")
        assert missing.status_code == 404 and "<errors><error><code>404</code>" in missing.text
        assert http.get("/open311/v2/services.html").status_code == 404
        inside = http.get(
            "/open311/v2/requests.json",
            params={"start_date": "2026-02-01T00:00:00+08:00", "end_date": "2026-03-02"},
        )
        assert inside.status_code == 200 and inside.json() == []
