"""The typed inputs of the order actions (:mod:`.catalogue`): what each action needs besides who
acts, as the front ends hand it over.

Every input names the order (``number``) and the version the user saw (``if_version``: the
order's for an order action, the department part's for a part action; None: the version read in
the same transaction). A part action names the department whose part it acts on (``dept``; None:
the user's own, or the only live part).

Light on purpose (dataclasses only): the console builds these before any service is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AnswerInput",
    "AttachInput",
    "ConsultInput",
    "DispatchInput",
    "EditInput",
    "EscalateInput",
    "ExtendInput",
    "ExtensionApproveInput",
    "MergeInput",
    "NoteInput",
    "OrderInput",
    "PartInput",
    "PartNoteInput",
    "RedoInput",
    "ReleaseInput",
    "ReplyInput",
    "ResultInput",
    "ReturnAcceptInput",
    "ReturnInput",
    "RevealInput",
    "SuperviseReplyInput",
    "VisitInput",
]


@dataclass(frozen=True, kw_only=True)
class OrderInput:
    """An action on the order as a whole that asks for nothing more (归档)."""

    number: str
    if_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class NoteInput(OrderInput):
    """An order action with a note (撤单, 重启, 办结, 审核…)."""

    note: str = ""


@dataclass(frozen=True, kw_only=True)
class PartInput(OrderInput):
    """An action on one department's part that asks for nothing more (签收)."""

    dept: str | None = None


@dataclass(frozen=True, kw_only=True)
class PartNoteInput(PartInput):
    """A part action with a note (退单驳回, 延期不批准, 催办, 督办)."""

    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ReturnInput(PartInput):
    """退单: a reason code (``ReturnReason``) and its basis."""

    reason: str
    basis: str


@dataclass(frozen=True, kw_only=True)
class ExtendInput(PartInput):
    """延期申请: working days asked for, and why."""

    days: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReplyInput(PartInput):
    text: str


@dataclass(frozen=True, kw_only=True)
class SuperviseReplyInput(PartInput):
    answer: str


@dataclass(frozen=True, kw_only=True)
class ReturnAcceptInput(PartNoteInput):
    """退单同意: optionally 改派 to ``to``; a late return only with ``approve_late``."""

    to: str | None = None
    approve_late: bool = False


@dataclass(frozen=True, kw_only=True)
class ExtensionApproveInput(PartNoteInput):
    """延期批准: the working days granted (None: as asked, within what is left)."""

    days: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReleaseInput(OrderInput):
    """释放协办: the co-handler's department, named."""

    dept: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class DispatchInput(NoteInput):
    lead: str
    co: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RedoInput(NoteInput):
    """重办: back to the lead, and to these co-handlers."""

    co: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class VisitInput(NoteInput):
    """回访: reached or not, resolved?, satisfied? (codes of ``domain.states``)."""

    contact: str = "reached"
    resolution: str | None = None
    satisfaction: str | None = None


@dataclass(frozen=True, kw_only=True)
class EscalateInput(NoteInput):
    """提级 to a leader; the departments taking part (none: those working on it) and the
    working days the outcome is due in (None: the setting's)."""

    leader: str
    depts: tuple[str, ...] = ()
    days: int | None = None


@dataclass(frozen=True, kw_only=True)
class ConsultInput(NoteInput):
    """会商 of departments (none: those working on it), with a leader taking part if named."""

    depts: tuple[str, ...] = ()
    leader: str | None = None
    days: int | None = None


@dataclass(frozen=True, kw_only=True)
class ResultInput(OrderInput):
    """提级结果 / 会商结果: what was decided."""

    result: str


@dataclass(frozen=True, kw_only=True)
class MergeInput(NoteInput):
    """并单 into the order ``into``."""

    into: str


@dataclass(frozen=True, kw_only=True)
class AnswerInput(OrderInput):
    """直接答复 of an order not dispatched."""

    text: str


@dataclass(frozen=True, kw_only=True)
class EditInput(OrderInput):
    """修改: only the fields that change (``services.tickets.editing.EDITABLE``); a value of
    None clears an optional field."""

    changes: Mapping[str, object]


@dataclass(frozen=True, kw_only=True)
class AttachInput(OrderInput):
    """添加材料: a file on this host and a note."""

    path: Path
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class RevealInput(OrderInput):
    """查看完整号码, and why (audited)."""

    why: str
