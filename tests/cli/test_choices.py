"""Choices in Chinese (``--size 中型``, the English code still accepted), every command's choices
worded by the catalogue, shell completion offered and answering through the real entry point,
and ``ticket show`` in words (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer
from typer import _click as click

from hotline_tui.cli.choices import CHOICE_OPTIONS
from hotline_tui.cli.main import app
from hotline_tui.labels import label

HOTLINE = Path(sys.executable).with_name("hotline")


def _commands() -> list[Any]:
    group = typer.main.get_group(app)
    ctx = click.Context(group)
    found: list[Any] = []

    def walk(cmd: Any) -> None:
        found.append(cmd)
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name))

    walk(group)
    return found


def test_every_choice_option_is_worded_in_chinese() -> None:
    _commands()  # builds every command, so every choice option is made
    assert {kind for kind, _ in CHOICE_OPTIONS} >= {"request_type", "urgency", "enterprise_size"}
    for kind, codes in CHOICE_OPTIONS:
        for code in codes:
            words = label(kind, code)
            assert words != code and any("\u4e00" <= ch <= "\u9fff" for ch in words), (kind, code)


def test_a_choice_is_taken_in_chinese_or_as_its_code(cli) -> None:
    made = [
        cli.json(
            "ticket",
            "new",
            "-d",
            "企业反映用工补贴",
            "--caller",
            caller,
            "--name",
            "某公司",
            "--credit-code",
            "91350100M000100Y43",
            "--size",
            size,
            "--urgency",
            urgency,
            "-t",
            kind,
            user="op",
        )
        for caller, size, urgency, kind in (
            ("企业", "中型", "紧急", "投诉"),
            ("enterprise", "medium", "urgent", "complaint"),
        )
    ]
    shown = [cli.json("ticket", "show", m["number"], user="sup") for m in made]
    assert [(s["request_type"], s["urgency"]) for s in shown] == [("complaint", "urgent")] * 2
    assert [s["caller"]["size"] for s in shown] == ["medium", "medium"]


def test_ticket_show_reads_in_words(cli) -> None:
    number = cli.json(
        "ticket", "new", "-d", "路灯不亮，夜间出行不便", "-t", "complaint", user="op"
    )["number"]
    text = cli("ticket", "show", number, user="sup").stdout
    assert "待派单" in text and "投诉/一般" in text and "受理" in text
    for code in ("pending_dispatch", "complaint", "normal", "register", "queue"):
        assert code not in text, code


def _complete(words: str, tmp_path: Path) -> str:
    env = {
        **os.environ,
        "_HOTLINE_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": words,
        "HOTLINE_CONFIG": str(tmp_path / "absent.toml"),
        "HOTLINE_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [str(HOTLINE)], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def test_completion_is_offered_and_offers_both_words(tmp_path: Path) -> None:
    helped = subprocess.run(
        [str(HOTLINE), "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "--install-completion" in helped.stdout and "--show-completion" in helped.stdout
    offered = _complete("hotline ticket new --size ", tmp_path)
    assert '"中型":"medium"' in offered and '"medium":"中型"' in offered
    assert "ticket" in _complete("hotline tic", tmp_path)


def _english(text: str) -> list[str]:
    """English words in a help text, leaving out what is typed as it is: options, codes in
    brackets, file columns, setting and variable names, command lines."""
    import re

    kept = re.sub(
        r"--?[\w-]+|\([\w ]+\)|hotline[\w -]*|[A-Z][A-Z_]{2,}\w*|YYYY-MM-DD|HH:MM|"
        r"[\w]+(,[\w\[\]…]+)+|\w+_\w+|Markdown|JSON|CSV|iCalendar|UTF-8|HMAC|root|zh|en|ics|console",
        "",
        text,
    )
    return re.findall(r"[A-Za-z]{3,}", kept)


def test_every_help_is_chinese() -> None:
    for cmd in _commands():
        texts = [cmd.help or ""] + [
            getattr(p, "help", None) or "" for p in cmd.params if p.name != "help"
        ]
        for text in texts:
            if text and "completion" not in text:
                assert not _english(text), (cmd.name, text, _english(text))
                assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (cmd.name, text)
