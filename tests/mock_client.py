"""Helpers for in-process tests of the mock: an app on a temporary database, logging in.

Not a conftest: each test module defines its own ``client`` fixture with these.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from mock_platform import csrf
from mock_platform.app import create_app
from mock_platform.deps import CONTROL_PREFIX, SESSION_COOKIE
from mock_platform.settings import MockSettings

LOGIN_PATH = "/coa-frontend/four-in-one/login"
LOGIN_PAGE = f"{LOGIN_PATH}?system=other-reason"
HOME_PATH = "/coa-frontend/other-reason/home"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "Demo1234"

_COUNTDOWN = re.compile(r'data-countdown="(\d+)"')


# Passed explicitly so a developer's COA_MOCK_* environment cannot change the tests.
DEFAULT_SETTINGS: dict[str, object] = {
    "control_api": True,
    "tutorial_mode": False,
    "session_minutes": 30,
    "max_wrong_passwords": 5,
    "upload_limit_kb": 1024,
}


class BrowserClient(TestClient):
    """A TestClient that sends the session's form token with every request that changes
    something, as the mock's own pages do (a hidden ``csrftoken`` field, or the
    ``X-CSRF-Token`` header from scripts). tests/test_hostile.py sends requests without it."""

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if method.upper() not in csrf.SAFE_METHODS and not str(url).startswith(CONTROL_PREFIX):
            if self.cookies.get(SESSION_COOKIE) is None:
                # A browser has opened a page of the platform before it sends a form.
                super().request("GET", "/", follow_redirects=True)
            sid = self.cookies.get(SESSION_COOKIE)
            token = csrf.token_for(self.app.state.settings.secret_key, sid)  # type: ignore[attr-defined]
            kwargs["headers"] = {csrf.TOKEN_HEADER: token, **(kwargs.get("headers") or {})}
        return super().request(method, url, *args, **kwargs)


def make_client(tmp_path: Path, **settings: object) -> TestClient:
    """A TestClient of a fresh app whose database and uploads live under ``tmp_path``."""
    app = create_app(
        MockSettings(
            database_url=f"sqlite:///{tmp_path}/db.sqlite3",
            upload_dir=tmp_path / "uploads",
            **{**DEFAULT_SETTINGS, **settings},
        )
    )
    return BrowserClient(app)


def captcha_answer(client: TestClient) -> str:
    """The answer of the captcha now shown to this client's browser session."""
    response = client.get("/__mock__/captcha")
    assert response.status_code == 200, response.text
    return response.json()["answer"]


def post_login(
    client: TestClient,
    *,
    username: str = DEMO_USERNAME,
    password: str = DEMO_PASSWORD,
    captcha: str | None = None,
    follow_redirects: bool = False,
):
    """Open the login page, then submit it; the right captcha unless one is given."""
    assert client.get(LOGIN_PAGE).status_code == 200
    answer = captcha_answer(client) if captcha is None else captcha
    return client.post(
        LOGIN_PATH,
        data={
            "username": username,
            "password": password,
            "captcha": answer,
            "system": "other-reason",
        },
        follow_redirects=follow_redirects,
    )


def officer_login(client: TestClient, *, username: str, password: str, captcha: str | None = None):
    """Open the officer console's login page, then submit it (captcha and all)."""
    assert client.get("/officer/login").status_code == 200
    answer = captcha_answer(client) if captcha is None else captcha
    return client.post(
        "/officer/login",
        data={"username": username, "password": password, "captcha": answer},
        follow_redirects=False,
    )


def login(client: TestClient) -> None:
    """Log the demo account in, asserting it worked."""
    response = post_login(client)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == HOME_PATH


def countdown(html: str) -> int:
    """The seconds left before automatic logout, as rendered in the shell header."""
    match = _COUNTDOWN.search(html)
    assert match, "no data-countdown in the page"
    return int(match.group(1))
