"""The articles of the database as the knowledge index takes them (:class:`IndexDoc`): their
category chains, owning department and stored fields. What goes in; the search service
(:mod:`hotline_tui.services.kb.search`) decides when."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from db.models import Category, Department, KbArticle
from hotline_tui.services.kb.views import loads
from kb_index import IndexDoc

__all__ = ["index_docs"]


def _category_chains(session: Session) -> dict[int, tuple[tuple[str, ...], str]]:
    """Category id → (its code and its ancestors' codes, its path)."""
    nodes = {c.id: c for c in session.exec(select(Category)).all()}
    chains: dict[int, tuple[tuple[str, ...], str]] = {}
    for node_id, node in nodes.items():
        codes: list[str] = []
        current: Category | None = node
        while current is not None and len(codes) < 16:
            codes.append(current.code)
            current = nodes.get(current.parent_id) if current.parent_id else None
        chains[node_id or 0] = (tuple(codes), node.path)
    return chains


def index_docs(session: Session, ids: Iterable[int] | None = None) -> list[IndexDoc]:
    """The articles (all, or those of ``ids`` that still exist) as the index takes them."""
    chains = _category_chains(session)
    depts = {d.id: d for d in session.exec(select(Department)).all()}
    queries = []
    if ids is None:
        queries.append(select(KbArticle).order_by(col(KbArticle.id)))
    else:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            queries.append(select(KbArticle).where(col(KbArticle.id).in_(chunk)))
    docs: list[IndexDoc] = []
    for query in queries:
        for article in session.exec(query):
            codes, path = chains.get(article.category_id or 0, ((), ""))
            dept = depts.get(article.owner_dept_id) if article.owner_dept_id else None
            docs.append(
                IndexDoc(
                    article_id=article.id or 0,
                    title=article.title,
                    body=article.body,
                    status=article.status,
                    version=article.version,
                    tags=loads(article.tags),
                    synonyms=loads(article.synonyms),
                    category_codes=codes,
                    category_path=path,
                    dept_code=dept.code if dept else None,
                    owner=dept.name if dept else article.owner_text,
                    effective_from=article.effective_from,
                    expires_on=article.expires_on,
                    updated_at=article.updated_at.isoformat(),
                    source_key=article.ext_key or "",
                )
            )
    return docs
