"""The order tools' dialogs: which modal confirms an action (:func:`modal_for`), revealing the
caller (:class:`RevealModal`, its reason recorded), and an order's materials: the list
(:class:`MaterialsModal`, Enter opens one) and the viewer (:class:`MaterialViewer`: where the
file is stored and, for text, its first 64 KB shown literally)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from hotline_tui.ui.actions import Target
from hotline_tui.ui.i18n import error_text, tr
from hotline_tui.ui.screens.action_modal import ActionModal
from hotline_tui.ui.screens.base import ConsoleModal
from hotline_tui.ui.text import content, short_time
from hotline_tui.ui.widgets.bars import MessageLine
from hotline_tui.ui.widgets.grid import Column, DataGrid

if TYPE_CHECKING:
    from pathlib import Path

    from hotline_tui.services.tickets.views import MaterialView, TicketDetail

__all__ = ["MaterialViewer", "MaterialsModal", "RevealModal", "modal_for", "relation_lines"]


class RevealModal(ActionModal):
    """查看完整号码: asks why; closes with the order as the service shows it revealed (the
    catalogue's ``reveal``, whose result is the order's detail)."""


def relation_lines(d: TicketDetail) -> list[str]:
    """What the order view says about merges and the flags beside the state (提级, 会商)."""
    lines = []
    if d.parent:
        lines.append(tr("detail.merged_into", number=d.parent))
    if d.duplicates:
        lines.append(tr("detail.duplicates", numbers="、".join(d.duplicates)))
    flags = [tr(f"flag.{name}") for name in ("escalated", "consulted") if d.flags.get(name)]
    if flags:
        lines.append("⚑ " + "  ".join(flags))
    return lines


def modal_for(name: str, target: Target) -> ActionModal:
    if name == "reveal":
        return RevealModal(name, target)
    return ActionModal(name, target)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


MATERIAL_COLUMNS: list[Column[MaterialView]] = [
    Column("file", "col.material", None, lambda m: m.filename, lambda m: m.filename),
    Column("size", "col.size", 9, lambda m: _size(m.size), lambda m: m.size),
    Column("media", "col.media", 16, lambda m: m.media_type, lambda m: m.media_type),
    Column(
        "uploaded", "col.uploaded", 11, lambda m: short_time(m.uploaded_at), lambda m: m.uploaded_at
    ),
]


class MaterialsModal(ConsoleModal[None]):
    """The order's materials; Enter opens the one under the cursor."""

    DEFAULT_CSS = """
    MaterialsModal #materials { height: auto; max-height: 14; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", tr("key.back"), id="materials.back"),
    ]

    def __init__(self, number: str, materials: list[MaterialView]) -> None:
        super().__init__()
        self.number = number
        self.materials = materials

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="materials-box"):
            yield Label(content(tr("materials.title", number=self.number)), classes="dialog-title")
            yield DataGrid(MATERIAL_COLUMNS, key=lambda m: m.sha256, id="materials")
            yield MessageLine(id="materials-message")
            yield Label(
                tr("key.open_file") + ": Enter   " + tr("key.back") + ": Esc", classes="hint"
            )

    def on_mount(self) -> None:
        grid = self.query_one(DataGrid)
        grid.show_rows(self.materials)
        grid.focus()
        if not self.materials:
            self.query_one(MessageLine).show(tr("materials.none"))

    @on(DataTable.RowSelected, "#materials")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        material = self.query_one(DataGrid).current
        if material is not None:
            self.app.push_screen(MaterialViewer(self.number, material))

    def action_close(self) -> None:
        self.dismiss(None)


class MaterialViewer(ConsoleModal[None]):
    """One material: its record, where it is stored, and its text if it is text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", tr("key.back"), id="material.back"),
    ]

    def __init__(self, number: str, material: MaterialView) -> None:
        super().__init__()
        self.number = number
        self.material = material

    def compose(self) -> ComposeResult:
        m = self.material
        with Vertical(classes="dialog", id="viewer-box"):
            yield Label(
                content(f"{m.filename} · {_size(m.size)} · {m.media_type}", single_line=True),
                classes="dialog-title",
            )
            yield Static("", id="viewer-path")
            with VerticalScroll(id="viewer-body"):
                yield Static("…", id="viewer-text")
            yield MessageLine(id="viewer-message")

    def on_mount(self) -> None:
        number, digest = self.number, self.material.sha256
        self.query_one("#viewer-body").focus()
        self.db(
            lambda: self.backend.material(number, digest),
            self._loaded,
            group="material",
            failed=self._failed,
        )

    def _loaded(self, loaded: tuple[MaterialView, Path, bytes]) -> None:
        view, path, head = loaded
        self.query_one("#viewer-path", Static).update(
            content(tr("materials.stored", path=str(path)))
        )
        text = _as_text(view, head)
        if text is None:
            body = tr("materials.binary", size=view.size, media=view.media_type)
        else:
            body = text + ("\n" + tr("materials.cut", n=len(head)) if view.size > len(head) else "")
        self.query_one("#viewer-text", Static).update(content(body))

    def _failed(self, error: BaseException) -> None:
        self.query_one("#viewer-text", Static).update("")
        self.query_one(MessageLine).show(error_text(error), "error")

    def action_close(self) -> None:
        self.dismiss(None)


def _as_text(view: MaterialView, head: bytes) -> str | None:
    """The bytes as text if they are text (UTF-8, else GB18030), else None."""
    if b"\x00" in head[:4096]:
        return None
    textual = view.media_type.startswith("text/") or view.media_type in (
        "application/json",
        "application/xml",
        "application/csv",
    )
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as cut:
            # The preview may end inside a character: what decodes up to there is the text.
            if cut.start >= len(head) - 4 and cut.start > 0:
                return head[: cut.start].decode(encoding)
            continue
    return None if not textual else head.decode("utf-8", errors="replace")
