"""The structure and style layers on a live mock screen, as if the baselines came
from another browser build (one browser, one test; the rest of tests/ runs none).

The T9 application form (T9.9's screen, one of the drift pairs' screens) is
recorded as the baseline with its environment set to Chromium 156.0.8078.79, then
changed the ways a real edit of the mock would: one word of the hint, the colour
of the red 「清除」 buttons, a button moved by 8 px, a button removed. Across builds
the pixels only drift, so each change must fail on structure or style; in the
baselines' own environment it fails as well.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from harness.browser import browser_version
from harness.manifest import VisualResult
from harness.visual import VisualConfig, capture, check
from harness.visual.environment import BaselineEnvironment, RenderingEnvironment, current
from scenarios.journeys import open_application_form

OTHER_BUILD = "chromium 156.0.8078.79"

# What to do to the screen, and the layer that must name it.
CHANGES = {
    "changed word": (
        "structure",
        "() => { const hint = document.querySelector('p.hint').firstChild;"
        " hint.textContent = hint.textContent.replace('及上傳', ''); }",
    ),
    "changed button colour": (
        "style",
        "() => document.querySelectorAll('.button-danger')"
        ".forEach((button) => { button.style.backgroundColor = '#e67e22'; })",
    ),
    "control moved by 8 px": (
        "style",
        "() => Object.assign(document.querySelector('#passport .button-danger').style,"
        " {position: 'relative', left: '8px'})",
    ),
    "missing control": (
        "structure",
        "() => document.querySelector('#passport .button-danger').remove()",
    ),
}


def _judge(page: Page, base_url: str, config: VisualConfig, run_dir: Path) -> VisualResult:
    png = page.screenshot(animations="disabled", caret="hide")
    snapshot = capture.snapshot(page, png, base_url=base_url)
    return check(config, snapshot=snapshot, scenario="t9-form", step_id="T9.9", run_dir=run_dir)


def test_real_changes_fail_across_builds_and_on_the_same_build(
    page: Page,
    base_url: str,
    applicant_account,
    card_holder,
    captcha,
    tmp_path: Path,
):
    open_application_form(page, applicant_account, captcha, card_holder(card_valid=True))
    here = current(browser_version(page.context.browser))
    elsewhere = RenderingEnvironment(browser=OTHER_BUILD, os=here.os, packages=here.packages)
    baselines_dir = tmp_path / "baselines"
    record = VisualConfig(mode="update", baselines_dir=baselines_dir, threshold=0.0)

    def compared_with(made_in: RenderingEnvironment) -> VisualConfig:
        recorded = BaselineEnvironment(environment=made_in)
        return VisualConfig("compare", baselines_dir, 0.0, run_environment=here, recorded=recorded)

    across, same = compared_with(elsewhere), compared_with(here)
    assert _judge(page, base_url, record, tmp_path / "run").status == "updated"
    original = page.evaluate("() => document.body.innerHTML")

    unchanged = _judge(page, base_url, across, tmp_path / "run")
    assert unchanged.status == "passed", unchanged

    for name, (layer, change) in CHANGES.items():
        page.evaluate(change)

        verdict = _judge(page, base_url, across, tmp_path / name)
        assert verdict.status == "failed", name
        failed = {result.layer for result in verdict.failures}
        assert layer in failed, f"{name}: {failed}"
        assert "pixels" not in failed, f"{name}: across builds pixels only drift"
        assert verdict.layer("pixels").status == "drift", name

        on_same_build = _judge(page, base_url, same, tmp_path / f"{name}-same")
        assert on_same_build.status == "failed", name
        assert {result.layer for result in on_same_build.failures} >= {layer, "pixels"}, name

        page.evaluate("(html) => { document.body.innerHTML = html; }", original)
        restored = _judge(page, base_url, across, tmp_path / f"{name}-restored")
        assert restored.status == "passed", f"after {name}: {restored}"
