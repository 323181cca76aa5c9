"""Open311 GeoReport v2 under ``/open311/v2/``: services, requests (GET and POST), one request.

Every resource in JSON or XML by its suffix (``requests.json``, ``requests.xml``), errors in
the spec's form (``[{"code": 400, "description": …}]`` / ``<errors><error>…``). Ids are
strings (the order's number), times carry the hotline's offset (+08:00). A POST needs a
partner's ``api_key`` (``hotline apikey add``) and registers the request in channel
``open311`` as the ``open311`` channel account. The mapping is in the README.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from hotline_tui.domain.errors import HotlineError
from hotline_tui.domain.text import clean_text
from hotline_tui.labels import label
from hotline_tui.labels.errors import describe
from hotline_tui.services.public import apikeys, open311
from hotline_tui.services.public import requests as public_requests
from hotline_tui.web.context import WebContext

__all__ = ["one_request", "post_request", "request_list", "service_list"]

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
Record = Mapping[str, Any]


def _ctx(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


def _format(request: Request) -> str | None:
    fmt = str(request.path_params.get("fmt", ""))
    return fmt if fmt in FORMATS else None


def _xml(root: str, item: str, records: Sequence[Record]) -> bytes:
    top = ET.Element(root)
    for record in records:
        node = ET.SubElement(top, item)
        for key, value in record.items():
            child = ET.SubElement(node, key)
            if value is not None:
                child.text = str(value).lower() if isinstance(value, bool) else str(value)
    body: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return body


def respond(
    fmt: str, root: str, item: str, records: Sequence[Record], status: int = 200
) -> Response:
    if fmt == "xml":
        body = _xml(root, item, records)
    else:
        body = json.dumps(list(records), ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=status, media_type=FORMATS[fmt])


def error(fmt: str | None, code: int, description: str) -> Response:
    """The spec's error list: one error with its HTTP code and description."""
    return respond(
        fmt or "json", "errors", "error", [{"code": code, "description": description}], code
    )


def _time(moment: datetime | None, zone: str) -> str | None:
    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds") if moment else None


def _record(order: open311.PublicOrder, zone: str) -> dict[str, Any]:
    return {
        "service_request_id": order.number,
        "status": order.status,
        "status_notes": label("state", order.status_notes),
        "service_name": order.service_name,
        "service_code": order.service_code,
        "description": order.description,
        "agency_responsible": order.agency,
        "service_notice": "",
        "requested_datetime": _time(order.requested, zone),
        "updated_datetime": _time(order.updated, zone),
        "expected_datetime": _time(order.expected, zone),
        "address": order.address,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


async def service_list(request: Request) -> Response:
    fmt = _format(request)
    if fmt is None:
        return error(None, 404, "unknown format: use .json or .xml")
    ctx = _ctx(request)
    items = await ctx.call(open311.services, ctx.hl, ctx.open311)
    records = [
        {
            "service_code": s.code,
            "service_name": s.name,
            "description": "",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": s.group,
        }
        for s in items
    ]
    return respond(fmt, "services", "service", records)


def _parse_time(value: str | None, zone: str) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def _listed(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())[:1000]


async def request_list(request: Request) -> Response:
    fmt = _format(request)
    if fmt is None:
        return error(None, 404, "unknown format: use .json or .xml")
    ctx = _ctx(request)
    zone = ctx.hl.settings.timezone
    params = request.query_params
    statuses = _listed(params.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        return error(fmt, 400, "status must be open or closed")
    try:
        query = open311.OrderQuery(
            ids=_listed(params.get("service_request_id")),
            service_codes=_listed(params.get("service_code")),
            start=_parse_time(params.get("start_date"), zone),
            end=_parse_time(params.get("end_date"), zone),
            statuses=statuses,
        )
    except ValueError:
        return error(fmt, 400, "start_date and end_date must be W3C date-times")
    try:
        found = await ctx.call(open311.find, ctx.hl, ctx.open311, query)
    except HotlineError as exc:
        return error(fmt, 400, describe(exc))
    return respond(fmt, "service_requests", "request", [_record(o, zone) for o in found])


async def one_request(request: Request) -> Response:
    fmt = _format(request)
    if fmt is None:
        return error(None, 404, "unknown format: use .json or .xml")
    ctx = _ctx(request)
    number = str(request.path_params.get("request_id", ""))[:20]
    found = await ctx.call(open311.one, ctx.hl, ctx.open311, number)
    if found is None:
        return error(fmt, 404, f"service_request_id {number} not found")
    zone = ctx.hl.settings.timezone
    return respond(fmt, "service_requests", "request", [_record(found, zone)])


async def post_request(request: Request) -> Response:
    fmt = _format(request)
    if fmt is None:
        return error(None, 404, "unknown format: use .json or .xml")
    ctx = _ctx(request)
    form = await request.form(max_files=0, max_fields=40)
    fields = {k: clean_text(v) for k, v in form.items() if isinstance(v, str)}
    partner = await ctx.call(apikeys.partner_of, ctx.hl, fields.get("api_key", ""))
    if partner is None:
        return error(fmt, 403, "api_key is missing, unknown or revoked")
    if not fields.get("service_code"):
        return error(fmt, 400, "service_code is required")
    name = " ".join(n for n in (fields.get("last_name", ""), fields.get("first_name", "")) if n)
    wanted = public_requests.CitizenRequest(
        description=fields.get("description", ""),
        phone=fields.get("phone") or None,
        area=fields.get("address_id") or None,
        name=clean_text(name, multiline=False)[:100],
        category=fields["service_code"],
        title=clean_text(f"{partner}：{fields.get('address_string', '')}", multiline=False)[:200],
        mobile_only=False,
    )
    try:
        done = await ctx.call(
            public_requests.submit, ctx.hl, ctx.open311, wanted, channel="open311"
        )
    except HotlineError as exc:
        return error(fmt, 400, describe(exc))
    record = {"service_request_id": done.number, "service_notice": "", "account_id": None}
    return respond(fmt, "service_requests", "request", [record], 201)
