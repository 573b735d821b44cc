"""The HTML regression report: ``reports/index.html``, tutorials × steps.

It reads the step manifests, the run summary and the step catalog, and writes one
self-contained page a QA engineer opens straight from disk: no server, no outside
CSS, JS or fonts, and every image or trace linked by a path relative to reports/.
Catalog steps that no scenario recorded are listed as missing, so coverage gaps
show as plainly as failures.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from harness import run_summary
from harness.catalog import Catalog, CatalogStep, find_catalog, load_catalog
from harness.manifest import ScenarioManifest, StepRecord, VisualResult, load_all, tutorial_of

REPORT_FILE = "index.html"
TEMPLATES = Path(__file__).parent / "templates"
NEGATIVE = "NEG"
NEGATIVE_TITLE = "負面情境 (negative scenarios)"


@dataclass(frozen=True)
class Asset:
    """A file the page links to: an href relative to the page, and whether it is there."""

    href: str
    label: str
    exists: bool


@dataclass
class Visual:
    result: VisualResult
    expected: Asset | None
    actual: Asset | None
    diff: Asset | None


@dataclass
class Run:
    """One scenario run of a tutorial, as its section lists it."""

    scenario: str
    label: str
    status: str
    duration_ms: int | None
    trace: Asset | None
    trace_hint: str | None
    failed_outside_steps: bool


@dataclass
class Row:
    """One line of a tutorial's step table: a recorded step, or a catalog step nobody ran."""

    id: str
    title: str
    status: str  # passed | failed | missing
    screen: str = ""
    run: Run | None = None
    duration_ms: int | None = None
    screenshot: Asset | None = None
    error: str | None = None
    visual: Visual | None = None
    note: str = ""


@dataclass
class Section:
    id: str
    title: str
    system: str
    runs: list[Run]
    rows: list[Row]
    show_scenario: bool
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class Header:
    banner: str  # PASSED | FAILED | NO RESULTS
    passed: int
    failed: int
    skipped: int
    flaky: int | None
    errors: int
    duration_s: float | None
    browser: str
    seed: str
    commit: str
    date: str
    tutorial_mode: str
    visual: str
    catalog: str
    covered: int
    catalog_steps: int
    visual_failures: int


def build_report(reports_dir: Path, *, catalog_path: Path | None = None) -> Path:
    """Write ``reports_dir/index.html`` from the manifests under it; return its path."""
    manifests = load_all(reports_dir)
    path = catalog_path or find_catalog()
    catalog = load_catalog(path) if path else None
    sections = _sections(manifests, catalog, reports_dir)
    header = _header(manifests, run_summary.load(reports_dir), sections, catalog, path)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # error texts and titles come from pages under test
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = _format_ms
    html = env.get_template("report.html").render(header=header, sections=sections)
    out = reports_dir / REPORT_FILE
    out.write_text(html, encoding="utf-8")
    return out


def _tutorial_id(manifest: ScenarioManifest) -> str:
    if manifest.tutorial:
        return manifest.tutorial
    return tutorial_of(manifest.steps[0].id) if manifest.steps else "other"


def _sections(
    manifests: list[ScenarioManifest], catalog: Catalog | None, reports_dir: Path
) -> list[Section]:
    by_tutorial: dict[str, list[ScenarioManifest]] = {}
    for manifest in manifests:
        by_tutorial.setdefault(_tutorial_id(manifest), []).append(manifest)
    order = [tutorial.id for tutorial in catalog.tutorials] if catalog else []
    order += sorted(set(by_tutorial) - set(order) - {NEGATIVE})
    # Negative scenarios always close the report, even when none ran.
    order.append(NEGATIVE)
    return [_section(tid, by_tutorial.get(tid, []), catalog, reports_dir) for tid in order]


def _section(
    tutorial_id: str,
    manifests: list[ScenarioManifest],
    catalog: Catalog | None,
    reports_dir: Path,
) -> Section:
    entry = catalog.tutorial(tutorial_id) if catalog else None
    runs = [_run(manifest, reports_dir) for manifest in manifests]
    steps = entry.steps if entry else []
    rows: list[Row] = []
    for step in steps:
        hits = [
            _row(record, run, reports_dir, step)
            for manifest, run in zip(manifests, runs, strict=True)
            for record in manifest.steps
            if record.id == step.id
        ]
        rows += hits or [_missing(step, tutorial_id, runs)]
    known = {step.id for step in steps}
    for manifest, run in zip(manifests, runs, strict=True):
        rows += [
            _row(record, run, reports_dir, None)
            for record in manifest.steps
            if record.id not in known
        ]
    title = entry.title if entry else NEGATIVE_TITLE if tutorial_id == NEGATIVE else tutorial_id
    return Section(
        id=tutorial_id,
        title=title,
        system=entry.system if entry else "",
        runs=runs,
        rows=rows,
        show_scenario=len(runs) > 1,
        counts=Counter(row.status for row in rows),
    )


def _run(manifest: ScenarioManifest, reports_dir: Path) -> Run:
    trace = _asset(reports_dir, manifest.trace)
    hint = None
    if manifest.trace:
        # Relative to the folder that holds reports/ (the repository root, normally),
        # where .venv/ lives too; an absolute path would not survive a CI download.
        hint = f".venv/bin/playwright show-trace {reports_dir.name}/{_relative(reports_dir, manifest.trace)}"
    status = "interrupted" if manifest.status == "running" else manifest.status
    duration_ms = manifest.duration_ms
    if duration_ms is None and manifest.finished_at:
        duration_ms = int((manifest.finished_at - manifest.started_at).total_seconds() * 1000)
    return Run(
        scenario=manifest.scenario,
        label=manifest.scenario.rsplit("::", 1)[-1],
        status=status,
        duration_ms=duration_ms,
        trace=trace,
        trace_hint=hint,
        failed_outside_steps=status in {"failed", "interrupted"}
        and all(step.status == "passed" for step in manifest.steps),
    )


def _row(record: StepRecord, run: Run, reports_dir: Path, step: CatalogStep | None) -> Row:
    visual = None
    if record.visual:
        visual = Visual(
            result=record.visual,
            expected=_asset(reports_dir, record.visual.expected),
            actual=_asset(reports_dir, record.visual.actual),
            diff=_asset(reports_dir, record.visual.diff),
        )
    return Row(
        id=record.id,
        title=record.title or (step.action if step else ""),
        status=record.status,
        screen=step.screen if step else "",
        run=run,
        duration_ms=record.duration_ms,
        screenshot=_asset(reports_dir, record.screenshot),
        error=record.error,
        visual=visual,
    )


def _missing(step: CatalogStep, tutorial_id: str, runs: list[Run]) -> Row:
    if not runs:
        note = ""  # the section says "no scenario ran" once, above the table
    elif any(run.status in {"failed", "interrupted"} for run in runs):
        note = "not reached: a scenario of this tutorial stopped earlier"
    else:
        note = "no scenario records this step"
    return Row(id=step.id, title=step.action, status="missing", screen=step.screen, note=note)


def _relative(reports_dir: Path, path: str) -> str:
    # Manifest paths are relative to reports/ already; an absolute one (written by
    # hand or an older harness) is made relative so the page still moves as a folder.
    candidate = Path(path)
    if candidate.is_absolute():
        return Path(os.path.relpath(candidate, reports_dir)).as_posix()
    return candidate.as_posix()


def _asset(reports_dir: Path, path: str | None) -> Asset | None:
    if not path:
        return None
    relative = _relative(reports_dir, path)
    return Asset(
        href=quote(relative, safe="/"),
        label=relative,
        exists=(reports_dir / relative).is_file(),
    )


def _header(
    manifests: list[ScenarioManifest],
    summary: run_summary.RunSummary | None,
    sections: list[Section],
    catalog: Catalog | None,
    catalog_path: Path | None,
) -> Header:
    statuses = Counter(manifest.status for manifest in manifests)
    if summary:
        passed, failed, skipped = summary.passed, summary.failed, summary.skipped
        flaky, errors = summary.flaky, summary.errors
    else:
        # Without run.json the manifests are all we know; a "running" one is a
        # test whose process died, so it counts as failed.
        passed, skipped = statuses["passed"], statuses["skipped"]
        failed, flaky, errors = statuses["failed"] + statuses["running"], None, 0
    if not manifests and not summary:
        banner = "NO RESULTS"
    else:
        banner = "FAILED" if failed or errors else "PASSED"
    # A step counts once every run that recorded it passed it: one failing run
    # of T8's employer variant is a regression even if the self variant passed.
    outcomes: dict[str, set[str]] = {}
    for section in sections:
        for row in section.rows:
            outcomes.setdefault(row.id, set()).add(row.status)
    recorded = {step_id for step_id, seen in outcomes.items() if seen == {"passed"}}
    all_ids = catalog.all_ids() if catalog else set()
    browsers = Counter(manifest.browser for manifest in manifests)
    seeds = sorted({manifest.seed for manifest in manifests})
    return Header(
        banner=banner,
        passed=passed,
        failed=failed,
        skipped=skipped,
        flaky=flaky,
        errors=errors,
        duration_s=summary.duration_s if summary else _span_s(manifests),
        browser=summary.browser
        if summary
        else (browsers.most_common(1)[0][0] if browsers else "—"),
        seed=str(summary.seed) if summary else ", ".join(map(str, seeds)) or "—",
        commit=summary.commit if summary else "—",
        date=_format_time(summary.started_at if summary else _first_start(manifests)),
        tutorial_mode=("on" if summary.tutorial_mode else "off") if summary else "—",
        visual=summary.visual if summary else "—",
        catalog=catalog_path.name if catalog_path else "not found",
        covered=len(recorded & all_ids),
        catalog_steps=len(all_ids),
        visual_failures=sum(
            1
            for section in sections
            for row in section.rows
            if row.visual and row.visual.result.status == "failed"
        ),
    )


def _first_start(manifests: list[ScenarioManifest]) -> datetime | None:
    return min((manifest.started_at for manifest in manifests), default=None)


def _span_s(manifests: list[ScenarioManifest]) -> float | None:
    """Wall time from the first start to the last end; scenarios may run in parallel."""
    if not manifests:
        return None
    ends = []
    for manifest in manifests:
        taken = manifest.duration_ms
        if taken is None:
            taken = sum(step.duration_ms for step in manifest.steps)
        ends.append(manifest.finished_at or manifest.started_at + timedelta(milliseconds=taken))
    start = _first_start(manifests)
    assert start is not None
    return (max(ends) - start).total_seconds()


def _format_time(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def _format_ms(milliseconds: float | None) -> str:
    if milliseconds is None:
        return "—"
    seconds = milliseconds / 1000
    if seconds < 60:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"
