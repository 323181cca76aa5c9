"""Logging in and unlocking an idle console (the draft offer: see ``intake_dialogs``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label

from hotline_tui.ui.i18n import error_text, tr
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import content
from hotline_tui.ui.widgets.bars import MessageLine

if TYPE_CHECKING:
    from hotline_tui.services.context import Actor

__all__ = ["LockScreen", "LoginScreen"]


class LoginScreen(ConsoleModal[None]):
    """User name and password; the session starts when the login service accepts them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", tr("key.quit"), priority=True)
    ]

    def __init__(self, message: str = "", user: str = "") -> None:
        super().__init__(classes="-cover")
        self.message = message
        self.user = user

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box", classes="dialog"):
            yield Label(
                content(tr("app.title") + " · " + tr("login.title")), classes="dialog-title"
            )
            with Grid(classes="form-grid"):
                yield Label(tr("login.user"))
                yield Input(id="login-user", compact=True)
                yield Label(tr("login.password"))
                yield Input(id="login-password", password=True, compact=True)
            yield MessageLine(id="login-message")

    def on_mount(self) -> None:
        if self.message:
            self.query_one(MessageLine).show(self.message, "error")
        user = self.query_one("#login-user", Input)
        if self.user:
            user.value = self.user
            self.query_one("#login-password", Input).focus()
        else:
            user.focus()

    @on(Input.Submitted, "#login-user")
    def _user_done(self) -> None:
        self.query_one("#login-password", Input).focus()

    @on(Input.Submitted, "#login-password")
    def _submit(self) -> None:
        user = self.query_one("#login-user", Input).value
        password = self.query_one("#login-password", Input).value
        if not user.strip():
            self.query_one("#login-user", Input).focus()
            return
        self.query_one(MessageLine).show(tr("login.busy"))
        self.db(
            lambda: self.backend.login(user, password),
            self._logged_in,
            group="login",
            failed=self._failed,
        )

    def _logged_in(self, actor: Actor) -> None:
        self.dismiss(None)
        self.ui.start_session(actor)

    def _failed(self, error: BaseException) -> None:
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()
        self.query_one(MessageLine).show(error_text(error), "error")


class LockScreen(ConsoleModal[bool]):
    """Covers the console after it was idle; the same user's password unlocks it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", tr("key.quit"), priority=True)
    ]

    def __init__(self, username: str) -> None:
        super().__init__(classes="-cover")
        self.username = username

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box", classes="dialog"):
            yield Label(tr("lock.title"), classes="dialog-title")
            yield Label(content(tr("lock.prompt", user=self.username)))
            yield Input(id="lock-password", password=True, compact=True)
            yield MessageLine(id="lock-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        password = event.value
        self.db(
            lambda: self.backend.check_password(password),
            self._unlocked,
            group="unlock",
            failed=self._failed,
        )

    def _unlocked(self, _actor: Actor) -> None:
        self.dismiss(True)

    def _failed(self, error: BaseException) -> None:
        field = self.query_one(Input)
        field.value = ""
        self.query_one(MessageLine).show(error_text(error), "error")
