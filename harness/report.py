"""The HTML regression report: ``<run>/index.html``, tutorials × steps.

It reads one run folder's step manifests, its run summary and the step catalog,
and writes one self-contained page a QA engineer opens straight from disk: no
server, no outside CSS, JS or fonts, and every image, diff or trace linked by a
path relative to the run folder. Catalog steps that no scenario recorded are
listed as missing, so coverage gaps show as plainly as failures. A step's
functional outcome and its visual check are shown side by side, layer by layer;
rendering drift is shown but never counted as a failure.
"""

from __future__ import annotations

import os
import shlex
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from harness import run_summary
from harness.catalog import Catalog, CatalogStep, find_catalog, load_catalog
from harness.manifest import (
    LayerResult,
    ScenarioManifest,
    StepRecord,
    VisualResult,
    load_all,
    tutorial_of,
)

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
class Layer:
    """One layer of a step's visual check that did not simply pass."""

    result: LayerResult
    key: str  # unique in the page: ids of its flip control
    expected: Asset | None
    actual: Asset | None
    diff: Asset | None
    diff_lines: int | None  # lines of the full text diff, when its file is there

    @property
    def name(self) -> str:
        return self.result.layer


@dataclass
class Visual:
    """A step's visual check, sorted the way the page shows it."""

    result: VisualResult
    failed: list[Layer]  # differs from its baseline
    missing: list[Layer]  # no baseline to compare with
    drift: list[Layer]  # pixels differ, but the baseline was rendered elsewhere
    record_hint: str  # how to record this scenario's baselines
    accept_hint: str  # how to take this run's captures over as baselines

    @property
    def is_failure(self) -> bool:
        return self.result.status == "failed"

    @property
    def is_drift(self) -> bool:
        return self.result.status == "drift"

    @property
    def failed_names(self) -> str:
        return ", ".join(layer.name for layer in self.failed)

    @property
    def missing_names(self) -> str:
        return ", ".join(layer.name for layer in self.missing)

    @property
    def shown(self) -> bool:
        return bool(self.failed or self.missing or self.drift)


@dataclass
class Run:
    """One scenario run of a tutorial, as its section lists it."""

    scenario: str
    label: str
    status: str
    started: str
    finished: str
    duration_ms: int | None
    trace: Asset | None
    trace_hint: str | None
    failed_outside_steps: bool
    visual_failures: int  # steps whose screens differ from their baselines
    stopped_early: bool  # a step failed or the run ended outside its steps


@dataclass
class Row:
    """One line of a tutorial's step table: a recorded step, or a catalog step nobody ran."""

    id: str
    title: str
    status: str  # passed | failed | missing (the functional outcome)
    anchor: str = ""
    screen: str = ""
    run: Run | None = None
    duration_ms: int | None = None
    screenshot: Asset | None = None
    error: str | None = None
    visual: Visual | None = None
    note: str = ""

    @property
    def counts_as_passed(self) -> bool:
        """Passed functionally, and its screens do not differ from their baselines."""
        return self.status == "passed" and not (self.visual and self.visual.is_failure)

    @property
    def has_detail(self) -> bool:
        return self.status == "failed" or bool(self.visual and self.visual.shown)


@dataclass
class Section:
    id: str
    title: str
    system: str
    runs: list[Run]
    rows: list[Row]
    show_scenario: bool
    # passed | failed | missing by functional outcome, plus visual and drift.
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class EnvironmentNotice:
    """Why pixel differences of this run are drift rather than failures."""

    differences: list[str]  # empty when the baselines recorded no environment


@dataclass
class Header:
    banner: str  # PASSED | FAILED | NO RESULTS
    passed: int
    failed: int
    skipped: int
    flaky: int | None
    errors: int
    duration_s: float | None
    run_id: str
    browser: str
    os: str
    seed: str
    commit: str
    date: str
    tutorial_mode: str
    visual: str
    catalog: str
    covered: int
    catalog_steps: int
    visual_failures: int
    visual_drift: int
    environment: EnvironmentNotice | None


def build_report(run_dir: Path, *, catalog_path: Path | None = None) -> Path:
    """Write ``run_dir/index.html`` from the run folder's manifests; return its path."""
    manifests = load_all(run_dir)
    path = catalog_path or find_catalog()
    catalog = load_catalog(path) if path else None
    sections = _sections(manifests, catalog, run_dir)
    header = _header(manifests, run_summary.load(run_dir), sections, catalog, path, run_dir)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # error texts, titles and diffs come from pages under test
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = _format_ms
    env.filters["percent"] = _format_share
    html = env.get_template("report.html").render(header=header, sections=sections)
    out = run_dir / REPORT_FILE
    out.write_text(html, encoding="utf-8")
    return out


def _tutorial_id(manifest: ScenarioManifest) -> str:
    if manifest.tutorial:
        return manifest.tutorial
    return tutorial_of(manifest.steps[0].id) if manifest.steps else "other"


def _sections(
    manifests: list[ScenarioManifest], catalog: Catalog | None, run_dir: Path
) -> list[Section]:
    by_tutorial: dict[str, list[ScenarioManifest]] = {}
    for manifest in manifests:
        by_tutorial.setdefault(_tutorial_id(manifest), []).append(manifest)
    order = [tutorial.id for tutorial in catalog.tutorials] if catalog else []
    order += sorted(set(by_tutorial) - set(order) - {NEGATIVE})
    # Negative scenarios always close the report, even when none ran.
    order.append(NEGATIVE)
    return [_section(tid, by_tutorial.get(tid, []), catalog, run_dir) for tid in order]


def _section(
    tutorial_id: str,
    manifests: list[ScenarioManifest],
    catalog: Catalog | None,
    run_dir: Path,
) -> Section:
    entry = catalog.tutorial(tutorial_id) if catalog else None
    runs = [_run(manifest, run_dir) for manifest in manifests]
    steps = entry.steps if entry else []
    rows: list[Row] = []
    for step in steps:
        hits = [
            _row(record, manifest, run, run_dir, step)
            for manifest, run in zip(manifests, runs, strict=True)
            for record in manifest.steps
            if record.id == step.id
        ]
        rows += hits or [_missing(step, tutorial_id, runs)]
    known = {step.id for step in steps}
    for manifest, run in zip(manifests, runs, strict=True):
        rows += [
            _row(record, manifest, run, run_dir, None)
            for record in manifest.steps
            if record.id not in known
        ]
    for number, row in enumerate(rows, start=1):
        # A catalog step nobody ran has one row: its id alone names it.
        row.anchor = f"step-{row.id}" if row.run is None else f"step-{row.id}-{number}"
        if row.visual:
            for layer in row.visual.failed + row.visual.missing + row.visual.drift:
                layer.key = f"{row.anchor}-{layer.name}"
    counts = Counter(row.status for row in rows)
    counts["visual"] = sum(1 for row in rows if row.visual and row.visual.is_failure)
    counts["drift"] = sum(1 for row in rows if row.visual and row.visual.is_drift)
    title = entry.title if entry else NEGATIVE_TITLE if tutorial_id == NEGATIVE else tutorial_id
    return Section(
        id=tutorial_id,
        title=title,
        system=entry.system if entry else "",
        runs=runs,
        rows=rows,
        show_scenario=len(runs) > 1,
        counts=counts,
    )


def _run(manifest: ScenarioManifest, run_dir: Path) -> Run:
    trace = _asset(run_dir, manifest.trace)
    hint = None
    if manifest.trace:
        hint = f".venv/bin/playwright show-trace {_from_cwd(run_dir / _relative(run_dir, manifest.trace))}"
    status = "interrupted" if manifest.status == "running" else manifest.status
    duration_ms = manifest.duration_ms
    if duration_ms is None and manifest.finished_at:
        duration_ms = int((manifest.finished_at - manifest.started_at).total_seconds() * 1000)
    step_failed = any(step.status == "failed" for step in manifest.steps)
    visual_failures = sum(1 for step in manifest.steps if step.visual_failed)
    # A test fails once at its end for its visual differences; that is no failure
    # outside the steps, and the walk did not stop early.
    outside = status in {"failed", "interrupted"} and not step_failed
    outside = outside and not (status == "failed" and visual_failures)
    return Run(
        scenario=manifest.scenario,
        label=manifest.scenario.rsplit("::", 1)[-1],
        status=status,
        started=_format_time(manifest.started_at),
        finished=_format_end(manifest.started_at, manifest.finished_at),
        duration_ms=duration_ms,
        trace=trace,
        trace_hint=hint,
        failed_outside_steps=outside,
        visual_failures=visual_failures,
        stopped_early=status == "interrupted" or step_failed or outside,
    )


def _from_cwd(path: Path) -> str:
    """``path`` as typed from the current folder (the repository root, normally),
    where .venv/ lives too; absolute when the run folder is elsewhere."""
    target = path.resolve()
    here = Path.cwd().resolve()
    if target.is_relative_to(here):
        return Path(os.path.relpath(target, here)).as_posix()
    return target.as_posix()


def _row(
    record: StepRecord,
    manifest: ScenarioManifest,
    run: Run,
    run_dir: Path,
    step: CatalogStep | None,
) -> Row:
    return Row(
        id=record.id,
        title=record.title or (step.action if step else ""),
        status=record.status,
        screen=step.screen if step else "",
        run=run,
        duration_ms=record.duration_ms,
        screenshot=_asset(run_dir, record.screenshot),
        error=record.error,
        visual=_visual(record.visual, manifest, run_dir) if record.visual else None,
    )


def _visual(result: VisualResult, manifest: ScenarioManifest, run_dir: Path) -> Visual:
    layers = [_layer(layer, run_dir) for layer in result.layers]
    scenario = shlex.quote(manifest.scenario)
    return Visual(
        result=result,
        failed=[layer for layer in layers if layer.result.status == "failed"],
        missing=[layer for layer in layers if layer.result.status == "missing-baseline"],
        drift=[layer for layer in layers if layer.result.status == "drift"],
        record_hint=(
            f".venv/bin/pytest {scenario} --tutorial-mode --seed {manifest.seed} --visual=update"
        ),
        accept_hint=f"coa-e2e accept --scenario {scenario}",
    )


def _layer(result: LayerResult, run_dir: Path) -> Layer:
    diff = _asset(run_dir, result.diff)
    diff_lines = None
    if diff and diff.exists and result.layer != "pixels":
        with (run_dir / diff.label).open(encoding="utf-8", errors="replace") as text:
            diff_lines = sum(1 for _ in text)
    return Layer(
        result=result,
        key=result.layer,
        expected=_asset(run_dir, result.expected),
        actual=_asset(run_dir, result.actual),
        diff=diff,
        diff_lines=diff_lines,
    )


def _missing(step: CatalogStep, tutorial_id: str, runs: list[Run]) -> Row:
    if not runs:
        note = ""  # the section says "no scenario ran" once, above the table
    elif any(run.stopped_early for run in runs):
        note = "not reached: a scenario of this tutorial stopped earlier"
    else:
        note = "no scenario records this step"
    return Row(id=step.id, title=step.action, status="missing", screen=step.screen, note=note)


def _relative(run_dir: Path, path: str) -> str:
    # Manifest paths are relative to the run folder already; an absolute one (written
    # by hand or an older harness) is made relative so the page still moves as a folder.
    candidate = Path(path)
    if candidate.is_absolute():
        return Path(os.path.relpath(candidate, run_dir)).as_posix()
    return candidate.as_posix()


def _asset(run_dir: Path, path: str | None) -> Asset | None:
    if not path:
        return None
    relative = _relative(run_dir, path)
    return Asset(
        href=quote(relative, safe="/"),
        label=relative,
        exists=(run_dir / relative).is_file(),
    )


def _header(
    manifests: list[ScenarioManifest],
    summary: run_summary.RunSummary | None,
    sections: list[Section],
    catalog: Catalog | None,
    catalog_path: Path | None,
    run_dir: Path,
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
    # A step counts once every run that recorded it passed it, functionally and
    # visually: one failing run of T8's employer variant is a regression even if
    # the self variant passed. Rendering drift is no failure.
    outcomes: dict[str, set[bool]] = {}
    rows = [row for section in sections for row in section.rows]
    for row in rows:
        outcomes.setdefault(row.id, set()).add(row.counts_as_passed)
    recorded = {step_id for step_id, seen in outcomes.items() if seen == {True}}
    all_ids = catalog.all_ids() if catalog else set()
    browsers = Counter(manifest.browser for manifest in manifests)
    seeds = sorted({manifest.seed for manifest in manifests})
    environment = summary.environment if summary else None
    return Header(
        banner=banner,
        passed=passed,
        failed=failed,
        skipped=skipped,
        flaky=flaky,
        errors=errors,
        duration_s=summary.duration_s if summary else _span_s(manifests),
        run_id=(summary.run_id if summary else "") or run_dir.resolve().name,
        browser=summary.browser
        if summary
        else (browsers.most_common(1)[0][0] if browsers else "—"),
        os=environment.os if environment else "—",
        seed=str(summary.seed) if summary else ", ".join(map(str, seeds)) or "—",
        commit=summary.commit if summary else "—",
        date=_format_time(summary.started_at if summary else _first_start(manifests)),
        tutorial_mode=("on" if summary.tutorial_mode else "off") if summary else "—",
        visual=summary.visual if summary else "—",
        catalog=catalog_path.name if catalog_path else "not found",
        covered=len(recorded & all_ids),
        catalog_steps=len(all_ids),
        visual_failures=sum(1 for row in rows if row.visual and row.visual.is_failure),
        visual_drift=sum(1 for row in rows if row.visual and row.visual.is_drift),
        environment=_environment_notice(summary),
    )


def _environment_notice(summary: run_summary.RunSummary | None) -> EnvironmentNotice | None:
    if summary is None or summary.environment is None:
        return None
    recorded = summary.baselines_environment
    if recorded is None:
        # Without environment.json no pixel baseline is trusted: all of it is drift.
        return EnvironmentNotice(differences=[]) if summary.visual == "compare" else None
    differences = summary.environment.differences(recorded)
    return EnvironmentNotice(differences=differences) if differences else None


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


def _format_end(start: datetime, end: datetime | None) -> str:
    """The finish time; without its date when the run finished the day it started."""
    if end is None:
        return "—"
    if end.tzinfo and start.tzinfo:
        end = end.astimezone(start.tzinfo)
    if end.date() == start.date():
        return end.strftime("%H:%M:%S %Z").strip()
    return _format_time(end)


def _format_ms(milliseconds: float | None) -> str:
    if milliseconds is None:
        return "—"
    seconds = milliseconds / 1000
    if seconds < 60:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def _format_share(share: float | None) -> str:
    return "—" if share is None else f"{share:.3%}"
