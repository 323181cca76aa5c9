"""A program on a pseudo-terminal for the console benchmarks: everything it writes, and when.

:class:`Terminal` starts a child (the console, vim, nano) on a pty at 80×24 as sshd would (the pty
is its controlling terminal), records every chunk it writes with the time it arrived, and sends
it keys. :func:`console_argv` and :func:`terminal_env` are how ``bench_console.py`` and
``bench_console_calls.py`` start the console.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyte

__all__ = [
    "COLS",
    "HOTLINE",
    "ROWS",
    "Terminal",
    "console_argv",
    "mean",
    "terminal_env",
]

HOTLINE = Path(sys.executable).with_name("hotline")
COLS, ROWS = 80, 24
QUIET = 0.25  # a screen is settled when nothing was written for this long
ANSWER_WITHIN = 1.0  # a key that changes nothing on screen is waited for this long


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
        # What the screen shows, for a text that a partial repaint never writes in one piece.
        self._screen = pyte.Screen(self.cols, self.rows)
        self._stream = pyte.ByteStream(self._screen)
        self._fed = 0
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

    def cpu_seconds(self) -> float:
        """The child's processor time so far (user and system, all its threads): on a busy
        host, what its wall time would be on a quiet one, roughly."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def settle(self, quiet: float = QUIET, timeout: float = 10.0) -> float:
        """Wait until nothing was written for ``quiet`` seconds; the time of the last write."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.last_write()
            if time.monotonic() - last >= quiet:
                return last
            time.sleep(0.02)
        return self.last_write()

    def wait_for(self, needle: bytes, timeout: float = 20.0, after: int = 0) -> float | None:
        """The time ``needle`` first appeared in the output past byte ``after`` (waiting for
        it), or None."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = b"".join(c for _, c in self.chunks).find(needle, after)
                if found >= 0:
                    end, offset = found + len(needle), 0
                    for when, chunk in self.chunks:  # the chunk that completed it
                        offset += len(chunk)
                        if offset >= end:
                            return when
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)

    def wait_shown(self, text: str, since: float, timeout: float = 20.0) -> float | None:
        """The time of the write after which the screen (a terminal emulator fed the output)
        first showed ``text``, no earlier than ``since`` (waiting for it); or None."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                fresh = self.chunks[self._fed :]
                self._fed = len(self.chunks)
            for when, chunk in fresh:
                self._stream.feed(chunk)
                if when >= since and self.shows(text):
                    return when
            if self.shows(text):  # already there before ``since``
                return since
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)

    def shows(self, text: str) -> bool:
        # A wide character's right half is an empty cell (pyte's own ``display`` trips on one
        # left without its left half).
        buffer, columns = self._screen.buffer, self._screen.columns
        rows = ("".join(buffer[y][x].data for x in range(columns)) for y in range(self.rows))
        return any(text in row for row in rows)

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


def mean(values: Sequence[int] | Sequence[float]) -> float:
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
    # Editors type Chinese only in a UTF-8 locale (the console is UTF-8 whatever the locale).
    if "UTF-8" not in (env.get("LC_ALL") or env.get("LANG") or "").upper().replace("UTF8", "UTF-8"):
        env["LC_ALL"] = "C.UTF-8"
    env.pop("TEXTUAL", None)
    env["HOTLINE_CONSOLE_IDLE_LOCK_MINUTES"] = "0"
    env.update(extra or {})
    return env
