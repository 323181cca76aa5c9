"""One knowledge article on screen: its title, where it comes from, and its body.

The body shown is the service's ``body_inert`` (every link, image, address and HTML tag already
made plain text), with control characters removed, rendered by Textual's ``Markdown`` with
link-opening off: stored text is data, and nothing in an article can be clicked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from hotline_tui.ui.i18n import tr
from hotline_tui.ui.text import content, plain

if TYPE_CHECKING:
    from hotline_tui.services.kb.views import ArticleView

__all__ = ["ArticlePane", "article_header"]


def article_header(view: ArticleView) -> Content:
    """Title, then one line of provenance (category, owner, version, use), then the dates and
    warnings, all as plain data."""
    lines: list[Content] = [content(view.display_title or tr("kb.untitled"), "bold")]
    lines.append(
        content(
            tr(
                "kb.meta",
                category=view.category_path or tr("kb.uncategorised"),
                owner=view.owner or "—",
                version=view.version,
                usage=view.usage_count,
            ),
            "dim",
            single_line=True,
        )
    )
    if view.effective_from or view.expires_on:
        dates = tr(
            "kb.dates",
            start=view.effective_from.isoformat() if view.effective_from else "—",
            end=view.expires_on.isoformat() if view.expires_on else "—",
        )
        lines.append(content(dates, "dim"))
    if view.expired:
        lines.append(content(tr("kb.expired"), "bold red"))
    elif not view.in_effect:
        lines.append(content(tr("kb.not_in_effect"), "bold red"))
    if view.policy_refs:
        refs = "；".join(view.policy_refs)
        lines.append(content(f"{tr('kb.policy')}：{refs}", "dim", single_line=True))
    return Content("\n").join(lines)


class ArticlePane(VerticalScroll):
    """The article, scrollable (↑↓, PgUp/PgDn) when it has focus."""

    DEFAULT_CSS = """
    ArticlePane { height: 1fr; width: 1fr; }
    ArticlePane > .kb-header { width: 1fr; height: auto; margin: 0 0 1 0; }
    ArticlePane > Markdown { margin: 0; padding: 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self.view: ArticleView | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="kb-header")
        yield Markdown("", open_links=False)

    def show(self, view: ArticleView | None) -> None:
        self.view = view
        header = self.query_one(".kb-header", Static)
        body = self.query_one(Markdown)
        if view is None:
            header.update("")
            body.update("")
            return
        header.update(article_header(view))
        body.update(plain(view.body_inert))
        self.scroll_home(animate=False)
