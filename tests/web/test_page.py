"""The self-service page over a real server on loopback, as a browser without JavaScript
would use it: forms that post, the CSRF token, the rate limits, the body limit, the phone
check, the order in the dispatch queue, the status page that shows only the order asked for."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from db.models import KbArticle, KbAutoAnswer, KbFeedback, KbSearchGap, Ticket
from hotline_tui.domain.autoanswer_calibration import Calibrator
from hotline_tui.domain.autoanswer_features import FEATURES
from hotline_tui.services.kb.autoanswer_store import CalibratorStore
from hotline_tui.services.tickets.worklists import work_queue
from hotline_tui.web.context import Limits
from tests.kb_index.service_helpers import published
from tests.web.conftest import start_server, token
from tests.world import actors


@pytest.fixture
def who(sqlite_hl):
    return actors(sqlite_hl)


@pytest.fixture
def site(sqlite_hl, who):
    published(sqlite_hl, who["adm"])
    yield from start_server(sqlite_hl)


@pytest.fixture
def strict(sqlite_hl):
    yield from start_server(
        sqlite_hl, Limits(questions_burst=2, questions_per_minute=0.01, body_bytes=2048)
    )


def leave(client, phone="13800138000", description="小区路灯坏了三天", area="D1"):
    fields = {"csrf": token(client), "name": "张三", "phone": phone, "area": area}
    return client.post("/request", data={**fields, "description": description})


def test_the_page_is_one_form_page_with_nothing_from_outside(site):
    with site.client() as client:
        page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<form method="post" action="/ask">' in html
    assert '<form method="post" action="/request">' in html
    assert 'name="viewport"' in html and 'lang="zh-CN"' in html
    for outside in ("<script", "<link", "src=", "@import", "url("):
        assert outside not in html, outside
    assert '<option value="D1">测试市 甲区</option>' in html  # the area picker
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "samesite=strict" in page.headers["set-cookie"].lower()


def test_a_question_gets_did_you_mean_articles_and_a_complaint_goes_to_intake(site):
    with site.client() as client:
        asked = client.post("/ask", data={"csrf": token(client), "q": "营业执照怎么办理"})
        assert asked.status_code == 200
        assert "您是不是想问" in asked.text and "个体工商户营业执照如何办理？" in asked.text
        assert "这个答复对您有帮助吗" not in asked.text  # no calibrated decision: no answer
        gated = client.post("/ask", data={"csrf": token(client), "q": "我要投诉营业执照办理太慢"})
    assert "投诉、举报类诉求由工作人员受理" in gated.text
    assert "您是不是想问" not in gated.text
    # The question comes back as the request's description, escaped like all output.
    with site.client() as client:
        echoed = client.post("/ask", data={"csrf": token(client), "q": "<b>执照</b>"})
    assert "<b>执照</b>" not in echoed.text and "&lt;b&gt;执照&lt;/b&gt;" in echoed.text


def test_did_this_help_is_the_articles_feedback_or_a_gap(site, sqlite_hl):
    with sqlite_hl.reading() as session:
        article = session.exec(select(KbArticle)).one()
    with site.client() as client:
        shown = client.get(f"/kb/{article.id}")
        assert "这个答复对您有帮助吗" in shown.text
        yes = {"csrf": token(client), "article": str(article.id), "helped": "yes", "q": "执照"}
        assert client.post("/feedback", data=yes).status_code == 200
        no = {**yes, "helped": "no", "q": "个体户执照要几天", "csrf": token(client)}
        assert "感谢您的反馈" in client.post("/feedback", data=no).text
        assert client.get("/kb/999999").status_code == 404
    with sqlite_hl.reading() as session:
        assert session.get(KbArticle, article.id).helpful_count == 1
        gaps = session.exec(select(KbSearchGap.query)).all()
    assert "个体户执照要几天" in gaps


def test_a_request_is_registered_in_channel_web_and_waits_in_the_dispatch_queue(
    site, sqlite_hl, who
):
    with site.client() as client:
        done = leave(client)
    assert done.status_code == 200 and "您的诉求已受理" in done.text
    number = done.text.split('id="number">')[1].split("<")[0]
    queued = [item.number for item in work_queue(sqlite_hl, who["disp"], "to_dispatch")]
    assert number in queued
    with sqlite_hl.reading() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
    assert (ticket.channel, ticket.state, ticket.contact_phone) == (
        "web",
        "pending_dispatch",
        "13800138000",
    )
    assert ticket.registered_by == actors(sqlite_hl)["web"].user_id


@pytest.mark.parametrize("phone", ["12345", "010-12345678", "23800138000", "138001380001"])
def test_only_a_mainland_mobile_is_taken(site, sqlite_hl, phone):
    with site.client() as client:
        refused = leave(client, phone=phone, description="独一无二的诉求内容")
    assert refused.status_code == 400
    assert "手机号码" in refused.text and "独一无二的诉求内容" in refused.text  # kept to retry
    with sqlite_hl.reading() as session:
        assert session.exec(select(Ticket).where(Ticket.channel == "web")).first() is None


def test_a_post_without_the_right_token_is_refused(site, sqlite_hl):
    with site.client() as client:
        good = token(client)
        assert client.post("/ask", data={"q": "执照"}).status_code == 403
        assert client.post("/ask", data={"csrf": good + "0", "q": "执照"}).status_code == 403
        forged = {"csrf": good, "phone": "13800138000", "description": "x", "area": ""}
    with site.client() as stranger:  # another visitor's token, without their cookie
        refused = stranger.post("/request", data=forged)
    assert refused.status_code == 403 and "页面已过期" in refused.text
    with sqlite_hl.reading() as session:
        assert session.exec(select(Ticket).where(Ticket.channel == "web")).first() is None


def test_questions_are_rate_limited_per_address_and_bodies_are_bounded(strict):
    with strict.client() as client:
        codes = [
            client.post("/ask", data={"csrf": token(client), "q": "执照"}).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        huge = client.post("/request", data={"csrf": token(client), "description": "长" * 3000})
    assert huge.status_code == 413


def test_new_requests_have_their_own_rate_limit(site):
    with site.client() as client:
        codes = [leave(client, description=f"诉求{i}").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_status_page_shows_the_matching_order_and_nothing_else(site):
    with site.client() as client:
        first = leave(client, phone="13800138000", description="第一张工单的内容")
        other = leave(client, phone="13900139000", description="别人的工单内容")
        mine = first.text.split('id="number">')[1].split("<")[0]
        theirs = other.text.split('id="number">')[1].split("<")[0]
        fields = {"csrf": token(client, "/status"), "number": mine, "phone": "13800138000"}
        shown = client.post("/status", data=fields)
        assert shown.status_code == 200
        assert "待派单" in shown.text and mine in shown.text
        for private in ("第一张工单的内容", "别人的工单内容", theirs, "张三", "13900139000"):
            assert private not in shown.text
        wrong = {**fields, "csrf": token(client, "/status"), "number": theirs}
        refused = client.post("/status", data=wrong)
    assert refused.status_code == 404
    assert theirs in refused.text  # the number typed, kept in the form: nothing of the order
    assert "待派单" not in refused.text and "别人的工单内容" not in refused.text


def test_a_failure_is_a_chinese_page_without_a_trace(site, caplog):
    class Broken:
        def search(self, *args, **kwargs):
            raise RuntimeError("secret internals")

    site.app.state.web.kb = Broken()
    with site.client() as client:
        failed = client.post("/ask", data={"csrf": token(client), "q": "执照"})
    assert failed.status_code == 500
    assert "系统繁忙" in failed.text
    assert "secret internals" not in failed.text and "Traceback" not in failed.text


def test_a_calibrated_decision_answers_but_never_a_complaint(site, sqlite_hl, caplog):
    """With a calibrator trained, its decision is the page's: the answer with its title, date
    and the did-this-help buttons, logged with its probability; "helped" lands on the answer's
    log row and the article's feedback; the type gate comes first all the same."""
    with sqlite_hl.reading() as session:
        article = session.exec(select(KbArticle)).one()
    # Sure only when the question holds the best hit's title: z = 10 × title_in_query − 5.
    weights = tuple(10.0 if name == "title_in_query" else 0.0 for name in FEATURES)
    ones, zeros = tuple(1.0 for _ in FEATURES), tuple(0.0 for _ in FEATURES)
    calibrator = Calibrator(FEATURES, zeros, ones, weights, -5.0, 0.9)
    CalibratorStore(sqlite_hl.settings.data_dir).save(calibrator)
    caplog.set_level("INFO", logger="hotline_tui.web.answering")
    with site.client() as client:
        answered = client.post("/ask", data={"csrf": token(client), "q": article.title})
        gated = client.post("/ask", data={"csrf": token(client), "q": "举报营业执照造假"})
        log_id = re.search(r'name="answer" value="(\d+)"', answered.text)
        assert log_id is not None
        helped = client.post(
            "/feedback",
            data={"csrf": token(client), "article": str(article.id), "q": article.title,
                  "answer": log_id[1], "helped": "yes"},
        )  # fmt: skip
    assert "这个答复对您有帮助吗" in answered.text and "更新日期" in answered.text
    assert "投诉、举报类诉求由工作人员受理" in gated.text and "这个答复" not in gated.text
    assert "感谢您的反馈" in helped.text
    logged = [r.getMessage() for r in caplog.records if r.name == "hotline_tui.web.answering"]
    assert len(logged) == 1
    assert logged[0].startswith(f"auto-answer article {article.id} version {article.version} ")
    with sqlite_hl.reading() as session:
        row = session.exec(select(KbAutoAnswer)).one()
        kinds = [f.kind for f in session.exec(select(KbFeedback)).all()]
    assert (row.article_id, row.outcome) == (article.id, "helped") and kinds == ["helpful"]
