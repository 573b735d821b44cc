"""One step's layered visual check: structure, style and pixels against the baselines.

Structure and style are compared exactly (boxes within a few pixels) on every
machine. Pixels are compared strictly where the run's rendering environment is
the one the step's baseline was made in, and reported as drift elsewhere. A step
that does not pass keeps every layer's actual capture, plus the expected file and
a diff for each layer that differs, under the run's ``visual/`` folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image

from harness.manifest import LayerResult, TargetBox, VisualLayer, VisualResult
from harness.visual import baselines, pixels, structure, style
from harness.visual.environment import BaselineEnvironment, RenderingEnvironment

VisualMode = Literal["off", "compare", "update"]
MAX_DETAILS = 40


@dataclass(frozen=True)
class VisualConfig:
    """How this run treats baselines."""

    mode: VisualMode
    baselines_dir: Path
    threshold: float  # share of pixels allowed to differ in the baselines' environment
    run_environment: RenderingEnvironment | None = None
    recorded: BaselineEnvironment | None = None  # the baselines' environment.json


@dataclass(frozen=True)
class Snapshot:
    """What one step's screen looked like, in every layer."""

    png: bytes  # the unboxed screenshot
    masks: list[TargetBox]  # dynamic regions to paint over
    structure: str  # normalised ARIA snapshot
    style: str  # style fingerprint


def check(
    config: VisualConfig, *, snapshot: Snapshot, scenario: str, step_id: str, run_dir: Path
) -> VisualResult:
    """Compare (or, in update mode, store) one step's snapshot."""
    actual_png = pixels.masked(snapshot.png, snapshot.masks)
    texts: dict[VisualLayer, str] = {"structure": snapshot.structure, "style": snapshot.style}
    if config.mode == "update":
        return _update(config, scenario, step_id, actual_png, texts)
    layers = [
        _text_layer(config, scenario, step_id, "structure", texts["structure"], run_dir),
        _text_layer(config, scenario, step_id, "style", texts["style"], run_dir),
        _pixel_layer(config, scenario, step_id, actual_png, run_dir),
    ]
    if any(layer.status != "passed" for layer in layers):
        # Everything needed to look, and to accept the change, stays with the run.
        pixels.save(actual_png, run_dir / baselines.evidence(scenario, step_id, "pixels", "actual"))
        for name, text in texts.items():
            _write(run_dir / baselines.evidence(scenario, step_id, name, "actual"), text)
        layers = [
            layer.model_copy(
                update={"actual": baselines.evidence(scenario, step_id, layer.layer, "actual")}
            )
            for layer in layers
        ]
    if any(layer.is_failure for layer in layers):
        status = "failed"
    elif any(layer.status == "drift" for layer in layers):
        status = "drift"
    else:
        status = "passed"
    return VisualResult(status=status, layers=layers)


def _update(
    config: VisualConfig,
    scenario: str,
    step_id: str,
    actual_png: Image.Image,
    texts: dict[VisualLayer, str],
) -> VisualResult:
    pixels.save(actual_png, baselines.baseline(config.baselines_dir, scenario, step_id, "pixels"))
    for name, text in texts.items():
        _write(baselines.baseline(config.baselines_dir, scenario, step_id, name), text)
    return VisualResult(
        status="updated",
        layers=[
            LayerResult(
                layer=name, status="updated", baseline=baselines.shown(scenario, step_id, name)
            )
            for name in baselines.LAYERS
        ],
    )


def _text_layer(
    config: VisualConfig,
    scenario: str,
    step_id: str,
    layer: Literal["structure", "style"],
    actual: str,
    run_dir: Path,
) -> LayerResult:
    path = baselines.baseline(config.baselines_dir, scenario, step_id, layer)
    shown = baselines.shown(scenario, step_id, layer)
    if not path.is_file():
        return LayerResult(
            layer=layer, status="missing-baseline", baseline=shown, summary=f"no baseline {shown}"
        )
    expected = path.read_text(encoding="utf-8")
    if layer == "structure":
        differences = structure.compare(
            expected, actual, expected_name=f"baseline {shown}", actual_name="this run"
        )
        summary = structure.summary(differences) if differences else ""
    else:
        differences = style.compare(expected, actual)
        summary = style.summary(differences) if differences else ""
    if not differences:
        return LayerResult(layer=layer, status="passed", baseline=shown)
    expected_rel = baselines.evidence(scenario, step_id, layer, "expected")
    diff_rel = baselines.evidence(scenario, step_id, layer, "diff")
    _write(run_dir / expected_rel, expected)
    _write(run_dir / diff_rel, "\n".join(differences) + "\n")
    return LayerResult(
        layer=layer,
        status="failed",
        baseline=shown,
        summary=summary,
        expected=expected_rel,
        diff=diff_rel,
        details=differences[:MAX_DETAILS],
    )


def _pixel_layer(
    config: VisualConfig,
    scenario: str,
    step_id: str,
    actual: Image.Image,
    run_dir: Path,
) -> LayerResult:
    path = baselines.baseline(config.baselines_dir, scenario, step_id, "pixels")
    shown = baselines.shown(scenario, step_id, "pixels")
    if not path.is_file():
        return LayerResult(
            layer="pixels",
            status="missing-baseline",
            baseline=shown,
            summary=f"no baseline {shown}",
        )
    expected = pixels.load(path)
    found = pixels.compare(expected, actual)
    made_in = (
        config.recorded.for_step(baselines.key(scenario, step_id)) if config.recorded else None
    )
    strict = made_in is not None and made_in == config.run_environment
    share = f"{found.ratio:.3%} of pixels differ"
    if strict and found.ratio <= config.threshold:
        return LayerResult(layer="pixels", status="passed", baseline=shown, diff_ratio=found.ratio)
    if not strict and found.ratio == 0:
        return LayerResult(layer="pixels", status="passed", baseline=shown, diff_ratio=0.0)
    expected_rel = baselines.evidence(scenario, step_id, "pixels", "expected")
    diff_rel = baselines.evidence(scenario, step_id, "pixels", "diff")
    pixels.save(expected, run_dir / expected_rel)
    pixels.save(found.diff, run_dir / diff_rel)
    if strict:
        status, summary = "failed", f"{share} (threshold {config.threshold:.3%})"
    else:
        where = f"{made_in.browser}, {made_in.os}" if made_in else "unrecorded"
        status = "drift"
        summary = f"rendering drift: {share}; the baseline comes from another environment ({where})"
    return LayerResult(
        layer="pixels",
        status=status,
        baseline=shown,
        summary=summary,
        expected=expected_rel,
        diff=diff_rel,
        diff_ratio=found.ratio,
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
