"""Ways into the student system that several student scenarios share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from fixtures.models import StudentRecord
from pages.student.extension_form import ExtensionForm
from pages.student.extension_request import ExtensionRequest
from pages.student.home import StudentHome
from pages.student.login import StudentLoginPage


def log_in_as_student(
    page: Page, base_url: str, account: dict[str, Any], captcha: Callable[[], str]
) -> StudentHome:
    """The login of S.6 / S.18, for an account that is already active."""
    login = StudentLoginPage(page).open(base_url)
    login.log_in(username=account["username"], password=account["password"], captcha=captcha())
    home = StudentHome(page)
    expect(home.header.countdown).to_be_visible()
    return home


def request_extension(
    page: Page,
    base_url: str,
    account: dict[str, Any],
    captcha: Callable[[], str],
    record: StudentRecord,
) -> tuple[ExtensionRequest, ExtensionForm]:
    """Log in, open S.8's request, fill it for ``record`` and 「送出」."""
    request = log_in_as_student(page, base_url, account, captcha).open_extension()
    request.fill(permit_number=record.uino, programme=record.programme, reason="在學延期")
    return request, request.submit()
