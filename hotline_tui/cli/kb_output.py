"""Shared output of the ``hotline kb`` commands (the Chinese words of the knowledge base's
errors, statuses and feedback kinds are in the product's catalogue, :mod:`hotline_tui.labels`,
shared with the console)."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from typing import Any

import typer
from rich.text import Text

from hotline_tui.cli.inputs import ID_MAX
from hotline_tui.cli.output import console, line
from hotline_tui.cli.state import CliState
from hotline_tui.domain.text import prepare_segmenter
from hotline_tui.labels import label
from hotline_tui.services.kb.search import KnowledgeBase, Results
from hotline_tui.services.kb.views import ArticleView
from hotline_tui.services.tickets.views import to_jsonable

JSON = typer.Option(False, "--json", help="输出 JSON")
IF_VERSION = typer.Option(None, "--if-version", min=0, max=ID_MAX, help="文章版本变了就拒绝")
ARTICLE_ID = typer.Argument(..., min=1, max=ID_MAX, metavar="ARTICLE_ID", help="文章编号")
NOTE = typer.Option("", "--note", "-n", help="说明")


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def emit(value: Any, *, indent: int | None = 2) -> None:
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent, default=_default)
    sys.stdout.write(text + "\n")


def open_kb(st: CliState) -> KnowledgeBase:
    """This host's index, caught up with the change feed and with its passages' vectors, and
    jieba and the model loaded (so that the time a search reports is the search's)."""
    kb = KnowledgeBase(st.hl, refresh_seconds=0)
    kb.refresh()
    fill_vectors(kb)
    prepare_segmenter()
    return kb


def fill_vectors(kb: KnowledgeBase) -> None:
    """Embed what the index lacks, saying so on stderr when it takes a while (after a large
    import: about a tenth of a second per article, once)."""
    shown = [0.0]
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - shown[0] >= 2.0 or done == total:
            shown[0] = now
            sys.stderr.write(f"\r正在计算语义向量：{done}/{total}（{now - started:.0f} 秒）")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    kb.fill_vectors(progress=progress)


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
        status = label("kb_status", view.status)
        line(f"文章 {view.id}：{status}，第 {view.version} 版")
