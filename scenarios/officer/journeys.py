"""The officer console's login, walked the same way by every officer scenario."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from pages.officer.case_list import CaseList
from pages.officer.case_review import CaseReview
from pages.officer.login import OfficerLogin


def log_in_as_officer(page: Page, officer: dict[str, Any], captcha: Callable[[], str]) -> CaseList:
    login = OfficerLogin(page)
    login.open()
    login.log_in(username=officer["username"], password=officer["password"], captcha=captcha())
    cases = CaseList(page)
    expect(cases.officer_name).to_have_text(officer["display_name"])
    return cases


def review_as_officer(
    page: Page, officer: dict[str, Any], captcha: Callable[[], str], number: str
) -> CaseReview:
    log_in_as_officer(page, officer, captcha).open_case(number)
    review = CaseReview(page)
    expect(review.summary).to_contain_text(number)
    return review
