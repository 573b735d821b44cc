"""Run folders: every run that executes scenarios writes into a folder of its own.

``reports/runs/<run-id>/`` holds one run's manifests, screens, visual evidence,
traces, ``run.json`` and report; ``reports/latest`` points at the newest. Nothing
is cleared to make room for a run, so a command that only reads (``--help``,
``--collect-only``) or a run of unit tests leaves earlier evidence as it was, and
two runs at once never write into the same folder. The folder is made when the
first scenario starts; only then are the oldest runs beyond ``keep`` removed.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from datetime import datetime
from pathlib import Path

RUNS_DIR = "runs"
LATEST = "latest"
DEFAULT_KEEP = 10
# Files every run folder has once it has recorded anything.
_RUN_MARKERS = ("run.json", "steps")
_RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")


class RunNotFoundError(LookupError):
    """No run folder where one was expected."""


def new_run_id(now: datetime) -> str:
    """A sortable, unique name: the start time and a random suffix."""
    return f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


def run_dir(reports_root: Path, run_id: str) -> Path:
    return reports_root / RUNS_DIR / run_id


def start(reports_root: Path, run_id: str, *, keep: int = DEFAULT_KEEP) -> Path:
    """Make the run's folder, point ``latest`` at it and trim the oldest runs.

    Safe to call from every xdist worker: each step is idempotent.
    """
    folder = run_dir(reports_root, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    _point_latest(reports_root, run_id)
    _trim(reports_root, keep=keep, current=run_id)
    return folder


def _point_latest(reports_root: Path, run_id: str) -> None:
    link = reports_root / LATEST
    # A new link under a unique name, then renamed over the old one: a reader sees
    # the old run or the new one, never no link.
    temporary = reports_root / f".{LATEST}-{uuid.uuid4().hex[:8]}"
    try:
        temporary.symlink_to(Path(RUNS_DIR, run_id), target_is_directory=True)
        os.replace(temporary, link)
    except OSError:
        temporary.unlink(missing_ok=True)
        # No symlinks here (some Windows set-ups): a file naming the run instead.
        (reports_root / f"{LATEST}.txt").write_text(run_id + "\n", encoding="utf-8")


def _trim(reports_root: Path, *, keep: int, current: str) -> None:
    runs = sorted(p for p in (reports_root / RUNS_DIR).iterdir() if _RUN_ID.match(p.name))
    for old in runs[: max(0, len(runs) - keep)]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def is_run(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in _RUN_MARKERS)


def resolve(path: Path) -> Path:
    """The run folder ``path`` names: a reports folder's latest run, or a run folder itself.

    ``latest`` is asked first: a reports folder written by an older harness (which kept
    one run's files at its top) must not pass for the newest run.
    """
    latest = path / LATEST
    if latest.is_dir():
        return latest.resolve()
    named = path / f"{LATEST}.txt"
    if named.is_file():
        return run_dir(path, named.read_text(encoding="utf-8").strip())
    if is_run(path):
        return path
    raise RunNotFoundError(
        f"no run in {path}: run the scenarios first (make demo), or name a run folder "
        f"such as {path / RUNS_DIR / '<run-id>'}"
    )
