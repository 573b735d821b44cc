"""STEP_CATALOG.md as data: the tutorials and their numbered steps.

The catalog is the specification every scenario, report and regenerated tutorial
points at (``T9.7`` is tutorial T9, step 7). This module reads its Markdown tables
so code can ask "which steps does T9 have?" instead of copying the list. The
project keeps its own copy in ``harness/data/STEP_CATALOG.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

ENV_VAR = "COA_STEP_CATALOG"
# The project's copy of the specification's catalog: a clone runs without ../shared.
BUNDLED_CATALOG = Path(__file__).parent / "data" / "STEP_CATALOG.md"

# A table cell boundary; a backslash-escaped pipe belongs to the cell's text.
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_SECTION = re.compile(r"^##\s+(?P<id>\S+)\s+—\s+(?P<title>.+?)\s*$")
_STEP_ID = re.compile(r"^(?P<tutorial>[A-Z][A-Z0-9]*)\.(?P<number>\d+)$")
# "T6.1–T6.6": the tutorials abbreviate repeated opening steps as one row.
_STEP_RANGE = re.compile(
    r"^(?P<tutorial>[A-Z][A-Z0-9]*)\.(?P<first>\d+)\s*[–-]\s*(?P=tutorial)\.(?P<last>\d+)$"
)


@dataclass(frozen=True)
class CatalogStep:
    """One documented step: its id, what the user does, what must hold after."""

    id: str
    action: str
    screen: str


@dataclass(frozen=True)
class CatalogTutorial:
    """One tutorial of the catalog's table, with the steps of its own section."""

    id: str
    title: str
    seed: str
    system: str
    step_count: int
    steps: list[CatalogStep] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [step.id for step in self.steps]


@dataclass(frozen=True)
class Catalog:
    """Every tutorial, in the catalog's order."""

    tutorials: list[CatalogTutorial]

    def tutorial(self, tutorial_id: str) -> CatalogTutorial | None:
        return next((t for t in self.tutorials if t.id == tutorial_id), None)

    def ids(self, tutorial_id: str) -> list[str]:
        """The tutorial's step ids in order; empty for a tutorial the catalog lacks."""
        tutorial = self.tutorial(tutorial_id)
        return tutorial.ids() if tutorial else []

    def step(self, step_id: str) -> CatalogStep | None:
        for tutorial in self.tutorials:
            for step in tutorial.steps:
                if step.id == step_id:
                    return step
        return None

    def all_ids(self) -> set[str]:
        return {step.id for tutorial in self.tutorials for step in tutorial.steps}


def find_catalog() -> Path:
    """The catalog file: ``$COA_STEP_CATALOG`` when set, else the project's own copy."""
    override = os.environ.get(ENV_VAR)
    return Path(override) if override else BUNDLED_CATALOG


def load_catalog(path: Path) -> Catalog:
    return parse_catalog(path.read_text(encoding="utf-8"))


def parse_catalog(text: str) -> Catalog:
    """Read the tutorials table, then each tutorial's section and its step table."""
    tutorials: dict[str, CatalogTutorial] = {}
    section: str | None = None
    for line in text.splitlines():
        heading = _SECTION.match(line)
        if heading:
            section = heading["id"] if heading["id"] in tutorials else None
            continue
        if line.startswith("#"):
            section = None
            continue
        cells = _cells(line)
        if cells is None:
            continue
        if section is None:
            tutorial = _tutorial_row(cells)
            if tutorial is not None:
                tutorials[tutorial.id] = tutorial
        else:
            tutorials[section].steps.extend(_step_rows(cells))
    return Catalog(tutorials=list(tutorials.values()))


def _cells(line: str) -> list[str] | None:
    """A table row's cells, or None for a line that is no row (or a ``|---|`` rule)."""
    row = line.strip()
    if not row.startswith("|"):
        return None
    row = row[1:-1] if row.endswith("|") and len(row) > 1 else row[1:]
    cells = [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(row)]
    if all(set(cell) <= set("-: ") for cell in cells):
        return None
    return cells


def _tutorial_row(cells: list[str]) -> CatalogTutorial | None:
    # | id | tutorial | seed file | system | steps |; the header row has no count.
    if len(cells) != 5 or not cells[4].isdigit():
        return None
    tutorial_id, title, seed, system, count = cells
    return CatalogTutorial(
        id=tutorial_id, title=title, seed=seed, system=system, step_count=int(count)
    )


def _step_rows(cells: list[str]) -> list[CatalogStep]:
    # | step | action | screen / what must hold |; the header row's "step" is no id.
    if len(cells) < 2:
        return []
    action = cells[1]
    screen = cells[2] if len(cells) > 2 else ""
    return [CatalogStep(id=step_id, action=action, screen=screen) for step_id in expand(cells[0])]


def expand(text: str) -> list[str]:
    """Step ids a cell names: "T9.7" → [T9.7]; "T6.1–T6.6" → [T6.1 … T6.6]; else []."""
    text = text.strip()
    if _STEP_ID.match(text):
        return [text]
    span = _STEP_RANGE.match(text)
    if not span:
        return []
    first, last = int(span["first"]), int(span["last"])
    return [f"{span['tutorial']}.{number}" for number in range(first, last + 1)]
