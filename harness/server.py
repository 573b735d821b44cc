"""The platform under test: the bundled mock run as a subprocess, or an external one.

``LiveMock`` looks like pytest-django's ``live_server`` (``.url``, ``.stop()``) and
adds ``.control``, an HTTP client on the mock's control API (``/__mock__/``), with
helpers for what scenarios set up and cross-check through it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import httpx

CONTROL_PREFIX = "/__mock__/"
STARTUP_TIMEOUT_S = 20.0
_POLL_INTERVAL_S = 0.1
_STOP_TIMEOUT_S = 10.0
_LOG_TAIL_CHARS = 4000


class ControlApiError(RuntimeError):
    """The control API answered with a non-2xx status."""


class MockStartError(RuntimeError):
    """The bundled mock exited or never answered its health check."""


class _Platform:
    """A running platform: its base URL and a client on its control API."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.control = httpx.Client(base_url=self.url + CONTROL_PREFIX, timeout=30.0)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"

    def stop(self) -> None:
        self.control.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.control.request(method, path, **kwargs)
        if not response.is_success:
            raise ControlApiError(
                f"{method} {CONTROL_PREFIX}{path} answered {response.status_code}: {response.text}"
            )
        return response.json() if response.content else None

    def health(self) -> dict[str, Any]:
        return self._call("GET", "health")

    def reset(self) -> None:
        """Wipe data, files, mail and clock."""
        self._call("POST", "reset")

    def create_account(self, **fields: Any) -> dict[str, Any]:
        """A verified account; defaults to a four-in-one self-applicant."""
        body = {"system": "four_in_one", "role": "self", **fields}
        return self._call("POST", "accounts", json=body)

    def create_draft(self, **fields: Any) -> dict[str, Any]:
        """A Gold Card draft of account ``username`` named ``name``, ``saved_days_ago`` old."""
        return self._call("POST", "drafts", json=fields)

    def create_card_holder(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """A Gold Card holder record (統一證號, birth date, card data)."""
        return self._call("POST", "cardholders", json=dict(payload))

    def create_student(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """A student on file (the school's enrolment report), found by 居留證號."""
        return self._call("POST", "students", json=dict(payload))

    def captcha_answer(self, cookies: Mapping[str, str]) -> str:
        """The captcha answer now shown to the browser session holding ``cookies``."""
        # A Cookie header of its own: the shared client keeps no browser's cookies.
        header = "; ".join(f"{name}={value}" for name, value in cookies.items())
        return self._call("GET", "captcha", headers={"Cookie": header})["answer"]

    def advance_clock(self, seconds: int) -> dict[str, Any]:
        return self._call("POST", "clock", json={"advance_seconds": seconds})

    def set_clock(self, iso: str, *, frozen: bool = True) -> dict[str, Any]:
        return self._call("POST", "clock", json={"set": iso, "frozen": frozen})

    def reset_clock(self) -> dict[str, Any]:
        return self._call("POST", "clock", json={"reset": True})

    def clock(self) -> dict[str, Any]:
        """The server's clock: ``{"now": ISO, "frozen": bool}``."""
        return self._call("GET", "clock")

    def account_state(self, username: str) -> dict[str, Any]:
        """Wrong-password count, lock and verification of an account."""
        return self._call("GET", f"accounts/{username}")

    def create_case(self, **fields: Any) -> dict[str, Any]:
        """A case filed by account ``username`` (default: a Gold Card case waiting for payment)."""
        return self._call("POST", "cases", json=fields)

    def review(self, number: str, action: str, **fields: Any) -> dict[str, Any]:
        """An officer action on a case: supplement (``comments`` per tab), approve, reject
        (``reason``), card_ready."""
        return self._call("POST", f"cases/{number}/review", json={"action": action, **fields})

    def cases(self) -> list[dict[str, Any]]:
        return self._call("GET", "cases")["cases"]

    def mail(self, to: str) -> list[dict[str, Any]]:
        return self._call("GET", "mail", params={"to": to})["messages"]


class ExternalPlatform(_Platform):
    """A platform someone else runs (``--base-url``); stop() leaves it running."""


class LiveMock(_Platform):
    """The bundled mock, started as a subprocess on a free port with its own data."""

    def __init__(
        self,
        data_dir: Path,
        *,
        name: str = "mock",
        tutorial_mode: bool = False,
        control_api: bool = True,
        host: str = "127.0.0.1",
        startup_timeout: float = STARTUP_TIMEOUT_S,
        module: str = "mock_platform.server",
    ) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = (data_dir / f"{name}.sqlite3").absolute()
        self.uploads_dir = (data_dir / f"{name}-uploads").absolute()
        self.uploads_dir.mkdir(exist_ok=True)
        self.log_path = (data_dir / f"{name}.log").absolute()
        port = free_port(host)
        super().__init__(f"http://{host}:{port}")
        command = [
            sys.executable,
            "-m",
            module,
            "--host",
            host,
            "--port",
            str(port),
            "--db",
            f"sqlite:///{self.db_path}",
            "--uploads",
            str(self.uploads_dir),
        ]
        if not control_api:
            command.append("--no-control-api")
        if tutorial_mode:
            command.append("--tutorial-mode")
        # A file, not a pipe: nobody drains a pipe while tests run, and a full
        # pipe would block the server mid-request.
        self._log: IO[bytes] = self.log_path.open("wb")
        self._process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            self._wait_until_healthy(startup_timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_until_healthy(self, timeout: float) -> None:
        health_url = self.url + CONTROL_PREFIX + "health"
        deadline = time.monotonic() + timeout
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise MockStartError(
                    f"the mock exited with code {self._process.returncode} before "
                    f"answering {health_url}:\n{self.log_tail()}"
                )
            try:
                response = httpx.get(health_url, timeout=2.0)
                if response.is_success and response.json().get("status") == "ok":
                    return
                last_error = f"{response.status_code} {response.text[:200]}"
            except (httpx.HTTPError, ValueError) as error:
                last_error = repr(error)
            # Readiness poll: the server gives no other signal that it listens.
            time.sleep(_POLL_INTERVAL_S)
        raise MockStartError(
            f"the mock did not answer {health_url} within {timeout:.0f} s "
            f"(last: {last_error}):\n{self.log_tail()}"
        )

    def log_tail(self) -> str:
        """The end of the server's combined stdout and stderr."""
        self._log.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return text[-_LOG_TAIL_CHARS:] or "(server printed nothing)"

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self) -> None:
        super().stop()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
