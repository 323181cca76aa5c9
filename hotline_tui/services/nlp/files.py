"""The model files: one per task under ``<data dir>/nlp/``, versioned, refused when they do not
fit this installation.

A file is one line of JSON (the header: :data:`FORMAT`, :data:`FORMAT_VERSION`, the
scikit-learn version that wrote it, the task, and the training's metadata: when, from what,
how many examples, the scores and the auto-fill threshold), then the fitted model as a joblib
pickle. The header is read and checked before anything is unpickled: a file of another format,
another format version or another scikit-learn version is refused with a sentence saying which
(``hotline nlp train`` writes a new one), never half-loaded.

Why a pickle is acceptable here: these files are written only by ``hotline nlp train`` of this
installation, into its own data directory (created private to the service account), and read
only from there; they are never downloaded, imported or exchanged. A file from elsewhere is
not a model this tool loads, and the header check stops files this tool did not write in a
compatible version. (Whoever can write the data directory can change the database too.)
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline_tui.domain.errors import ConfigError, NotFound

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "TASKS",
    "Header",
    "load",
    "model_path",
    "read_header",
    "save",
]

FORMAT = "hotline-nlp-model"
FORMAT_VERSION = 1
TASKS = ("category", "request_type", "department")
_HEADER_LIMIT = 1 << 20


@dataclass(frozen=True)
class Header:
    task: str
    sklearn: str
    meta: dict[str, Any]


def model_path(data_dir: Path, task: str) -> Path:
    return data_dir / "nlp" / f"{task}.model"


def _sklearn_version() -> str:
    import sklearn

    return str(sklearn.__version__)


def save(path: Path, task: str, model: Any, meta: dict[str, Any]) -> None:
    """Write the file atomically (a reader sees the old model or the new, never half of one)."""
    import joblib

    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sklearn": _sklearn_version(),
        "task": task,
        "meta": meta,
    }
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=f".{task}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
            joblib.dump(model, out, compress=3)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check(path: Path, line: bytes, task: str) -> Header:
    try:
        header = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ConfigError("nlp.model_format", path=str(path))
    if header.get("format_version") != FORMAT_VERSION:
        raise ConfigError(
            "nlp.model_version",
            path=str(path),
            found=str(header.get("format_version")),
            wanted=str(FORMAT_VERSION),
        )
    if header.get("sklearn") != _sklearn_version():
        raise ConfigError(
            "nlp.model_sklearn",
            path=str(path),
            found=str(header.get("sklearn")),
            wanted=_sklearn_version(),
        )
    if header.get("task") != task:
        raise ConfigError(
            "nlp.model_task", path=str(path), found=str(header.get("task")), task=task
        )
    return Header(task, str(header["sklearn"]), dict(header.get("meta") or {}))


def read_header(path: Path, task: str) -> Header:
    """The checked header alone (nothing unpickled)."""
    if not path.is_file():
        raise NotFound("nlp.no_model", task=task, path=str(path))
    with path.open("rb") as source:
        return _check(path, source.readline(_HEADER_LIMIT), task)


def load(path: Path, task: str) -> tuple[Header, Any]:
    """The checked header and the model (see the module docstring on why unpickling is safe)."""
    import joblib

    if not path.is_file():
        raise NotFound("nlp.no_model", task=task, path=str(path))
    with path.open("rb") as source:
        header = _check(path, source.readline(_HEADER_LIMIT), task)
        return header, joblib.load(source)
