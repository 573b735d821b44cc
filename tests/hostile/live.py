"""Browsers over real HTTP on a ``LiveMock``, and requests sent at the same moment.

A ``Browser`` is an httpx client with the mock's cookies and the form token of its
session (read from the ``<meta name="csrf-token">`` of the last page it opened), as the
mock's own pages send it. ``at_once`` releases its calls together from a barrier, each
in its own thread, so the requests really overlap on the server.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx

from harness.server import LiveMock
from mock_platform.deps import SESSION_COOKIE
from tests.hostile.mock import JSON, LOGIN, OFFICER_LOGIN, PASSWORD, STUDENT_LOGIN

T = TypeVar("T")
_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    """One browser on the live mock: its own cookie jar and its session's form token."""

    def __init__(self, mock: LiveMock, cookies: httpx.Cookies | None = None) -> None:
        self.mock = mock
        self.client = httpx.Client(base_url=mock.url, timeout=60, follow_redirects=False)
        if cookies is not None:
            self.client.cookies.update(cookies)
        self.token = ""

    def twin(self) -> Browser:
        """A second tab of the same browser: the same session, its own connection."""
        other = Browser(self.mock, self.client.cookies)
        other.token = self.token
        return other

    def close(self) -> None:
        self.client.close()

    def open(self, path: str, **params: str) -> httpx.Response:
        response = self.client.get(path, params=params or None)
        match = _META_TOKEN.search(response.text)
        if match:
            self.token = match.group(1)
        return response

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.token, **kwargs.pop("headers", {})}
        return self.client.post(path, headers=headers, **kwargs)

    def captcha(self) -> str:
        return self.mock.captcha_answer({SESSION_COOKIE: self.client.cookies[SESSION_COOKIE]})

    def _login(self, page: str, target: str, data: dict[str, str]) -> httpx.Response:
        self.open(page)
        return self.post(target, data={**data, "captcha": self.captcha()})

    def login_four(
        self, username: str, system: str = "gold-card", password: str = PASSWORD
    ) -> httpx.Response:
        response = self._login(
            f"{LOGIN}?system={system}&role=self", LOGIN,
            {"username": username, "password": password, "system": system, "role": "self"},
        )  # fmt: skip
        if response.status_code == 303:
            self.open(response.headers["location"])  # a new session id: a new token
        return response

    def login_student(self, username: str, password: str = PASSWORD) -> httpx.Response:
        response = self._login(
            STUDENT_LOGIN, STUDENT_LOGIN, {"username": username, "password": password}
        )
        if response.status_code == 303:
            self.open(response.headers["location"])
        return response

    def login_officer(self, username: str, password: str) -> httpx.Response:
        response = self._login(
            OFFICER_LOGIN, OFFICER_LOGIN, {"username": username, "password": password}
        )
        if response.status_code == 303:
            self.open(response.headers["location"])
        return response

    def stage(self, url: str, field: str, filename: str, data: bytes) -> httpx.Response:
        return self.post(url, data={"field": field}, files={"file": (filename, data)}, headers=JSON)


def at_once(calls: Sequence[Callable[[], T]]) -> list[T | BaseException]:
    """Run ``calls`` together: each thread waits at a barrier, then all go at once."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T | BaseException:
        barrier.wait(timeout=30)
        try:
            return call()
        except BaseException as error:  # reported by the caller, with what the others did
            return error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
