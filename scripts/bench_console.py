#!/usr/bin/env python3
"""Benchmark of the console over a pseudo-terminal: what it writes, and how soon it answers.

Runs ``hotline console`` in a real pseudo-terminal at 80×24 on the demo database (as ``op1`` for
intake, ``dept1`` for a queue), types into it the way an operator does, and prints (never
asserts):

- bytes written for the first paint, and the time until the intake screen answers a keystroke;
- bytes per typed character in the phone field and in the description (ASCII and Chinese), and
  in the phone field again for the most frequent caller (whose 11th digit brings up the history);
- bytes per character typed into the description with a pause after each, so that the knowledge
  suggestions under it are searched and repainted (needs the demo's knowledge base);
- bytes per focus move (Tab) and per row moved in a queue;
- bytes per second while idle;
- a ``-X importtime`` summary of what is imported before the first paint;
- the same typing in ``vim`` in the same pseudo-terminal, for comparison.

Goals in low-bandwidth mode: ≤150 bytes per typed character, ≤1,500 bytes per focus move,
0 bytes/s idle, ≤20 KB first paint, interactive in ≤1.0 s.

    .venv/bin/python scripts/bench_console.py                 # low-bandwidth and default
    .venv/bin/python scripts/bench_console.py --mode low --db sqlite:////tmp/demo/hotline.db

The database is the settings' (``HOTLINE_DATABASE_URL`` / ``HOTLINE_DATA_DIR`` / the site file),
or ``--db``; seed it first with ``./scripts/demo`` or ``hotline demo``. ``--as`` needs root or the
admin group (as for the ``hotline`` command).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOTLINE = Path(sys.executable).with_name("hotline")
COLS, ROWS = 80, 24
QUIET = 0.25  # a screen is settled when nothing was written for this long
WARM_UP = 6.0  # seconds for the console to load its dictionaries after the first paint
ANSWER_WITHIN = 1.0  # a key that changes nothing on screen is waited for this long
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


@dataclass
class Terminal:
    """A child process on a pseudo-terminal, with everything it writes and when."""

    argv: Sequence[str]
    env: dict[str, str]
    cols: int = COLS
    rows: int = ROWS
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    started: float = 0.0

    def __post_init__(self) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self.master = master
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            list(self.argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            start_new_session=True,
            close_fds=True,
            # The pseudo-terminal becomes the child's controlling terminal, as under sshd: when
            # the benchmark closes it, the child gets SIGHUP instead of reading EOF forever.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    if self.proc.poll() is not None:
                        return
                    continue
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.chunks.append((time.monotonic(), data))

    @property
    def total(self) -> int:
        with self._lock:
            return sum(len(c) for _, c in self.chunks)

    def output(self) -> bytes:
        with self._lock:
            return b"".join(c for _, c in self.chunks)

    def last_write(self) -> float:
        with self._lock:
            return self.chunks[-1][0] if self.chunks else self.started

    def settle(self, quiet: float = QUIET, timeout: float = 10.0) -> float:
        """Wait until nothing was written for ``quiet`` seconds; the time of the last write."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.last_write()
            if time.monotonic() - last >= quiet:
                return last
            time.sleep(0.02)
        return self.last_write()

    def wait_for(self, needle: bytes, timeout: float = 20.0) -> float | None:
        """The time ``needle`` first appeared in the output (waiting for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                seen = b""
                for when, chunk in self.chunks:
                    seen += chunk
                    if needle in seen:
                        return when
            time.sleep(0.01)
        return None

    def send(self, data: str | bytes) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def measure(self, keys: Sequence[str | bytes], quiet: float = QUIET) -> list[int]:
        """Bytes written in answer to each key (sent one by one, each answer settled)."""
        sizes = []
        for key in keys:
            before = self.total
            self.send(key)
            # Wait for the answer to start (a busy host may take a while), then for it to end.
            deadline = time.monotonic() + ANSWER_WITHIN
            while self.total == before and time.monotonic() < deadline:
                time.sleep(0.01)
            self.settle(quiet)
            sizes.append(self.total - before)
        return sizes

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def mean(values: Sequence[int]) -> float:
    return statistics.fmean(values) if values else 0.0


def console_argv(user: str, low: bool, db: str | None) -> list[str]:
    argv = [str(HOTLINE)] if HOTLINE.exists() else [sys.executable, "-m", "hotline_tui.launch"]
    if db:
        argv += ["--db", db]
    argv += ["--as", user, "console"]
    return argv + (["--low-bandwidth"] if low else [])


def terminal_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)})
    env.pop("TEXTUAL", None)
    env["HOTLINE_CONSOLE_IDLE_LOCK_MINUTES"] = "0"
    env.update(extra or {})
    return env


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


def bench_vim() -> dict[str, object] | None:
    vim = shutil.which("vim")
    if vim is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        term = Terminal(
            [vim, "-u", "NONE", "-N", "-n", "-i", "NONE", str(Path(folder) / "x.txt")],
            terminal_env(),
        )
        try:
            term.settle(quiet=0.5)
            first = term.total
            term.measure(["i"])
            ascii_sizes = term.measure(list(ASCII_TEXT))
            chinese_sizes = term.measure(list(CHINESE_TEXT))
            start, before = time.monotonic(), term.total
            time.sleep(3.0)
            idle = (term.total - before) / (time.monotonic() - start)
            term.send("\x1b:q!\r")
            return {
                "first_paint_bytes": first,
                "ascii": ascii_sizes,
                "chinese": chinese_sizes,
                "idle_bytes_per_s": idle,
            }
        finally:
            term.close()


def import_summary() -> tuple[float, list[tuple[str, float]], list[str]]:
    """What the console imports before its first paint (``-X importtime``): total seconds, the
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

    print(f"\n== console, {label}")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: the settings)")
    parser.add_argument("--mode", choices=("low", "default", "both"), default="both")
    parser.add_argument(
        "--history-phone",
        help="a caller with a history to type too (default: the most frequent caller, SQLite)",
    )
    args = parser.parse_args()
    modes = {"low": [True], "default": [False], "both": [True, False]}[args.mode]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"host: {os.cpu_count()} CPUs, load average {load} (timings depend on it)")
    history_phone = args.history_phone or frequent_caller(args.db)
    with tempfile.TemporaryDirectory() as drafts:
        for low in modes:
            label = "low-bandwidth (--low-bandwidth)" if low else "default"
            # Each session its own drafts: a draft left by one would be offered to the next.
            mode = "low" if low else "default"
            intake = bench_intake(low, args.db, Path(drafts) / f"intake-{mode}", history_phone)
            queue = bench_queue(low, args.db, Path(drafts) / f"queue-{mode}")
            report(label, intake, queue)
    vim = bench_vim()
    if vim is not None:
        print("\n== vim -u NONE, same pseudo-terminal")
        print(f"first paint bytes        {vim['first_paint_bytes']:>8}")
        for key in ("ascii", "chinese"):
            values = vim[key]
            assert isinstance(values, list)
            print(f"bytes/char {key:<13} mean {mean(values):7.0f}  max {max(values):6d}")
        print(f"idle bytes/s             {vim['idle_bytes_per_s']:8.1f}")
    total, ranked, heavy = import_summary()
    print("\n== imported before the first paint (-X importtime, self time)")
    print(f"total                    {total:8.3f} s")
    for name, seconds in ranked:
        print(f"  {name:<22} {seconds:8.3f} s")
    print(f"heavy modules before first paint: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
