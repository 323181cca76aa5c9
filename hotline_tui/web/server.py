"""Running the web front end: uvicorn over :func:`hotline_tui.web.app.build_app`.

One worker runs the application built here, in this process. Several workers (PostgreSQL)
are uvicorn's worker processes, each building its own application with :func:`create_app`
from the same settings (handed over in an environment variable: a worker is a new process).
uvicorn's own access log is off: it would write query strings; the application writes its
own, without personal data (:class:`hotline_tui.web.app.AccessLog`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, replace

import uvicorn
from starlette.applications import Starlette

from hotline_tui.domain.display_time import use_zone
from hotline_tui.domain.text import configure_segmenter
from hotline_tui.services.context import open_hotline
from hotline_tui.settings import Settings
from hotline_tui.web.app import build_app
from hotline_tui.web.context import Limits

__all__ = ["create_app", "serve"]

SETTINGS_ENV = "HOTLINE_SERVE_SETTINGS"
LIMITS_ENV = "HOTLINE_SERVE_LIMITS"


def _prepare(settings: Settings) -> None:
    """What every process of the server sets once: logs to the log file, the segmenter's
    cache, the display zone."""
    root = logging.getLogger()
    if not root.handlers:
        try:
            settings.log_file.parent.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.FileHandler(settings.log_file, encoding="utf-8")
        except OSError:
            handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(settings.log_level.upper())
    configure_segmenter(settings.cache_dir / "jieba")
    use_zone(settings.timezone)


def create_app() -> Starlette:
    """A worker process's application (uvicorn's factory)."""
    settings = Settings.model_validate_json(os.environ[SETTINGS_ENV])
    _prepare(settings)
    limits = Limits(**json.loads(os.environ.get(LIMITS_ENV, "{}")))
    return build_app(open_hotline(settings), limits=limits)


def limits_of(questions_per_minute: float | None, requests_per_minute: float | None) -> Limits:
    """The defaults with the rates given on the command line (and bursts to match)."""
    limits = Limits()
    if questions_per_minute is not None:
        burst = max(limits.questions_burst, int(questions_per_minute / 6))
        limits = replace(limits, questions_per_minute=questions_per_minute, questions_burst=burst)
    if requests_per_minute is not None:
        burst = max(limits.requests_burst, int(requests_per_minute / 6))
        limits = replace(limits, requests_per_minute=requests_per_minute, requests_burst=burst)
    return limits


def server_pool(settings: Settings) -> Settings:
    """The settings with a server's database pool: at least 4 connections and 4 more in
    overflow per worker (the default 2 + 2 is a console's, of which a host runs many)."""
    return settings.model_copy(
        update={
            "db_pool_size": max(settings.db_pool_size, 4),
            "db_max_overflow": max(settings.db_max_overflow, 4),
        }
    )


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    forwarded_allow_ips: str,
    announce: Callable[[str], None],
    questions_per_minute: float | None = None,
    requests_per_minute: float | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM."""
    settings = server_pool(settings)
    _prepare(settings)
    limits = limits_of(questions_per_minute, requests_per_minute)
    common = {
        "host": host,
        "port": port,
        "access_log": False,
        "log_config": None,
        "server_header": False,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
        "timeout_graceful_shutdown": 10,
    }
    announce(f"http://{host}:{port}/")
    if workers <= 1:
        app = build_app(open_hotline(settings), limits=limits)
        uvicorn.run(app, **common)  # type: ignore[arg-type]
        return
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    os.environ[LIMITS_ENV] = json.dumps(asdict(limits))
    uvicorn.run(
        "hotline_tui.web.server:create_app",
        factory=True,
        workers=workers,
        **common,  # type: ignore[arg-type]
    )
