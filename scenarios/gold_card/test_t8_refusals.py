"""T8 refusals: who may re-apply, what the answers require, drafts' 30 days and owners,
and the employer's 統一編號."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect

from fixtures.factories import create_gold_card_application
from fixtures.formats import ymd
from fixtures.ubn import with_bad_check_digit
from fixtures.uino import create_uino
from harness.data import server_today
from pages.four_in_one.login import LoginPage
from pages.gold_card.application_form import GoldCardForm
from pages.gold_card.drafts import HELD_EXPIRED
from scenarios.gold_card.journeys import (
    log_in_to_gold_card,
    login_path,
    open_drafts,
    open_new_applicant,
)

pytestmark = pytest.mark.tutorial("NEG")
DAY_S = 24 * 60 * 60


def test_a_holder_with_a_valid_card_is_sent_to_extension(
    page, steps, applicant_account, card_holder, captcha
):
    holder = card_holder(card_valid=True)
    dialog = open_new_applicant(page, applicant_account, captcha)
    with steps.step("NEG.T8.10.card-valid", "就業金卡尚未屆期", target=dialog.eligibility):
        dialog.identify(held=HELD_EXPIRED, uino=holder.uino, birth_date=ymd(holder.birth_date))
        expect(dialog.eligibility).to_contain_text(f"有效期限至 {ymd(holder.card_expiry)}")
        expect(dialog.eligibility).to_contain_text("「就業金卡延期申請」")
        expect(dialog.question("您現在是否在中華民國境內申請")).to_be_hidden()


def test_someone_who_never_held_a_card_is_sent_to_a_new_application(
    page, steps, faker, applicant_account, captcha
):
    dialog = open_new_applicant(page, applicant_account, captcha)
    with steps.step("NEG.T8.10.never-held", "從未持有就業金卡", target=dialog.refusals):
        dialog.question("是否現在或曾經持有就業金卡").select_option("否(從未持有就業金卡)")
        expect(dialog.refusals).to_have_text(
            "您從未持有就業金卡，不適用重新申請；請以新申請案提出就業金卡申請。"
        )
        expect(dialog.uino).to_be_hidden()
    with steps.step("NEG.T8.10.no-record", "查無持卡紀錄", target=dialog.eligibility):
        stranger = create_uino(rng=random.Random(faker.random_int()))
        dialog.identify(held=HELD_EXPIRED, uino=stranger, birth_date="1990/01/01")
        expect(dialog.eligibility).to_contain_text("查無此統一證號之就業金卡持有紀錄")
        dialog.confirm()
        expect(dialog.root).to_contain_text("查無此統一證號之就業金卡持有紀錄")


def test_a_wrong_birth_date_is_named(page, steps, applicant_account, card_holder, captcha):
    holder = card_holder(card_valid=False)
    wrong = holder.birth_date.replace(year=holder.birth_date.year - 1)
    dialog = open_new_applicant(page, applicant_account, captcha)
    with steps.step("NEG.T8.10.birth-date", "出生日期不符", target=dialog.eligibility):
        dialog.identify(held=HELD_EXPIRED, uino=holder.uino, birth_date=ymd(wrong))
        expect(dialog.eligibility).to_have_text(
            f"出生日期：與統一證號 {holder.uino} 的持卡資料不符，請確認後重新輸入。"
        )


def test_the_document_the_answers_require_is_enforced(
    page, platform, steps, faker, applicant_account, card_holder, reapplication_documents, captcha
):
    """Entering with a visa makes 「停留簽證」 and its number required; the rest is given."""
    holder = card_holder(card_valid=False)
    application = create_gold_card_application(
        faker=faker, holder=holder, today=server_today(platform)
    )
    dialog = open_new_applicant(page, applicant_account, captcha)
    dialog.identify(held=HELD_EXPIRED, uino=holder.uino, birth_date=ymd(holder.birth_date))
    dialog.answer_the_rest(entry_document="以60天以上未加註限制停留簽證方式入國")
    dialog.confirm()
    form = GoldCardForm(page)
    form.consent.accept()
    form.fill_tabs(application)
    form.photo.choose(reapplication_documents.photo)
    form.passport.choose(reapplication_documents.passport)
    form.qualification_proof.choose(reapplication_documents.qualification_proof)
    expect(form.qualification_proof.row_status()).to_contain_text("salary_certificate.pdf")
    with steps.step("NEG.T8.14.missing-visa", "未上傳停留簽證", target=form.errors.root):
        form.save()
        expect(form.errors.root).to_contain_text("「護照資料」停留簽證號碼：此欄位為必填")
        expect(form.errors.root).to_contain_text("「文件上傳」停留簽證：此欄位為必填，請上傳檔案")
        expect(form.errors.items).to_have_count(2)
        expect(form.field("英文姓氏")).to_have_value(application.english_surname)
    assert not [case for case in platform.cases() if case["kind"] == "gold_card_reapply"]


def test_a_draft_is_gone_after_thirty_days(page, platform, steps, applicant_account, captcha):
    platform.create_draft(
        username=applicant_account["username"], name="OLD DRAFT", saved_days_ago=29
    )
    platform.create_draft(username=applicant_account["username"], name="NEW DRAFT")
    drafts = open_drafts(page, applicant_account, captcha)
    expect(drafts.row("OLD DRAFT")).to_be_visible()
    platform.advance_clock(DAY_S)
    with steps.step("NEG.T8.8.expired", "暫存資料超過30日自動刪除", target=drafts.table):
        drafts = open_drafts(page, applicant_account, captcha)
        expect(drafts.row("NEW DRAFT")).to_be_visible()
        expect(drafts.row("OLD DRAFT")).to_have_count(0)


def test_one_accounts_drafts_are_invisible_to_another(
    page, platform, steps, faker, applicant_account, captcha
):
    other = platform.create_account(
        username=f"other{faker.random_int(100, 999)}", password="Other1234"
    )
    mine = platform.create_draft(username=applicant_account["username"], name="MY OWN DRAFT")
    theirs = platform.create_draft(username=other["username"], name="SOMEONE ELSES")
    drafts = open_drafts(page, applicant_account, captcha)
    with steps.step("NEG.T8.8.other-account", "他人的暫存資料不可見", target=drafts.table):
        expect(drafts.row("MY OWN DRAFT")).to_be_visible()
        expect(drafts.row("SOMEONE ELSES")).to_have_count(0)
        page.goto(f"/coa-frontend/gold-card/apply/drafts/{theirs['id']}/edit")
        expect(page.get_by_text("找不到此暫存資料")).to_be_visible()
    page.goto(f"/coa-frontend/gold-card/apply/drafts/{mine['id']}")
    expect(page.get_by_role("heading", name="就業金卡申請 - 檢視")).to_be_visible()


def test_an_employer_number_with_a_wrong_check_digit_is_refused(
    page, steps, employer_account, captcha
):
    page.goto(login_path("雇主提出申請"))
    login = LoginPage(page)
    with steps.step("NEG.T8.5.company-check-digit", "統一編號檢查碼錯誤", target=login.error):
        login.fill(
            username=employer_account["username"],
            password=employer_account["password"],
            captcha=captcha(),
            company_id=with_bad_check_digit(employer_account["company_id"]),
        )
        login.submit()
        expect(login.error).to_have_text("統一編號：檢查碼不正確，請確認公司統一編號是否輸入正確")
        expect(login.company_id).to_be_visible()
    log_in_to_gold_card(page, employer_account, captcha, role="雇主提出申請")
