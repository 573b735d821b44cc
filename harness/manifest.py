"""The step manifest: one JSON file per scenario run under ``reports/steps/``.

It is the single source the HTML report, the tutorial renderer and the visual
comparison read (DESIGN.md, "Step manifest"). Paths inside are relative to the
reports directory.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

STEPS_DIR = "steps"

# A step's own outcome: did the scenario's actions and assertions hold. A visual
# difference is recorded beside it (``visual``), not folded into it.
StepStatus = Literal["passed", "failed"]
# "running" stays on disk when the test process dies before the test ends.
ScenarioStatus = Literal["running", "passed", "failed", "skipped"]


class TargetBox(BaseModel):
    """Where the step's target element was, in CSS pixels of the viewport."""

    x: int
    y: int
    width: int
    height: int


VisualLayer = Literal["structure", "style", "pixels"]
# drift: pixels differ from a baseline made in another rendering environment, which
# says nothing about the application; shown, never a failure by itself.
LayerStatus = Literal["passed", "failed", "drift", "missing-baseline", "updated"]
VisualStatus = Literal["passed", "failed", "drift", "updated"]


class LayerResult(BaseModel):
    """One layer of a step's visual check against its baseline file."""

    layer: VisualLayer
    status: LayerStatus
    summary: str = ""  # one line a person reads first: "2 lines differ", "0.42 % of pixels"
    baseline: str  # the baseline file, relative to the baselines folder
    # Copies for the report and for accepting the change, relative to reports/.
    expected: str | None = None
    actual: str | None = None
    diff: str | None = None
    diff_ratio: float | None = None  # pixels only: share of pixels that differ
    details: list[str] = Field(default_factory=list)  # the first lines of a text diff

    @property
    def is_failure(self) -> bool:
        return self.status in ("failed", "missing-baseline")


class VisualResult(BaseModel):
    """The step's screen compared with its baselines, layer by layer."""

    status: VisualStatus
    layers: list[LayerResult] = Field(default_factory=list)

    @property
    def failures(self) -> list[LayerResult]:
        return [layer for layer in self.layers if layer.is_failure]

    def layer(self, name: VisualLayer) -> LayerResult | None:
        return next((layer for layer in self.layers if layer.layer == name), None)


class StepRecord(BaseModel):
    """One documented step as it ran."""

    id: str
    title: str
    instruction: str = ""
    status: StepStatus
    duration_ms: int
    screenshot: str | None = None
    raw_screenshot: str | None = None
    target_box: TargetBox | None = None
    # Where typed secrets and personal numbers were (passwords, captcha, 統一證號):
    # the tutorial renderer blurs them.
    redactions: list[TargetBox] = Field(default_factory=list)
    url: str = ""
    error: str | None = None  # the functional failure that stopped the walk here
    visual: VisualResult | None = None  # compared after the step passed; never stops a walk

    @property
    def visual_failed(self) -> bool:
        return self.visual is not None and self.visual.status == "failed"


class ScenarioManifest(BaseModel):
    """One scenario run: its outcome and the steps it reached, in order."""

    scenario: str
    tutorial: str | None = None
    # Another way through the same tutorial (an employer filing instead of the applicant);
    # regenerated tutorials show the published way, the one without a variant.
    variant: str | None = None
    status: ScenarioStatus = "running"
    seed: int
    browser: str
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    steps: list[StepRecord] = Field(default_factory=list)
    trace: str | None = None
    finished_at: datetime | None = None
    duration_ms: int | None = None


def tutorial_of(step_id: str) -> str:
    """The tutorial a step belongs to: "T9" for "T9.7", "S" for "S.3"."""
    return step_id.split(".", 1)[0]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_SLUG = 180


def step_stem(step_id: str) -> str:
    """A step id as a file name ("NEG.T9.8.expired" stays; anything unsafe becomes "-"),
    for its screenshots and its baselines alike."""
    return _UNSAFE.sub("-", step_id)


def slug(nodeid: str) -> str:
    """A filesystem-safe, stable file name for a pytest node id."""
    text = _UNSAFE.sub("-", nodeid.replace("::", "--")).strip("-.")
    if len(text) > _MAX_SLUG:
        # Keep both ends readable; the crc keeps long ids with one prefix apart.
        text = f"{text[:80]}-{zlib.crc32(nodeid.encode()):08x}-{text[-80:]}"
    return text or "scenario"


def manifest_path(reports_dir: Path, nodeid: str) -> Path:
    return reports_dir / STEPS_DIR / f"{slug(nodeid)}.json"


def write(manifest: ScenarioManifest, reports_dir: Path) -> Path:
    """Write the manifest atomically, so readers never see half a file."""
    path = manifest_path(reports_dir, manifest.scenario)
    path.parent.mkdir(parents=True, exist_ok=True)
    # ensure_ascii=False keeps the Chinese titles readable in the file itself.
    text = json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            tmp.write(text)
            tmp.write("\n")
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def load(path: Path) -> ScenarioManifest:
    return ScenarioManifest.model_validate_json(path.read_text(encoding="utf-8"))


def load_all(reports_dir: Path) -> list[ScenarioManifest]:
    """Every manifest under ``reports_dir/steps``, ordered by scenario id."""
    folder = reports_dir / STEPS_DIR
    if not folder.is_dir():
        return []
    manifests = [load(path) for path in folder.glob("*.json")]
    return sorted(manifests, key=lambda manifest: manifest.scenario)
