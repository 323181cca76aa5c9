"""Shared output of the ``hotline kb`` commands, and the Chinese words of the knowledge base's
structured errors, registered beside the product's catalogue (:mod:`hotline_tui.cli.messages`)
when the command group is loaded."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import typer
from rich.text import Text

from hotline_tui.cli.messages import STATE_ZH, TEMPLATES
from hotline_tui.cli.output import console, line
from hotline_tui.cli.state import CliState
from hotline_tui.domain.text import prepare_segmenter
from hotline_tui.services.kb_search import KnowledgeBase, Results
from hotline_tui.services.kb_views import ArticleView
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


JSON = typer.Option(False, "--json", help="输出 JSON")
IF_VERSION = typer.Option(None, "--if-version", help="文章版本变了就拒绝")
NOTE = typer.Option("", "--note", "-n", help="说明")


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def emit(value: Any, *, indent: int | None = 2) -> None:
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent, default=_default)
    sys.stdout.write(text + "\n")


def open_kb(st: CliState) -> KnowledgeBase:
    """This host's index, caught up with the change feed, and jieba loaded (so that the time a
    search reports is the search's, not the dictionary's)."""
    kb = KnowledgeBase(st.hl, refresh_seconds=0)
    kb.refresh()
    prepare_segmenter()
    return kb


def spans_text(spans: Any) -> Text:
    text = Text()
    for span in spans:
        text.append(span.text, style="bold yellow" if span.hit else "")
    return text


def print_results(results: Results) -> None:
    if not results.hits:
        line("没有找到相关文章")
        return
    for rank, hit in enumerate(results.hits, start=1):
        title = spans_text(hit.title_spans) if hit.title else Text("（无标题）")
        head = Text(f"{rank:>2}. [{hit.article_id}] ")
        head.append_text(title)
        console.print(head)
        console.print(Text("    ").append_text(spans_text(hit.snippet)))
        owner = hit.owner or "—"
        console.print(Text(f"    {hit.category_path or '未分类'} · {owner} · 第 {hit.version} 版"))
    line(f"共约 {results.total} 篇，用时 {results.elapsed_ms:.1f} 毫秒")


def done(view: ArticleView, as_json: bool) -> None:
    if as_json:
        emit(view)
    else:
        status = KB_STATUS_ZH.get(view.status, view.status)
        line(f"文章 {view.id}：{status}，第 {view.version} 版")
