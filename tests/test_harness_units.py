"""Fast tests of the harness internals, no browser: manifest, seeds, flags, box, recorder."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest
from PIL import Image

from harness import browser, manifest, runs, seeding
from harness.highlight import BOX_COLOUR, draw_box
from harness.plugin import scenario_status
from harness.server import ControlApiError, ExternalPlatform, LiveMock, MockStartError
from harness.steps import StepCaptureError, StepRecorder
from harness.visual import VisualConfig

ORANGE = (0xFF, 0x8C, 0x00)


def _manifest() -> manifest.ScenarioManifest:
    return manifest.ScenarioManifest(
        scenario="scenarios/other_reason/test_t9.py::test_t9_other_reason[chromium]",
        tutorial="T9",
        status="passed",
        seed=1234,
        browser="chromium 156.0.8078.73",
        steps=[
            manifest.StepRecord(
                id="T9.7",
                title="同意系統使用聲明事項",
                instruction="勾選同意後按「確定」",
                status="passed",
                duration_ms=412,
                screenshot="screens/x/T9.7.png",
                raw_screenshot="screens/x/T9.7.raw.png",
                target_box=manifest.TargetBox(x=612, y=540, width=88, height=32),
                url="/coa-frontend/four-in-one/entry/main?lang=zh",
            )
        ],
    )


def test_manifest_round_trip(tmp_path: Path) -> None:
    original = _manifest()
    path = manifest.write(original, tmp_path)

    assert path == tmp_path / "steps" / f"{manifest.slug(original.scenario)}.json"
    assert manifest.load_all(tmp_path) == [original]
    text = path.read_text(encoding="utf-8")
    assert "同意系統使用聲明事項" in text  # not \u-escaped
    assert json.loads(text)["steps"][0]["target_box"] == {
        "x": 612,
        "y": 540,
        "width": 88,
        "height": 32,
    }
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left


def test_manifest_rewrite_replaces_file(tmp_path: Path) -> None:
    scenario = _manifest()
    manifest.write(scenario, tmp_path)
    scenario.status = "failed"
    manifest.write(scenario, tmp_path)

    assert [m.status for m in manifest.load_all(tmp_path)] == ["failed"]


def test_load_all_without_reports_is_empty(tmp_path: Path) -> None:
    assert manifest.load_all(tmp_path / "missing") == []


@pytest.mark.parametrize(
    "nodeid",
    [
        "scenarios/test_t9.py::test_t9_other_reason",
        "scenarios/test_s.py::test_login[chromium-帳號 錯誤/../x]",
        "a" * 500 + "::test",
    ],
)
def test_slug_is_filesystem_safe_and_stable(nodeid: str) -> None:
    name = manifest.slug(nodeid)

    assert name == manifest.slug(nodeid)
    assert 0 < len(name) <= 200
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)
    assert not name.startswith(".")


def test_slug_keeps_distinct_ids_apart() -> None:
    long_prefix = "scenarios/test_x.py::test_" + "x" * 300
    ids = ["a.py::test_one", "a.py::test_two", long_prefix + "[1]", long_prefix + "[2]"]

    assert len({manifest.slug(nodeid) for nodeid in ids}) == len(ids)


@pytest.mark.parametrize(("step_id", "tutorial"), [("T9.7", "T9"), ("S.3", "S"), ("T10", "T10")])
def test_tutorial_of_step(step_id: str, tutorial: str) -> None:
    assert manifest.tutorial_of(step_id) == tutorial


def test_seed_for_is_stable_and_per_test() -> None:
    first = seeding.seed_for("scenarios/test_t9.py::test_a", 42)

    assert first == seeding.seed_for("scenarios/test_t9.py::test_a", 42)
    assert first != seeding.seed_for("scenarios/test_t9.py::test_b", 42)
    assert first != seeding.seed_for("scenarios/test_t9.py::test_a", 43)
    assert 0 <= first < 2**31


def test_run_seed_is_shown_and_fixed_per_run(pytestconfig: pytest.Config, run_seed: int) -> None:
    assert run_seed == seeding.run_seed(pytestconfig)
    assert isinstance(run_seed, int)


def test_launch_args_add_no_sandbox_only_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0)
    as_root = browser.launch_args()
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    as_user = browser.launch_args()

    assert "--no-sandbox" in as_root
    assert "--no-sandbox" not in as_user
    for flag in ("--disable-background-networking", "--no-first-run", "--force-color-profile=srgb"):
        assert flag in as_root and flag in as_user


def test_no_browser_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "bundled_chromium_path", lambda playwright=None: None)
    monkeypatch.setattr(browser, "SYSTEM_CHROMIUM_PATHS", ("/nonexistent/chromium",))
    monkeypatch.setattr(browser, "SYSTEM_CHROMIUM_NAMES", ("no-such-chromium-binary",))

    with pytest.raises(browser.BrowserNotFoundError, match="apt-get install -y chromium"):
        browser.chromium_executable()


def test_bundled_chromium_means_no_executable_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "bundled_chromium_path", lambda playwright=None: "/pw/chrome")

    assert browser.chromium_executable() is None


def _png(width: int = 100, height: int = 80) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def test_draw_box_marks_the_border_not_the_centre() -> None:
    box = {"x": 30, "y": 25, "width": 40, "height": 30}
    image = Image.open(io.BytesIO(draw_box(_png(), box))).convert("RGB")

    assert BOX_COLOUR == "#FF8C00"
    # 6 px outside the element, 4 px thick.
    assert image.getpixel((24, 40)) == ORANGE  # left edge
    assert image.getpixel((27, 40)) == ORANGE
    assert image.getpixel((50, 19)) == ORANGE  # top edge
    assert image.getpixel((75, 40)) == ORANGE  # right edge
    assert image.getpixel((50, 60)) == ORANGE  # bottom edge
    assert image.getpixel((50, 40)) == (255, 255, 255)  # centre
    assert image.getpixel((30, 25)) == (255, 255, 255)  # the element's own corner
    assert image.getpixel((5, 5)) == (255, 255, 255)  # far outside


def test_draw_box_clamps_at_the_viewport_edge() -> None:
    image = Image.open(
        io.BytesIO(draw_box(_png(), manifest.TargetBox(x=0, y=0, width=20, height=10)))
    )

    assert image.convert("RGB").getpixel((0, 5)) == ORANGE
    assert image.size == (100, 80)


def _report(when: str, outcome: str) -> pytest.TestReport:
    return pytest.TestReport("t.py::t", ("t.py", 0, "t"), {}, outcome, None, when)  # type: ignore[arg-type]


def test_scenario_status_over_phases() -> None:
    passed = {w: _report(w, "passed") for w in ("setup", "call", "teardown")}

    assert scenario_status(passed) == "passed"
    assert scenario_status({**passed, "call": _report("call", "failed")}) == "failed"
    assert scenario_status({**passed, "teardown": _report("teardown", "failed")}) == "failed"
    assert scenario_status({"setup": _report("setup", "skipped")}) == "skipped"


def _platform_with(handler: httpx.MockTransport) -> ExternalPlatform:
    platform = ExternalPlatform("http://platform.test/")
    platform.control = httpx.Client(base_url="http://platform.test/__mock__/", transport=handler)
    return platform


def test_control_client_sends_defaults_and_reads_answers() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/__mock__/cases":
            return httpx.Response(200, json={"cases": [{"number": "113551035170"}]})
        return httpx.Response(200, json={"username": "alice", "password": "pw"})

    platform = _platform_with(httpx.MockTransport(answer))

    assert platform.url == "http://platform.test"
    assert platform.create_account(display_name="Alice")["username"] == "alice"
    assert json.loads(seen[0].content) == {
        "system": "four_in_one",
        "role": "self",
        "display_name": "Alice",
    }
    assert platform.cases() == [{"number": "113551035170"}]


def test_control_client_raises_with_the_response_text() -> None:
    platform = _platform_with(
        httpx.MockTransport(lambda request: httpx.Response(422, text="uino checksum wrong"))
    )

    with pytest.raises(ControlApiError, match="422: uino checksum wrong"):
        platform.create_card_holder({"uino": "A800000000"})


def test_live_mock_reports_a_server_that_cannot_start(tmp_path: Path) -> None:
    with pytest.raises(MockStartError, match="No module named"):
        LiveMock(tmp_path, module="no_such_mock_module", startup_timeout=10)


class _BrokenCameraPage:
    """Just enough of a Page for StepRecorder, whose screenshots always fail."""

    url = "http://platform.test/coa-frontend/home?lang=zh"

    class context:  # lower case, like page.context.tracing
        class tracing:
            @staticmethod
            def group(name):
                return None

            @staticmethod
            def group_end():
                return None

    class mouse:
        @staticmethod
        def move(x, y):
            return None

    class _NoElements:
        @staticmethod
        def all():
            return []

    @staticmethod
    def evaluate(script, arg=None):
        return [] if arg is not None else None

    @classmethod
    def locator(cls, selector):
        return cls._NoElements()

    @staticmethod
    def screenshot(**options):
        raise OSError("disk full")


def _recorder(tmp_path: Path) -> StepRecorder:
    return StepRecorder(
        _BrokenCameraPage(),  # type: ignore[arg-type]
        run_dir=tmp_path,
        nodeid="t.py::test_x",
        seed=1,
        browser="chromium 1",
        base_url="http://platform.test",
    )


def test_failed_screenshot_never_hides_the_test_failure(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)

    with pytest.raises(ValueError, match="original"), recorder.step("T9.3"):
        raise ValueError("original")

    (step,) = manifest.load(recorder.manifest_path).steps
    assert step.title == "點右下方「我要申請登入系統」按鈕進入系統"  # from T9.toml
    assert step.status == "failed"
    assert "ValueError: original" in step.error
    assert "screenshot failed: OSError: disk full" in step.error
    assert step.url == "/coa-frontend/home?lang=zh"


def test_failed_screenshot_fails_an_otherwise_passing_step(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)

    with pytest.raises(StepCaptureError, match="disk full"), recorder.step("T9.3"):
        pass

    (step,) = manifest.load(recorder.manifest_path).steps
    assert (step.status, step.screenshot) == ("failed", None)


def test_a_documented_step_takes_its_words_from_the_tutorial_text(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)

    published = r"T9.7's title comes from harness/tutorial_texts/T9.toml"
    with pytest.raises(ValueError, match=published), recorder.step("T9.7", "同意"):
        pass
    with (
        pytest.raises(ValueError, match="NEG.T9.8.x is in no tutorial text"),
        recorder.step("NEG.T9.8.x"),
    ):
        pass

    assert recorder.manifest.steps == []  # refused before anything ran or was recorded


class _WorkingCameraPage(_BrokenCameraPage):
    """A page whose screenshots work: one small grey picture, an empty tree."""

    class _Body:
        @staticmethod
        def aria_snapshot(timeout=None):
            return '- heading "查詢" [level=1]'

        @staticmethod
        def all():
            return []

    @classmethod
    def locator(cls, selector):
        return cls._Body()

    @staticmethod
    def evaluate(script, arg=None):
        # The style fingerprint takes a dict and answers text; the rest answer lists.
        return "" if isinstance(arg, dict) else []

    @staticmethod
    def screenshot(**options):
        out = io.BytesIO()
        Image.new("RGB", (40, 30), (200, 200, 200)).save(out, format="PNG")
        return out.getvalue()


def test_an_unreadable_baseline_fails_the_step_and_keeps_the_record(tmp_path: Path) -> None:
    baselines = tmp_path / "baselines"
    recorder = StepRecorder(
        _WorkingCameraPage(),  # type: ignore[arg-type]
        run_dir=tmp_path / "run",
        nodeid="t.py::test_x",
        seed=1,
        browser="chromium 1",
        visual_config=VisualConfig(mode="compare", baselines_dir=baselines, threshold=0.0),
    )
    broken = baselines / manifest.slug("t.py::test_x") / "T9.8.png"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not a png")

    with pytest.raises(StepCaptureError, match="visual check"), recorder.step("T9.8"):
        pass

    (step,) = manifest.load(recorder.manifest_path).steps
    assert step.status == "failed"
    assert "visual check failed" in step.error
    assert step.screenshot is not None  # the picture of the step is kept


def test_a_reports_folder_resolves_to_its_latest_run_even_with_old_files(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    (reports / "steps").mkdir(parents=True)  # an older harness's single run, at the top
    (reports / "run.json").write_text("{}")
    first = runs.start(reports, "20261129-100000-aaaaaa")
    (first / "steps").mkdir()
    second = runs.start(reports, "20261129-110000-bbbbbb")

    assert runs.resolve(reports) == second.resolve()
    assert runs.resolve(first) == first
    assert (reports / "latest").resolve() == second.resolve()


def test_old_runs_beyond_keep_are_removed_when_a_run_starts(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    names = [f"20261129-1{n}0000-abcdef" for n in range(5)]
    for name in names:
        runs.start(reports, name, keep=3)

    assert sorted(p.name for p in (reports / "runs").iterdir()) == names[-3:]


def test_no_run_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(runs.RunNotFoundError, match="run the scenarios first"):
        runs.resolve(tmp_path)
