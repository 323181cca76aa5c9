"""Validation and masking of the identifiers a hotline order carries (DESIGN.md §6).

Provides validators that return the canonical form or raise
:class:`~hotline_tui.domain.errors.ValidationError` with a stable code and a ``reason`` saying
what is wrong:

- phones: :func:`validate_mobile`, :func:`validate_landline`, :func:`validate_phone`;
- resident ID (GB 11643): :func:`validate_resident_id`, :func:`resident_id_check_char`;
- unified social credit code (GB 32100-2015): :func:`validate_credit_code`,
  :func:`uscc_check_char`;

and masks for roles that may not see personal data: :func:`mask_phone`,
:func:`mask_resident_id`, :func:`mask_name`.

Error params never carry a full phone or ID number (they end up in logs); ``value`` is masked.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.text import normalise_identifier

__all__ = [
    "CHINA_TIME",
    "USCC_ALPHABET",
    "mask_name",
    "mask_phone",
    "mask_resident_id",
    "resident_id_check_char",
    "uscc_check_char",
    "validate_credit_code",
    "validate_landline",
    "validate_mobile",
    "validate_phone",
    "validate_resident_id",
]

CHINA_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")
"""Mainland China time (no daylight saving), for "today" when a server runs in UTC."""

# --- phones --------------------------------------------------------------------------------

# Country prefixes callers type before a mobile number. A bare "86" is only a prefix when the
# rest is a whole mobile number, otherwise it could be the start of something else.
_MOBILE_PREFIX = re.compile(r"^(?:\+86|0086|86(?=1\d{10}$))")
_INTERNATIONAL_PREFIX = re.compile(r"^(?:\+86|0086)")


def _mobile_reason(digits: str) -> dict[str, object] | None:
    """Why ``digits`` (prefix removed) is not a mobile number, or None when it is one."""
    if not digits:
        return {"reason": "required"}
    if not digits.isdigit() or not digits.isascii():
        return {"reason": "format"}
    if len(digits) != 11:
        return {"reason": "length", "length": len(digits), "expected": 11}
    if not re.fullmatch(r"1[3-9]", digits[:2]):
        return {"reason": "prefix", "prefix": digits[:2]}
    return None


def validate_mobile(value: str) -> str:
    """Return the 11-digit mainland mobile number in ``value`` (``+86``/``86`` prefix removed).

    Raises ``validation.mobile`` with reason ``required`` (empty), ``format`` (not digits),
    ``length`` or ``prefix`` (not ``1[3-9]``).
    """
    digits = _MOBILE_PREFIX.sub("", normalise_identifier(value))
    problem = _mobile_reason(digits)
    if problem is not None:
        raise ValidationError(
            "validation.mobile", field="mobile", value=mask_phone(value), **problem
        )
    return digits


_EXTENSION = re.compile(r"^(?P<main>.*?)\s*(?:转|ext\.?)\s*(?P<ext>.*)$", re.IGNORECASE)
_AREA_IN_PARENTHESES = re.compile(r"^\((?P<area>[^)]*)\)\s*(?P<rest>.*)$")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_AREA_CODE = re.compile(r"010|02\d|0[3-9]\d\d")


def _parse_landline(value: str) -> str | dict[str, object]:
    """The canonical ``010-12345678[-ext]`` form of ``value``, or the params saying why not.

    Never raises, so :func:`mask_phone` can use it on anything.
    """
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip()
    international = _INTERNATIONAL_PREFIX.match(text)
    if international:
        # +86 10 12345678 is Beijing dialled from abroad: the trunk 0 is dropped.
        text = "0" + text[international.end() :].lstrip(" -")

    if not text:
        return {"reason": "required"}
    extension = ""
    found = _EXTENSION.match(text)
    if found:
        text, extension = found["main"], found["ext"]
        if not extension:
            return {"reason": "format", "part": "extension"}
    parenthesised = _AREA_IN_PARENTHESES.match(text)
    if parenthesised:
        text = f"{parenthesised['area']}-{parenthesised['rest']}"

    parts = [part for part in _SEPARATORS.split(text) if part]
    if len(parts) == 3 and not extension:
        extension = parts.pop()
    if not parts or len(parts) > 2 or not all(p.isascii() and p.isdigit() for p in parts):
        return {"reason": "format"}
    if extension and not (extension.isascii() and extension.isdigit() and len(extension) <= 6):
        return {"reason": "format", "part": "extension"}

    if len(parts) == 1:
        digits = parts[0]
        if not digits.startswith("0"):
            return {"reason": "area_code", "area_code": ""}
        # Mainland area codes are unambiguous without a separator: 010 and 02x are three
        # characters, 03xx-09xx four.
        cut = 3 if digits[1:2] in ("1", "2") else 4
        parts = [digits[:cut], digits[cut:]]
    area, number = parts
    if not _AREA_CODE.fullmatch(area):
        return {"reason": "area_code", "area_code": area}
    if not 7 <= len(number) <= 8:
        return {"reason": "length", "length": len(number), "expected": "7-8"}
    return f"{area}-{number}" + (f"-{extension}" if extension else "")


def validate_landline(value: str) -> str:
    """Return ``value`` as ``"010-12345678"`` (``"0755-1234567-123"`` with an extension).

    Accepts an optional space/hyphen after the area code, ``(010)``, ``+86 10 …``, and an
    extension written ``-123`` or ``转123``. Raises ``validation.landline`` with reason
    ``required``, ``area_code`` (missing, or not a mainland code: 010, 02x, 03xx-09xx),
    ``length`` (number not 7-8 digits) or ``format``.
    """
    parsed = _parse_landline(value)
    if isinstance(parsed, dict):
        raise ValidationError(
            "validation.landline", field="landline", value=mask_phone(value), **parsed
        )
    return parsed


def validate_phone(value: str) -> str:
    """Return a mobile (``13800138000``) or landline (``010-12345678``) number.

    A value that starts with 1 (after any +86/86 prefix) is read as a mobile; anything else as a
    landline. Raises ``validation.phone`` with ``kind`` (``mobile``/``landline``) and the reason
    of the failing check.
    """
    compact = normalise_identifier(value)
    rest = _MOBILE_PREFIX.sub("", compact)
    try:
        if rest.startswith("1"):
            try:
                return validate_mobile(value)
            except ValidationError:
                # "+86 10 12345678" is a Beijing landline, not a broken mobile number.
                if _INTERNATIONAL_PREFIX.match(compact):
                    try:
                        return validate_landline(value)
                    except ValidationError:
                        pass
                raise
        return validate_landline(value)
    except ValidationError as exc:
        kind = exc.code.removeprefix("validation.")
        params = {key: val for key, val in exc.params.items() if key != "field"}
        raise ValidationError("validation.phone", field="phone", kind=kind, **params) from exc


# --- resident identity card number (GB 11643-1999) ---------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character (``0``-``9`` or ``X``) for the first 17 digits of an ID."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError(f"expected 17 ASCII digits, got {len(first17)} characters")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _id_error(value: str, reason: str, **params: object) -> ValidationError:
    return ValidationError(
        "validation.resident_id",
        field="resident_id",
        value=mask_resident_id(value),
        reason=reason,
        **params,
    )


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """Return the 18-character resident ID in ``value`` (a trailing ``x`` is uppercased).

    Raises ``validation.resident_id`` with reason ``required``, ``length``, ``format``
    (``position`` of the first bad character), ``region`` (first digit 0), ``birth_date``
    (``part`` = year/month/day and its value), ``future_date`` or ``check_digit``
    (``expected``/``got``). ``today`` defaults to today in China time; pass it for repeatable
    results.
    """
    text = normalise_identifier(value)
    if not text:
        raise _id_error(value, "required")
    if len(text) != 18:
        raise _id_error(value, "length", length=len(text), expected=18)
    for position, char in enumerate(text, start=1):
        allowed = "0123456789X" if position == 18 else "0123456789"
        if char not in allowed:
            raise _id_error(value, "format", position=position)
    if text[0] == "0":
        raise _id_error(value, "region", region=text[:6])

    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    if year < 1900:
        raise _id_error(value, "birth_date", part="year", year=year, min=1900)
    if not 1 <= month <= 12:
        raise _id_error(value, "birth_date", part="month", month=month)
    try:
        birth = date(year, month, day)
    except ValueError:
        raise _id_error(value, "birth_date", part="day", day=day, month=month, year=year) from None
    reference = today or datetime.now(CHINA_TIME).date()
    if birth > reference:
        raise _id_error(
            value, "future_date", birth_date=birth.isoformat(), today=reference.isoformat()
        )

    expected = resident_id_check_char(text[:17])
    if text[17] != expected:
        raise _id_error(value, "check_digit", expected=expected, got=text[17])
    return text


# --- unified social credit code (GB 32100-2015) -----------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of a credit code: digits and capitals without I, O, Z, S, V."""

_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(char not in USCC_ALPHABET for char in first17):
        raise ValueError("expected 17 characters of the credit-code alphabet")
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return the 18-character unified social credit code in ``value``, uppercased.

    Raises ``validation.credit_code`` with reason ``required``, ``length``, ``alphabet``
    (``characters`` and 1-based ``positions`` of the characters outside the alphabet) or
    ``check_digit`` (``expected``/``got``). An organisation's code is not personal data, so
    ``value`` is given in full.
    """
    text = normalise_identifier(value)
    if not text:
        raise ValidationError("validation.credit_code", field="credit_code", reason="required")
    if len(text) != 18:
        raise ValidationError(
            "validation.credit_code",
            field="credit_code",
            value=text,
            reason="length",
            length=len(text),
            expected=18,
        )
    bad = [(pos, char) for pos, char in enumerate(text, start=1) if char not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            "validation.credit_code",
            field="credit_code",
            value=text,
            reason="alphabet",
            characters=[char for _, char in bad],
            positions=[pos for pos, _ in bad],
        )
    expected = uscc_check_char(text[:17])
    if text[17] != expected:
        raise ValidationError(
            "validation.credit_code",
            field="credit_code",
            value=text,
            reason="check_digit",
            expected=expected,
            got=text[17],
        )
    return text


# --- masking -------------------------------------------------------------------------------------


def _mask_middle(text: str) -> str:
    """Star all letters and digits but at most two at each end (never more than a quarter each).

    Only letters and digits count: separators in ``"0--0"`` must not make a short number look
    long enough to show in full. Separators themselves stay, they reveal nothing.
    """
    positions = [index for index, char in enumerate(text) if char.isalnum()]
    keep = min(2, len(positions) // 4)
    hidden = set(positions[keep : len(positions) - keep])
    return "".join("*" if index in hidden else char for index, char in enumerate(text))


def mask_phone(value: str) -> str:
    """``13800138000`` → ``138****8000``; ``010-12345678`` → ``010-****5678``.

    Anything else keeps at most its first and last two characters; empty stays empty.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return ""
    mobile = re.fullmatch(r"(?:\+?86|0086)?(1\d{10})", normalise_identifier(text))
    if mobile:
        digits = mobile[1]
        return f"{digits[:3]}****{digits[-4:]}"
    landline = _parse_landline(text)
    if isinstance(landline, str):
        area, number, *extension = landline.split("-")
        masked = f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
        # An extension only routes a call inside an office; it identifies nobody.
        return "-".join([masked, *extension])
    return _mask_middle(text)


def mask_resident_id(value: str) -> str:
    """Keep the region code (first 6) and the last 4: ``110105********002X``."""
    text = value.strip()
    if len(text) < 15:
        # Shorter than any ID (old ones have 15 digits): showing 10 characters would reveal most.
        return _mask_middle(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_name(value: str) -> str:
    """Keep a person's first character: ``张三`` → ``张*``, ``欧阳娜娜`` → ``欧***``."""
    text = unicodedata.normalize("NFC", value).strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)
