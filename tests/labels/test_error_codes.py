"""Every error code the product raises has its Chinese sentence (issue 16: sixteen had none and
were shown as ``validation.visit_incomplete: contact='reached'``).

The codes are read from the source: every call of a :class:`HotlineError` class under
``hotline_tui``, ``db`` and ``kb_index`` whose first argument is a literal; the few computed
ones are listed in :data:`COMPUTED` by file and expression (a listed expression no longer in the
source fails too). Each sentence is then filled with stand-in parameters and must read as
Chinese, with none of the English codes an error carries (an action, a state, a role).
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from hotline_tui.domain import errors
from hotline_tui.domain.errors import HotlineError, PermissionDenied, ValidationError
from hotline_tui.labels import describe
from hotline_tui.labels.error_texts import TEMPLATES
from hotline_tui.labels.errors import _FIELD_ZH

ROOT = Path(__file__).resolve().parents[2]
KINDS = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, HotlineError)
}
COMPUTED: dict[tuple[str, str], set[str]] = {
    ("hotline_tui/services/tickets/common.py", "f'not_found.{model.__tablename__}'"): {
        "not_found.area",
        "not_found.category",
    },
    ("hotline_tui/services/tickets/prepare.py", "f'not_found.{model.__tablename__}'"): {
        "not_found.area",
        "not_found.category",
    },
    ("hotline_tui/services/reference/catalogue.py", "missing"): {
        "not_found.area",
        "not_found.category",
    },
    ("hotline_tui/services/admin/audit.py", "f'audit.checkpoint_{why}'"): {
        "audit.checkpoint_rewound",
        "audit.checkpoint_forked",
    },
    # An import's error, raised again with its reason in words (the same code).
    ("hotline_tui/labels/errors.py", "exc.code"): set(),
}


def raised_codes() -> tuple[dict[str, str], set[tuple[str, str]]]:
    codes: dict[str, str] = {}
    used: set[tuple[str, str]] = set()
    for top in ("hotline_tui", "db", "kb_index"):
        for path in sorted((ROOT / top).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(call, ast.Call) and call.args):
                    continue
                func = call.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                if name not in KINDS:
                    continue
                first = call.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.setdefault(first.value, f"{where}:{call.lineno}")
                    continue
                key = (where, ast.unparse(first))
                if name == "HotlineError" and where.startswith("hotline_tui/labels/"):
                    continue  # import.reason.* words, checked with the templates
                assert key in COMPUTED, f"{key}: an error code this test cannot read"
                used.add(key)
                for code in COMPUTED[key]:
                    codes.setdefault(code, where)
    return codes, used


def test_every_error_code_raised_has_a_chinese_sentence() -> None:
    codes, used = raised_codes()
    assert {"validation.visit_incomplete", "config.settings_missing", "not_found.ticket"} <= set(
        codes
    )
    assert used == set(COMPUTED), "a COMPUTED entry no longer matches the source"
    missing = sorted(
        f"{code} ({where})"
        for code, where in codes.items()
        if code not in TEMPLATES and code not in _FIELD_ZH
    )
    assert not missing, f"error codes without a sentence in labels/error_texts.py: {missing}"


def _stand_ins(template: str) -> dict[str, object]:
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    return {name: "X" for name in names}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_sentence_is_chinese_and_fills_in(code: str) -> None:
    template = TEMPLATES[code]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in template), code
    # ``*_zh`` parameters are made by describe from the error's own (``parts``, ``kind``).
    params = {k: v for k, v in _stand_ins(template).items() if not k.endswith("_zh")}
    params |= {"parts": [{"dept": "M02", "state": "in_progress"}], "kind": "escalate"}
    text = describe(HotlineError(code, **params))
    assert text != HotlineError(code, **params).describe(), f"{code}: fell back to English"


@pytest.mark.parametrize(
    ("error", "words", "codes"),
    [
        (
            ValidationError("validation.visit_incomplete", contact="reached"),
            "已联系",
            ["reached", "contact="],
        ),
        (
            errors.IllegalTransition(
                "transition.ticket", ticket="1", state="pending_visit", action="visit_give_up"
            ),
            "回访未接通办结",
            ["visit_give_up", "pending_visit"],
        ),
        (
            PermissionDenied("permission.role", user="op", role="operator", action="audit.verify"),
            "话务员",
            ["operator", "audit.verify"],
        ),
        (
            errors.AuditMismatch("audit.checkpoint_file", path="/k", line=3, problem="mac"),
            "内容被篡改",
            ["mac"],
        ),
        (
            ValidationError(
                "validation.mobile",
                field="mobile",
                value="1",
                reason="length",
                length=5,
                expected=11,
            ),
            "位数不对",
            ["length=", "expected="],
        ),
    ],
)
def test_the_codes_an_error_carries_are_worded(
    error: HotlineError, words: str, codes: list[str]
) -> None:
    text = describe(error)
    assert words in text
    assert not [c for c in codes if c in text], text
