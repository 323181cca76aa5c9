"""``hotline kb`` writing and administration: new, edit, the review steps, reindex, index
status, figures, knowledge gaps, expiry flags, synonym lists (added to the group by
:func:`register`)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import typer

from hotline_tui.cli.inputs import read_text_file
from hotline_tui.cli.kb_output import (
    ARTICLE_ID,
    IF_VERSION,
    JSON,
    NOTE,
    done,
    emit,
    fill_vectors,
    open_kb,
)
from hotline_tui.cli.output import line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import ImportFailed, ValidationError
from hotline_tui.domain.kb import ArticleInput, ArticlePatch
from hotline_tui.labels import label
from hotline_tui.labels.errors import import_reason_in_words as _in_words
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import insights as kb_insights
from hotline_tui.services.kb import usage as kb_usage
from hotline_tui.services.kb.search import KnowledgeBase


def _read_body(body: str | None, body_file: Path | None) -> str | None:
    if body_file is not None:
        return read_text_file(body_file, field="body_file")
    return body


def _items(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    items: list[str] = []
    for value in values:
        items.extend(part.strip() for part in value.replace("，", ",").split(",") if part.strip())
    return tuple(items)


ARTICLE_OPTIONS = {
    "title": typer.Option(None, "--title", help="标题（问题）"),
    "body": typer.Option(None, "--body", help="正文（Markdown）"),
    "body_file": typer.Option(None, "--body-file", help="正文文件（Markdown, UTF-8）"),
    "category": typer.Option(None, "--category", help="分类代码（空串：清除）"),
    "dept": typer.Option(None, "--dept", help="维护单位代码（空串：清除）"),
    "owner": typer.Option(None, "--owner", help="维护单位（本市没有该单位时，文本）"),
    "tags": typer.Option(None, "--tag", help="标签（可重复，或以逗号分隔）"),
    "synonyms": typer.Option(None, "--synonym", help="同义问法（可重复）"),
    "policy_refs": typer.Option(None, "--policy", help="政策依据（可重复）"),
    "effective": typer.Option(None, "--effective-from", help="生效日期 YYYY-MM-DD"),
    "expires": typer.Option(None, "--expires-on", help="失效日期 YYYY-MM-DD"),
}


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("validation.date", field=field, value=value) from None


def new(
    ctx: typer.Context,
    title: str = ARTICLE_OPTIONS["title"],
    body: str | None = ARTICLE_OPTIONS["body"],
    body_file: Path | None = ARTICLE_OPTIONS["body_file"],
    category: str | None = ARTICLE_OPTIONS["category"],
    dept: str | None = ARTICLE_OPTIONS["dept"],
    owner: str | None = ARTICLE_OPTIONS["owner"],
    tags: list[str] | None = ARTICLE_OPTIONS["tags"],
    synonyms: list[str] | None = ARTICLE_OPTIONS["synonyms"],
    policy_refs: list[str] | None = ARTICLE_OPTIONS["policy_refs"],
    effective: str | None = ARTICLE_OPTIONS["effective"],
    expires: str | None = ARTICLE_OPTIONS["expires"],
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """新建文章（草稿）."""
    st = state(ctx)
    article = ArticleInput(
        title=title or "",
        body=_read_body(body, body_file) or "",
        category=category,
        dept=dept,
        owner=owner or "",
        tags=_items(tags) or (),
        synonyms=_items(synonyms) or (),
        policy_refs=_items(policy_refs) or (),
        effective_from=_date(effective, "effective_from"),
        expires_on=_date(expires, "expires_on"),
    )
    view = kb_articles.create_article(st.hl, st.actor, article, note=note)
    done(view, as_json)


def edit(
    ctx: typer.Context,
    article_id: int = ARTICLE_ID,
    title: str | None = ARTICLE_OPTIONS["title"],
    body: str | None = ARTICLE_OPTIONS["body"],
    body_file: Path | None = ARTICLE_OPTIONS["body_file"],
    category: str | None = ARTICLE_OPTIONS["category"],
    dept: str | None = ARTICLE_OPTIONS["dept"],
    owner: str | None = ARTICLE_OPTIONS["owner"],
    tags: list[str] | None = ARTICLE_OPTIONS["tags"],
    synonyms: list[str] | None = ARTICLE_OPTIONS["synonyms"],
    policy_refs: list[str] | None = ARTICLE_OPTIONS["policy_refs"],
    effective: str | None = ARTICLE_OPTIONS["effective"],
    expires: str | None = ARTICLE_OPTIONS["expires"],
    if_version: int | None = IF_VERSION,
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """修改文章（只改给出的项）."""
    st = state(ctx)
    patch = ArticlePatch(
        title=title,
        body=_read_body(body, body_file),
        category=category,
        dept=dept,
        owner=owner,
        tags=_items(tags) if tags else None,
        synonyms=_items(synonyms) if synonyms else None,
        policy_refs=_items(policy_refs) if policy_refs else None,
        effective_from=_date(effective, "effective_from"),
        expires_on=_date(expires, "expires_on"),
        clear_effective_from=effective == "",
        clear_expires_on=expires == "",
    )
    view = kb_articles.edit_article(
        st.hl, st.actor, article_id, patch, if_version=if_version, note=note
    )
    done(view, as_json)


def _status_command(app: typer.Typer, name: str, doc: str) -> None:
    action = getattr(kb_articles, f"{name}_article")

    def command(
        ctx: typer.Context,
        article_id: int = ARTICLE_ID,
        if_version: int | None = IF_VERSION,
        note: str = NOTE,
        as_json: bool = JSON,
    ) -> None:
        st = state(ctx)
        done(action(st.hl, st.actor, article_id, if_version=if_version, note=note), as_json)

    command.__doc__ = doc
    app.command(name)(command)


# --- administration --------------------------------------------------------------------------


def reindex(ctx: typer.Context, as_json: bool = JSON) -> None:
    """重建本机的知识库索引."""
    st = state(ctx)
    kb = KnowledgeBase(st.hl, refresh_seconds=0)
    try:
        started = time.perf_counter()
        stats = kb.rebuild(st.actor)
        seconds = time.perf_counter() - started
        fill_vectors(kb)
    finally:
        kb.close()
    if as_json:
        emit(replace(stats, seconds=seconds))
        return
    line(
        f"索引已重建：{stats.documents} 篇，用时 {seconds:.1f} 秒，"
        f"{stats.bytes / 1_048_576:.1f} MB（{kb.directory}）"
    )


def status_(ctx: typer.Context, as_json: bool = JSON) -> None:
    """本机索引的状态."""
    st = state(ctx)
    kb = open_kb(st)
    try:
        info = kb.status()
    finally:
        kb.close()
    if as_json:
        emit(info)
        return
    state_text = "可用" if info.ready else f"不可用（{info.problem}）"
    line(f"索引 {info.directory}：{state_text}，{info.documents} 篇，变更序号 {info.mark_seq}")
    if info.ready:
        line(f"建于 {info.built_at}，更新于 {info.updated_at}，结构版本 {info.schema}")
        meaning = (
            f"已启用，{info.vectors} 段已有向量" if info.semantic else "未启用（仅按词语排序）"
        )
        line(f"语义排序：{meaning}")


def stats(ctx: typer.Context, as_json: bool = JSON) -> None:
    """知识库统计：状态、有效期、使用、反馈、知识缺口."""
    st = state(ctx)
    figures = kb_insights.kb_stats(st.hl, st.actor)
    if as_json:
        emit(figures)
        return
    statuses = "，".join(
        f"{label('kb_status', k)} {v}" for k, v in sorted(figures.by_status.items())
    )
    line(f"文章：{statuses or '无'}")
    line(
        f"有效 {figures.in_effect}，已过期 {figures.expired}，"
        f"30 天内到期 {figures.expiring_30_days}"
    )
    fb = figures.feedback
    line(
        f"直接答复使用 {figures.usage_total} 次；反馈：有用 {fb['helpful']}，"
        f"已过时 {fb['outdated']}，有错误 {fb['wrong']}；近 30 天知识缺口 {figures.gaps_30_days} 次"
    )
    if figures.top_used:
        table(
            ["编号", "使用", "标题"],
            [(a.id, a.usage_count, a.title) for a in figures.top_used],
            title="最常用",
        )


def gaps(
    ctx: typer.Context,
    days: int = typer.Option(30, "--days", min=1, max=3660),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
    as_json: bool = JSON,
) -> None:
    """知识缺口：提交后没有找到有用文章的查询."""
    st = state(ctx)
    rows = kb_insights.list_gaps(st.hl, st.actor, days=days, limit=limit)
    if as_json:
        emit(rows)
        return
    table(
        ["次数", "最近", "检索词", "示例"],
        [(g.count, g.last_at, g.terms, g.example) for g in rows],
        title=f"近 {days} 天的知识缺口（{len(rows)}）",
    )


def flag_expired(ctx: typer.Context) -> None:
    """提醒维护单位：已过期的已发布文章."""
    st = state(ctx)
    count = kb_usage.flag_expired(st.hl, st.actor)
    line(f"已提醒 {count} 篇过期文章的维护单位")


def synonyms(
    ctx: typer.Context,
    import_file: Path | None = typer.Option(None, "--import", help="同义词文件：每行一组"),
    as_json: bool = JSON,
) -> None:
    """同义词表：列出，或以文件替换（每行一组，如「社保 社会保险」）."""
    st = state(ctx)
    if import_file is not None:
        try:
            count = kb_insights.import_synonyms(st.hl, st.actor, import_file)
        except ImportFailed as exc:
            words = _in_words(exc)
            if words is exc:
                raise
            raise words from exc
        line(f"同义词表已替换：{count} 组")
        return
    groups = kb_insights.synonym_groups(st.hl)
    if as_json:
        emit(groups)
        return
    for group in groups:
        line(" ↔ ".join(group))


def register(app: typer.Typer) -> None:
    """Add the writing and administration commands to the ``kb`` group."""
    app.command("new")(new)
    app.command("edit")(edit)
    app.command("reindex")(reindex)
    app.command("status")(status_)
    app.command("stats")(stats)
    app.command("gaps")(gaps)
    app.command("flag-expired")(flag_expired)
    app.command("synonyms")(synonyms)
    _status_command(app, "submit", "提交审核（草稿 → 待审核）.")
    _status_command(app, "approve", "审核通过并发布（待审核 → 已发布）.")
    _status_command(app, "reject", "退回修改（待审核 → 草稿）.")
    _status_command(app, "publish", "直接发布（管理员）.")
    _status_command(app, "retire", "停用文章.")
