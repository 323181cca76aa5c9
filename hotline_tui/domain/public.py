"""What the public channels may do and show (``hotline serve``). Pure functions.

- :func:`complaint_or_report`: the type gate. A citizen's text that complains about or reports
  someone is never answered automatically from the knowledge base: it goes to intake, where
  a person registers it (投诉 and 举报 must reach a department, whatever an article says).
- :func:`public_text`: an order's text as shown outside the hotline (Open311): mobile and
  landline numbers and identity card numbers inside the free text masked with the same rules
  as the console's masking of callers (:mod:`hotline_tui.domain.validation`), and cut at
  :data:`PUBLIC_TEXT_MAX` characters.
- :func:`public_state`: Open311's ``open``/``closed`` for an order's state.
"""

from __future__ import annotations

import re

from hotline_tui.domain.states import RequestType, TicketState
from hotline_tui.domain.validation import mask_phone, mask_resident_id

__all__ = [
    "COMPLAINT_WORDS",
    "PUBLIC_TEXT_MAX",
    "complaint_or_report",
    "public_state",
    "public_text",
    "request_type_of",
]

PUBLIC_TEXT_MAX = 4000

# Words that make a text a complaint (投诉) or a report (举报) whatever else it asks. A reader
# of the hotline's orders would file a text holding any of them as one; a question about the
# procedure ("怎么投诉") is a complaint in the making and goes to intake all the same.
COMPLAINT_WORDS: tuple[str, ...] = (
    "投诉",
    "举报",
    "检举",
    "揭发",
    "控告",
    "告发",
    "曝光",
    "不作为",
    "乱收费",
    "乱罚款",
    "索贿",
    "受贿",
    "行贿",
    "吃拿卡要",
    "偷排",
    "非法经营",
    "无证经营",
    "违法建设",
    "违章搭建",
    "拖欠工资",
    "欠薪",
    "扰民",
    "诈骗",
    "传销",
)
_REPORT_WORDS = ("举报", "检举", "揭发", "控告", "告发", "偷排", "非法经营", "无证经营")
_SPACES = re.compile(r"\s+")


def complaint_or_report(text: str) -> bool:
    """Whether ``text`` complains about or reports someone (the type gate)."""
    compact = _SPACES.sub("", text)
    return any(word in compact for word in COMPLAINT_WORDS)


def request_type_of(text: str) -> str:
    """The request type a public channel registers ``text`` as: 举报 when it reports, 投诉
    when it complains, else 求助 (the operators retype it at dispatch if need be)."""
    compact = _SPACES.sub("", text)
    if any(word in compact for word in _REPORT_WORDS):
        return RequestType.REPORT.value
    if complaint_or_report(compact):
        return RequestType.COMPLAINT.value
    return RequestType.HELP.value


# An identity card number (18 characters, the last may be X), a mainland mobile (with any +86
# before it), a landline with its area code. Digits on either side mean a longer number: left.
_ID_NUMBER = re.compile(r"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0\d{2,3}[\s-]?\d{7,8}(?![0-9])")


def public_text(text: str, *, limit: int = PUBLIC_TEXT_MAX) -> str:
    """``text`` with the numbers that identify a person masked, cut at ``limit`` characters."""
    masked = _ID_NUMBER.sub(lambda m: mask_resident_id(m[0]), text)
    masked = _MOBILE.sub(lambda m: mask_phone(m[0]), masked)
    masked = _LANDLINE.sub(lambda m: mask_phone(m[0]), masked)
    if len(masked) > limit:
        masked = masked[: limit - 1] + "…"
    return masked


_CLOSED = frozenset({TicketState.CLOSED.value, TicketState.ARCHIVED.value})


def public_state(state: str) -> str:
    """Open311's status: ``closed`` once the order is closed (or archived), else ``open``."""
    return "closed" if state in _CLOSED else "open"
