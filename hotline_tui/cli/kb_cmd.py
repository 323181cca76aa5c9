"""``hotline kb``: the knowledge base from the command line — import, search (also in batch,
one JSON line per query, for scripts and evaluation), show, list, feedback, answering a call
from an article; the writing and administration commands are in
:mod:`hotline_tui.cli.kb_admin_cmd`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from hotline_tui.cli import kb_admin_cmd, kb_autoanswer_cmd
from hotline_tui.cli.choices import choice, choice_help
from hotline_tui.cli.inputs import ID_MAX, read_text_file
from hotline_tui.cli.kb_output import ARTICLE_ID, JSON, NOTE, emit, open_kb, print_results
from hotline_tui.cli.output import console, line, local_time, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import ImportFailed, ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.labels import label
from hotline_tui.labels.errors import import_reason_in_words as _in_words
from hotline_tui.services.kb import articles as kb_articles
from hotline_tui.services.kb import importing as kb_import
from hotline_tui.services.kb import usage as kb_usage
from hotline_tui.services.kb import views as kb_views
from hotline_tui.services.kb.search import KbFilters, Results

app = typer.Typer(help="知识库：文章、检索、导入、重建索引。", no_args_is_help=True)


# --- import and search -----------------------------------------------------------------------


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="CSV 文件，或 Markdown 文件夹"),
    status: str = typer.Option(
        "published",
        "--status",
        help=choice_help("新文章的状态", "kb_status", ("published", "draft")),
        **choice("kb_status", ("published", "draft")),
    ),
    as_json: bool = JSON,
) -> None:
    """导入文章：CSV（question,answer,department[,category]…）或带文件头的 Markdown 文件夹。"""
    st = state(ctx)
    try:
        result = kb_import.import_articles(st.hl, st.actor, path, status=status)
    except ImportFailed as exc:
        words = _in_words(exc)
        if words is exc:
            raise
        raise words from exc
    if as_json:
        emit(result)
        return
    for notice in result.notices:
        p = notice.params
        if notice.code == "unknown_dept":
            line(
                f"警告：单位「{p['value']}」不是本市单位，{p['rows']} 篇文章以它为维护单位（文本）"
            )
        elif notice.code == "unknown_category":
            line(f"警告：分类「{p['value']}」不存在，{p['rows']} 篇文章未分类")
        elif notice.code == "empty_body":
            line(f"警告：第 {p['line']} 行没有答案，已跳过")
    line(
        f"知识库导入完成：新增 {result.created}，更新 {result.updated}，"
        f"未变 {result.unchanged}，跳过 {result.skipped}"
    )
    line(f"文件 {result.file}  SHA-256 {result.sha256}")


def _filters(category: str | None, dept: str | None, statuses: list[str], all_: bool) -> KbFilters:
    return KbFilters(
        category=category,
        dept=dept,
        statuses=tuple(statuses) or ("published",),
        include_out_of_effect=all_,
    )


def _batch_line(results: Results) -> dict[str, Any]:
    return {
        "query": results.query,
        "terms": list(results.terms),
        "ms": round(results.elapsed_ms, 2),
        "total": results.total,
        "hits": [
            {"id": h.article_id, "key": h.source_key, "title": h.title, "score": round(h.score, 4)}
            for h in results.hits
        ],
    }


@app.command("search")
def search(
    ctx: typer.Context,
    query: str = typer.Argument("", help="要查找的内容（任意文字，不是查询语法）"),
    limit: int = typer.Option(10, "--limit", min=1, max=200),
    batch: Path | None = typer.Option(
        None, "--batch", help="每行一个查询的文件（- 为标准输入）；每个查询输出一行 JSON"
    ),
    category: str | None = typer.Option(None, "--category", help="分类代码（含下级）"),
    dept: str | None = typer.Option(None, "--dept", help="单位代码"),
    statuses: list[str] = typer.Option(
        [],
        "--status",
        help=choice_help("状态（可重复；默认已发布）", "kb_status"),
        **choice("kb_status"),
    ),
    all_: bool = typer.Option(False, "--all", help="含不在有效期内的文章"),
    no_highlight: bool = typer.Option(False, "--no-highlight", help="不标出命中的词"),
    as_json: bool = JSON,
) -> None:
    """全文检索知识库."""
    st = state(ctx)
    kb = open_kb(st)
    filters = _filters(category, dept, statuses, all_)
    try:
        if batch is not None:
            # Standard input is read as it comes (a pipe answers line by line); a file whole.
            queries: Iterable[str] = (
                (raw.rstrip("\n") for raw in sys.stdin)
                if str(batch) == "-"
                else read_text_file(batch, field="batch").splitlines()
            )
            for text in queries:
                results = kb.search(
                    st.actor, text, filters=filters, limit=limit, highlight=not no_highlight
                )
                emit(_batch_line(results), indent=None)
            return
        if not query.strip():
            raise ValidationError("validation.required", field="query")
        results = kb.search(
            st.actor,
            query,
            filters=filters,
            limit=limit,
            highlight=not no_highlight,
            submitted=True,
        )
    finally:
        kb.close()
    if as_json:
        emit(results)
    else:
        print_results(results)


# --- articles --------------------------------------------------------------------------------


def _show(view: kb_views.ArticleView) -> None:
    line(f"[{view.id}] {view.display_title}")
    status = label("kb_status", view.status)
    flags = "（已过期）" if view.expired else "" if view.in_effect else "（未生效）"
    line(f"状态：{status}{flags}  第 {view.version} 版  更新：{local_time(view.updated_at)}")
    owner = view.owner + ("（文本）" if view.owner_is_free_text else "")
    line(f"分类：{view.category_path or '未分类'}  维护单位：{owner or '—'}")
    if view.effective_from or view.expires_on:
        line(f"有效期：{view.effective_from or '—'} 至 {view.expires_on or '—'}")
    if view.tags:
        line("标签：" + "、".join(view.tags))
    if view.synonyms:
        line("同义问法：" + "、".join(view.synonyms))
    if view.policy_refs:
        line("政策依据：" + "；".join(view.policy_refs))
    line(
        f"使用 {view.usage_count} 次；反馈：有用 {view.helpful_count}，"
        f"已过时 {view.outdated_count}，有错误 {view.wrong_count}"
    )
    line("")
    console.print(Text(view.body_inert))


@app.command("show")
def show(
    ctx: typer.Context,
    article_id: int = ARTICLE_ID,
    history: bool = typer.Option(False, "--history", help="列出版本历史"),
    as_json: bool = JSON,
) -> None:
    """查看文章（链接不可点击，原样显示）."""
    st = state(ctx)
    view = kb_views.get_article(st.hl, st.actor, article_id)
    versions = kb_views.article_history(st.hl, st.actor, article_id) if history else []
    if as_json:
        emit({"article": view, "history": versions} if history else view)
        return
    _show(view)
    if history:
        table(
            ["版本", "操作", "状态", "修改人", "时间", "修改内容"],
            [
                (
                    v.version,
                    v.action,
                    label("kb_status", v.status),
                    v.changed_by,
                    v.changed_at,
                    "、".join(v.changed_fields) + (f"：{v.note}" if v.note else ""),
                )
                for v in versions
            ],
            title="版本历史",
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status"),
    dept: str | None = typer.Option(None, "--dept"),
    expired: bool = typer.Option(False, "--expired", help="只列已过期的已发布文章"),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
    as_json: bool = JSON,
) -> None:
    """文章列表（最近修改的在前）."""
    st = state(ctx)
    rows = kb_articles.list_articles(
        st.hl, st.actor, status=status, dept=dept, expired=expired, limit=limit
    )
    if as_json:
        emit(rows)
        return
    table(
        ["编号", "状态", "失效日期", "使用", "维护单位", "标题"],
        [
            (
                r.id,
                label("kb_status", r.status) + ("·过期" if r.expired else ""),
                r.expires_on.isoformat() if r.expires_on else "",
                r.usage_count,
                r.owner,
                r.title,
            )
            for r in rows
        ],
        title=f"知识库文章（{len(rows)}）",
    )


# --- on the call -----------------------------------------------------------------------------


@app.command("feedback")
def feedback(
    ctx: typer.Context,
    article_id: int = ARTICLE_ID,
    kind: str = typer.Argument(
        ..., help=choice_help("评价", "feedback"), **choice("feedback", name="评价")
    ),
    note: str = NOTE,
    ticket: str | None = typer.Option(None, "--ticket", help="相关工单编号"),
    as_json: bool = JSON,
) -> None:
    """反馈：有用 / 已过时 / 有错误."""
    st = state(ctx)
    view = kb_usage.give_feedback(st.hl, st.actor, article_id, kind, note, ticket_number=ticket)
    if as_json:
        emit(view)
    else:
        line(f"已记录对文章 {article_id} 的反馈：{label('feedback', kind)}")


@app.command("answer")
def answer(
    ctx: typer.Context,
    article_id: int = ARTICLE_ID,
    description: str = typer.Option(..., "--description", "-d", help="来电内容"),
    request_type: str = typer.Option("consult", "--type", "-t"),
    phone: str | None = typer.Option(None, "--phone"),
    name: str = typer.Option("", "--name"),
    text: str | None = typer.Option(None, "--text", help="答复内容（默认：文章正文）"),
    article_version: int | None = typer.Option(None, "--article-version", min=0, max=ID_MAX),
    as_json: bool = JSON,
) -> None:
    """按文章直接答复：登记工单并以直接答复办结，关联文章."""
    st = state(ctx)
    intake = IntakeInput(
        request_type=request_type,
        description=description,
        caller=CallerInput(name=name, phone=phone),
    )
    done = kb_usage.answer_from_article(
        st.hl, st.actor, intake, article_id, answer_text=text, article_version=article_version
    )
    if as_json:
        emit(done)
    else:
        line(f"工单 {done.number} 已按文章 {article_id} 直接答复办结")


kb_admin_cmd.register(app)
app.add_typer(kb_autoanswer_cmd.app, name="autoanswer")
