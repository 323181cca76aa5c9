"""Shared helpers of the knowledge-base service tests."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from db.models import AuditEvent
from hotline_tui.domain.kb import ArticleInput
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb.views import ArticleView


def article(title: str = "个体工商户营业执照如何办理？", **fields: Any) -> ArticleInput:
    values: dict[str, object] = {
        "title": title,
        "body": "可到区政务服务中心办理，需携带身份证和经营场所证明。详见[办事指南](https://example.invalid/g)。",
        "dept": "M01",
        "tags": ("营业执照", "个体户"),
    }
    values.update(fields)
    return ArticleInput(**values)  # type: ignore[arg-type]


def published(hl: Hotline, adm: Actor, **fields: Any) -> ArticleView:
    """A new article, published by the administrator."""
    view = kb_articles.create_article(hl, adm, article(**fields))
    return kb_articles.publish_article(hl, adm, view.id)


def kb_events(hl: Hotline, after: int = 0) -> list[tuple[str, int | None]]:
    with hl.reading() as session:
        rows = session.exec(
            select(AuditEvent.action, AuditEvent.entity_id)
            .where(col(AuditEvent.seq) > after, AuditEvent.entity == "kb_article")
            .order_by(col(AuditEvent.seq))
        ).all()
    return [(str(a), i) for a, i in rows]
