"""`hotline scheduler run` as real processes on the real clock (APScheduler driving the ticks).

Ticks every second and a six-second lease (renewed every two), so that the test is quick: the
first scheduler takes the lease and scans; a second one idles; killed with SIGKILL, the first
leaves its lease to expire on the database's clock and the second takes over; stopped with
SIGTERM, the second releases the lease and exits cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from db.engine import make_engines
from db.models import SchedulerJob
from hotline_tui.services.context import Hotline
from hotline_tui.services.scheduling.lease import Lease, read_lease

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0


def start(settings, tmp_path: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HOTLINE_AUDIT_KEY_FILE": str(settings.key_path),
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_LOG_FILE": str(tmp_path / f"{name}.log"),
        "HOTLINE_CACHE_DIR": str(tmp_path / "cache"),
        "HOTLINE_CONFIG": str(tmp_path / "absent.toml"),
    }
    command = [sys.executable, "-m", "hotline_tui.launch", "--db", settings.db_url]
    command += ["scheduler", "run", "--tick-seconds", "1", "--lease-seconds", "6"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def wait_for(hl: Hotline, condition: Callable[[Lease | None], bool], what: str) -> Lease | None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        lease = read_lease(hl)
        if condition(lease):
            return lease
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}: {read_lease(hl)}")


def scans(hl: Hotline) -> int:
    with hl.reading() as s:
        job = s.exec(select(SchedulerJob).where(SchedulerJob.name == "scan")).one_or_none()
    return job.runs if job else 0


def held_by(proc: subprocess.Popen[bytes]) -> Callable[[Lease | None], bool]:
    return lambda lease: bool(
        lease and lease.live and lease.holder and f":{proc.pid}:" in lease.holder
    )


def test_one_scheduler_runs_a_second_idles_then_takes_over(settings, tmp_path):
    hl = Hotline(settings, make_engines(settings.db_url))
    first = start(settings, tmp_path, "first")
    second = None
    try:
        wait_for(hl, held_by(first), "the first scheduler to take the lease")
        second = start(settings, tmp_path, "second")
        time.sleep(8.0)  # longer than the lease: the first renews it, the second idles
        assert held_by(first)(read_lease(hl)) and second.poll() is None
        ran = scans(hl)
        assert ran >= 2
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=WAIT)
        taken = wait_for(hl, held_by(second), "the second scheduler to take over")
        assert taken is not None and taken.token == 2
        deadline = time.monotonic() + WAIT
        while scans(hl) <= ran + 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert scans(hl) > ran + 1  # the second one scans now
        second.send_signal(signal.SIGTERM)
        out, err = second.communicate(timeout=WAIT)
        assert second.returncode == 0, err.decode()
        assert "租约已释放" in out.decode()
        released = read_lease(hl)
        assert released is not None and not released.live
        assert released.holder is not None and f":{second.pid}:" in released.holder
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        hl.close()
