"""What the public channels may do and show (``hotline serve``). Pure functions.

- :func:`request_type_of`: the type a public channel registers a text as (the complaint and
  report gate itself is :mod:`hotline_tui.domain.kb_gate`, one rule for every channel).
- :func:`public_text`: an order's text as shown outside the hotline (Open311): mobile and
  landline numbers and identity card numbers inside the free text masked with the same rules
  as the console's masking of callers (:mod:`hotline_tui.domain.validation`), and cut at
  :data:`PUBLIC_TEXT_MAX` characters.
- :func:`public_state`: Open311's ``open``/``closed`` for an order's state.
"""

from __future__ import annotations

import re

from hotline_tui.domain.kb_gate import is_complaint_or_report
from hotline_tui.domain.states import RequestType, TicketState
from hotline_tui.domain.validation import mask_phone, mask_resident_id

__all__ = [
    "PUBLIC_TEXT_MAX",
    "public_state",
    "public_text",
    "request_type_of",
]

PUBLIC_TEXT_MAX = 4000

_REPORT_WORDS = ("举报", "检举", "揭发", "控告", "告发", "偷排", "非法经营", "无证经营")
_SPACES = re.compile(r"\s+")


def request_type_of(text: str) -> str:
    """The request type a public channel registers ``text`` as: 举报 when it reports, 投诉
    when it complains, else 求助 (the operators retype it at dispatch if need be)."""
    compact = _SPACES.sub("", text)
    if any(word in compact for word in _REPORT_WORDS):
        return RequestType.REPORT.value
    if is_complaint_or_report(compact):
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
