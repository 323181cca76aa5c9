"""The self-service page: ask, read, rate, leave a request, look up its progress.

Plain forms that post (the page works with JavaScript off and needs nothing from outside).
Every post carries the CSRF token and is rate-limited by address; every service call runs in
a worker thread (the services are blocking) as the ``web`` channel account.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from hotline_tui.domain.errors import HotlineError
from hotline_tui.domain.text import clean_text
from hotline_tui.labels import label
from hotline_tui.labels.errors import describe
from hotline_tui.services.kb.autoanswer import record_outcome
from hotline_tui.services.kb.insights import log_gap
from hotline_tui.services.kb.usage import give_feedback
from hotline_tui.services.public import requests as public_requests
from hotline_tui.web.answering import answer_or_suggest, article_for_public
from hotline_tui.web.context import WebContext, client_address

__all__ = ["article", "ask", "feedback", "home", "leave_request", "render", "status"]

COOKIE = "hl_nonce"
FIELDS = {
    "mobile": "手机号码",
    "phone": "手机号码",
    "description": "诉求内容",
    "area": "所在区域",
    "caller.name": "姓名",
    "name": "姓名",
    "q": "问题",
}
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def ctx_of(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page of the template ``name`` with a fresh CSRF token (and its cookie if new)."""
    ctx = ctx_of(request)
    nonce = request.cookies.get(COOKIE)
    fresh = not nonce or len(nonce) > 64
    if fresh:
        nonce = ctx.csrf.new_nonce()
    values.setdefault("title", "咨询与诉求")
    values.setdefault("form", {})
    values.setdefault("areas", [{"code": c, "label": n} for c, n in ctx.areas])
    html = ctx.env.get_template(name).render(csrf=ctx.csrf.issue(nonce or ""), **values)
    response = HTMLResponse(html, status_code=status, headers=HEADERS)
    if fresh:
        response.set_cookie(COOKIE, nonce or "", httponly=True, samesite="strict", path="/")
    return response


def message(request: Request, text: str, status: int) -> HTMLResponse:
    return render(request, "message.html", status, title="提示", message=text)


async def _form(request: Request) -> Mapping[str, str] | Response:
    """The posted fields, cleaned of control characters; or the refusal to send back."""
    form = await request.form(max_files=0, max_fields=20)
    fields = {k: clean_text(v, max_length=None) for k, v in form.items() if isinstance(v, str)}
    if not ctx_of(request).csrf.valid(request.cookies.get(COOKIE), fields.get("csrf")):
        return message(request, "页面已过期或来源不明，请刷新页面后重新提交。", 403)
    return fields


def _limited(request: Request, kind: str) -> Response | None:
    ctx = ctx_of(request)
    bucket = ctx.questions if kind == "questions" else ctx.requests
    if bucket.allow(client_address(request)):
        return None
    return message(request, "操作过于频繁，请稍后再试。", 429)


async def _posted(request: Request, kind: str) -> Mapping[str, str] | Response:
    """A form post's fields, or the refusal: a stale or foreign form, or too many posts of
    ``kind`` (questions or new requests) from the address."""
    fields = await _form(request)
    if isinstance(fields, Response):
        return fields
    return _limited(request, kind) or fields


def _error(exc: HotlineError) -> str:
    return describe(exc, FIELDS)


async def home(request: Request) -> Response:
    return render(request, "page.html")


async def ask(request: Request) -> Response:
    fields = await _posted(request, "questions")
    if isinstance(fields, Response):
        return fields
    question = clean_text(fields.get("q", ""), multiline=False)[:200]
    if not question:
        return render(request, "page.html")
    ctx = ctx_of(request)
    reply = await ctx.call(answer_or_suggest, ctx.hl, ctx.kb, ctx.web, question)
    return render(
        request, "page.html", question=question, reply=reply, form={"description": question}
    )


async def feedback(request: Request) -> Response:
    """有帮助 is the article's 有用 feedback; 没有帮助 logs the question as a knowledge gap
    (the article did not answer it: ``hotline kb gaps``). For an automatic answer both go
    through its log row (:func:`record_outcome`), which the calibrator learns from."""
    fields = await _posted(request, "questions")
    if isinstance(fields, Response):
        return fields
    ctx = ctx_of(request)
    article_id = fields.get("article", "")
    if not article_id.isdigit() or len(article_id) > 12:
        return message(request, "没有这篇文章。", 404)
    question = clean_text(fields.get("q", ""), multiline=False)[:200]
    answer = fields.get("answer", "")
    helped = fields.get("helped") == "yes"
    try:
        if answer.isdigit() and len(answer) <= 12:
            await ctx.call(record_outcome, ctx.hl, ctx.web, int(answer), helped)
        elif helped:
            await ctx.call(give_feedback, ctx.hl, ctx.web, int(article_id), "helpful")
        elif question:
            await ctx.call(log_gap, ctx.hl, ctx.web, question, hits=1)
    except HotlineError:
        return message(request, "没有这篇文章。", 404)
    return render(request, "page.html", feedback_done=True, form={"description": question})


async def leave_request(request: Request) -> Response:
    fields = await _posted(request, "requests")
    if isinstance(fields, Response):
        return fields
    ctx = ctx_of(request)
    form = {k: fields.get(k, "") for k in ("name", "phone", "area", "description")}
    wanted = public_requests.CitizenRequest(
        description=form["description"],
        phone=form["phone"],
        area=form["area"] or None,
        name=clean_text(form["name"], multiline=False)[:50],
    )
    try:
        done = await ctx.call(public_requests.submit, ctx.hl, ctx.web, wanted, channel="web")
    except HotlineError as exc:
        return render(request, "page.html", 400, error=_error(exc), form=form)
    return render(request, "page.html", registered=done.number)


def _local(moment: datetime | None, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}" if moment else ""


async def status(request: Request) -> Response:
    if request.method != "POST":
        return render(request, "status.html", title="办理进度查询")
    fields = await _posted(request, "questions")
    if isinstance(fields, Response):
        return fields
    ctx = ctx_of(request)
    number = fields.get("number", "").strip()[:20]
    found = await ctx.call(
        public_requests.progress, ctx.hl, ctx.web, number, fields.get("phone", "")[:20]
    )
    if found is None:
        return render(
            request,
            "status.html",
            404,
            title="办理进度查询",
            number=number,
            error="没有找到与该编号和手机号码对应的工单。",
        )
    zone = ctx.hl.settings.timezone
    shown = {
        "number": found.number,
        "state": label("ending", found.ending) if found.ending else label("state", found.state),
        "created": _local(found.created_at, zone),
        "updated": _local(found.updated_at, zone),
        "closed": _local(found.closed_at, zone),
        "reply": found.reply,
    }
    return render(request, "status.html", title="办理进度查询", number=number, progress=shown)


async def article(request: Request) -> Response:
    ctx = ctx_of(request)
    raw = str(request.path_params.get("article_id", ""))
    if not raw.isdigit() or len(raw) > 12:
        return message(request, "没有这篇文章。", 404)
    found = await ctx.call(article_for_public, ctx.hl, ctx.web, int(raw))
    if found is None:
        return message(request, "没有这篇文章。", 404)
    return render(request, "article.html", title=found.title, article=found)
