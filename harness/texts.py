"""The published tutorials' words: ``harness/tutorial_texts/<id>.toml``, one file each.

The one source of every documented step's title (the published ### heading) and
instruction: the step recorder takes them from here when a scenario records a
step, and the tutorial renderer prints them, so no scenario types them again.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

TEXTS_DIR = Path(__file__).parent / "tutorial_texts"


class StepText(BaseModel):
    """One step's words: the published ### heading and the instruction under it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    heading: str
    instruction: str = ""  # Markdown; some published steps have only a picture


class TutorialText(BaseModel):
    """A tutorial's words as published, read from its TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    introduction: str
    note: str = ""
    author: str
    made: date
    updated: date
    steps: list[StepText]

    @model_validator(mode="after")
    def _steps_numbered_in_order(self) -> TutorialText:
        # STEP n on the page is the n-th entry; a gap or a typo in an id would
        # silently pair a heading with another step's screenshot.
        expected = [f"{self.id}.{number}" for number in range(1, len(self.steps) + 1)]
        actual = [step.id for step in self.steps]
        if actual != expected:
            raise ValueError(f"step ids of {self.id} must be {expected}, not {actual}")
        return self

    def step(self, step_id: str) -> StepText | None:
        return next((step for step in self.steps if step.id == step_id), None)


def tutorial_ids(texts_dir: Path | None = None) -> list[str]:
    """The tutorials that have a text file, e.g. ``["S", "T5", ...]``: one per ``<id>.toml``."""
    folder = texts_dir or TEXTS_DIR
    return sorted(path.stem for path in folder.glob("*.toml"))


def load_text(tutorial_id: str, texts_dir: Path | None = None) -> TutorialText:
    """Read and check ``<texts_dir>/<tutorial_id>.toml``; the file name is the id."""
    path = (texts_dir or TEXTS_DIR) / f"{tutorial_id}.toml"
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return TutorialText.model_validate({"id": tutorial_id, **data})


@functools.cache
def _bundled(tutorial_id: str) -> TutorialText | None:
    if not (TEXTS_DIR / f"{tutorial_id}.toml").is_file():
        return None
    return load_text(tutorial_id)


def step_text(step_id: str) -> StepText | None:
    """The published words of a documented step ("T9.7"), or None for a step no
    tutorial documents (a refusal such as "NEG.T9.8.expired")."""
    tutorial_id = step_id.split(".", 1)[0]
    if not tutorial_id.replace("_", "").isalnum():
        return None  # not a file name: no tutorial text can be meant
    text = _bundled(tutorial_id)
    return text.step(step_id) if text else None
