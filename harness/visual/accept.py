"""Accept a visual change a run found: its captures become the step's baselines.

``coa-e2e accept`` reads a run folder, takes every step whose visual check failed
(optionally only one scenario or one step), copies that step's actual structure,
style and pixels over its baselines, and notes in ``environment.json`` where the
pixels were made. The rest of the baselines stay as they are.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from harness import manifest as manifest_io
from harness import run_summary
from harness.visual import baselines, environment


@dataclass(frozen=True)
class Accepted:
    """One step whose baselines were replaced."""

    scenario: str
    step_id: str
    layers: list[str]  # the layers that had failed, for the message


def accept(
    run_dir: Path,
    baselines_dir: Path,
    *,
    scenario: str | None = None,
    step_id: str | None = None,
) -> list[Accepted]:
    """Replace the baselines of the run's failed visual checks; return what was accepted.

    ``scenario`` keeps scenarios whose node id contains it; ``step_id`` keeps one step.
    """
    accepted: list[Accepted] = []
    browser = ""
    for manifest in manifest_io.load_all(run_dir):
        if scenario and scenario not in manifest.scenario:
            continue
        slug = manifest_io.slug(manifest.scenario)
        for step in manifest.steps:
            if step_id and step.id != step_id:
                continue
            if step.visual is None or step.visual.status != "failed":
                continue
            for layer in baselines.LAYERS:
                source = run_dir / baselines.evidence(slug, step.id, layer, "actual")
                if source.is_file():
                    target = baselines.baseline(baselines_dir, slug, step.id, layer)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)
            layers = [layer.layer for layer in step.visual.failures]
            accepted.append(Accepted(scenario=manifest.scenario, step_id=step.id, layers=layers))
            browser = manifest.browser
    if accepted:
        summary = run_summary.load(run_dir)
        made_in = summary.environment if summary and summary.environment else None
        environment.record_update(
            baselines_dir,
            made_in or environment.current(browser),
            {baselines.key(manifest_io.slug(a.scenario), a.step_id) for a in accepted},
            baselines.all_keys(baselines_dir),
        )
    return accepted
