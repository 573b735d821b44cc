"""T8 重新申請教學: re-applying for an expired Gold Card, the tutorial's 17 steps.

The tutorial shows 「外國人自行申請」; the same re-application is also filed by an
employer for an employee and by an agency for a client, each through its own login.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fixtures.factories import create_gold_card_application
from fixtures.formats import ymd
from fixtures.models import CardHolderRecord, ReapplicationDocuments
from harness.data import server_today
from harness.steps import StepRecorder
from pages.components.tabbed_form import TABS
from pages.gold_card.application_form import GoldCardForm
from pages.gold_card.complete import ApplicationComplete
from pages.gold_card.drafts import DraftList
from pages.gold_card.payment import PaymentList
from pages.gold_card.preview import ApplicationPreview
from pages.gold_card.role import AGENCY, EMPLOYER, SELF
from scenarios.gold_card.journeys import enter_gold_card

pytestmark = pytest.mark.tutorial("T8")


def reapply(
    page: Page,
    steps: StepRecorder,
    platform: Any,
    faker: Any,
    *,
    role: str,
    account: dict[str, Any],
    holder: CardHolderRecord,
    documents: ReapplicationDocuments,
    captcha: Any,
) -> str:
    """T8.1–T8.17 as ``role``; returns the 申請案號."""
    application = create_gold_card_application(
        faker=faker, holder=holder, today=server_today(platform)
    )
    platform.create_draft(username=account["username"], name="ETHAN TEST HUNT", saved_days_ago=3)
    shell = enter_gold_card(page, steps, "T8", role=role, account=account, captcha=captcha)

    drafts = DraftList(page)
    with steps.step("T8.7", target=shell.menu.item("就業金卡申請或重新申請", "進度查詢")) as step:
        shell.menu.open("進度查詢")
        step.capture()
        shell.menu.item("就業金卡申請或重新申請", "進度查詢").click()
        expect(drafts.heading).to_be_visible()

    dialog = drafts.dialog
    with steps.step("T8.8", target=drafts.add_button) as step:
        expect(drafts.row("ETHAN TEST HUNT")).to_be_visible()
        for action in ("檢視", "編輯", "刪除"):
            expect(drafts.row("ETHAN TEST HUNT").get_by_role("link", name=action)).to_be_visible()
        expect(drafts.retention_note).to_contain_text("自上傳暫存當日(含)起算")
        step.capture()
        drafts.add_applicant()
        expect(dialog.root).to_be_visible()

    with steps.step("T8.9", target=dialog.agree_box) as step:
        expect(dialog.notice).to_be_visible()
        expect(dialog.questions).to_be_hidden()
        step.capture()
        dialog.agree()
        expect(dialog.questions).to_be_visible()

    with steps.step("T8.10", target=dialog.birth_date):
        dialog.identify(
            held="是(曾經持有就業金卡但已過期)",
            uino=application.uino,
            birth_date=ymd(application.birth_date),
        )
        expect(dialog.eligibility).to_have_text(re.compile("符合重新申請資格"))

    form = GoldCardForm(page)
    with steps.step("T8.11", target=dialog.confirm_button) as step:
        dialog.answer_the_rest(entry_document=application.entry_document)
        expect(dialog.entry_documents.get_by_role("radio")).to_have_count(6)
        step.capture()
        dialog.confirm()
        expect(form.consent.root).to_be_visible()

    with steps.step("T8.12", target=form.consent.agree_box) as step:
        expect(form.consent.clauses).to_have_count(13)
        expect(form.consent.confirm_button).to_be_disabled()
        form.consent.agree()
        step.capture()
        form.consent.confirm()
        expect(form.consent.root).to_be_hidden()
        expect(form.heading).to_be_visible()

    with steps.step("T8.13", target=form.panel("基本資料")) as step:
        for name in TABS:
            expect(form.tab(name)).to_be_visible()
        expect(form.field("出生日期(西元)")).to_have_value(ymd(application.birth_date))
        form.fill_basic(application)
        expect(form.mainland_mail_warning).to_be_visible()
        step.capture()  # the tutorial's picture: 「基本資料」 filled in
        form.next_tab()
        expect(form.panel("護照資料")).to_be_visible()
        form.previous_tab()
        expect(form.field("英文姓氏")).to_have_value(application.english_surname)
        form.next_tab()
        form.fill_passport(application)
        form.next_tab()
        form.fill_residence(application)
        form.next_tab()
        form.fill_expertise(application)
        form.next_tab()
        expect(form.panel("文件上傳")).to_be_visible()

    preview = ApplicationPreview(page)
    with steps.step("T8.14", target=form.save_button) as step:
        form.upload_documents(documents)
        expect(form.entry_proof.row_status()).to_contain_text(documents.entry_proof.name)
        expect(form.photo_preview).to_have_attribute("src", re.compile(r"/uploads/"))
        step.capture()
        form.save()
        expect(preview.saved_dialog).to_be_visible()

    with steps.step("T8.15", target=preview.saved_ok) as step:
        step.capture()
        preview.close_saved()
        expect(preview.saved_dialog).to_be_hidden()

    complete = ApplicationComplete(page)
    with steps.step("T8.16", target=preview.submit_button) as step:
        for name, value in (
            ("english_surname", application.english_surname),
            ("english_given_name", application.english_given_name),
            ("passport_expiry", ymd(application.passport_expiry)),
            ("collect_office", application.collect_office),
            ("qualification", application.qualification),
            ("entry_proof", documents.entry_proof.name),
        ):
            expect(preview.value(name)).to_have_text(value)
        step.capture()
        preview.submit()
        expect(complete.heading).to_be_visible()

    payment = PaymentList(page)
    with steps.step("T8.17", target=complete.pay_button) as step:
        expect(complete.case_number).to_have_text(re.compile(r"^\d{12}$"))
        number = complete.case_number.inner_text()
        step.capture()
        complete.go_to_payment()
        expect(payment.row(number)).to_contain_text("待繳費")
        expect(payment.row(number)).to_contain_text(application.english_name)

    filed = [case for case in platform.cases() if case["number"] == number]
    assert len(filed) == 1
    assert filed[0]["account"] == account["username"]
    assert filed[0]["status"] == "待繳費"
    assert filed[0]["data"]["uino"] == holder.uino
    assert set(filed[0]["files"]) == {"photo", "passport", "qualification_proof", "entry_proof"}
    return number


def test_t8_reapplication(
    page, platform, steps, faker, applicant_account, card_holder, reapplication_documents, captcha
):
    reapply(
        page, steps, platform, faker, role=SELF, account=applicant_account,
        holder=card_holder(card_valid=False), documents=reapplication_documents, captcha=captcha,
    )  # fmt: skip


@pytest.mark.tutorial("T8", variant="employer")
def test_t8_reapplication_by_employer(
    page, platform, steps, faker, employer_account, card_holder, reapplication_documents, captcha
):
    number = reapply(
        page, steps, platform, faker, role=EMPLOYER, account=employer_account,
        holder=card_holder(card_valid=False), documents=reapplication_documents, captcha=captcha,
    )  # fmt: skip
    filed = next(case for case in platform.cases() if case["number"] == number)
    assert filed["data"]["filed_by"] == "employer"
    assert filed["data"]["company_id"] == employer_account["company_id"]


@pytest.mark.tutorial("T8", variant="agency")
def test_t8_reapplication_by_agency(
    page, platform, steps, faker, agency_account, card_holder, reapplication_documents, captcha
):
    number = reapply(
        page, steps, platform, faker, role=AGENCY, account=agency_account,
        holder=card_holder(card_valid=False), documents=reapplication_documents, captcha=captcha,
    )  # fmt: skip
    filed = next(case for case in platform.cases() if case["number"] == number)
    assert filed["data"]["filed_by"] == "agency"
