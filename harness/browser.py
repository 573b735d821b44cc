"""Find the Chromium to drive and the launch flags that make its screenshots stable.

Playwright's own Chromium is preferred; where its download is impossible (no
internet, distribution packaging) the system Chromium is used instead.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from playwright.sync_api import Browser, Error, Playwright, sync_playwright

SYSTEM_CHROMIUM_PATHS: tuple[str, ...] = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)
SYSTEM_CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")

INSTALL_HINT = (
    "No Chromium found: Playwright's bundled Chromium is not installed and none of "
    f"{', '.join(SYSTEM_CHROMIUM_PATHS)} exists. Install one with "
    "`python -m playwright install chromium`, or where that download is impossible "
    "`apt-get install -y chromium fonts-noto-cjk`."
)

# Flags that keep Chromium from phoning home or changing under a test run.
_QUIET_ARGS: tuple[str, ...] = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# Flags that make rendering the same on every machine, so screenshots compare.
_STABLE_RENDERING_ARGS: tuple[str, ...] = (
    "--font-render-hinting=none",
    "--force-color-profile=srgb",
    # Rasterising in one thread, whole tiles, without run-time Skia tuning keeps
    # antialiased edges from differing by a level between otherwise equal runs.
    "--num-raster-threads=1",
    "--disable-partial-raster",
    "--disable-skia-runtime-opts",
    "--disable-lcd-text",
)


class BrowserNotFoundError(RuntimeError):
    """Neither Playwright's Chromium nor a system Chromium is installed."""


def bundled_chromium_path(playwright: Playwright | None = None) -> str | None:
    """Path of Playwright's own Chromium when it is installed, else None."""
    if playwright is not None:
        return _existing(playwright.chromium.executable_path)
    return _bundled_chromium_path_cached()


@functools.cache
def _bundled_chromium_path_cached() -> str | None:
    # Starting a Playwright driver costs a fraction of a second; the answer
    # cannot change during one run, so ask once per process.
    try:
        with sync_playwright() as playwright:
            return _existing(playwright.chromium.executable_path)
    except Error:
        return None


def _existing(path: str) -> str | None:
    return path if path and Path(path).exists() else None


def system_chromium_path() -> str | None:
    """The first system Chromium found at a known path or on PATH, else None."""
    for candidate in SYSTEM_CHROMIUM_PATHS:
        if Path(candidate).exists():
            return candidate
    for name in SYSTEM_CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_executable(playwright: Playwright | None = None) -> str | None:
    """None when Playwright's own Chromium is installed, else a system Chromium's path.

    Pass the running ``playwright`` when there is one, so no second driver starts.
    Raises BrowserNotFoundError, naming what to install, when there is neither.
    """
    if bundled_chromium_path(playwright) is not None:
        return None
    system = system_chromium_path()
    if system is None:
        raise BrowserNotFoundError(INSTALL_HINT)
    return system


def describe_executable(playwright: Playwright | None = None) -> str:
    """The Chromium a run will use, for the report header; never raises."""
    bundled = bundled_chromium_path(playwright)
    if bundled is not None:
        return f"{bundled} (Playwright's own)"
    system = system_chromium_path()
    if system is not None:
        return f"{system} (system Chromium)"
    return "none found: `python -m playwright install chromium` or `apt-get install chromium`"


def launch_args() -> list[str]:
    """Chromium command-line flags for quiet, deterministic runs."""
    args = list(_QUIET_ARGS)
    # Chromium refuses to start its sandbox as root (containers, CI runners).
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    args.extend(_STABLE_RENDERING_ARGS)
    return args


def browser_version(browser: Browser) -> str:
    """Engine and version of a launched browser, e.g. "chromium 156.0.8078.73"."""
    return f"{browser.browser_type.name} {browser.version}"
