"""The HTML regression report, built from synthetic manifests: no browser, no mock."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from harness import run_summary
from harness.catalog import find_catalog
from harness.manifest import ScenarioManifest, StepRecord, VisualResult, write
from harness.report import build_report

CATALOG = """\
# Step catalog

| id | tutorial | seed file | system | steps |
|----|----------|-----------|--------|-------|
| T8 | 重新申請教學 (re-apply) | 001.txt | 外國專業人才申辦窗口平臺 | 2 |
| T9 | 就業金卡換發其他事由居留證 (other reason) | 000.txt | 其他事由延期 system | 4 |

## T8 — re-application (2 steps)

| step | action | screen / what must hold |
|------|--------|-------------------------|
| T8.1–T8.2 | home ▸ 「就業金卡」 | P-intro-goldcard |

## T9 — other-reason residence permit (4 steps)

| step | action | screen / what must hold |
|------|--------|-------------------------|
| T9.1 | open the platform home | P-home |
| T9.2 | click 「其他事由延期」 | P-intro-other |
| T9.3 | click 「我要申請登入系統」 | login method choice |
| T9.4 | tick 同意, 「確定」 | 「其他事由居留證申請 - 新增」 query form |
"""

PASSED_RUN = "scenarios/other_reason/test_t9_other_reason.py::test_t9_other_reason[chromium]"
FAILED_RUN = "scenarios/other_reason/test_t9_other_reason.py::test_t9_employer[chromium]"
NEG_RUN = "scenarios/other_reason/test_t9_refusals.py::test_oversize_upload_is_refused[chromium]"
TRACE = "traces/test-t9-employer/trace.zip"
ERROR = "TimeoutError: <script>alert('x')</script> locator 「查詢」 not visible"


def _png(reports: Path, relative: str, colour: tuple[int, int, int]) -> str:
    path = reports / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 6), colour).save(path)
    return relative


def _step(reports: Path, step_id: str, scenario: str, **fields: object) -> StepRecord:
    values: dict[str, object] = {
        "title": f"title of {step_id}",
        "status": "passed",
        "duration_ms": 412,
        "screenshot": _png(reports, f"screens/{scenario}/{step_id}.png", (40, 90, 160)),
    }
    values.update(fields)
    return StepRecord(id=step_id, **values)


def _manifests(reports: Path) -> None:
    visual = VisualResult(
        status="failed",
        baseline="baselines/T9/T9.2.png",
        diff_ratio=0.032,
        threshold=0.01,
        expected=_png(reports, "visual/T9.2.expected.png", (255, 255, 255)),
        actual=_png(reports, "visual/T9.2.actual.png", (250, 250, 250)),
        diff=_png(reports, "visual/T9.2.diff.png", (255, 0, 0)),
    )
    started = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    write(
        ScenarioManifest(
            scenario=PASSED_RUN,
            tutorial="T9",
            status="passed",
            seed=1234,
            browser="chromium 156.0",
            started_at=started,
            steps=[
                _step(reports, "T9.1", "passed", title=""),  # no title: the catalog's action shows
                _step(reports, "T9.2", "passed", visual=visual),
                _step(
                    reports,
                    "T9.3",
                    "passed",
                    visual=VisualResult(
                        status="missing-baseline", baseline="baselines/T9/T9.3.png"
                    ),
                ),
            ],
        ),
        reports,
    )
    trace = reports / TRACE
    trace.parent.mkdir(parents=True)
    trace.write_bytes(b"PK")
    write(
        ScenarioManifest(
            scenario=FAILED_RUN,
            tutorial="T9",
            status="failed",
            seed=1234,
            browser="chromium 156.0",
            started_at=started,
            trace=TRACE,
            steps=[
                # An absolute screenshot path must still come out relative.
                _step(
                    reports, "T9.1", "failed-run", screenshot=str(reports / "screens/abs/T9.1.png")
                ),
                _step(reports, "T9.3", "failed-run", status="failed", error=ERROR),
            ],
        ),
        reports,
    )
    _png(reports, "screens/abs/T9.1.png", (0, 0, 0))
    write(
        ScenarioManifest(
            scenario=NEG_RUN,
            tutorial="NEG",
            status="passed",
            seed=1234,
            browser="chromium 156.0",
            started_at=started,
            steps=[_step(reports, "NEG.T9.10.oversize", "neg", title="檔案超過 1024K")],
        ),
        reports,
    )


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    _manifests(folder)
    return folder


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "STEP_CATALOG.md"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def _row(html: str, row_id: str) -> str:
    """The text of the <tr> whose id is ``row_id``, up to its detail row if any."""
    match = re.search(rf'<tr class="[^"]*" id="{re.escape(row_id)}">.*?</tr>', html, re.S)
    assert match, f"no row {row_id}"
    return match.group(0)


def test_writes_index_html(reports, catalog):
    out = build_report(reports, catalog_path=catalog)
    assert out == reports / "index.html"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_totals_from_manifests_without_run_json(reports, catalog):
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    assert 'class="banner banner-FAILED">FAILED<' in html
    assert ">2 passed<" in html
    assert ">1 failed<" in html
    assert ">0 skipped<" in html
    assert "1234" in html  # seed
    assert "chromium 156.0" in html


def test_totals_and_provenance_from_run_json(reports, catalog):
    run_summary.write(
        run_summary.RunSummary(
            started_at=datetime(2026, 11, 21, 10, 0, tzinfo=UTC),
            finished_at=datetime(2026, 11, 21, 10, 3, tzinfo=UTC),
            duration_s=185.0,
            passed=40,
            failed=0,
            skipped=2,
            flaky=3,
            errors=0,
            seed=99,
            browser="chromium 157.1",
            commit="abc1234",
            tutorial_mode=True,
            visual="compare",
        ),
        reports,
    )
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    for text in (">40 passed<", ">0 failed<", ">2 skipped<", ">3 flaky<", "abc1234"):
        assert text in html
    assert "3 min 05 s" in html
    assert "compare" in html
    assert "2026-11-21 10:00:00 UTC" in html
    assert 'class="banner banner-PASSED">PASSED<' in html


def test_catalog_step_nobody_recorded_is_missing_in_red(reports, catalog):
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    row = _row(html, "step-T9.4")
    assert 'class="row-missing"' in row
    assert 'class="pill status-missing">missing<' in row
    assert "「確定」" in row  # the catalog's action stands in for the title
    assert re.search(r"\.status-missing \{ color: var\(--miss\)", html)


def test_tutorial_without_scenarios_lists_all_its_steps_missing(reports, catalog):
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    assert "no scenario ran for T8" in html
    for step_id in ("T8.1", "T8.2"):
        assert "status-missing" in _row(html, f"step-{step_id}")
    assert html.index('id="tutorial-T8"') < html.index('id="tutorial-T9"')
    assert html.index('id="tutorial-T9"') < html.index('id="tutorial-NEG"')
    assert "負面情境 (negative scenarios)" in html


def test_one_row_per_scenario_run_of_a_step(reports, catalog):
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    t9 = html[html.index('id="tutorial-T9"') : html.index('id="tutorial-NEG"')]
    assert len(re.findall(r'<td class="id mono">T9\.1</td>', t9)) == 2
    assert "test_t9_employer[chromium]" in t9
    assert "open the platform home" in t9  # the untitled step shows the catalog's action


def test_failed_step_shows_error_screenshot_and_trace(reports, catalog):
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    assert "TimeoutError: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script" not in html
    detail = html[html.index('<pre class="error">') :]
    detail = detail[: detail.index("</td></tr>")]
    assert "screens/failed-run/T9.3.png" in detail
    assert f'href="{TRACE}"' in detail
    assert f".venv/bin/playwright show-trace reports/{TRACE}" in detail


def test_visual_failure_side_by_side(reports, catalog):
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    block = html[html.index('<div class="visual">') :]
    block = block[: block.index("</div>")]
    sources = re.findall(r'<img src="([^"]+)"', block)
    assert sources == [
        "visual/T9.2.expected.png",
        "visual/T9.2.actual.png",
        "visual/T9.2.diff.png",
    ]
    assert "3.20% of pixels differ (threshold 1.00%)" in html
    assert "No visual baseline yet for T9.3" in html


def test_links_are_relative_and_local(reports, catalog, tmp_path):
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert links
    for link in links:
        assert not link.startswith(("/", "file:", "http:", "https:", "//")), link
    assert str(tmp_path) not in html
    assert "file://" not in html
    assert "<link" not in html  # no outside stylesheet or font
    assert 'src="screens/abs/T9.1.png"' in html


def test_missing_image_file_is_named_not_broken(reports, catalog):
    (reports / "screens/passed/T9.1.png").unlink()
    html = build_report(reports, catalog_path=catalog).read_text(encoding="utf-8")
    assert "image missing: screens/passed/T9.1.png" in html


def test_empty_reports_folder(tmp_path, catalog):
    html = build_report(tmp_path, catalog_path=catalog).read_text(encoding="utf-8")
    assert "NO RESULTS" in html
    assert "no scenario ran for T9" in html


def test_with_the_real_catalog(reports):
    path = find_catalog()
    if path is None:
        pytest.skip("STEP_CATALOG.md not found beside the repository; set COA_STEP_CATALOG")
    html = build_report(reports, catalog_path=path).read_text(encoding="utf-8")
    positions = [html.index(f'id="tutorial-{tid}"') for tid in ("T5", "T6", "T8", "T9", "S", "NEG")]
    assert positions == sorted(positions)
    assert "status-missing" in _row(html, "step-T5.13")
    assert "no scenario ran for S" in html
    assert "<b>2 / 80</b>" in html  # T9.1 and T9.2 passed (T9.3 failed in one run, passed in one)
