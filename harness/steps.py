"""The step recorder: the one way a scenario records a documented step.

``with steps.step("T9.7", target=locator):`` opens an Allure step and a trace
group, runs the block, then screenshots the page (raw and with the target boxed),
attaches it to Allure, checks the screen against its visual baselines and appends
the step to the scenario's manifest, rewritten at once so a test that dies mid-way
keeps the steps it reached. A documented step's title and instruction come from
its tutorial's text (``harness/texts.py``); only a refusal step (``NEG.…``), which
no tutorial documents, names its own title.

A functional failure stops the walk at once; a visual difference never does: it
is recorded on its step and the plugin fails the test once, at its end, listing
every step that differs (``visual_failures``).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import allure
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from harness import manifest as manifest_io
from harness import texts
from harness.highlight import draw_box
from harness.manifest import ScenarioManifest, ScenarioStatus, StepRecord, TargetBox
from harness.visual import Snapshot, VisualConfig, capture, check

SCREENS_DIR = "screens"
# How long a visible target may take to report its box; a step is not worth more.
TARGET_BOX_TIMEOUT_MS = 2000
SCREENSHOT_TIMEOUT_MS = 10_000
STABLE_TRIES = 5
# Focus rings are painted on the browser's own schedule and made identical runs
# differ at a control's edge; tutorials don't show them anyway.
SCREENSHOT_STYLE = "*, *:focus, *:focus-visible { outline: none !important; }"
# The mock marks these in its templates; no role or label says "secret".
SENSITIVE = "input[type=password], [data-sensitive]"
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
    # The screen in every layer of the visual check; None when the run checks nothing.
    snapshot: Snapshot | None


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
        run_dir: Path,
        nodeid: str,
        seed: int,
        browser: str,
        base_url: str | None = None,
        tutorial: str | None = None,
        variant: str | None = None,
        visual_config: VisualConfig | None = None,
    ) -> None:
        self.page = page
        # Baselines guard the published walk-throughs; a variant (an employer filing
        # instead of the applicant) shows the same screens with other data, and is
        # checked by its assertions rather than by a second set of pictures.
        wanted = visual_config is not None and visual_config.mode != "off" and variant is None
        self.visual = visual_config if wanted else None
        self.run_dir = run_dir
        self.base_url = base_url.rstrip("/") if base_url else None
        self.manifest = ScenarioManifest(
            scenario=nodeid, tutorial=tutorial, variant=variant, seed=seed, browser=browser
        )
        self._slug = manifest_io.slug(nodeid)
        self._screens_rel = f"{SCREENS_DIR}/{self._slug}"

    @property
    def manifest_path(self) -> Path:
        return manifest_io.manifest_path(self.run_dir, self.manifest.scenario)

    @property
    def visual_failures(self) -> list[StepRecord]:
        """The steps whose screen differs from its baselines (the walk went on past them)."""
        return [step for step in self.manifest.steps if step.visual_failed]

    @contextmanager
    def step(
        self, step_id: str, title: str | None = None, *, target: Locator | None = None
    ) -> Iterator[StepHandle]:
        """Run the block as documented step ``step_id`` and record it, pass or fail.

        The screenshot is taken when the block calls ``capture()`` on the handle (the
        screen with the element to act on, before acting, as a tutorial shows it), or
        else when the block ends; a failing step is always shot as it failed.
        """
        title, instruction = _words(step_id, title)
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
                # The test's own failure always wins; a capture problem only fails a
                # step that otherwise passed.
                if failure is None and capture_error is not None:
                    raise capture_error

    def finish(self, status: ScenarioStatus, *, trace: str | None = None) -> Path:
        """Set the scenario's final status, end time (and trace) and write the manifest."""
        self.manifest.status = status
        self.manifest.trace = trace
        finished = datetime.now(UTC)
        self.manifest.finished_at = finished
        self.manifest.duration_ms = round(
            (finished - self.manifest.started_at).total_seconds() * 1000
        )
        return manifest_io.write(self.manifest, self.run_dir)

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
        if shot is not None and shot.snapshot is not None and failure is None:
            assert self.visual is not None
            try:
                verdict = check(
                    self.visual,
                    snapshot=shot.snapshot,
                    scenario=self._slug,
                    step_id=step_id,
                    run_dir=self.run_dir,
                )
            except Exception as error:  # an unreadable baseline, a full disk
                capture_error = StepCaptureError(f"step {step_id}: visual check: {error}")
                errors.append(f"visual check failed: {_describe(error)}")
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
            manifest_io.write(self.manifest, self.run_dir)
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
        redactions = capture.boxes(self.page, SENSITIVE)
        raw_rel, boxed_rel, png = self._screenshot(step_id, box)
        return Shot(
            raw=raw_rel,
            boxed=boxed_rel,
            box=box,
            url=self._relative_url(),
            redactions=redactions,
            snapshot=capture.snapshot(self.page, png, base_url=self.base_url)
            if self.visual
            else None,
        )

    def _bring_into_view(self, target: Locator | None) -> None:
        """A tutorial picture shows what to click: scroll it to the middle of the screen.

        Always to the same place, wherever earlier actions left the page: "into view
        if needed" keeps any position where the target is visible, and that position
        depends on how the last upload or click happened to scroll.
        """
        if target is None:
            return
        try:
            if target.is_visible():
                target.evaluate(
                    "(el) => el.scrollIntoView({block: 'center', inline: 'nearest'})",
                    timeout=TARGET_BOX_TIMEOUT_MS,
                )
        except PlaywrightError:
            return  # the box is then drawn where it is, or not at all

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
        name = manifest_io.step_stem(step_id)
        raw_rel = f"{self._screens_rel}/{name}.raw.png"
        boxed_rel = f"{self._screens_rel}/{name}.png"
        folder = self.run_dir / self._screens_rel
        folder.mkdir(parents=True, exist_ok=True)
        (self.run_dir / raw_rel).write_bytes(raw)
        (self.run_dir / boxed_rel).write_bytes(boxed)
        allure.attach.file(
            str(self.run_dir / boxed_rel),
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


def _words(step_id: str, title: str | None) -> tuple[str, str]:
    """A step's title and instruction: its tutorial's, or (refusals only) its own title."""
    published = texts.step_text(step_id)
    if published is not None:
        if title is not None:
            raise ValueError(
                f"{step_id}'s title comes from harness/tutorial_texts/"
                f"{manifest_io.tutorial_of(step_id)}.toml; drop {title!r} from the scenario"
            )
        return published.heading, published.instruction.strip()
    if not title:
        raise ValueError(
            f"{step_id} is in no tutorial text: give it a title, e.g. "
            f'steps.step("{step_id}", "what the refusal shows")'
        )
    return title, ""


def visual_failure_message(recorder: StepRecorder) -> str:
    """The one message a test fails with when screens differ: step, layer, file."""
    failing = recorder.visual_failures
    lines = [f"visual: {len(failing)} step(s) differ from their baselines (the walk went on):"]
    for step in failing:
        assert step.visual is not None
        for layer in step.visual.failures:
            evidence = layer.diff or layer.actual
            where = f" — {recorder.run_dir / evidence}" if evidence else ""
            lines.append(f"  {step.id} {layer.layer}: {layer.summary}{where}")
    lines.append(
        "accept a change you meant with: coa-e2e accept --scenario "
        f"'{recorder.manifest.scenario}' (or --visual=update with -k)"
    )
    return "\n".join(lines)


def _describe(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(error)).strip()
