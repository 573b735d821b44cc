"""The step recorder: the one way a scenario records a documented step.

``with steps.step("T9.7", "同意系統使用聲明事項", target=locator):`` opens an Allure
step and a trace group, runs the block, then screenshots the page (raw and with
the target boxed), attaches it to Allure and appends the step to the scenario's
manifest, rewritten at once so a test that dies mid-way keeps the steps it reached.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import allure
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from harness import manifest as manifest_io
from harness import visual
from harness.highlight import draw_box
from harness.manifest import ScenarioManifest, ScenarioStatus, StepRecord, TargetBox, VisualResult

SCREENS_DIR = "screens"
# How long a visible target may take to report its box; a step is not worth more.
TARGET_BOX_TIMEOUT_MS = 2000
SCREENSHOT_TIMEOUT_MS = 10_000
STABLE_TRIES = 5
# Focus rings are painted on the browser's own schedule and made identical runs
# differ at a control's edge; tutorials don't show them anyway.
SCREENSHOT_STYLE = "*, *:focus, *:focus-visible { outline: none !important; }"
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_OTHER_URL = 120


class StepCaptureError(RuntimeError):
    """A step passed but its screenshot could not be taken or saved."""


@dataclass(frozen=True)
class Shot:
    """A step's screenshot: both files (relative to reports/), the box, the page's URL."""

    raw: str
    boxed: str
    box: TargetBox | None
    url: str
    redactions: list[TargetBox]
    masks: list[TargetBox]
    png: bytes


class StepHandle:
    """What ``steps.step(...)`` yields: ``capture()`` takes the step's picture now."""

    def __init__(self, recorder: StepRecorder, step_id: str, target: Locator | None) -> None:
        self._recorder = recorder
        self.step_id = step_id
        self.target = target
        self.shot: Shot | None = None

    def capture(self) -> None:
        """Screenshot the screen as the tutorial shows it: the target boxed, not yet acted on."""
        self.shot = self._recorder.shoot(self.step_id, self.target)


class StepRecorder:
    """Records the documented steps of one scenario run into its manifest."""

    def __init__(
        self,
        page: Page,
        *,
        reports_dir: Path,
        nodeid: str,
        seed: int,
        browser: str,
        base_url: str | None = None,
        tutorial: str | None = None,
        variant: str | None = None,
        visual_config: visual.VisualConfig | None = None,
    ) -> None:
        self.page = page
        # Baselines guard the published walk-throughs; a variant (an employer filing
        # instead of the applicant) shows the same screens with other data, and is
        # checked by its assertions rather than by a second set of pictures.
        wanted = visual_config is not None and visual_config.mode != "off" and variant is None
        self.visual = visual_config if wanted else None
        self.reports_dir = reports_dir
        self.base_url = base_url.rstrip("/") if base_url else None
        self.manifest = ScenarioManifest(
            scenario=nodeid, tutorial=tutorial, variant=variant, seed=seed, browser=browser
        )
        self._slug = manifest_io.slug(nodeid)
        self._screens_rel = f"{SCREENS_DIR}/{self._slug}"

    @property
    def manifest_path(self) -> Path:
        return manifest_io.manifest_path(self.reports_dir, self.manifest.scenario)

    @contextmanager
    def step(
        self,
        step_id: str,
        title: str,
        *,
        target: Locator | None = None,
        instruction: str = "",
    ) -> Iterator[StepHandle]:
        """Run the block as documented step ``step_id`` and record it, pass or fail.

        The screenshot is taken when the block calls ``capture()`` on the handle (the
        screen with the element to act on, before acting, as a tutorial shows it), or
        else when the block ends; a failing step is always shot as it failed.
        """
        name = f"{step_id} {title}"
        handle = StepHandle(self, step_id, target)
        with allure.step(name):
            grouped = self._trace_group_start(name)
            started = time.monotonic()
            failure: BaseException | None = None
            try:
                yield handle
            except BaseException as error:
                failure = error
                raise
            finally:
                duration_ms = round((time.monotonic() - started) * 1000)
                self._trace_group_end(grouped)
                shot = handle.shot if failure is None else None
                capture_error = self._record(
                    step_id, title, instruction, target, duration_ms, failure, shot
                )
                # The test's own failure always wins; a capture problem or a visual
                # difference only fails a step that otherwise passed.
                if failure is None and capture_error is not None:
                    raise capture_error

    def finish(self, status: ScenarioStatus, *, trace: str | None = None) -> Path:
        """Set the scenario's final status (and trace) and write the manifest."""
        self.manifest.status = status
        self.manifest.trace = trace
        return manifest_io.write(self.manifest, self.reports_dir)

    def _record(
        self,
        step_id: str,
        title: str,
        instruction: str,
        target: Locator | None,
        duration_ms: int,
        failure: BaseException | None,
        shot: Shot | None = None,
    ) -> Exception | None:
        """Append the step to the manifest; return what should fail a step that passed."""
        errors: list[str] = [_describe(failure)] if failure is not None else []
        capture_error: Exception | None = None
        if shot is None:
            try:
                shot = self.shoot(step_id, target)
            except Exception as error:
                capture_error = StepCaptureError(f"step {step_id}: {error}")
                errors.append(f"screenshot failed: {_describe(error)}")
        verdict = None
        if shot is not None and failure is None and self.visual is not None:
            verdict = visual.check(
                self.visual,
                scenario_slug=self._slug,
                step_id=step_id,
                png=shot.png,
                masks=shot.masks,
                reports_dir=self.reports_dir,
            )
            if verdict.status in ("failed", "missing-baseline"):
                message = _visual_message(step_id, verdict)
                errors.append(message)
                capture_error = capture_error or visual.VisualMismatch(message)
        record = StepRecord(
            id=step_id,
            title=title,
            instruction=instruction,
            status="failed" if errors else "passed",
            duration_ms=duration_ms,
            screenshot=shot.boxed if shot else None,
            raw_screenshot=shot.raw if shot else None,
            target_box=shot.box if shot else None,
            url=shot.url if shot else self._relative_url(),
            redactions=shot.redactions if shot else [],
            error="\n".join(errors) or None,
            visual=verdict,
        )
        self.manifest.steps.append(record)
        if self.manifest.tutorial is None:
            self.manifest.tutorial = manifest_io.tutorial_of(step_id)
        try:
            manifest_io.write(self.manifest, self.reports_dir)
        except Exception as error:
            capture_error = capture_error or error
        return capture_error

    def shoot(self, step_id: str, target: Locator | None) -> Shot:
        """Screenshot the page now, raw and with ``target`` boxed."""
        # Web fonts still loading would shift every glyph in the picture.
        self.page.evaluate("() => document.fonts.ready.then(() => true)")
        # The pointer, left where the last click was, hovers whatever scrolled under
        # it: a different picture each run.
        self.page.mouse.move(0, 0)
        self._bring_into_view(target)
        box = self._target_box(target)
        # The mock marks these in its templates; no role or label says "secret".
        redactions = self._boxes("input[type=password], [data-sensitive]")
        masks = self._boxes("[data-dynamic]")
        raw_rel, boxed_rel, png = self._screenshot(step_id, box)
        return Shot(
            raw=raw_rel,
            boxed=boxed_rel,
            box=box,
            url=self._relative_url(),
            redactions=redactions,
            masks=masks,
            png=png,
        )

    def _bring_into_view(self, target: Locator | None) -> None:
        """A tutorial picture shows what to click: scroll it on screen, as a reader would."""
        if target is None:
            return
        try:
            if target.is_visible():
                target.scroll_into_view_if_needed(timeout=TARGET_BOX_TIMEOUT_MS)
        except PlaywrightError:
            return  # the box is then drawn where it is, or not at all

    def _boxes(self, selector: str) -> list[TargetBox]:
        found: list[TargetBox] = []
        for element in self.page.locator(selector).all():
            box = self._target_box(element)
            if box is not None and box.width > 0 and box.height > 0:
                found.append(box)
        return found

    def _target_box(self, target: Locator | None) -> TargetBox | None:
        if target is None:
            return None
        try:
            # is_visible() answers at once; a target the block navigated away
            # from must not cost a wait on every such step.
            if not target.is_visible():
                return None
            found = target.bounding_box(timeout=TARGET_BOX_TIMEOUT_MS)
        except PlaywrightError:
            return None
        if found is None:
            return None
        return TargetBox(
            x=round(found["x"]),
            y=round(found["y"]),
            width=round(found["width"]),
            height=round(found["height"]),
        )

    def _screenshot(self, step_id: str, box: TargetBox | None) -> tuple[str, str, bytes]:
        raw = self._stable_screenshot()
        boxed = draw_box(raw, box) if box is not None else raw
        stem = _UNSAFE_FILE_CHARS.sub("-", step_id)
        raw_rel = f"{self._screens_rel}/{stem}.raw.png"
        boxed_rel = f"{self._screens_rel}/{stem}.png"
        folder = self.reports_dir / self._screens_rel
        folder.mkdir(parents=True, exist_ok=True)
        (self.reports_dir / raw_rel).write_bytes(raw)
        (self.reports_dir / boxed_rel).write_bytes(boxed)
        allure.attach.file(
            str(self.reports_dir / boxed_rel),
            name=step_id,
            attachment_type=allure.attachment_type.PNG,
        )
        return raw_rel, boxed_rel, raw

    def _stable_screenshot(self) -> bytes:
        """Two identical screenshots in a row, as Playwright's toHaveScreenshot waits for.

        Losing focus and hover repaints a control a frame later; the first picture may
        still show it. Bounded: after STABLE_TRIES the last picture is kept.
        """
        options = {
            "animations": "disabled",
            "caret": "hide",
            "style": SCREENSHOT_STYLE,
            "timeout": SCREENSHOT_TIMEOUT_MS,
        }
        previous = self.page.screenshot(**options)
        for _ in range(STABLE_TRIES):
            current = self.page.screenshot(**options)
            if current == previous:
                break
            previous = current
        return previous

    def _relative_url(self) -> str:
        try:
            url = self.page.url
        except PlaywrightError:
            return ""
        base = self.base_url
        # The character check keeps http://h:80 from matching http://h:8000.
        if base and url.startswith(base) and url[len(base) : len(base) + 1] in ("", "/", "?"):
            rest = url[len(base) :].split("#", 1)[0]
            return rest if rest.startswith("/") else f"/{rest}"
        if urlsplit(url).scheme in ("http", "https"):
            # Another host than the platform's: kept whole, it is the clue.
            return url
        # data: and about: URLs carry whole documents; their start says enough.
        return url[:_MAX_OTHER_URL]

    def _trace_group_start(self, name: str) -> bool:
        try:
            self.page.context.tracing.group(name)
        except PlaywrightError:
            # Tracing is off (--tracing off) or the context is gone.
            return False
        return True

    def _trace_group_end(self, grouped: bool) -> None:
        if not grouped:
            return
        with suppress(PlaywrightError):
            self.page.context.tracing.group_end()


def _visual_message(step_id: str, verdict: VisualResult) -> str:
    if verdict.status == "missing-baseline":
        return (
            f"visual: step {step_id} has no baseline {verdict.baseline}; "
            "record one with --visual=update"
        )
    return (
        f"visual: step {step_id} differs from {verdict.baseline} by "
        f"{verdict.diff_ratio:.3%} of pixels (threshold {verdict.threshold:.3%})"
    )


def _describe(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(error)).strip()
