"""Every catalog step has a scenario that records it; every recorded id is in the catalog.

Like datasette's tests/test_docs.py (which fails when a setting is undocumented),
this reads the scenario modules statically with ``ast``, so it runs in
milliseconds without a browser, and fails naming the steps nobody records.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.catalog import BUNDLED_CATALOG, Catalog, expand, find_catalog, load_catalog
from scenarios.gold_card.journeys import ENTRY_STEPS
from scenarios.payment.journeys import PAYMENT_STEPS

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
NEGATIVE = "NEG"
EXPECTED_COUNTS = {"T5": 13, "T6": 12, "T8": 17, "T9": 14, "S": 24}
# Journeys that record the steps several tutorials share, called as
# journey(page, steps, "T6", ...): the step numbers each records for the tutorial named.
JOURNEY_STEPS = {"enter_gold_card": ENTRY_STEPS}
# Journeys that always record the same ids, whoever calls them.
FIXED_JOURNEY_STEPS = {"choose_and_confirm": PAYMENT_STEPS}

CATALOG = load_catalog(find_catalog())


@dataclass
class ScenarioModule:
    path: Path
    tutorials: set[str] = field(default_factory=set)  # walked the published way
    variants: set[str] = field(default_factory=set)  # walked another way only
    step_ids: list[str] = field(default_factory=list)


def _literal(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _scan(path: Path) -> ScenarioModule:
    module = ScenarioModule(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            numbers = JOURNEY_STEPS.get(node.func.id, ())
            tutorial = node.args[2] if len(node.args) > 2 else None
            if numbers and isinstance(tutorial, ast.Constant) and isinstance(tutorial.value, str):
                module.step_ids += [f"{tutorial.value}.{number}" for number in numbers]
            module.step_ids += FIXED_JOURNEY_STEPS.get(node.func.id, ())
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        value = _literal(node)
        if value is None:
            continue
        if node.func.attr == "step":
            module.step_ids.append(value)
        # pytest.mark.tutorial("T9"): the attribute chain ends in .mark.tutorial.
        elif (
            node.func.attr == "tutorial"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "mark"
        ):
            # A variant (an employer filing, a Gold Card case paid on the screens the
            # student tutorial documents) does not make its tutorial "covered".
            if any(keyword.arg == "variant" for keyword in node.keywords):
                module.variants.add(value)
            else:
                module.tutorials.add(value)
    return module


SCENARIO_MODULES = [_scan(path) for path in sorted(SCENARIOS.rglob("test_*.py"))]
RECORDED = {step_id for module in SCENARIO_MODULES for step_id in module.step_ids}


def _catalog() -> Catalog:
    return CATALOG


def _tutorial_params() -> list[object]:
    return [pytest.param(tutorial.id, id=tutorial.id) for tutorial in CATALOG.tutorials]


def test_the_catalog_is_the_projects_own_copy():
    # A clone without ../shared beside it must still know every step.
    assert BUNDLED_CATALOG.is_file()
    assert BUNDLED_CATALOG.is_relative_to(Path(__file__).resolve().parent.parent)


def test_the_scanner_sees_the_scenarios():
    # Guards the tests below: an empty scan would make every check vacuous.
    assert any("T9" in module.tutorials for module in SCENARIO_MODULES)
    assert "T9.7" in RECORDED


def test_parser_reads_every_tutorial_and_step():
    catalog = _catalog()
    assert [t.id for t in catalog.tutorials] == ["T5", "T6", "T8", "T9", "S"]
    for tutorial in catalog.tutorials:
        assert len(tutorial.steps) == EXPECTED_COUNTS[tutorial.id], tutorial.id
        # The summary table's count and the section's own table agree.
        assert len(tutorial.steps) == tutorial.step_count, tutorial.id
        assert tutorial.ids() == [f"{tutorial.id}.{n}" for n in range(1, tutorial.step_count + 1)]
    assert catalog.ids("T9")[6] == "T9.7"
    assert catalog.tutorial("T9").seed == "000_6d6a9c7a12d7ad92.txt"


def test_parser_expands_ranges_sharing_the_row_action():
    catalog = _catalog()
    opening = [catalog.step(f"T6.{n}") for n in range(1, 7)]
    assert all(step is not None for step in opening)
    assert {step.action for step in opening} == {opening[0].action}
    assert "「就業金卡」" in opening[0].action
    assert expand("T5.1–T5.6") == ["T5.1", "T5.2", "T5.3", "T5.4", "T5.5", "T5.6"]
    assert expand("step") == []


@pytest.mark.parametrize("tutorial_id", _tutorial_params())
def test_every_catalog_step_has_a_scenario(tutorial_id: str):
    catalog = _catalog()
    assert any(tutorial_id in module.tutorials for module in SCENARIO_MODULES), (
        f"no scenario walks {tutorial_id} the published way (pytest.mark.tutorial without variant)"
    )
    missing = [step_id for step_id in catalog.ids(tutorial_id) if step_id not in RECORDED]
    assert not missing, (
        f"{tutorial_id}: no scenario records {', '.join(missing)} "
        "(step ids must be string literals in steps.step(...) for this check to see them)"
    )


def test_every_recorded_step_is_in_the_catalog():
    catalog = _catalog()
    known = catalog.all_ids()
    tutorials = {tutorial.id for tutorial in catalog.tutorials}
    unknown = []
    for module in SCENARIO_MODULES:
        for step_id in module.step_ids:
            parts = step_id.split(".")
            if parts[0] != NEGATIVE:
                if step_id not in known:
                    unknown.append(f"{step_id} ({module.path.name})")
            # NEG.T9.10.oversize names the catalog step it probes: that must exist too.
            elif len(parts) > 2 and parts[1] in tutorials and ".".join(parts[1:3]) not in known:
                unknown.append(f"{step_id} ({module.path.name})")
    assert not unknown, f"step ids not in the catalog: {', '.join(unknown)}"


def test_scenario_modules_mark_known_tutorials():
    catalog = _catalog()
    known = {tutorial.id for tutorial in catalog.tutorials} | {NEGATIVE}
    wrong = [
        f"{module.path.name}: {tutorial}"
        for module in SCENARIO_MODULES
        for tutorial in sorted((module.tutorials | module.variants) - known)
    ]
    assert not wrong, f"pytest.mark.tutorial names no catalog tutorial: {', '.join(wrong)}"
