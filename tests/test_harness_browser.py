"""Smoke test of the step recorder in a real browser (the system Chromium fallback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright

from harness import plugin
from harness.browser import browser_version
from harness.steps import StepRecorder

PAGE = """
<!doctype html><html lang="zh-Hant"><body style="margin:40px;font-family:sans-serif">
<h1>系統使用聲明事項</h1>
<label><input type="checkbox"> 同意上述條款，請打勾。</label>
<p><button type="button" style="padding:8px 24px">確定</button></p>
</body></html>
"""


@pytest.fixture
def browser_context_args(
    pytestconfig: pytest.Config,
    playwright: Playwright,
    device: str | None,
    request: pytest.FixtureRequest,
) -> dict[str, Any]:
    """The harness's context options without a platform: this test needs no mock."""
    return plugin.context_options(pytestconfig, playwright, device, None, request)


def test_step_recorder_boxes_the_target_and_keeps_failed_steps(
    page: Page, browser: Browser, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    recorder = StepRecorder(
        page,
        run_dir=tmp_path,
        nodeid=request.node.nodeid,
        seed=7,
        browser=browser_version(browser),
    )
    page.set_content(PAGE)
    confirm = page.get_by_role("button", name="確定")

    with recorder.step("T9.7", target=confirm):
        page.get_by_role("checkbox").check()
    with pytest.raises(AssertionError, match="boom"), recorder.step("T9.8"):
        raise AssertionError("boom")

    data = json.loads(recorder.manifest_path.read_text(encoding="utf-8"))
    assert data["scenario"] == request.node.nodeid
    assert data["tutorial"] == "T9"
    assert data["browser"].startswith("chromium ")
    passed, failed = data["steps"]
    assert (passed["id"], passed["status"], passed["error"]) == ("T9.7", "passed", None)
    assert passed["title"] == "同意系統使用聲明事項"  # from harness/tutorial_texts/T9.toml
    assert passed["instruction"].startswith("閱讀並同意系統使用聲明事項")
    assert passed["target_box"]["width"] > 0
    raw = tmp_path / passed["raw_screenshot"]
    boxed = tmp_path / passed["screenshot"]
    assert raw.is_file() and boxed.is_file()
    assert raw.read_bytes() != boxed.read_bytes()
    assert (failed["id"], failed["status"]) == ("T9.8", "failed")
    assert "boom" in failed["error"]
    assert (tmp_path / failed["screenshot"]).is_file()
    assert failed["target_box"] is None
