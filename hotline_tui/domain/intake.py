"""What an operator records at intake, and its validation (DESIGN.md §6). Pure functions.

``clean_intake`` returns a new, normalised record or raises a ValidationError that names the
field and what is wrong with it. Text is stripped of control and bidi characters here, at input,
so nothing stored can reach a terminal as an escape sequence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.states import CallerKind, RequestType, Urgency
from hotline_tui.domain.text import clean_text
from hotline_tui.domain.validation import validate_credit_code, validate_phone, validate_resident_id

CALLER_SIZES = ("micro", "small", "medium", "large")
DESCRIPTION_MAX = 4000


@dataclass(frozen=True)
class CallerInput:
    """The caller as told on the call: a person, an enterprise, or anonymous."""

    kind: str = CallerKind.PERSON.value
    name: str = ""
    phone: str | None = None
    id_number: str | None = None
    credit_code: str | None = None
    industry: str | None = None
    size: str | None = None
    area_code: str | None = None


@dataclass(frozen=True)
class IntakeInput:
    """One call's order. ``category`` and ``area`` are codes; the services resolve them."""

    request_type: str
    description: str
    caller: CallerInput = field(default_factory=CallerInput)
    title: str = ""
    category: str | None = None
    area: str | None = None
    address: str = ""
    urgency: str = Urgency.NORMAL.value
    confidential: bool = False
    channel: str = "phone"  # 受理渠道: a code of the ``intake_channels`` setting
    kb_article_id: int | None = None
    # 回拨号码: where the caller wants to be called back, when not the number they call from.
    callback_phone: str | None = None


def _choice(field_name: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise ValidationError("validation.choice", field=field_name, value=value, allowed=allowed)
    return value


def clean_caller(caller: CallerInput, *, today: date | None = None) -> CallerInput:
    kind = _choice("caller.kind", caller.kind, [k.value for k in CallerKind])
    name = clean_text(caller.name, multiline=False, max_length=200, field="caller.name")
    phone = validate_phone(caller.phone) if caller.phone else None
    id_number = validate_resident_id(caller.id_number, today=today) if caller.id_number else None
    credit_code = validate_credit_code(caller.credit_code) if caller.credit_code else None
    size = _choice("caller.size", caller.size, list(CALLER_SIZES)) if caller.size else None
    industry = (
        clean_text(caller.industry or "", multiline=False, max_length=100, field="caller.industry")
        or None
    )
    if kind == CallerKind.ENTERPRISE and not name:
        raise ValidationError("validation.required", field="caller.name")
    if kind == CallerKind.ANONYMOUS:
        # Anonymous: no identity is kept, only a number to call back on if the caller gave one.
        name, id_number, credit_code, industry, size = "", None, None, None, None
    return replace(
        caller,
        kind=kind,
        name=name,
        phone=phone,
        id_number=id_number,
        credit_code=credit_code,
        industry=industry,
        size=size,
    )


def clean_channel(value: str, channels: Mapping[str, str]) -> str:
    """The channel's code, given its code (any case) or its label (电话, 微信…); a value that
    is neither is refused with the channels there are (``channels``: code → label)."""
    text = clean_text(value or "", multiline=False, max_length=50, field="channel")
    for code, label in channels.items():
        if text.lower() == code.lower() or text == label:
            return code
    raise ValidationError(
        "validation.channel",
        field="channel",
        value=text,
        allowed=[f"{code}（{label}）" for code, label in channels.items()],
    )


def clean_callback(value: str | None) -> str | None:
    """A call-back number, validated as any phone number (DESIGN.md §6), or None."""
    if value is None or not value.strip():
        return None
    try:
        return validate_phone(value)
    except ValidationError as exc:
        params = {k: v for k, v in exc.params.items() if k != "field"}
        raise ValidationError(
            "validation.callback_phone", field="callback_phone", **params
        ) from exc


def clean_intake(
    intake: IntakeInput,
    *,
    today: date | None = None,
    channels: Mapping[str, str] | None = None,
) -> IntakeInput:
    """Validate and normalise an intake record; raises ValidationError naming the field.

    ``channels``: the channels the hotline takes requests from (the ``intake_channels``
    setting); without it the channel is kept as given (an order already stored).
    """
    description = clean_text(intake.description, max_length=DESCRIPTION_MAX, field="description")
    if not description:
        raise ValidationError("validation.required", field="description")
    channel = (
        clean_channel(intake.channel, channels)
        if channels is not None
        else clean_text(intake.channel, multiline=False, max_length=16, field="channel") or "phone"
    )
    return replace(
        intake,
        request_type=_choice("request_type", intake.request_type, [t.value for t in RequestType]),
        urgency=_choice("urgency", intake.urgency, [u.value for u in Urgency]),
        description=description,
        title=clean_text(intake.title, multiline=False, max_length=200, field="title"),
        address=clean_text(intake.address, multiline=False, max_length=300, field="address"),
        channel=channel,
        callback_phone=clean_callback(intake.callback_phone),
        caller=clean_caller(intake.caller, today=today),
    )


NOTE_MAX = 4000


def clean_note(
    value: str | None,
    *,
    field_name: str = "note",
    required: bool = False,
    max_length: int = NOTE_MAX,
) -> str:
    """A free-text note on an action (reply, basis, reason); ``max_length`` where it is stored
    in a shorter column than the audit note's."""
    note = clean_text(value or "", max_length=max_length, field=field_name)
    if required and not note:
        raise ValidationError("validation.required", field=field_name)
    return note
