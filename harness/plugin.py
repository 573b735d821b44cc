"""The coa-e2e pytest plugin (``pytest11`` entry point ``coa_e2e``).

Built on pytest-playwright: its browser, context and page fixtures and options are
used, not replaced. This module adds the harness's options, report header and
fixtures (``live_mock``, ``platform``, ``run_seed``, ``faker_seed``, ``sample_dir``,
``steps``), gives each run that executes scenarios its own folder
(``harness/runs.py``), and turns a walk's visual differences into one failure at
the end of its test.

Fixtures that other plugins already define (``base_url``, ``browser_type_launch_args``,
``browser_context_args``, ``faker``) are overridden in the project's root
``conftest.py``, which calls the plain functions below: a fixture of the same name
in an entry-point plugin wins or loses depending on the order in which Python
happens to list installed distributions, and never beats pytest-playwright's
``base_url`` fallback, which is registered after every entry point.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Generator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Browser, Page, Playwright

from harness import manifest as manifest_io
from harness import run_summary, runs, seeding
from harness.browser import browser_version, chromium_executable, describe_executable, launch_args
from harness.data import (  # noqa: F401 - fixtures
    agency_account,
    applicant_account,
    captcha,
    card_holder,
    documents,
    employer_account,
    officer_account,
    reapplication_documents,
    student,
    student_account,
)
from harness.manifest import ScenarioStatus
from harness.server import ExternalPlatform, LiveMock
from harness.steps import StepRecorder, visual_failure_message
from harness.visual import VisualConfig
from harness.visual import baselines as visual_baselines
from harness.visual import environment as visual_environment

Platform = LiveMock | ExternalPlatform

VIEWPORT = {"width": 1280, "height": 900}
# Screenshots must not depend on the machine: one size, one scale, Taipei's
# language and time, no dark mode, no motion.
CONTEXT_DEFAULTS: dict[str, Any] = {
    "viewport": VIEWPORT,
    "device_scale_factor": 1,
    "locale": "zh-TW",
    "timezone_id": "Asia/Taipei",
    "color_scheme": "light",
    "reduced_motion": "reduce",
}

_STARTED_KEY = pytest.StashKey[datetime]()
_RUN_ID_KEY = pytest.StashKey[str]()
_RUN_DIR_KEY = pytest.StashKey[Path]()
_FINISHED_KEY = pytest.StashKey[list[str]]()
_REPORTS_KEY = pytest.StashKey[dict[str, pytest.TestReport]]()
_RECORDER_KEY = pytest.StashKey[tuple[StepRecorder, Path]]()
_WORKERINPUT_RUN_ID = "coa_e2e_run_id"
# pytest-playwright's own default for --output; any other value is the user's choice.
_PLAYWRIGHT_DEFAULT_OUTPUT = "test-results"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("coa-e2e", "coa-e2e harness")
    seeding.add_option(group)
    group.addoption(
        "--mock-db-dir",
        dest="coa_mock_db_dir",
        default=None,
        metavar="DIR",
        help="keep the bundled mock's database and uploads here (one subfolder per "
        "xdist worker) instead of a temporary directory",
    )
    group.addoption(
        "--tutorial-mode",
        dest="coa_tutorial_mode",
        action="store_true",
        default=False,
        help="start the bundled mock in tutorial mode (fixed captcha text, frozen clock)",
    )
    group.addoption(
        "--visual",
        dest="coa_visual",
        choices=["off", "compare", "update"],
        default="off",
        help="compare each step's screenshot with its baseline, or rewrite the baselines "
        "(needs --tutorial-mode, whose screens are deterministic)",
    )
    group.addoption(
        "--visual-threshold",
        dest="coa_visual_threshold",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of pixels a step may differ from its baseline in the baselines' own "
        "rendering environment (default 0: none; elsewhere pixel differences are drift)",
    )
    group.addoption(
        "--baselines-dir",
        dest="coa_baselines_dir",
        default="baselines",
        metavar="DIR",
        help="where the committed visual baselines live (default: baselines, under the rootdir)",
    )
    group.addoption(
        "--reports-dir",
        dest="coa_reports_dir",
        default="reports",
        metavar="DIR",
        help="where run folders go: <DIR>/runs/<run-id>, <DIR>/latest (default: reports)",
    )
    group.addoption(
        "--keep-runs",
        dest="coa_keep_runs",
        type=int,
        default=runs.DEFAULT_KEEP,
        metavar="N",
        help=f"run folders to keep; older ones go when a new run starts (default {runs.DEFAULT_KEEP})",
    )


def pytest_configure(config: pytest.Config) -> None:
    seeding.configure(config)
    if config.getoption("coa_visual") != "off" and not config.getoption("coa_tutorial_mode"):
        raise pytest.UsageError(
            "--visual needs --tutorial-mode: only its frozen clock, fixed captcha and "
            "fixed data give screens that can be compared run to run"
        )
    config.stash[_STARTED_KEY] = datetime.now(UTC)
    # Nothing is written here: a run's folder is made when its first scenario starts,
    # so --help, --fixtures, --collect-only and unit-test runs leave reports/ alone.
    workerinput = getattr(config, "workerinput", {})
    config.stash[_RUN_ID_KEY] = workerinput.get(_WORKERINPUT_RUN_ID) or runs.new_run_id(
        config.stash[_STARTED_KEY]
    )
    if config.getoption("--output", default=None) == _PLAYWRIGHT_DEFAULT_OUTPUT:
        # Traces of failed tests belong to the run that failed.
        config.option.output = str(run_dir_path(config) / "traces")
    if not workerinput and config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_HandToWorkers(config), "coa-e2e-xdist")
    config.addinivalue_line(
        "markers",
        "tutorial(id, variant=None): the tutorial a scenario walks (T9, T8, ...); a variant "
        "walks it another way (e.g. as an employer) and is not used for regenerated tutorials",
    )


class _HandToWorkers:
    """Hands the controller's seed and run id to each xdist worker (as pytest-randomly
    does its seed): one run, one data set, one run folder."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[seeding.WORKERINPUT_KEY] = seeding.run_seed(self._config)
        node.workerinput[_WORKERINPUT_RUN_ID] = self._config.stash[_RUN_ID_KEY]


def pytest_report_header(config: pytest.Config) -> list[str]:
    seed = seeding.run_seed(config)
    external = external_base_url(config)
    if external:
        platform = f"external platform at {external} (--base-url)"
    else:
        mode = "on" if config.getoption("coa_tutorial_mode") else "off"
        where = config.getoption("coa_mock_db_dir") or "a temporary directory"
        platform = f"bundled mock, one per worker, data in {where}, tutorial mode {mode}"
    return [
        f"coa-e2e seed: {seed} (replay with --seed {seed})",
        f"coa-e2e platform: {platform}",
        f"coa-e2e browser: {describe_executable()}",
        f"coa-e2e run folder: {run_dir_path(config)} (made when a scenario starts)",
    ]


# --- plain functions: the logic behind the fixtures and the conftest overrides ---


def reports_root(config: pytest.Config) -> Path:
    """The reports directory, resolved against where pytest was started."""
    return Path(config.invocation_params.dir, config.getoption("coa_reports_dir")).absolute()


def run_dir_path(config: pytest.Config) -> Path:
    """This run's folder, whether or not it exists yet."""
    return runs.run_dir(reports_root(config), config.stash[_RUN_ID_KEY])


def run_dir(config: pytest.Config) -> Path:
    """This run's folder, made (with ``latest`` pointing at it) on first use."""
    if _RUN_DIR_KEY not in config.stash:
        config.stash[_RUN_DIR_KEY] = runs.start(
            reports_root(config), config.stash[_RUN_ID_KEY], keep=config.getoption("coa_keep_runs")
        )
    return config.stash[_RUN_DIR_KEY]


def external_base_url(config: pytest.Config) -> str | None:
    """The --base-url (or ``base_url`` ini value) of a platform run elsewhere."""
    url = config.getoption("base_url", default=None)
    if not url:
        try:
            url = config.getini("base_url")
        except ValueError:
            # Neither pytest-base-url nor pytest-playwright's fallback declared it.
            url = None
    return url or None


def visual_config(config: pytest.Config, browser: str) -> VisualConfig:
    """The run's visual settings; baselines resolve against the rootdir."""
    baselines_dir = Path(config.rootpath, config.getoption("coa_baselines_dir"))
    mode = config.getoption("coa_visual")
    return VisualConfig(
        mode=mode,
        baselines_dir=baselines_dir,
        threshold=config.getoption("coa_visual_threshold"),
        run_environment=visual_environment.current(browser) if mode != "off" else None,
        recorded=visual_environment.load(baselines_dir) if mode == "compare" else None,
    )


def worker_name(config: pytest.Config) -> str:
    """xdist's worker id ("gw0", ...), or "main" when not distributed."""
    return getattr(config, "workerinput", {}).get("workerid", "main")


def start_platform(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Platform:
    """The platform for this process: --base-url's, or a freshly started mock."""
    external = external_base_url(config)
    if external:
        return ExternalPlatform(external)
    worker = worker_name(config)
    chosen = config.getoption("coa_mock_db_dir")
    data_dir = Path(chosen) / worker if chosen else tmp_path_factory.mktemp(f"mock-{worker}")
    return LiveMock(
        data_dir.absolute(), name=worker, tutorial_mode=config.getoption("coa_tutorial_mode")
    )


def launch_options(
    config: pytest.Config,
    playwright: Playwright,
    browser_name: str | None,
    request: pytest.FixtureRequest,
) -> dict[str, Any]:
    """pytest-playwright's launch options plus the harness's Chromium and flags."""
    options: dict[str, Any] = {}
    if config.getoption("--headed"):
        options["headless"] = False
    channel = config.getoption("--browser-channel")
    if channel:
        options["channel"] = channel
    slowmo = config.getoption("--slowmo")
    if slowmo:
        options["slow_mo"] = slowmo
    if (browser_name or "chromium") == "chromium":
        options["args"] = launch_args()
        # A channel names its own browser; only the default one may be missing.
        executable = None if channel else chromium_executable(playwright)
        if executable:
            options["executable_path"] = executable
    # Indirect parametrization wins, as in pytest-playwright.
    if hasattr(request, "param"):
        options.update(request.param)
    return options


def context_options(
    config: pytest.Config,
    playwright: Playwright,
    device: str | None,
    base_url: str | None,
    request: pytest.FixtureRequest,
) -> dict[str, Any]:
    """pytest-playwright's context options over the harness's deterministic defaults."""
    options: dict[str, Any] = dict(CONTEXT_DEFAULTS)
    if device:
        # Asking for a device means asking for its viewport and scale too.
        options.update(playwright.devices[device])
    if base_url:
        options["base_url"] = base_url
    if config.getoption("--video") in ("on", "retain-on-failure"):
        # pytest-playwright collects videos from its own artifacts folder.
        options["record_video_dir"] = request.getfixturevalue("_pw_artifacts_folder").name
    return options


def seeded_faker(seed: int) -> Faker:
    """A Faker for one test, built by the project's factories."""
    # Imported here so a broken factories module fails the tests that use
    # faker, not the start of every pytest run.
    from fixtures.factories import make_faker

    return make_faker(seed)


def scenario_status(reports: dict[str, pytest.TestReport]) -> ScenarioStatus:
    """A test's outcome over the phases reported so far."""
    if any(report.failed for report in reports.values()):
        return "failed"
    if any(report.skipped for report in reports.values()):
        return "skipped"
    return "passed"


# --- fixtures ---


@pytest.fixture(scope="session")
def live_mock(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    """The platform under test, started once per session and xdist worker (or --base-url)."""
    platform = start_platform(pytestconfig, tmp_path_factory)
    yield platform
    platform.stop()


@pytest.fixture
def platform(live_mock: Platform) -> Platform:
    """The platform under test, reset through its control API before the test."""
    live_mock.reset()
    return live_mock


@pytest.fixture(scope="session")
def run_seed(pytestconfig: pytest.Config) -> int:
    """The run's seed (--seed, or the random one shown in the report header)."""
    return seeding.run_seed(pytestconfig)


@pytest.fixture
def faker_seed(request: pytest.FixtureRequest, run_seed: int) -> int:
    """This test's own seed, derived from the run seed and the test's node id."""
    return seeding.seed_for(request.node.nodeid, run_seed)


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """An empty folder for the sample files (photos, PDFs) a test generates."""
    folder = tmp_path / "samples"
    folder.mkdir()
    return folder


@pytest.fixture
def steps(
    request: pytest.FixtureRequest,
    page: Page,
    browser: Browser,
    base_url: str | None,
    run_seed: int,
    output_path: str,
) -> Iterator[StepRecorder]:
    """Records the test's documented steps: screenshots, visual checks, Allure, the manifest."""
    marker = request.node.get_closest_marker("tutorial")
    version = browser_version(browser)
    recorder = StepRecorder(
        page,
        run_dir=run_dir(request.config),
        nodeid=request.node.nodeid,
        seed=run_seed,
        browser=version,
        base_url=base_url,
        tutorial=str(marker.args[0]) if marker and marker.args else None,
        variant=marker.kwargs.get("variant") if marker else None,
        visual_config=visual_config(request.config, version),
    )
    request.node.stash[_RECORDER_KEY] = (recorder, Path(output_path))
    yield recorder
    # The trace is not saved yet (the context closes after this); the teardown
    # report below adds it once pytest-playwright has moved it into place.
    recorder.finish(scenario_status(request.node.stash.get(_REPORTS_KEY, {})))


@pytest.fixture(autouse=True)
def _paused_browser_clock(request: pytest.FixtureRequest) -> None:
    """Scenarios' pages run on a paused clock set to the server's time.

    The countdown then moves only when a test says so (``page.clock.run_for``), so
    screenshots are repeatable and no test waits on wall time.
    """
    if "page" not in request.fixturenames or "platform" not in request.fixturenames:
        return
    page: Page = request.getfixturevalue("page")
    server: Platform = request.getfixturevalue("platform")
    now = datetime.fromisoformat(server.clock()["now"])
    # Installed a little earlier, because the fake clock runs until paused and
    # pause_at refuses to move back.
    page.clock.install(time=now - timedelta(minutes=1))
    page.clock.pause_at(now)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The controller writes the run's run.json (and, after an update, the baselines'
    environment file), when the run executed scenarios."""
    config = session.config
    if hasattr(config, "workerinput"):
        return
    folder = run_dir_path(config)
    if not folder.is_dir():
        return  # no scenario ran: nothing to summarise, nothing to replace
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter is not None else {}

    def count(key: str) -> int:
        return len(
            [r for r in stats.get(key, []) if getattr(r, "when", "call") in ("call", "setup")]
        )

    started = config.stash.get(_STARTED_KEY, datetime.now(UTC))
    finished = datetime.now(UTC)
    manifests = manifest_io.load_all(folder)
    browser = manifests[0].browser if manifests else describe_executable()
    mode = config.getoption("coa_visual")
    baselines_dir = Path(config.rootpath, config.getoption("coa_baselines_dir"))
    environment = visual_environment.current(browser) if mode != "off" else None
    recorded = visual_environment.load(baselines_dir)
    lines: list[str] = []
    if mode == "update" and environment is not None:
        lines += _record_updates(baselines_dir, environment, manifests)
        recorded = visual_environment.load(baselines_dir)
    elif mode == "compare" and environment is not None:
        lines += _drift_lines(environment, recorded, manifests)
    config.stash[_FINISHED_KEY] = lines
    run_summary.write(
        run_summary.RunSummary(
            run_id=folder.name,
            started_at=started,
            finished_at=finished,
            duration_s=round((finished - started).total_seconds(), 1),
            passed=count("passed"),
            failed=count("failed"),
            skipped=count("skipped"),
            flaky=count("rerun"),
            errors=count("error"),
            seed=seeding.run_seed(config),
            browser=browser,
            commit=_commit(config.rootpath),
            tutorial_mode=bool(config.getoption("coa_tutorial_mode")),
            visual=mode,
            environment=environment,
            baselines_environment=recorded.environment if recorded else None,
        ),
        folder,
    )
    lines += _build_outputs(folder)


def _build_outputs(folder: Path) -> list[str]:
    """The run's report and regenerated tutorials, written once every test has ended."""
    from harness.report import build_report
    from harness.tutorials import build_tutorials

    try:
        report = build_report(folder)
        build_tutorials(folder)
    except Exception as error:  # the verdict stands; only its presentation failed
        return [f"coa-e2e report: not written ({type(error).__name__}: {error})"]
    latest = folder.parent.parent / runs.LATEST
    return [
        f"coa-e2e report: {report}",
        f"  tutorials: {folder / 'tutorials'}/<id>/index.html; newest run: {latest}",
    ]


def _record_updates(
    baselines_dir: Path,
    environment: visual_environment.RenderingEnvironment,
    manifests: list[manifest_io.ScenarioManifest],
) -> list[str]:
    updated: dict[str, list[str]] = {}
    for manifest in manifests:
        ids = [s.id for s in manifest.steps if s.visual and s.visual.status == "updated"]
        if ids:
            updated[manifest.scenario] = ids
    if not updated:
        return ["coa-e2e visual: no baseline was updated"]
    keys = {
        visual_baselines.key(manifest_io.slug(scenario), step_id)
        for scenario, ids in updated.items()
        for step_id in ids
    }
    recorded = visual_environment.record_update(
        baselines_dir, environment, keys, visual_baselines.all_keys(baselines_dir)
    )
    lines = [f"coa-e2e visual: baselines updated for {len(keys)} step(s) in {baselines_dir}:"]
    lines += [f"  {scenario}: {', '.join(ids)}" for scenario, ids in sorted(updated.items())]
    if recorded.environment == environment:
        lines.append(f"  rendering environment: {environment.browser}, {environment.os}")
    else:
        lines.append(
            f"  their pixels were made in {environment.browser}, {environment.os}, not in the "
            f"baselines' environment ({recorded.environment.browser}); environment.json lists them"
        )
    return lines


def _drift_lines(
    environment: visual_environment.RenderingEnvironment,
    recorded: visual_environment.BaselineEnvironment | None,
    manifests: list[manifest_io.ScenarioManifest],
) -> list[str]:
    drifted = sum(
        1
        for manifest in manifests
        for step in manifest.steps
        if step.visual and (layer := step.visual.layer("pixels")) and layer.status == "drift"
    )
    if recorded is None:
        return [
            "coa-e2e visual: the baselines have no environment.json; pixel differences are "
            f"drift ({drifted} step(s)); record one with --visual=update"
        ]
    differences = environment.differences(recorded.environment)
    if not differences and not drifted:
        return []
    lines = [
        f"coa-e2e visual: rendering environment differs from the baselines' "
        f"({drifted} step(s) drifted; structure and style still compared):"
    ]
    return lines + [f"  {line}" for line in differences]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    for line in config.stash.get(_FINISHED_KEY, []):
        terminalreporter.write_line(line)


def _commit(root: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
            timeout=10, check=False,
        )  # fmt: skip
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # pytest-playwright's trylast wrapper has finished when this resumes, so on
    # the teardown report a kept trace is already in its final folder.
    report = yield
    if report.when == "setup":
        # A rerun (pytest-rerunfailures) starts from a clean slate.
        item.stash[_REPORTS_KEY] = {}
    if report.when == "call" and _RECORDER_KEY in item.stash:
        _fail_once_for_visual_differences(report, item.stash[_RECORDER_KEY][0])
    item.stash.setdefault(_REPORTS_KEY, {})[report.when] = report
    if report.when == "teardown" and _RECORDER_KEY in item.stash:
        recorder, output_folder = item.stash[_RECORDER_KEY]
        status = scenario_status(item.stash[_REPORTS_KEY])
        recorder.finish(status, trace=_kept_trace(output_folder, recorder.run_dir))
    return report


def _fail_once_for_visual_differences(report: pytest.TestReport, recorder: StepRecorder) -> None:
    """The walk went on past every visual difference; the test now fails once for all."""
    if not recorder.visual_failures:
        return
    message = visual_failure_message(recorder)
    if report.passed:
        report.outcome = "failed"
        report.longrepr = message
    else:
        # A functional failure stopped the walk; the differences before it still count.
        report.sections.append(("visual differences", message))


def _kept_trace(output_folder: Path, reports: Path) -> str | None:
    traces = sorted(output_folder.glob("trace*.zip"))
    if not traces:
        return None
    # Relative to reports/ like every path in the manifest, even when --output
    # points elsewhere.
    return Path(os.path.relpath(traces[0], reports)).as_posix()
