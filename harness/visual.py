"""Visual regression: each step's unboxed screenshot against a baseline in the repository.

Dynamic regions (the countdown, the captcha picture) are painted over before the
comparison, in the baseline as in the new picture, so they can never cause a diff.
The pixel comparison is pixelmatch's (a port of mapbox/pixelmatch): anti-aliased
pixels are ignored and a per-pixel colour tolerance applies; a step fails when the
share of differing pixels passes the run's threshold.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw
from pixelmatch.contrib.PIL import pixelmatch

from harness.manifest import TargetBox, VisualResult

VisualMode = Literal["off", "compare", "update"]
MASK_COLOUR = (255, 0, 255, 255)
PIXEL_TOLERANCE = 0.1  # pixelmatch's per-pixel colour threshold (0–1)
VISUAL_DIR = "visual"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class VisualMismatch(AssertionError):
    """A step's screen differs from its baseline by more than the threshold."""


@dataclass(frozen=True)
class VisualConfig:
    """How this run treats baselines."""

    mode: VisualMode
    baselines_dir: Path
    threshold: float  # share of pixels allowed to differ, e.g. 0.001 = 0.1 %


def masked(png: bytes, masks: list[TargetBox]) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    draw = ImageDraw.Draw(image)
    for box in masks:
        draw.rectangle(
            (box.x, box.y, box.x + box.width - 1, box.y + box.height - 1), fill=MASK_COLOUR
        )
    return image


def _save(image: Image.Image, path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    # No metadata, fixed settings: the same pixels always give the same bytes.
    image.save(path, format="PNG", optimize=False, compress_level=6)
    return path.as_posix()


def check(
    config: VisualConfig,
    *,
    scenario_slug: str,
    step_id: str,
    png: bytes,
    masks: list[TargetBox],
    reports_dir: Path,
) -> VisualResult:
    """Compare (or, in update mode, store) one step's screenshot."""
    stem = _UNSAFE.sub("-", step_id)
    baseline = config.baselines_dir / scenario_slug / f"{stem}.png"
    actual = masked(png, masks)
    shown = f"{baseline.parent.name}/{baseline.name}"
    if config.mode == "update":
        # Screens have no transparency; RGB keeps the committed baselines a tenth smaller.
        _save(actual.convert("RGB"), baseline)
        return VisualResult(status="updated", baseline=shown, threshold=config.threshold)
    out = reports_dir / VISUAL_DIR / scenario_slug
    relative = f"{VISUAL_DIR}/{scenario_slug}"
    if not baseline.is_file():
        _save(actual, out / f"{stem}.actual.png")
        return VisualResult(
            status="missing-baseline",
            baseline=shown,
            threshold=config.threshold,
            actual=f"{relative}/{stem}.actual.png",
        )
    expected = Image.open(baseline).convert("RGBA")
    if expected.size != actual.size:
        ratio = 1.0
        diff = Image.new("RGBA", actual.size, MASK_COLOUR)
    else:
        diff = Image.new("RGBA", actual.size)
        mismatched = pixelmatch(expected, actual, diff, threshold=PIXEL_TOLERANCE, includeAA=False)
        ratio = mismatched / (actual.width * actual.height)
    if ratio <= config.threshold:
        return VisualResult(
            status="passed", baseline=shown, diff_ratio=ratio, threshold=config.threshold
        )
    _save(expected, out / f"{stem}.expected.png")
    _save(actual, out / f"{stem}.actual.png")
    _save(diff, out / f"{stem}.diff.png")
    return VisualResult(
        status="failed",
        baseline=shown,
        diff_ratio=ratio,
        threshold=config.threshold,
        expected=f"{relative}/{stem}.expected.png",
        actual=f"{relative}/{stem}.actual.png",
        diff=f"{relative}/{stem}.diff.png",
    )
