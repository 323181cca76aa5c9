#!/usr/bin/env python3
"""Benchmark of the console over a pseudo-terminal: what it writes, and how soon it answers.

Runs ``hotline console`` in a real pseudo-terminal at 80×24 on the demo database, types into it
the way an operator does, and prints (never asserts), in each mode:

- the three calls of a shift, typed end to end as ``op1`` (``bench_console_calls.py``): a consult
  answered from the knowledge base, a complaint for two departments, an anonymous confidential
  report: total bytes, bytes per typed Chinese character, the time to each screen;
- the start of each role's console (op1, dept1, disp1), from launch to its usable home (the
  intake form; the queue with its count), each a fresh process, beside a reference measured just
  before it (``python -c "import textual.app"``) so that a busy host's figure reads as a ratio,
  and the console's processor seconds by then;
- bytes per typed character in the phone field and the description (ASCII and Chinese), for a
  repeat caller's number, with the knowledge suggestions; per focus move (Tab), per queue row;
  while idle; the first paint's bytes and when the form answers its first key;
- vim's and nano's bytes per Chinese character typed in the same pseudo-terminal;
- a ``-X importtime`` summary of what the console imports before it runs.

Goals: ≤150 bytes per typed Chinese character in both modes and ≤3× vim in low-bandwidth mode;
≤1,500 bytes per focus move, 0 bytes/s idle, ≤20 KB first paint; the home usable ≤1.0 s after
launch on a quiet host.

    .venv/bin/python scripts/bench_console.py                 # everything, both modes
    .venv/bin/python scripts/bench_console.py --part calls --mode low
    .venv/bin/python scripts/bench_console.py --part start --runs 5

The database is the settings' (``HOTLINE_DATABASE_URL`` / ``HOTLINE_DATA_DIR`` / the site file),
or ``--db``; seed it first with ``./scripts/demo`` or ``hotline demo``. ``--as`` needs root or the
admin group (as for the ``hotline`` command). The calls register orders in that database.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_console_calls import (
    print_calls,
    print_starts,
    run_calls,
    start_times,
    type_in_editor,
)
from bench_pty import Terminal, console_argv, mean, terminal_env

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 6.0  # seconds for the console to load its dictionaries after the first paint
HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "psycopg",
    "jieba",
    "pypinyin",
    "whoosh",
    "argon2",
    "pydantic",
    "typer",
)

ASCII_TEXT = "streetlight broken"
CHINESE_TEXT = "幸福路口路灯不亮了"
# Typed with a pause after each character, long enough for the intake's debounced knowledge
# suggestions to be searched and their line repainted (when the titles it shows change).
KB_TEXT = "，还想问营业执照怎么办"
KB_PAUSE = 1.0
PHONE = "13800138000"


def frequent_caller(db: str | None) -> str | None:
    """The number that called most often (an SQLite database only): its history is the biggest
    the 11th digit can bring up."""
    import sqlite3

    url = db or os.environ.get("HOTLINE_DATABASE_URL") or ""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
    else:
        data = os.environ.get("HOTLINE_DATA_DIR")
        path = Path(data) / "hotline.db" if data and not url else Path()
    if not path.is_file():
        return None
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        row = conn.execute(
            "SELECT contact_phone FROM ticket WHERE contact_phone IS NOT NULL"
            " GROUP BY contact_phone ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return str(row[0]) if row else None


def bench_intake(
    low: bool, db: str | None, drafts: Path, history_phone: str | None = None
) -> dict[str, object]:
    env = terminal_env({"HOTLINE_CONSOLE_DRAFTS_DIR": str(drafts)})
    term = Terminal(console_argv("op1", low, db), env)
    try:
        painted = term.wait_for("来电号码".encode(), timeout=30)
        if painted is None:
            raise SystemExit(
                "the intake screen never appeared:\n"
                + term.output()[-2000:].decode(errors="replace")
            )
        # Interactive: the first key typed as soon as the form shows is echoed.
        echo_sent = time.monotonic()
        term.send(PHONE[0])
        echoed = term.wait_for(b"\x1b", timeout=5)  # any answer; refined below
        first_settled = term.settle(quiet=1.0, timeout=30)
        out = term.output()
        first_paint = len(out)
        # The echo of the first digit: the first write after it was sent.
        with term._lock:
            after = [when for when, _ in term.chunks if when > echo_sent]
        answered = after[0] if after else echoed or first_settled
        # The console loads its pick lists and word segmenter once the operator pauses (a second
        # or two of work); measure typing after that, as an operator's shift is.
        time.sleep(WARM_UP)
        term.settle(quiet=0.5)
        baseline = term.total
        phone = term.measure(list(PHONE[1:]))
        term.settle(quiet=1.0)
        # From the phone: Tab to the description (caller kind, name, type, urgency, confidential,
        # category, area, address, description).
        tabs = term.measure(["\t"] * 9)  # a Tab onto a one-line choice may write nothing
        ascii_sizes = term.measure(list(ASCII_TEXT))
        chinese_sizes = term.measure(list(CHINESE_TEXT))
        # (Low-bandwidth only: the default mode's blinking cursor never lets a pause be quiet.)
        kb_sizes = term.measure(list(KB_TEXT), quiet=KB_PAUSE) if low else []
        time.sleep(1.5)  # let the draft be saved
        term.settle(quiet=0.5)
        idle_start, idle_bytes = time.monotonic(), term.total
        time.sleep(6.0)
        idle = (term.total - idle_bytes) / (time.monotonic() - idle_start)
        repeat: list[int] = []
        later = 0
        if history_phone:
            # A caller with a history: F8 (new call), the number, then what the pause brings
            # (the history's order lines wait for the typing to stop).
            term.measure(["\x1b[19~"])  # F8
            term.settle(quiet=1.0)
            repeat = term.measure(list(history_phone))
            before = term.total
            term.settle(quiet=1.5)
            later = term.total - before
        return {
            "first_paint_bytes": first_paint,
            "paint_seconds": painted - term.started,
            "interactive_seconds": answered - term.started,
            "phone": phone,
            "tab": tabs,
            "ascii": ascii_sizes,
            "chinese": chinese_sizes,
            "kb_pausing": kb_sizes,
            "idle_bytes_per_s": idle,
            "before_typing": baseline,
            "repeat": repeat,
            "repeat_later": later,
            "repeat_phone": history_phone or "",
        }
    finally:
        term.close()


def bench_queue(low: bool, db: str | None, drafts: Path) -> dict[str, object]:
    env = terminal_env({"HOTLINE_CONSOLE_DRAFTS_DIR": str(drafts)})
    term = Terminal(console_argv("dept1", low, db), env)
    try:
        if term.wait_for("待签收".encode(), timeout=30) is None:
            raise SystemExit("the queue never appeared")
        term.settle(quiet=1.0, timeout=30)
        term.measure(["\x1b[C"])  # nothing: make sure the grid has the cursor
        rows = term.measure(["\x1b[B"] * 10)  # ↓
        return {"row": rows}
    finally:
        term.close()


def import_summary() -> tuple[float, list[tuple[str, float]], list[str]]:
    """What the console imports before it runs (``-X importtime``): total seconds, the
    ten heaviest top-level packages, and any heavy module that should not be there."""
    code = (
        "import hotline_tui.launch, hotline_tui.ui.entry, hotline_tui.ui.options, "
        "hotline_tui.ui.i18n, hotline_tui.trust, hotline_tui.ui.app, hotline_tui.ui.backend"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    per_package: dict[str, float] = {}
    heavy: set[str] = set()
    total = 0.0
    pattern = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
    for line in result.stderr.splitlines():
        match = pattern.match(line)
        if not match:
            continue
        self_us, _cumulative, _indent, name = match.groups()
        top = name.split(".")[0]
        per_package[top] = per_package.get(top, 0.0) + int(self_us) / 1e6
        total += int(self_us) / 1e6
        if top in HEAVY:
            heavy.add(top)
    ranked = sorted(per_package.items(), key=lambda item: -item[1])[:10]
    return total, ranked, sorted(heavy)


def report(label: str, intake: dict[str, object], queue: dict[str, object]) -> None:
    def per(key: str, source: dict[str, object]) -> str:
        values = source[key]
        assert isinstance(values, list)
        return f"mean {mean(values):7.0f}  max {max(values):6d}  (n={len(values)})"

    print(f"\n== typing, {label}")
    print(f"first paint bytes        {intake['first_paint_bytes']:>8}   (goal ≤ 20,000)")
    print(f"intake form shown after  {intake['paint_seconds']:8.3f} s")
    print(f"interactive after        {intake['interactive_seconds']:8.3f} s (goal ≤ 1.0)")
    print(f"bytes/char phone         {per('phone', intake)}   (goal ≤ 150)")
    phone = intake["phone"]
    assert isinstance(phone, list)
    if phone:
        print(f"  11th digit (history)   {phone[-1]:>8}   (goal ≤ 150)")
    repeat = intake.get("repeat")
    if isinstance(repeat, list) and repeat:
        print(
            f"bytes/char phone, repeat caller {intake['repeat_phone']}: {per('repeat', intake)}"
            f"   (goal ≤ 150)"
        )
        print(f"  11th digit (history)   {repeat[-1]:>8}   (goal ≤ 150)")
        print(f"  then, once typing paused: the order lines {intake['repeat_later']} B")
    print(f"bytes/char description   {per('ascii', intake)}   ASCII (goal ≤ 150)")
    print(f"bytes/char description   {per('chinese', intake)}   Chinese (goal ≤ 150)")
    if intake["kb_pausing"]:
        print(
            f"  pausing {KB_PAUSE:.0f} s per char   {per('kb_pausing', intake)}   "
            "with knowledge suggestions (goal ≤ 150)"
        )
    print(f"bytes/focus move (Tab)   {per('tab', intake)}   (goal ≤ 1,500)")
    print(f"bytes/queue row moved    {per('row', queue)}")
    print(f"idle bytes/s             {intake['idle_bytes_per_s']:8.1f}   (goal 0)")


def bytecode_note() -> str:
    """Whether the console's own modules are compiled (``scripts/bootstrap`` does it): without,
    every start compiles them, as when ``PYTHONDONTWRITEBYTECODE`` is set."""
    source = ROOT / "hotline_tui" / "ui" / "app.py"
    compiled = Path(importlib.util.cache_from_source(str(source)))
    if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
        return "bytecode: compiled"
    return "bytecode: NOT compiled (run scripts/bootstrap): every start compiles the console"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: the settings)")
    parser.add_argument("--mode", choices=("low", "default", "both"), default="both")
    parser.add_argument(
        "--part", choices=("all", "calls", "start", "typing", "editors"), default="all"
    )
    parser.add_argument("--runs", type=int, default=3, help="starts per role (default 3)")
    parser.add_argument(
        "--history-phone",
        help="a caller with a history to type too (default: the most frequent caller, SQLite)",
    )
    args = parser.parse_args()
    modes = {"low": [True], "default": [False], "both": [True, False]}[args.mode]
    parts = {"calls", "start", "typing", "editors"} if args.part == "all" else {args.part}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"host: {os.cpu_count()} CPUs, load average {load} (timings depend on it)")
    print(bytecode_note())
    vim = type_in_editor("vim")
    if "editors" in parts or "calls" in parts:
        print("\n== editors, the same Chinese typed in the same pseudo-terminal")
        for name, sizes in (("vim -u NONE", vim), ("nano --ignorercfiles", type_in_editor("nano"))):
            if sizes is None:
                print(f"{name.split()[0]} not found, skipped")
            else:
                print(f"{name:<22} {mean(sizes):6.0f} B per Chinese character (max {max(sizes)})")
    for low in modes:
        label = "low-bandwidth (--low-bandwidth)" if low else "default"
        if "start" in parts:
            print_starts(label, start_times(low, args.db, args.runs))
        if "calls" in parts:
            print_calls(label, run_calls(low, args.db, WARM_UP), vim)
        if "typing" in parts:
            history_phone = args.history_phone or frequent_caller(args.db)
            # Each session its own drafts: a draft left by one would be offered to the next.
            with tempfile.TemporaryDirectory() as drafts:
                intake = bench_intake(low, args.db, Path(drafts) / "intake", history_phone)
                queue = bench_queue(low, args.db, Path(drafts) / "queue")
            report(label, intake, queue)
    total, ranked, heavy = import_summary()
    print("\n== imported before the console runs (-X importtime, self time)")
    print(f"total                    {total:8.3f} s")
    for name, seconds in ranked:
        print(f"  {name:<22} {seconds:8.3f} s")
    print(f"heavy modules before the console runs: {', '.join(heavy) or 'none'}")
    print("(the database layer loads in a worker, before the home is painted)")


if __name__ == "__main__":
    main()
