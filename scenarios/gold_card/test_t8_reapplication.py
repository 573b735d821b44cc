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
from pages.four_in_one.home import PlatformHome
from pages.four_in_one.login import LoginPage
from pages.gold_card.application_form import TABS, GoldCardForm
from pages.gold_card.complete import ApplicationComplete
from pages.gold_card.drafts import DraftList
from pages.gold_card.home import GoldCardHome
from pages.gold_card.intro import GoldCardIntro
from pages.gold_card.payment import PaymentList
from pages.gold_card.preview import ApplicationPreview
from pages.gold_card.role import AGENCY, EMPLOYER, ROLES, SELF, RoleChoice

pytestmark = pytest.mark.tutorial("T8")

EXPERTISE_FIELDS = (
    "科技領域", "經濟領域", "教育領域", "文化領域", "藝術領域", "體育領域", "金融領域", "法律領域",
    "建築設計領域", "國防領域", "數位領域",
)  # fmt: skip


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
    home = PlatformHome(page)

    with steps.step("T8.1", "登入外國專業人才申辦窗口平臺", target=home.services):
        home.open()
        expect(home.service("就業金卡")).to_be_visible()
        expect(home.bulletins.get_by_role("columnheader", name="公告日期")).to_be_visible()

    intro = GoldCardIntro(page)
    with steps.step(
        "T8.2", "在「線上申辦項目」中點選「就業金卡」圖示", target=home.service("就業金卡")
    ) as step:
        step.capture()
        home.choose_service("就業金卡")
        expect(intro.heading).to_be_visible()
        for section in intro.sections:
            expect(section).to_be_visible()
        for field in EXPERTISE_FIELDS:
            expect(intro.fields_of_expertise).to_contain_text(field)

    roles = RoleChoice(page)
    with steps.step(
        "T8.3", "點選右下方「我要申請登入系統」按鈕進入系統", target=intro.apply_button
    ) as step:
        step.capture()
        intro.go_to_login()
        for label in ROLES:
            expect(roles.role(label)).to_be_visible()

    login = LoginPage(page)
    with steps.step("T8.4", "選擇提出申請人的角色", target=roles.role(role)) as step:
        step.capture()
        roles.choose(role)
        expect(login.heading).to_be_visible()
        expect(page.get_by_text(role)).to_be_visible()
        if role == EMPLOYER:
            expect(login.company_id).to_be_visible()
        if role == AGENCY:
            expect(login.agency_account).to_be_visible()

    shell = GoldCardHome(page)
    with steps.step("T8.5", "登入您的帳戶", target=login.login_button) as step:
        login.fill(
            username=account["username"],
            password=account["password"],
            captcha=captcha(),
            company_id=account.get("company_id"),
            agency=role == AGENCY,
        )
        step.capture()
        login.submit()
        expect(shell.header.user_name).to_have_text(account["display_name"])

    with steps.step("T8.6", "請留意右上方的登出倒數時間", target=shell.header.countdown):
        expect(shell.header.countdown).to_have_text(re.compile(r"登出倒數：(30:00|2\d:\d\d)"))
        first = shell.header.seconds_left()
        page.clock.run_for(5_000)  # the browser's clock is paused; move it 5 seconds
        assert shell.header.seconds_left() == first - 5

    drafts = DraftList(page)
    with steps.step(
        "T8.7", "就業金卡重新申請功能", target=shell.menu.item("就業金卡申請或重新申請", "進度查詢")
    ) as step:
        shell.menu.open("進度查詢")
        step.capture()
        shell.menu.item("就業金卡申請或重新申請", "進度查詢").click()
        expect(drafts.heading).to_be_visible()

    dialog = drafts.dialog
    with steps.step("T8.8", "就業金卡暫存列表", target=drafts.add_button) as step:
        expect(drafts.row("ETHAN TEST HUNT")).to_be_visible()
        for action in ("檢視", "編輯", "刪除"):
            expect(drafts.row("ETHAN TEST HUNT").get_by_role("link", name=action)).to_be_visible()
        expect(drafts.retention_note).to_contain_text("自上傳暫存當日(含)起算")
        step.capture()
        drafts.add_applicant()
        expect(dialog.root).to_be_visible()

    with steps.step("T8.9", "同意申請須知", target=dialog.agree_box) as step:
        expect(dialog.notice).to_be_visible()
        expect(dialog.questions).to_be_hidden()
        step.capture()
        dialog.agree()
        expect(dialog.questions).to_be_visible()

    with steps.step("T8.10", "回答申請人持有就業金卡的相關問題", target=dialog.birth_date):
        dialog.identify(
            held="是(曾經持有就業金卡但已過期)",
            uino=application.uino,
            birth_date=ymd(application.birth_date),
        )
        expect(dialog.eligibility).to_have_text(re.compile("符合重新申請資格"))

    form = GoldCardForm(page)
    with steps.step("T8.11", "繼續回答申請人相關問題", target=dialog.confirm_button) as step:
        dialog.answer_the_rest(entry_document=application.entry_document)
        expect(dialog.entry_documents.get_by_role("radio")).to_have_count(6)
        step.capture()
        dialog.confirm()
        expect(form.consent.root).to_be_visible()

    with steps.step("T8.12", "系統使用聲明事項", target=form.consent.agree_box) as step:
        expect(form.consent.clauses).to_have_count(13)
        expect(form.consent.confirm_button).to_be_disabled()
        form.consent.agree()
        step.capture()
        form.consent.confirm()
        expect(form.consent.root).to_be_hidden()
        expect(form.heading).to_be_visible()

    with steps.step("T8.13", "就業金卡重新申請申請書", target=form.panel("基本資料")) as step:
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
    with steps.step("T8.14", "文件上傳和儲存", target=form.save_button) as step:
        form.upload_documents(documents)
        expect(form.entry_proof.row_status()).to_contain_text(documents.entry_proof.name)
        expect(form.photo_preview).to_have_attribute("src", re.compile(r"/uploads/"))
        step.capture()
        form.save()
        expect(preview.saved_dialog).to_be_visible()

    with steps.step("T8.15", "儲存成功", target=preview.saved_ok) as step:
        step.capture()
        preview.close_saved()
        expect(preview.saved_dialog).to_be_hidden()

    complete = ApplicationComplete(page)
    with steps.step("T8.16", "預覽申請資料及送出", target=preview.submit_button) as step:
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
    with steps.step("T8.17", "完成", target=complete.pay_button) as step:
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
