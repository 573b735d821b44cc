"""Root conftest: overrides of other plugins' fixtures, and nothing else.

A same-named fixture in the harness plugin would not reliably beat pytest-playwright's
or Faker's (see harness/plugin.py); a root conftest always does. The logic lives in
harness.plugin; these are thin wrappers.
"""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Playwright

from harness import plugin


@pytest.fixture(scope="session")
def base_url(live_mock: plugin.Platform) -> str:
    """The platform's URL, so ``page.goto("/...")`` is relative to it."""
    return live_mock.url


@pytest.fixture(scope="session")
def browser_type_launch_args(
    pytestconfig: pytest.Config,
    playwright: Playwright,
    browser_name: str | None,
    request: pytest.FixtureRequest,
) -> dict[str, Any]:
    """pytest-playwright's launch options plus the found Chromium and stable flags."""
    return plugin.launch_options(pytestconfig, playwright, browser_name, request)


@pytest.fixture(scope="session")
def browser_context_args(
    pytestconfig: pytest.Config,
    playwright: Playwright,
    device: str | None,
    base_url: str | None,
    request: pytest.FixtureRequest,
) -> dict[str, Any]:
    """Context options for deterministic screenshots, based at the platform's URL."""
    return plugin.context_options(pytestconfig, playwright, device, base_url, request)


@pytest.fixture
def faker(faker_seed: int) -> Faker:
    """A Faker (en_US + zh_TW) seeded for this test, replayable with --seed."""
    return plugin.seeded_faker(faker_seed)


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Nothing to delete: traces go into the run's own new folder (harness/runs.py).

    pytest-playwright's fixture of this name empties --output at every worker's
    start, which could take another worker's fresh traces with it.
    """
