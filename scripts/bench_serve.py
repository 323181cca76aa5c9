"""Load on ``hotline serve`` over loopback: 16 concurrent clients for a bounded time asking
questions, then posting new requests through the page's form, with the bare server's health
check measured the same way in the same run as the reference (what the HTTP stack alone
gives on this machine). Prints req/s, p50/p95 and errors per phase; asserts nothing.

    python scripts/bench_serve.py [--seconds 20 | --long] [--clients 16] [--pg URL --workers N]

A fresh demo (``hotline demo --orders 300``) in a temporary folder, SQLite by default (one
worker) or a new PostgreSQL database (``--pg``, several workers), dropped afterwards. The
server runs with its rate limits raised (every client comes from 127.0.0.1).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_common import Report, fresh_database, percentiles  # noqa: E402

HOTLINE = str(Path(sys.executable).with_name("hotline"))
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
QUESTIONS = [
    "营业执照怎么办理",
    "个体工商户营业执照需要哪些材料",
    "社保怎么缴费",
    "公积金提取需要什么材料",
    "居住证办理流程",
    "新生儿医保怎么办",
    "失业金怎么申领",
    "小区物业费标准",
    "驾驶证换证",
    "不动产登记需要多久",
    "火星上的政务大厅几点开门",  # the knowledge base cannot answer these
    "如何申请月球土地",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_phase(
    url: str, clients: int, seconds: float, step: Callable[[httpx.Client, str, int], bool]
) -> tuple[int, list[float], int]:
    """``clients`` threads each looping ``step`` for ``seconds``: (done, latencies ms, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        with httpx.Client(base_url=url, timeout=30.0) as http:
            page = http.get("/")
            found = CSRF.search(page.text)
            csrf = found[1] if found else ""
            count = 0
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    ok = step(http, csrf, index * 1_000_000 + count)
                except httpx.HTTPError:
                    ok = False
                took = (time.perf_counter() - started) * 1000
                count += 1
                with lock:
                    latencies.append(took)
                    errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors[0]


def health(http: httpx.Client, csrf: str, n: int) -> bool:
    return http.get("/healthz").status_code == 200


def ask(http: httpx.Client, csrf: str, n: int) -> bool:
    question = random.choice(QUESTIONS)
    reply = http.post("/ask", data={"csrf": csrf, "q": question})
    return reply.status_code == 200 and 'id="reply"' in reply.text


def leave(http: httpx.Client, csrf: str, n: int) -> bool:
    phone = f"139{n % 100_000_000:08d}"
    fields = {"csrf": csrf, "phone": phone, "area": "", "description": f"压力测试诉求 {n}"}
    reply = http.post("/request", data=fields)
    return reply.status_code == 200 and 'id="number"' in reply.text


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before it listened")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not listen within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--long", action="store_true", help="60 s per phase (the goal's run)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL server (a new database on it)")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    seconds = 60.0 if args.long else args.seconds
    backend = "pg" if args.pg else "sqlite"
    report = Report()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(backend, args.pg or "", Path(tmp)) as url,
    ):
        env = {
            **os.environ,
            "HOTLINE_DATA_DIR": tmp,
            "HOTLINE_CONFIG": str(Path(tmp) / "none.toml"),
            "HOTLINE_CACHE_DIR": str(Path(tmp) / "cache"),
            "HOTLINE_LOG_FILE": str(Path(tmp) / "log"),
            "HOTLINE_KB_SEMANTIC": "0",
        }
        demo = [HOTLINE, "--db", url, "demo", "--orders", "300"]
        subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        serve = [HOTLINE, "--db", url, "--as", "admin1", "serve", "--port", str(port)]
        serve += ["--questions-per-minute", "1000000", "--requests-per-minute", "1000000"]
        if args.workers:
            serve += ["--workers", str(args.workers)]
        server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            ask(httpx.Client(base_url=base), "", 0)  # the index is open before the clock runs
            phases = [
                ("reference: GET /healthz", health, min(seconds, 10.0), ""),
                ("questions POST /ask", ask, seconds, ">= 40/s, p95 <= 150 ms, 0 errors"),
                ("new requests POST /request", leave, seconds, ">= 100/s, 0 errors"),
            ]
            for name, step, length, goal in phases:
                done, latencies, errors = run_phase(base, args.clients, length, step)
                rate = done / length
                figure = f"{rate:.1f}/s  {percentiles(latencies)}  errors {errors}"
                report.add(
                    backend, f"{name} ({args.clients} clients, {length:.0f} s)", figure, goal
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    report.print()


if __name__ == "__main__":
    main()
