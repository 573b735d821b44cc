"""Paths the Gold Card scenarios take through the UI to reach the screen they test."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from fixtures.models import GoldCardApplication, ReapplicationDocuments
from harness.steps import StepRecorder
from pages.four_in_one.home import PlatformHome
from pages.four_in_one.login import LoginPage
from pages.gold_card.application_form import GoldCardForm
from pages.gold_card.complete import ApplicationComplete
from pages.gold_card.drafts import DraftList, NewApplicantDialog
from pages.gold_card.home import GoldCardHome
from pages.gold_card.intro import GoldCardIntro
from pages.gold_card.preview import ApplicationPreview
from pages.gold_card.role import AGENCY, EMPLOYER, ROLES, SELF, RoleChoice

EXPERTISE_FIELDS = (
    "科技領域", "經濟領域", "教育領域", "文化領域", "藝術領域", "體育領域", "金融領域", "法律領域",
    "建築設計領域", "國防領域", "數位領域",
)  # fmt: skip
# The steps every Gold Card tutorial starts with (home, icon, button, role, login,
# countdown); tests/test_catalog.py counts them as recorded by enter_gold_card.
ENTRY_STEPS = (1, 2, 3, 4, 5, 6)

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


def enter_gold_card(
    page: Page,
    steps: StepRecorder,
    tutorial: str,
    *,
    role: str,
    account: dict[str, Any],
    captcha: Callable[[], str],
) -> GoldCardHome:
    """Steps 1–6 every Gold Card tutorial starts with, recorded as ``{tutorial}.1``–``.6``:
    platform home, 「就業金卡」, 「我要申請登入系統」, the role, its login, the countdown."""
    first, icon, button, choice, log_in, countdown = (f"{tutorial}.{n}" for n in ENTRY_STEPS)
    home = PlatformHome(page)
    with steps.step(first, target=home.services):
        home.open()
        expect(home.service("就業金卡")).to_be_visible()
        expect(home.bulletins.get_by_role("columnheader", name="公告日期")).to_be_visible()

    intro = GoldCardIntro(page)
    with steps.step(icon, target=home.service("就業金卡")) as step:
        step.capture()
        home.choose_service("就業金卡")
        for section in intro.sections:
            expect(section).to_be_visible()
        for field in EXPERTISE_FIELDS:
            expect(intro.fields_of_expertise).to_contain_text(field)

    roles = RoleChoice(page)
    with steps.step(button, target=intro.apply_button) as step:
        step.capture()
        intro.go_to_login()
        for label in ROLES:
            expect(roles.role(label)).to_be_visible()

    login = LoginPage(page)
    with steps.step(choice, target=roles.role(role)) as step:
        step.capture()
        roles.choose(role)
        expect(login.heading).to_be_visible()
        expect(page.get_by_text(role)).to_be_visible()
        expect(login.company_id).to_have_count(1 if role == EMPLOYER else 0)
        expect(login.agency_account).to_have_count(1 if role == AGENCY else 0)

    shell = GoldCardHome(page)
    with steps.step(log_in, target=login.login_button) as step:
        login.fill(
            username=account["username"],
            password=account["password"],
            captcha=captcha(),
            company_id=account["company_id"] if role == EMPLOYER else None,
            agency=role == AGENCY,
        )
        step.capture()
        login.submit()
        expect(shell.header.user_name).to_have_text(account["display_name"])

    with steps.step(countdown, target=shell.header.countdown):
        expect(shell.header.countdown).to_have_text(re.compile(r"登出倒數：(30:00|2\d:\d\d)"))
        first = shell.header.seconds_left()
        page.clock.run_for(5_000)  # the browser's clock is paused; move it 5 seconds
        assert shell.header.seconds_left() == first - 5
    return shell


def file_reapplication(
    page: Page,
    account: dict[str, Any],
    captcha: Callable[[], str],
    application: GoldCardApplication,
    documents: ReapplicationDocuments,
) -> str:
    """T8.7–T8.17 without recording them: the applicant files a re-application on the
    screens and reads the 申請案號 off the completion page."""
    drafts = open_drafts(page, account, captcha)
    dialog = drafts.add_applicant()
    dialog.agree()
    dialog.answer_for(application)
    expect(dialog.eligibility).to_contain_text("符合重新申請資格")
    dialog.confirm()
    form = GoldCardForm(page)
    form.consent.accept()
    form.fill_tabs(application)
    form.upload_documents(documents)
    expect(form.entry_proof.row_status()).to_contain_text(documents.entry_proof.name)
    form.save()
    preview = ApplicationPreview(page)
    preview.close_saved()
    preview.submit()
    complete = ApplicationComplete(page)
    expect(complete.case_number).to_have_text(re.compile(r"^\d{12}$"))
    return complete.case_number.inner_text()
