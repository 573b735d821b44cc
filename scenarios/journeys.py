"""Paths the negative scenarios take through the UI to reach the screen they test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from fixtures.formats import ymd
from fixtures.models import Applicant, CardHolderRecord, Documents
from pages.four_in_one.login import LoginPage
from pages.other_reason.application_form import ApplicationForm
from pages.other_reason.home import OtherReasonHome
from pages.other_reason.query import ApplicationQuery

LOGIN_PATH = "/coa-frontend/four-in-one/login?system=other-reason"


def log_in_to_other_reason(
    page: Page, account: dict[str, Any], captcha: Callable[[], str]
) -> OtherReasonHome:
    page.goto(LOGIN_PATH)
    LoginPage(page).log_in(
        username=account["username"], password=account["password"], captcha=captcha()
    )
    home = OtherReasonHome(page)
    expect(home.header.countdown).to_be_visible()
    return home


def open_query(page: Page, account: dict[str, Any], captcha: Callable[[], str]) -> ApplicationQuery:
    log_in_to_other_reason(page, account, captcha).start_application()
    query = ApplicationQuery(page)
    query.consent.accept()
    expect(query.consent.root).to_be_hidden()
    return query


def open_application_form(
    page: Page,
    account: dict[str, Any],
    captcha: Callable[[], str],
    holder: CardHolderRecord,
) -> ApplicationForm:
    open_query(page, account, captcha).look_up(uino=holder.uino, birth_date=ymd(holder.birth_date))
    form = ApplicationForm(page)
    expect(form.photo.root).to_be_visible()
    return form


def fill_application(form: ApplicationForm, applicant: Applicant, documents: Documents) -> None:
    """Every part of the form the way T9.9–T9.12 fill it, ready for 「送出」."""
    form.upload_photo(documents)
    form.upload_documents(documents)
    expect(form.residence_permit.row_status()).to_contain_text(documents.residence_permit[0].name)
    form.fill_applicant(applicant)
    form.choose_collection(applicant)
    form.fill_work_address(applicant)
    form.copy_work_address()
