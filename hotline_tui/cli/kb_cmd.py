"""``hotline kb``: the knowledge base from the command line — import, search (also in batch,
one JSON line per query, for scripts and evaluation), article workflow, feedback, answering a
call from an article, reindex, figures, knowledge gaps, synonym lists.

The Chinese words for the knowledge base's structured errors are registered here, next to the
product's catalogue (:mod:`hotline_tui.cli.messages`), when the command group is loaded.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from hotline_tui.cli.messages import STATE_ZH, TEMPLATES
from hotline_tui.cli.output import console, line, local_time, table
from hotline_tui.cli.ref_cmd import _in_words
from hotline_tui.cli.state import CliState, state
from hotline_tui.domain.errors import ImportFailed, ValidationError
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.domain.kb import ArticleInput, ArticlePatch
from hotline_tui.services import kb_articles, kb_import, kb_usage, kb_views
from hotline_tui.services.kb_search import KbFilters, KnowledgeBase, Results
from hotline_tui.services.tickets.views import to_jsonable

KB_STATUS_ZH = {"draft": "草稿", "review": "待审核", "published": "已发布", "retired": "已停用"}
FEEDBACK_ZH = {"helpful": "有用", "outdated": "已过时", "wrong": "有错误"}
KB_TEMPLATES = {
    "not_found.kb_article": "找不到知识库文章 {article}",
    "transition.kb": "知识库文章 {article} 当前为「{state_zh}」，不能执行「{action}」",
    "kb.not_offered": "知识库文章 {article} 未发布或不在有效期内（「{state_zh}」），不能用于答复",
    "conflict.kb_version": "知识库文章 {article} 已被 {changed_by} 于 {at} 修改（{action}），"
    "您看到的是第 {seen} 版，当前为第 {current} 版；请刷新后重试",
    "permission.kb_dept": "用户 {user} 只能维护本单位的知识库文章",
    "validation.kb_dates": "失效日期 {expires_on} 早于生效日期 {effective_from}",
    "validation.kb_too_many": "{field} 太多（{count} 项，上限 {max}）",
    "validation.front_matter": "第 {line} 行的文件头格式错误：{text}",
    "kb.index_unavailable": "知识库索引暂不可用（{reason}）：请稍候，"
    "或请管理员运行 hotline kb reindex",
    "kb.index_busy": "本机另一进程正在写知识库索引（{path}），请稍后再试",
    "import.reason.bad_date": "{column} 的日期「{value}」无效（应为 YYYY-MM-DD）",
    "import.reason.too_many": "{column} 项数太多（上限 {max}）",
    "import.reason.kb_dates": "失效日期早于生效日期",
    "import.reason.front_matter": "文件头格式错误：{value}",
    "import.reason.no_markdown": "文件夹中没有 .md 文件",
    "import.reason.synonym_group": "同义词组至少要有两个不同的词",
    "import.reason.invalid": "{column} 的内容无效",
}
for _key, _words in KB_TEMPLATES.items():
    TEMPLATES.setdefault(_key, _words)
for _key, _words in KB_STATUS_ZH.items():
    STATE_ZH.setdefault(_key, _words)

app = typer.Typer(help="知识库: knowledge articles, search, import, reindex.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="输出 JSON")
IF_VERSION = typer.Option(None, "--if-version", help="文章版本变了就拒绝")
NOTE = typer.Option("", "--note", "-n", help="说明")


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _emit(value: Any, *, indent: int | None = 2) -> None:
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent, default=_default)
    sys.stdout.write(text + "\n")


def _kb(st: CliState) -> KnowledgeBase:
    kb = KnowledgeBase(st.hl, refresh_seconds=0)
    kb.refresh()
    return kb


def _spans(spans: Any) -> Text:
    text = Text()
    for span in spans:
        text.append(span.text, style="bold yellow" if span.hit else "")
    return text


def _print_results(results: Results) -> None:
    if not results.hits:
        line("没有找到相关文章")
        return
    for rank, hit in enumerate(results.hits, start=1):
        title = _spans(hit.title_spans) if hit.title else Text("（无标题）")
        head = Text(f"{rank:>2}. [{hit.article_id}] ")
        head.append_text(title)
        console.print(head)
        console.print(Text("    ").append_text(_spans(hit.snippet)))
        owner = hit.owner or "—"
        console.print(Text(f"    {hit.category_path or '未分类'} · {owner} · 第 {hit.version} 版"))
    line(f"共约 {results.total} 篇，用时 {results.elapsed_ms:.1f} 毫秒")


# --- import and search -----------------------------------------------------------------------


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="CSV 文件，或 Markdown 文件夹"),
    status: str = typer.Option("published", "--status", help="新文章的状态：published 或 draft"),
    as_json: bool = JSON,
) -> None:
    """导入文章: CSV (question,answer,department[,category]…) 或带文件头的 Markdown 文件夹."""
    st = state(ctx)
    try:
        result = kb_import.import_articles(st.hl, st.actor, path, status=status)
    except ImportFailed as exc:
        words = _in_words(exc)
        if words is exc:
            raise
        raise words from exc
    if as_json:
        _emit(result)
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
            {"id": h.article_id, "title": h.title, "score": round(h.score, 4)} for h in results.hits
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
    statuses: list[str] = typer.Option([], "--status", help="状态（可重复；默认 published）"),
    all_: bool = typer.Option(False, "--all", help="含不在有效期内的文章"),
    no_highlight: bool = typer.Option(False, "--no-highlight", help="不标出命中的词"),
    as_json: bool = JSON,
) -> None:
    """全文检索知识库."""
    st = state(ctx)
    kb = _kb(st)
    filters = _filters(category, dept, statuses, all_)
    try:
        if batch is not None:
            source = sys.stdin if str(batch) == "-" else batch.open(encoding="utf-8")
            with source:
                for raw in source:
                    text = raw.rstrip("\n")
                    results = kb.search(
                        st.actor, text, filters=filters, limit=limit, highlight=not no_highlight
                    )
                    _emit(_batch_line(results), indent=None)
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
        _emit(results)
    else:
        _print_results(results)


# --- articles --------------------------------------------------------------------------------


def _read_body(body: str | None, body_file: Path | None) -> str | None:
    if body_file is not None:
        return body_file.read_text(encoding="utf-8")
    return body


def _items(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    items: list[str] = []
    for value in values:
        items.extend(part.strip() for part in value.replace("，", ",").split(",") if part.strip())
    return tuple(items)


def _show(view: kb_views.ArticleView) -> None:
    line(f"[{view.id}] {view.display_title}")
    status = KB_STATUS_ZH.get(view.status, view.status)
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
    article_id: int,
    history: bool = typer.Option(False, "--history", help="列出版本历史"),
    as_json: bool = JSON,
) -> None:
    """查看文章（链接不可点击，原样显示）."""
    st = state(ctx)
    view = kb_views.get_article(st.hl, st.actor, article_id)
    versions = kb_views.article_history(st.hl, st.actor, article_id) if history else []
    if as_json:
        _emit({"article": view, "history": versions} if history else view)
        return
    _show(view)
    if history:
        table(
            ["版本", "操作", "状态", "修改人", "时间", "修改内容"],
            [
                (
                    v.version,
                    v.action,
                    KB_STATUS_ZH.get(v.status, v.status),
                    v.changed_by,
                    v.changed_at,
                    "、".join(v.changed_fields) + (f"：{v.note}" if v.note else ""),
                )
                for v in versions
            ],
            title="版本历史",
        )


ARTICLE_OPTIONS = {
    "title": typer.Option(None, "--title", help="标题（问题）"),
    "body": typer.Option(None, "--body", help="正文（Markdown）"),
    "body_file": typer.Option(None, "--body-file", help="正文文件（Markdown, UTF-8）"),
    "category": typer.Option(None, "--category", help="分类代码（空串：清除）"),
    "dept": typer.Option(None, "--dept", help="维护单位代码（空串：清除）"),
    "owner": typer.Option(None, "--owner", help="维护单位（本市没有该单位时，文本）"),
    "tags": typer.Option(None, "--tag", help="标签（可重复，或以逗号分隔）"),
    "synonyms": typer.Option(None, "--synonym", help="同义问法（可重复）"),
    "policy": typer.Option(None, "--policy", help="政策依据（可重复）"),
    "effective": typer.Option(None, "--effective-from", help="生效日期 YYYY-MM-DD"),
    "expires": typer.Option(None, "--expires-on", help="失效日期 YYYY-MM-DD"),
}


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("validation.datetime", field=field, value=value) from None


@app.command("new")
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
    policy: list[str] | None = ARTICLE_OPTIONS["policy"],
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
        policy_refs=_items(policy) or (),
        effective_from=_date(effective, "effective_from"),
        expires_on=_date(expires, "expires_on"),
    )
    view = kb_articles.create_article(st.hl, st.actor, article, note=note)
    _done(view, as_json)


def _done(view: kb_views.ArticleView, as_json: bool) -> None:
    if as_json:
        _emit(view)
    else:
        status = KB_STATUS_ZH.get(view.status, view.status)
        line(f"文章 {view.id}：{status}，第 {view.version} 版")


@app.command("edit")
def edit(
    ctx: typer.Context,
    article_id: int,
    title: str | None = ARTICLE_OPTIONS["title"],
    body: str | None = ARTICLE_OPTIONS["body"],
    body_file: Path | None = ARTICLE_OPTIONS["body_file"],
    category: str | None = ARTICLE_OPTIONS["category"],
    dept: str | None = ARTICLE_OPTIONS["dept"],
    owner: str | None = ARTICLE_OPTIONS["owner"],
    tags: list[str] | None = ARTICLE_OPTIONS["tags"],
    synonyms: list[str] | None = ARTICLE_OPTIONS["synonyms"],
    policy: list[str] | None = ARTICLE_OPTIONS["policy"],
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
        policy_refs=_items(policy) if policy else None,
        effective_from=_date(effective, "effective_from"),
        expires_on=_date(expires, "expires_on"),
        clear_effective_from=effective == "",
        clear_expires_on=expires == "",
    )
    view = kb_articles.edit_article(
        st.hl, st.actor, article_id, patch, if_version=if_version, note=note
    )
    _done(view, as_json)


def _status_command(name: str, doc: str) -> None:
    action = getattr(kb_articles, f"{name}_article")

    def command(
        ctx: typer.Context,
        article_id: int,
        if_version: int | None = IF_VERSION,
        note: str = NOTE,
        as_json: bool = JSON,
    ) -> None:
        st = state(ctx)
        _done(action(st.hl, st.actor, article_id, if_version=if_version, note=note), as_json)

    command.__doc__ = doc
    app.command(name)(command)


_status_command("submit", "提交审核（草稿 → 待审核）.")
_status_command("approve", "审核通过并发布（待审核 → 已发布）.")
_status_command("reject", "退回修改（待审核 → 草稿）.")
_status_command("publish", "直接发布（管理员）.")
_status_command("retire", "停用文章.")


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
        _emit(rows)
        return
    table(
        ["编号", "状态", "失效日期", "使用", "维护单位", "标题"],
        [
            (
                r.id,
                KB_STATUS_ZH.get(r.status, r.status) + ("·过期" if r.expired else ""),
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
    article_id: int,
    kind: str = typer.Argument(..., help="helpful | outdated | wrong"),
    note: str = NOTE,
    ticket: str | None = typer.Option(None, "--ticket", help="相关工单编号"),
    as_json: bool = JSON,
) -> None:
    """反馈：有用 / 已过时 / 有错误."""
    st = state(ctx)
    view = kb_usage.give_feedback(st.hl, st.actor, article_id, kind, note, ticket_number=ticket)
    if as_json:
        _emit(view)
    else:
        line(f"已记录对文章 {article_id} 的反馈：{FEEDBACK_ZH.get(kind, kind)}")


@app.command("answer")
def answer(
    ctx: typer.Context,
    article_id: int,
    description: str = typer.Option(..., "--description", "-d", help="来电内容"),
    request_type: str = typer.Option("consult", "--type", "-t"),
    phone: str | None = typer.Option(None, "--phone"),
    name: str = typer.Option("", "--name"),
    text: str | None = typer.Option(None, "--text", help="答复内容（默认：文章正文）"),
    article_version: int | None = typer.Option(None, "--article-version"),
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
        _emit(done)
    else:
        line(f"工单 {done.number} 已按文章 {article_id} 直接答复办结")


# --- administration --------------------------------------------------------------------------


@app.command("reindex")
def reindex(ctx: typer.Context, as_json: bool = JSON) -> None:
    """重建本机的知识库索引."""
    st = state(ctx)
    kb = KnowledgeBase(st.hl, refresh_seconds=0)
    try:
        started = time.perf_counter()
        stats = kb.rebuild(st.actor)
        seconds = time.perf_counter() - started
    finally:
        kb.close()
    if as_json:
        _emit(replace(stats, seconds=seconds))
        return
    line(
        f"索引已重建：{stats.documents} 篇，用时 {seconds:.1f} 秒，"
        f"{stats.bytes / 1_048_576:.1f} MB（{kb.directory}）"
    )


@app.command("status")
def status_(ctx: typer.Context, as_json: bool = JSON) -> None:
    """本机索引的状态."""
    st = state(ctx)
    kb = _kb(st)
    try:
        info = kb.status()
    finally:
        kb.close()
    if as_json:
        _emit(info)
        return
    state_text = "可用" if info.ready else f"不可用（{info.problem}）"
    line(f"索引 {info.directory}：{state_text}，{info.documents} 篇，变更序号 {info.mark_seq}")
    if info.ready:
        line(f"建于 {info.built_at}，更新于 {info.updated_at}，结构版本 {info.schema}")


@app.command("stats")
def stats(ctx: typer.Context, as_json: bool = JSON) -> None:
    """知识库统计：状态、有效期、使用、反馈、知识缺口."""
    st = state(ctx)
    figures = kb_usage.kb_stats(st.hl, st.actor)
    if as_json:
        _emit(figures)
        return
    statuses = "，".join(
        f"{KB_STATUS_ZH.get(k, k)} {v}" for k, v in sorted(figures.by_status.items())
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


@app.command("gaps")
def gaps(
    ctx: typer.Context,
    days: int = typer.Option(30, "--days", min=1, max=3660),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
    as_json: bool = JSON,
) -> None:
    """知识缺口：提交后没有找到有用文章的查询."""
    st = state(ctx)
    rows = kb_usage.list_gaps(st.hl, st.actor, days=days, limit=limit)
    if as_json:
        _emit(rows)
        return
    table(
        ["次数", "最近", "检索词", "示例"],
        [(g.count, g.last_at, g.terms, g.example) for g in rows],
        title=f"近 {days} 天的知识缺口（{len(rows)}）",
    )


@app.command("flag-expired")
def flag_expired(ctx: typer.Context) -> None:
    """提醒维护单位：已过期的已发布文章."""
    st = state(ctx)
    count = kb_usage.flag_expired(st.hl, st.actor)
    line(f"已提醒 {count} 篇过期文章的维护单位")


@app.command("synonyms")
def synonyms(
    ctx: typer.Context,
    import_file: Path | None = typer.Option(None, "--import", help="同义词文件：每行一组"),
    as_json: bool = JSON,
) -> None:
    """同义词表：列出，或以文件替换（每行一组，如「社保 社会保险」）."""
    st = state(ctx)
    if import_file is not None:
        try:
            count = kb_usage.import_synonyms(st.hl, st.actor, import_file)
        except ImportFailed as exc:
            words = _in_words(exc)
            if words is exc:
                raise
            raise words from exc
        line(f"同义词表已替换：{count} 组")
        return
    groups = kb_usage.synonym_groups(st.hl)
    if as_json:
        _emit(groups)
        return
    for group in groups:
        line(" ↔ ".join(group))
