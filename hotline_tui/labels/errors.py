"""Structured errors in words: Chinese for the users, the English code kept for the logs.

Provides :func:`describe`, shared by every front end: the ``hotline`` command, the console
(:mod:`hotline_tui.ui.i18n`) and the scheduler word the same error the same way. The sentences are
in :mod:`hotline_tui.labels.error_texts`; the codes an error carries as parameters (a state, an
action, a step, an audit problem) are worded from the catalogue, so no English code reaches the
sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hotline_tui.domain.errors import HotlineError, ImportFailed
from hotline_tui.labels import codes
from hotline_tui.labels.actions import ACTIONS, EVENTS, FIELDS, PERMISSIONS
from hotline_tui.labels.error_texts import TEMPLATES, TEMPLATES_EN

__all__ = ["ECHO_MAX", "action_words", "describe", "import_reason_in_words"]

# What unblocks the lead's reply, by the state of the co-handler's part that holds it up.
_WAITING_PART_ZH = {
    "pending_sign": "尚未签收：请等待其签收并答复，或由派单员释放该协办",
    "in_progress": "尚未答复：请等待其答复，或由派单员释放该协办",
    "return_review": "退单待热线审核：请等待审核，或由派单员释放该协办",
    "extension_review": "延期申请待热线审批：请等待审批，或由派单员释放该协办",
}


def _parts_zh(parts: Any) -> str:
    """The co-handlers a lead's reply waits for, each with its state and what unblocks it."""
    if not isinstance(parts, list | tuple):
        return ""
    lines = []
    for part in parts:
        if not isinstance(part, Mapping):
            continue
        state = str(part.get("state", ""))
        name = _echo(str(part.get("dept_name") or part.get("dept") or ""))
        hint = _WAITING_PART_ZH.get(state, "请等待其答复，或由派单员释放该协办")
        lines.append(f"协办单位 {name}（{_word(codes.STATES, state)}）{hint}")
    return "；".join(lines)


_REASONS_ZH = {
    "check_digit": "校验位错误",
    "birth_date": "出生日期无效",
    "future_date": "出生日期在未来",
    "length": "位数不对",
    "format": "格式不对",
    "prefix": "号段不对",
    "alphabet": "含有非法字符",
    "area_code": "区号不对",
    "region": "地区码不对",
    "required": "为空",
}

_FIELD_ZH = {
    "validation.mobile": "手机号",
    "validation.landline": "固定电话",
    "validation.phone": "电话号码",
    "validation.callback_phone": "回拨号码",
    "validation.resident_id": "身份证号",
    "validation.credit_code": "统一社会信用代码",
}


# The details an identifier's error carries beside its reason (domain.validation).
_DETAIL_ZH = {
    "length": "实有位数",
    "expected": "应为",
    "prefix": "号段",
    "area_code": "区号",
    "part": "部分",
    "position": "位置",
    "positions": "位置",
    "characters": "字符",
    "region": "地区码",
    "year": "年",
    "month": "月",
    "day": "日",
    "min": "最小",
    "got": "实为",
}
_PART_ZH = {"year": "年份", "month": "月份", "day": "日期"}

# A field whose value is a vocabulary's code: ``validation.choice`` lists what it may be in words.
_CHOICE_FIELDS = {
    "queue": "queue",
    "request_type": "request_type",
    "urgency": "urgency",
    "role": "user_role",
    "contact": "visit_contact",
    "resolution": "resolution",
    "satisfaction": "satisfaction",
    "reason": "return_reason",
    "caller_kind": "caller_kind",
    "size": "enterprise_size",
    "status": "kb_status",
    "kind": "feedback",
    "board": "board",
    "state": "state",
}

ECHO_MAX = 200
"""Longest parameter repeated in a message (a value typed or read from a file)."""


def _echo(value: Any) -> Any:
    """A parameter as it may be printed: input such as an ESC sequence or 70,000 characters is
    repeated inert and short; a list of choices reads as words."""
    if isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        value = "、".join(str(v) for v in value)
    if not isinstance(value, str):
        return value
    # Imported here: domain.text loads the segmenter, which the console must not load before
    # its first paint (it shares this catalogue), and an error is rare.
    from hotline_tui.domain.text import clean_text

    text = clean_text(value, multiline=False)
    return text if len(text) <= ECHO_MAX else text[: ECHO_MAX - 1] + "…"


def _word(vocabulary: codes.Vocabulary, code: Any, lang: str = "zh") -> str:
    pair = vocabulary.get(str(code))
    return (pair[1] if lang == "en" else pair[0]) if pair else str(code)


def action_words(action: Any, lang: str = "zh") -> str:
    """An action an error names (a console action, an audit code, a permission; several joined
    by `` / ``) in words."""
    names = []
    for code in str(action).split(" / "):
        pair = ACTIONS.get(code) or EVENTS.get(code) or PERMISSIONS.get(code)
        names.append((pair[1] if lang == "en" else pair[0]) if pair else code)
    return "、".join(names) if lang == "zh" else " / ".join(names)


def _worded(error: HotlineError, fields: Mapping[str, str] | None) -> dict[str, Any]:
    """The error's parameters as its Chinese sentence takes them: inert and short, the codes
    among them (a state, an action, a role, a step, an audit problem, a field) in words."""
    raw = error.params
    params: dict[str, Any] = {key: _echo(value) for key, value in raw.items()}
    if "parts" in raw:
        params["parts_zh"] = _parts_zh(raw["parts"])
    field = str(raw.get("field", ""))
    if fields and field in fields:
        params["field"] = fields[field]
    elif field in FIELDS:
        params["field"] = FIELDS[field][0]
    if "action" in raw:
        params["action"] = action_words(raw["action"])
    if "role" in raw:
        params["role"] = _word(codes.USER_ROLES, raw["role"])
    if "contact" in raw:
        params["contact"] = _word(codes.VISIT_CONTACTS, raw["contact"])
    if error.code == "validation.unknown_field" and isinstance(raw.get("allowed"), list):
        params["allowed"] = "、".join(_word(FIELDS, name) for name in raw["allowed"])
    words = codes.VOCABULARIES.get(_CHOICE_FIELDS.get(field, ""), {})
    allowed = raw.get("allowed")
    if words and isinstance(allowed, list) and all(str(c) in words for c in allowed):
        params["allowed"] = "、".join(f"{words[str(c)][0]}({c})" for c in allowed)
    if "problem" in raw:
        params["problem"] = _word(codes.AUDIT_PROBLEMS, raw["problem"])
    if "kind" in raw:
        params.setdefault("kind_zh", _word(codes.STEPS, raw["kind"]))
    state = str(raw.get("state", ""))
    pair = codes.STATES.get(state) or codes.KB_STATUSES.get(state)
    params.setdefault("state_zh", pair[0] if pair else params.get("state"))
    return params


def describe(error: HotlineError, fields: Mapping[str, str] | None = None, lang: str = "zh") -> str:
    """The message for a structured error in ``lang`` (Chinese unless ``"en"``); for an English
    one no sentence was written for, its code and parameters.

    ``fields`` names a field as the user knows it (a command's ``-d/--description`` for the
    service's ``description``).
    """
    if lang == "en":
        template = TEMPLATES_EN.get(error.code)
        if template is not None:
            try:
                return template.format(**error.params)
            except (KeyError, IndexError):
                pass
        return error.describe()
    params = _worded(error, fields)
    if error.code in _FIELD_ZH:
        reason = _REASONS_ZH.get(str(params.get("reason", "")), params.get("reason", ""))
        extra = {
            k: v
            for k, v in params.items()
            if k not in ("reason", "field", "value", "state_zh", "kind")
        }
        if "part" in extra:
            extra["part"] = _PART_ZH.get(str(extra["part"]), extra["part"])
        detail = "，".join(f"{_DETAIL_ZH.get(k, k)} {v}" for k, v in extra.items())
        return f"{_FIELD_ZH[error.code]}无效：{reason}" + (f"（{detail}）" if detail else "")
    template = TEMPLATES.get(error.code)
    if template is not None:
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            pass
    return error.describe()


def import_reason_in_words(exc: ImportFailed) -> ImportFailed:
    """The same error with its ``reason`` code put into words (``import.reason.*`` templates)."""
    reason = str(exc.params.get("reason", ""))
    key = f"import.reason.{reason}"
    if key not in TEMPLATES:
        return exc
    params = {k: v for k, v in exc.params.items() if k != "reason"}
    params.setdefault("value", "")
    if isinstance(params.get("allowed"), list):
        params["allowed"] = "、".join(str(v) for v in params["allowed"])
    words = describe(HotlineError(key, **params))
    return ImportFailed(exc.code, **{**exc.params, "reason": words})
