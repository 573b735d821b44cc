"""The rendering environment: what decides how a screen's pixels come out.

Pixels are only comparable between runs of one browser build on one OS with the
same fonts and the libraries that rasterise them; Chromium moves glyphs between
patch releases. The environment the baselines were recorded in is written to one
committed file, ``<baselines>/environment.json``; a run in another environment
still computes every pixel difference but reports it as rendering drift.

A step accepted alone on another machine (``coa-e2e accept``) keeps its pixels with
the environment they were made in, under ``recorded_elsewhere``, until a complete
``--visual=update`` on one machine makes every baseline that machine's again.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import shutil
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel, Field

ENVIRONMENT_FILE = "environment.json"
# Debian packages that change what a glyph looks like: the fonts, the rasteriser,
# the shaper, the font matcher, and the browser's own UI strings (file inputs).
_RENDERING_PACKAGES = (
    "fonts-*",
    "fontconfig",
    "fontconfig-config",
    "libfontconfig1",
    "libfreetype6",
    "libharfbuzz0b",
    "chromium-l10n",
)


class RenderingEnvironment(BaseModel):
    """Browser build, OS and rendering packages: equal environments give equal pixels."""

    browser: str  # "chromium 156.0.8078.108"
    os: str  # "Debian GNU/Linux 12 (bookworm) x86_64"
    packages: dict[str, str] = Field(default_factory=dict)  # name → version

    def differences(self, other: RenderingEnvironment) -> list[str]:
        """What differs from ``other``, one line each, ``other``'s value first."""
        lines = []
        if self.browser != other.browser:
            lines.append(f"browser: {other.browser} → {self.browser}")
        if self.os != other.os:
            lines.append(f"OS: {other.os} → {self.os}")
        for name in sorted(set(self.packages) | set(other.packages)):
            mine, theirs = self.packages.get(name), other.packages.get(name)
            if mine != theirs:
                lines.append(f"{name}: {theirs or 'not installed'} → {mine or 'not installed'}")
        return lines


class BaselineEnvironment(BaseModel):
    """The committed ``environment.json`` of a baselines folder."""

    environment: RenderingEnvironment
    # Playwright draws the ARIA snapshots the structure layer compares; shown, and
    # pinned in pyproject.toml so that a new release cannot change them unnoticed.
    playwright: str = ""
    # "<scenario>/<step>" → where that step's pixels were recorded, when not above.
    recorded_elsewhere: dict[str, RenderingEnvironment] = Field(default_factory=dict)

    def for_step(self, key: str) -> RenderingEnvironment:
        return self.recorded_elsewhere.get(key, self.environment)


def playwright_version() -> str:
    try:
        return version("playwright")
    except PackageNotFoundError:
        return "unknown"


def current(browser: str) -> RenderingEnvironment:
    """This machine's rendering environment around a browser of version ``browser``."""
    return RenderingEnvironment(browser=browser, os=_os_name(), packages=dict(_packages()))


@functools.cache
def _os_name() -> str:
    name = platform.system()
    try:
        fields = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines()
            if "=" in line
        )
        name = fields.get("PRETTY_NAME", name).strip('"')
    except OSError:
        pass
    return f"{name} {platform.machine()}".strip()


@functools.cache
def _packages() -> tuple[tuple[str, str], ...]:
    if shutil.which("dpkg-query"):
        return _dpkg_packages()
    if shutil.which("fc-list"):
        return _fontconfig_fonts()
    return ()


def _run(command: list[str]) -> str:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=30, check=False,
            env={**os.environ, "LC_ALL": "C"},
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout


def _dpkg_packages() -> tuple[tuple[str, str], ...]:
    listing = _run(
        ["dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Package} ${Version}\n"]
        + list(_RENDERING_PACKAGES)
    )
    found = []
    for line in listing.splitlines():
        parts = line.split()
        # "ii" = installed; packages dpkg merely remembers have no files on disk.
        if len(parts) == 3 and parts[0] == "ii":
            found.append((parts[1], parts[2]))
    return tuple(sorted(found))


def _fontconfig_fonts() -> tuple[tuple[str, str], ...]:
    # Without a package manager to ask, the installed font files and their versions
    # stand for the packages.
    listing = _run(["fc-list", "--format", "%{family[0]}\t%{fontversion}\n"])
    return tuple(
        sorted({tuple(line.split("\t", 1)) for line in listing.splitlines() if "\t" in line})
    )  # type: ignore[misc]


def load(baselines_dir: Path) -> BaselineEnvironment | None:
    path = baselines_dir / ENVIRONMENT_FILE
    if not path.is_file():
        return None
    return BaselineEnvironment.model_validate_json(path.read_text(encoding="utf-8"))


def save(baselines_dir: Path, recorded: BaselineEnvironment) -> Path:
    path = baselines_dir / ENVIRONMENT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(recorded.model_dump(mode="json"), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def record_update(
    baselines_dir: Path, run: RenderingEnvironment, updated: set[str], all_keys: set[str]
) -> BaselineEnvironment:
    """Note that the baselines ``updated`` ("<scenario>/<step>") were just made in ``run``.

    ``all_keys`` are every step baseline in the folder. When the update made all of
    them in ``run``, or ``run`` is already the folder's environment, the file simply
    says ``run``; otherwise the updated steps are listed as recorded elsewhere.
    """
    existing = load(baselines_dir)
    if existing is None or existing.environment == run or all_keys <= updated:
        kept = {} if existing is None or all_keys <= updated else existing.recorded_elsewhere
        recorded = BaselineEnvironment(
            environment=run,
            playwright=playwright_version(),
            recorded_elsewhere={key: env for key, env in kept.items() if key not in updated},
        )
    else:
        elsewhere = dict(existing.recorded_elsewhere)
        elsewhere.update({key: run for key in updated})
        recorded = BaselineEnvironment(
            environment=existing.environment,
            playwright=existing.playwright,
            recorded_elsewhere=dict(sorted(elsewhere.items())),
        )
    save(baselines_dir, recorded)
    return recorded
