"""The top line of every screen (mode, user, status) and the message line of forms.

Both are one line, repainted only when their text changes (never by a clock).
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from hotline_tui.ui.text import content, plain

__all__ = ["MessageLine", "TopBar"]


class TopBar(Widget):
    """``受理 │ op1 张三（话务员） │ status``."""

    DEFAULT_CSS = """
    TopBar { height: 1; width: 1fr; background: $panel; color: $foreground; }
    """

    title: reactive[str] = reactive("", layout=False)
    user: reactive[str] = reactive("", layout=False)
    status: reactive[str] = reactive("", layout=False)

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(TopBar.title, title)

    def on_mount(self) -> None:
        # The console's notice line (ui/notices.py), on screens opened after it arrived too.
        self.status = str(getattr(self.app, "notice_line", "") or "")

    def render(self) -> Content:
        parts: list[str | tuple[str, str] | Content] = [(f" {plain(self.title)} ", "bold reverse")]
        if self.user:
            parts += [" ", content(self.user, single_line=True)]
        if self.status:
            parts += ["  ", content(self.status, "italic", single_line=True)]
        return Content.assemble(*parts)


class MessageLine(Widget):
    """One line for a form's state: an error (red), a warning or a plain message."""

    DEFAULT_CSS = """
    MessageLine { height: auto; max-height: 3; width: 1fr; }
    MessageLine.-error { color: $error; }
    MessageLine.-warning { color: $warning; }
    """

    message: reactive[str] = reactive("", layout=True)

    def show(self, text: str, kind: str = "") -> None:
        self.set_class(kind == "error", "-error")
        self.set_class(kind == "warning", "-warning")
        self.message = text

    def render(self) -> Content:
        return content(self.message)
