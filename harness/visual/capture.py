"""Capture a screen in every layer of the visual check, right after its screenshot."""

from __future__ import annotations

from playwright.sync_api import Page

from harness.manifest import TargetBox
from harness.visual import structure, style
from harness.visual.check import Snapshot

# The mock marks what changes by design (countdown, captcha, mail links with a
# token); no role or label says so.
DYNAMIC = "[data-dynamic]"

_VISIBLE_BOXES_JS = """
(selector) => [...document.querySelectorAll(selector)]
  .map((el) => el.getBoundingClientRect())
  .filter((r) => r.width > 0 && r.height > 0)
  .map((r) => ({x: Math.round(r.x), y: Math.round(r.y),
                width: Math.round(r.width), height: Math.round(r.height)}))
"""


def boxes(page: Page, selector: str) -> list[TargetBox]:
    """Where the visible elements matching ``selector`` are, in viewport pixels."""
    return [TargetBox(**box) for box in page.evaluate(_VISIBLE_BOXES_JS, selector)]


def snapshot(page: Page, png: bytes, *, base_url: str | None) -> Snapshot:
    """The screen ``png`` shows, with its structure, style and dynamic regions."""
    return Snapshot(
        png=png,
        masks=boxes(page, DYNAMIC),
        structure=structure.capture(page, base_url=base_url, dynamic_selector=DYNAMIC),
        style=style.capture(page, base_url=base_url, dynamic_selector=DYNAMIC),
    )
