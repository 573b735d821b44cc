"""The run summary, ``<run>/run.json``: what the report's header shows about a run."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from harness.visual.environment import RenderingEnvironment

RUN_FILE = "run.json"


class RunSummary(BaseModel):
    """Totals and provenance of one pytest run, written by the controller at its end."""

    run_id: str = ""
    started_at: datetime
    finished_at: datetime
    duration_s: float
    passed: int
    failed: int
    skipped: int
    flaky: int  # passed after a rerun (pytest-rerunfailures), if in use
    errors: int
    seed: int
    browser: str
    commit: str
    tutorial_mode: bool
    visual: str  # off | compare | update
    # Where this run rendered, and where the baselines it compared with were made.
    environment: RenderingEnvironment | None = None
    baselines_environment: RenderingEnvironment | None = None


def write(summary: RunSummary, run_dir: Path) -> Path:
    path = run_dir / RUN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return path


def load(run_dir: Path) -> RunSummary | None:
    path = run_dir / RUN_FILE
    if not path.is_file():
        return None
    return RunSummary.model_validate_json(path.read_text(encoding="utf-8"))
