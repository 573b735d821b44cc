"""Paths the Gold Card scenarios take through the UI to reach the screen they test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from pages.four_in_one.login import LoginPage
from pages.gold_card.drafts import DraftList, NewApplicantDialog
from pages.gold_card.home import GoldCardHome
from pages.gold_card.role import AGENCY, EMPLOYER, SELF

ROLE_SLUGS = {
    "外國人自行申請": "self",
    "雇主提出申請": "employer",
    "委託代辦機構提出申請": "agency",
}


def login_path(role: str = SELF) -> str:
    return f"/coa-frontend/four-in-one/login?system=gold-card&role={ROLE_SLUGS[role]}"


def log_in_to_gold_card(
    page: Page, account: dict[str, Any], captcha: Callable[[], str], *, role: str = SELF
) -> GoldCardHome:
    page.goto(login_path(role))
    login = LoginPage(page)
    login.fill(
        username=account["username"],
        password=account["password"],
        captcha=captcha(),
        company_id=account["company_id"] if role == EMPLOYER else None,
        agency=role == AGENCY,
    )
    login.submit()
    home = GoldCardHome(page)
    expect(home.header.countdown).to_be_visible()
    return home


def open_drafts(page: Page, account: dict[str, Any], captcha: Callable[[], str]) -> DraftList:
    log_in_to_gold_card(page, account, captcha).open_drafts()
    drafts = DraftList(page)
    expect(drafts.heading).to_be_visible()
    return drafts


def open_new_applicant(
    page: Page, account: dict[str, Any], captcha: Callable[[], str]
) -> NewApplicantDialog:
    """The 「新增申請人」 dialog with 「同意」 ticked, questions showing."""
    dialog = open_drafts(page, account, captcha).add_applicant()
    dialog.agree()
    expect(dialog.questions).to_be_visible()
    return dialog
