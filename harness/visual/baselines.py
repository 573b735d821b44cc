"""Where each layer of a step's visual check keeps its baseline and its evidence.

Baselines: ``<baselines>/<scenario>/<step>.png`` (pixels), ``.aria.yml`` (structure)
and ``.style.txt`` (style), side by side. Evidence of a step that did not pass:
``<run>/visual/<scenario>/<step>.{expected,actual,diff}…`` per layer, which the
report shows and ``coa-e2e accept`` copies over the baselines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.manifest import VisualLayer
from harness.manifest import step_stem as stem

VISUAL_DIR = "visual"


@dataclass(frozen=True)
class LayerFiles:
    """The file name endings of one layer."""

    baseline: str
    expected: str
    actual: str
    diff: str


LAYERS: dict[VisualLayer, LayerFiles] = {
    "structure": LayerFiles(
        ".aria.yml", ".aria.expected.yml", ".aria.actual.yml", ".aria.diff.txt"
    ),
    "style": LayerFiles(
        ".style.txt", ".style.expected.txt", ".style.actual.txt", ".style.diff.txt"
    ),
    "pixels": LayerFiles(".png", ".expected.png", ".actual.png", ".diff.png"),
}


def key(scenario_slug: str, step_id: str) -> str:
    """How the environment file names one step's baselines: "<scenario>/<step>"."""
    return f"{scenario_slug}/{stem(step_id)}"


def baseline(baselines_dir: Path, scenario_slug: str, step_id: str, layer: VisualLayer) -> Path:
    return baselines_dir / scenario_slug / f"{stem(step_id)}{LAYERS[layer].baseline}"


def shown(scenario_slug: str, step_id: str, layer: VisualLayer) -> str:
    """A baseline's path as messages and manifests name it (relative to the baselines)."""
    return f"{scenario_slug}/{stem(step_id)}{LAYERS[layer].baseline}"


def evidence(scenario_slug: str, step_id: str, layer: VisualLayer, kind: str) -> str:
    """An evidence file's path relative to the run folder; ``kind`` is expected|actual|diff."""
    ending = getattr(LAYERS[layer], kind)
    return f"{VISUAL_DIR}/{scenario_slug}/{stem(step_id)}{ending}"


def all_keys(baselines_dir: Path) -> set[str]:
    """Every step that has a baseline of any layer, as "<scenario>/<step>"."""
    found = set()
    if not baselines_dir.is_dir():
        return found
    endings = sorted((files.baseline for files in LAYERS.values()), key=len, reverse=True)
    for path in baselines_dir.glob("*/*"):
        for ending in endings:
            if path.name.endswith(ending):
                found.add(f"{path.parent.name}/{path.name[: -len(ending)]}")
                break
    return found
