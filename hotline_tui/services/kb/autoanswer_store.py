"""Where the self-service channel's calibrator is kept: versioned files in the data directory.

``<data dir>/autoanswer/calibrator-0001.json``, ``-0002``, …: each ``hotline kb autoanswer
train`` writes the next version (written aside, then renamed, so a reader never sees half a
file) and the newest one is in force. Older versions stay, so an answer logged with its
calibrator's version can be traced to the numbers that gave it. No file: the channel never
answers by itself, it only suggests.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path

from hotline_tui.domain.autoanswer_calibration import Calibrator
from hotline_tui.domain.autoanswer_features import FEATURES
from hotline_tui.domain.errors import ConfigError

__all__ = ["DIRECTORY", "CalibratorStore"]

DIRECTORY = "autoanswer"
_NAME = re.compile(r"^calibrator-(\d{4,})\.json$")

log = logging.getLogger(__name__)


class CalibratorStore:
    """The calibrators under ``data_dir`` (thread-safe; the newest is re-read when it changes)."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = data_dir / DIRECTORY
        self._lock = threading.Lock()
        self._cached: tuple[tuple[str, int, int], Calibrator] | None = None

    def _versions(self) -> list[tuple[int, Path]]:
        try:
            names = [entry.name for entry in self.directory.iterdir()]
        except OSError:
            return []
        found = [(int(m.group(1)), self.directory / n) for n in names if (m := _NAME.match(n))]
        return sorted(found)

    def latest(self, *, strict: bool = False) -> Calibrator | None:
        """The calibrator in force, or None. A damaged file, or one fitted on other features
        than this release computes, is None (logged) unless ``strict``, which raises
        :class:`ConfigError` naming it (the command line's evaluation)."""
        versions = self._versions()
        if not versions:
            return None
        version, path = versions[-1]
        try:
            info = path.stat()
        except OSError:
            return None
        stamp = (str(path), info.st_mtime_ns, info.st_size)
        with self._lock:
            if self._cached is not None and self._cached[0] == stamp:
                return self._cached[1]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            calibrator = Calibrator.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if strict:
                raise ConfigError("kb.calibrator_damaged", path=str(path)) from exc
            log.warning("calibrator %s unusable: %s", path, exc)
            return None
        if calibrator.features != FEATURES:  # fitted on another release's features
            if strict:
                raise ConfigError("kb.calibrator_outdated", path=str(path))
            log.warning("calibrator %s was fitted on other features: retrain it", path)
            return None
        if calibrator.version != version:
            calibrator = Calibrator.from_dict({**data, "version": version})
        with self._lock:
            self._cached = (stamp, calibrator)
        return calibrator

    def save(self, calibrator: Calibrator) -> tuple[Calibrator, Path]:
        """Store ``calibrator`` as the next version; returns it with its version and path."""
        self.directory.mkdir(parents=True, exist_ok=True)
        versions = self._versions()
        version = versions[-1][0] + 1 if versions else 1
        stored = Calibrator.from_dict({**calibrator.to_dict(), "version": version})
        path = self.directory / f"calibrator-{version:04d}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps(stored.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        temporary.replace(path)
        return stored, path
