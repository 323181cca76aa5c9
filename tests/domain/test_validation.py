"""Tests for hotline_tui.domain.validation: phones, resident IDs, credit codes and masks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.validation import (
    USCC_ALPHABET,
    mask_name,
    mask_phone,
    mask_resident_id,
    resident_id_check_char,
    uscc_check_char,
    validate_credit_code,
    validate_landline,
    validate_mobile,
    validate_phone,
    validate_resident_id,
)

TODAY = date(2025, 6, 1)


def _error(call: Any, *args: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value


# --- mobile -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("19912345678", "19912345678"),
    ],
)
def test_valid_mobiles(value: str, expected: str) -> None:
    assert validate_mobile(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12012345678", "prefix"),
        ("10012345678", "prefix"),
        ("1380013800", "length"),
        ("138001380001", "length"),
        ("", "required"),
        (" - ", "required"),
        ("1380013800a", "format"),
        ("一三八00138000", "format"),
    ],
)
def test_invalid_mobiles(value: str, reason: str) -> None:
    error = _error(validate_mobile, value)
    assert error.code == "validation.mobile"
    assert error.params["field"] == "mobile"
    assert error.params["reason"] == reason


def test_mobile_prefix_error_names_prefix() -> None:
    assert _error(validate_mobile, "12012345678").params["prefix"] == "12"


def test_mobile_error_does_not_carry_the_full_number() -> None:
    error = _error(validate_mobile, "12012345678")
    assert "12012345678" not in str(error)


# --- landline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("010-12345678", "010-12345678"),
        ("010 12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("０２１－８７６５４３２１", "021-87654321"),
        ("0755-1234567", "0755-1234567"),
        ("075512345678", "0755-12345678"),
        ("010-12345678-123", "010-12345678-123"),
        ("010-12345678转123", "010-12345678-123"),
        ("057188886666", "0571-88886666"),
        ("+86 10 12345678", "010-12345678"),
    ],
)
def test_valid_landlines(value: str, expected: str) -> None:
    assert validate_landline(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12345678", "area_code"),
        ("0101-2345678", "area_code"),
        ("011-12345678", "area_code"),
        ("001-12345678", "area_code"),
        ("010-123456", "length"),
        ("010-123456789", "length"),
        ("0755-12345", "length"),
        ("010-1234567a", "format"),
        ("010-12345678转", "format"),
        ("010-12345678转abc", "format"),
        ("", "required"),
    ],
)
def test_invalid_landlines(value: str, reason: str) -> None:
    error = _error(validate_landline, value)
    assert error.code == "validation.landline"
    assert error.params["reason"] == reason


def test_landline_area_code_error_names_the_code() -> None:
    assert _error(validate_landline, "0101-2345678").params["area_code"] == "0101"


# --- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("010-12345678", "010-12345678"),
        ("+86 10 12345678", "010-12345678"),
        ("0755 1234567转8", "0755-1234567-8"),
    ],
)
def test_valid_phones(value: str, expected: str) -> None:
    assert validate_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "kind", "reason"),
    [
        ("12012345678", "mobile", "prefix"),
        ("1380013800", "mobile", "length"),
        ("+86 138 0013 800", "mobile", "length"),
        ("010-123", "landline", "length"),
        ("hello", "landline", "format"),
        ("88886666", "landline", "area_code"),
        ("", "landline", "required"),
    ],
)
def test_invalid_phones(value: str, kind: str, reason: str) -> None:
    error = _error(validate_phone, value)
    assert error.code == "validation.phone"
    assert error.params["field"] == "phone"
    assert error.params["kind"] == kind
    assert error.params["reason"] == reason


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_generated_mobiles_valid(number: str) -> None:
    assert validate_mobile(number) == number
    assert validate_phone(number) == number


@given(
    st.sampled_from(["010", "021", "0755", "0571"]),
    st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True),
)
def test_landline_canonical_form_is_stable(area: str, number: str) -> None:
    canonical = validate_landline(f"{area} {number}")
    assert canonical == f"{area}-{number}"
    assert validate_landline(canonical) == canonical


# --- resident ID ------------------------------------------------------------------------------


def test_resident_id_check_char_vector() -> None:
    assert resident_id_check_char("11010519491231002") == "X"


def test_resident_id_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="17"):
        resident_id_check_char("1101051949")


def test_valid_resident_id() -> None:
    assert validate_resident_id("11010519491231002X", today=TODAY) == "11010519491231002X"


def test_resident_id_lowercase_x_and_full_width() -> None:
    assert validate_resident_id("11010519491231002x", today=TODAY) == "11010519491231002X"
    assert validate_resident_id("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


def test_resident_id_wrong_check_digit() -> None:
    error = _error(validate_resident_id, "110105194912310021", today=TODAY)
    assert error.code == "validation.resident_id"
    assert error.params["reason"] == "check_digit"
    assert error.params["expected"] == "X"
    assert error.params["got"] == "1"


def test_resident_id_month_13() -> None:
    error = _error(validate_resident_id, "360426199113010079", today=TODAY)
    assert error.code == "validation.resident_id"
    assert error.params["reason"] == "birth_date"
    assert error.params["month"] == 13


def _with_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


@pytest.mark.parametrize(
    ("value", "reason", "params"),
    [
        ("", "required", {}),
        ("1101051949123100", "length", {"length": 16, "expected": 18}),
        ("11010519491231002XX", "length", {"length": 19}),
        ("1101051949123100XX", "format", {"position": 17}),
        ("11010519491231A02X", "format", {"position": 15}),
        (_with_check("01010519491231002"), "region", {}),
        (_with_check("11010518991231002"), "birth_date", {"part": "year", "year": 1899}),
        (_with_check("11010519490001002"), "birth_date", {"part": "month", "month": 0}),
        (_with_check("11010519490230002"), "birth_date", {"part": "day", "day": 30}),
        (_with_check("11010519000229002"), "birth_date", {"part": "day", "day": 29}),
        (_with_check("11010520250602002"), "future_date", {"birth_date": "2025-06-02"}),
    ],
)
def test_invalid_resident_ids(value: str, reason: str, params: dict[str, object]) -> None:
    error = _error(validate_resident_id, value, today=TODAY)
    assert error.code == "validation.resident_id"
    assert error.params["field"] == "resident_id"
    assert error.params["reason"] == reason
    assert params.items() <= error.params.items()


def test_resident_id_leap_day_and_today_are_valid() -> None:
    assert validate_resident_id(_with_check("11010520000229002"), today=TODAY)
    assert validate_resident_id(_with_check("11010520250601002"), today=TODAY)


def test_resident_id_error_masks_the_number() -> None:
    error = _error(validate_resident_id, "110105194912310021", today=TODAY)
    assert "110105194912310021" not in str(error)
    assert error.params["value"] == "110105********0021"


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = f"{region}{birth:%Y%m%d}{sequence}"
    return first17 + resident_id_check_char(first17)


@given(resident_ids())
def test_generated_resident_ids_valid(number: str) -> None:
    assert validate_resident_id(number, today=TODAY) == number


@given(resident_ids(), st.sampled_from("0123456789X"))
def test_wrong_check_char_rejected(number: str, wrong: str) -> None:
    assume(wrong != number[-1])
    error = _error(validate_resident_id, number[:17] + wrong, today=TODAY)
    assert error.params["reason"] == "check_digit"
    assert error.params["expected"] == number[-1]


@given(st.dates(min_value=TODAY + timedelta(days=1), max_value=date(9999, 12, 31)))
def test_future_birth_dates_rejected(birth: date) -> None:
    error = _error(validate_resident_id, _with_check(f"110105{birth:%Y%m%d}002"), today=TODAY)
    assert error.params["reason"] == "future_date"


# --- credit code ------------------------------------------------------------------------------


def test_uscc_check_char_vector() -> None:
    assert uscc_check_char("91110000600037341") == "L"


def test_uscc_alphabet_has_31_characters_without_ambiguous_letters() -> None:
    assert len(USCC_ALPHABET) == 31
    assert not set("IOZSV") & set(USCC_ALPHABET)


def test_valid_credit_code() -> None:
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"
    assert validate_credit_code("9111 0000 6000 3734 1l") == "91110000600037341L"


def test_credit_code_wrong_check_char() -> None:
    error = _error(validate_credit_code, "91110000600037341N")
    assert error.code == "validation.credit_code"
    assert error.params["reason"] == "check_digit"
    assert error.params["expected"] == "L"
    assert error.params["got"] == "N"


def test_credit_code_bad_alphabet() -> None:
    error = _error(validate_credit_code, "9111000060003IOZSV")
    assert error.code == "validation.credit_code"
    assert error.params["reason"] == "alphabet"
    assert error.params["characters"] == ["I", "O", "Z", "S", "V"]
    assert error.params["positions"] == [14, 15, 16, 17, 18]


def test_credit_code_required() -> None:
    assert _error(validate_credit_code, "  ").params["reason"] == "required"


def test_credit_code_length() -> None:
    error = _error(validate_credit_code, "91110000600037341")
    assert error.params["reason"] == "length"
    assert error.params["length"] == 17


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="alphabet"):
        uscc_check_char("9111000060003IOZS")


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_generated_credit_codes_valid(first17: str) -> None:
    check = uscc_check_char(first17)
    assert check in USCC_ALPHABET
    assert validate_credit_code(first17 + check) == first17 + check


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17), st.sampled_from(USCC_ALPHABET))
def test_credit_code_wrong_check_rejected(first17: str, wrong: str) -> None:
    assume(wrong != uscc_check_char(first17))
    assert _error(validate_credit_code, first17 + wrong).params["reason"] == "check_digit"


# --- masks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "138****8000"),
        ("+86 138 0013 8000", "138****8000"),
        ("010-12345678", "010-****5678"),
        ("0755-1234567", "0755-***4567"),
        ("010-12345678-123", "010-****5678-123"),
        ("", ""),
        ("1", "*"),
        ("123", "***"),
        ("1234", "1**4"),
        ("12345678", "12****78"),
        ("0--0", "*--*"),
        ("1 2 3 4", "1 * * 4"),
        ("---", "---"),
    ],
)
def test_mask_phone(value: str, expected: str) -> None:
    assert mask_phone(value) == expected


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_mobile_hides_the_middle(number: str) -> None:
    masked = mask_phone(number)
    assert masked == f"{number[:3]}****{number[-4:]}"
    assert number not in masked


@given(st.text(alphabet="0123456789-+ ", min_size=1))
def test_mask_never_reveals_a_full_number(value: str) -> None:
    digits = "".join(ch for ch in value if ch.isdigit())
    assume(digits)
    masked = mask_phone(value)
    assert digits not in "".join(ch for ch in masked if ch.isdigit())
    assert "*" in masked


def test_mask_resident_id() -> None:
    assert mask_resident_id("11010519491231002X") == "110105********002X"
    assert mask_resident_id("") == ""


@given(resident_ids())
def test_masked_resident_id_hides_birth_date(number: str) -> None:
    masked = mask_resident_id(number)
    assert masked == number[:6] + "*" * 8 + number[-4:]
    assert number not in masked


@pytest.mark.parametrize(
    ("value", "expected"),
    [("张三", "张*"), ("欧阳娜娜", "欧***"), ("张", "*"), ("", ""), (" 李四 ", "李*")],
)
def test_mask_name(value: str, expected: str) -> None:
    assert mask_name(value) == expected
