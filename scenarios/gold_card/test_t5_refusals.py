"""T5 refusals: an encrypted PDF, a sixth file, a supplement after the deadline, a second
「送出」 of the same supplement, and another account's case."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fixtures.sample_files import make_document_pdf, make_encrypted_pdf
from pages.gold_card.supplement_complete import SupplementComplete
from pages.gold_card.supplement_detail import SupplementDetail
from pages.gold_card.supplement_form import ABROAD_BOX, SupplementForm
from pages.gold_card.supplement_list import SupplementList
from scenarios.gold_card.journeys import log_in_to_gold_card
from scenarios.gold_card.supplements import (
    create_returned_case,
    open_supplement_detail,
    open_supplement_form,
)

pytestmark = pytest.mark.tutorial("NEG")
DAY_S = 24 * 60 * 60
OTHER = "其他相關證明文件(無則免)"


def statuses(platform, number: str) -> list[str]:
    [case] = [case for case in platform.cases() if case["number"] == number]
    return [event["status"] for event in case["history"]]


def test_an_encrypted_pdf_is_refused(
    page, platform, steps, faker, applicant_account, sample_dir, captcha
):
    number = create_returned_case(platform, faker, account=applicant_account).number
    locked = make_encrypted_pdf(sample_dir / "salary_locked.pdf")
    form = open_supplement_form(page, applicant_account, captcha, number)
    with steps.step(
        "NEG.T5.11.encrypted", "上傳的文件請勿加密", target=form.qualification_proof.root
    ):
        form.upload(form.qualification_proof, locked)
        expect(form.qualification_proof.error).to_have_text(
            "資格證明文件：檔案已加密（設有密碼保護），審核人員無法開啟，請上傳未加密的檔案"
        )
        expect(form.qualification_proof.row_status()).to_have_text("未選擇任何檔案")


def test_a_sixth_file_is_refused(
    page, platform, steps, faker, applicant_account, sample_dir, captcha
):
    number = create_returned_case(platform, faker, account=applicant_account).number
    pages = [
        make_document_pdf(sample_dir / f"proof_{n}.pdf", title=f"Proof {n}", lines=[f"Page {n}"])
        for n in range(1, 6)
    ]
    form = open_supplement_form(page, applicant_account, captcha, number)
    other = form.other_documents
    form.upload(other, *pages)
    expect(other.row_status(4)).to_contain_text("proof_5.pdf")
    with steps.step("NEG.T5.11.sixth-file", "最多只可上傳五個檔案", target=other.root):
        form.add_row(other)
        expect(other.error).to_have_text("最多上傳 5 個檔案")
        expect(other.file_inputs).to_have_count(5)
    form.write_reply("補附五頁證明文件。")
    form.submit()
    expect(SupplementComplete(page).files).to_contain_text("proof_5.pdf")
    [case] = [case for case in platform.cases() if case["number"] == number]
    assert len(case["review"]["supplement"]["files"]["other"]) == 5


def test_a_supplement_after_thirty_days_needs_documents_from_abroad(
    page, platform, steps, faker, applicant_account, captcha
):
    number = create_returned_case(platform, faker, account=applicant_account).number
    platform.advance_clock(31 * DAY_S)
    # A login lasts 30 minutes: after a month the applicant logs in again.
    detail = open_supplement_detail(page, applicant_account, captcha, number)
    expect(detail.deadline_notice).to_contain_text("30日補正期限已於")
    detail.supplement()
    form = SupplementForm(page)
    expect(form.deadline_notice).to_contain_text(ABROAD_BOX)
    form.write_reply("已補正。")
    with steps.step("NEG.T5.13.deadline", "補正期限已過", target=form.errors.root):
        form.submit()
        expect(form.errors.root).to_contain_text("「文件上傳」補正期限：30日補正期限已於")
        expect(form.errors.items).to_have_count(1)
        expect(form.reply).to_have_value("已補正。")
        assert statuses(platform, number)[-1] == "初審資料補正"
    # The tutorial's six months for documents sent from abroad still hold.
    form.open_tab("文件上傳")
    form.abroad_box.check()
    form.write_reply("文件由國外寄送，已補正。")
    form.submit()
    expect(SupplementComplete(page).heading).to_be_visible()
    assert statuses(platform, number)[-1] == "補正完成"


def test_nothing_can_be_sent_after_six_months(
    page, platform, steps, faker, applicant_account, captcha
):
    number = create_returned_case(platform, faker, account=applicant_account).number
    platform.advance_clock(185 * DAY_S)
    detail = open_supplement_detail(page, applicant_account, captcha, number)
    with steps.step("NEG.T5.9.closed", "補正期限已屆滿", target=detail.deadline_notice):
        expect(detail.deadline_notice).to_contain_text("已無法再補正資料或補送文件")
        expect(detail.supplement_button).to_have_count(0)
    detail.view_button.click()
    form = SupplementForm(page)
    expect(form.submit_button).to_have_count(0)
    expect(form.field("英文名字")).to_be_disabled()


def test_a_second_submit_changes_nothing(page, platform, steps, faker, applicant_account, captcha):
    number = create_returned_case(platform, faker, account=applicant_account).number
    form = open_supplement_form(page, applicant_account, captcha, number)
    # The same supplement opened in a second tab of the same browser is sent first.
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    first = SupplementForm(other_tab)
    first.write_reply("第一次送出。")
    first.submit()
    expect(SupplementComplete(other_tab).heading).to_be_visible()
    other_tab.close()

    complete = SupplementComplete(page)
    form.correct("基本資料", "英文姓氏", "CHANGED")
    form.write_reply("第二次送出。")
    with steps.step("NEG.T5.13.second-submit", "重複送出", target=complete.again_notice):
        form.submit()
        expect(complete.again_notice).to_be_visible()
        expect(complete.notice).to_contain_text("提交後就不能再更改資料或補送文件")
    [case] = [case for case in platform.cases() if case["number"] == number]
    assert [event["status"] for event in case["history"]].count("補正完成") == 1
    assert case["review"]["reply"] == "第一次送出。"
    assert case["data"]["english_surname"] != "CHANGED"


def test_another_accounts_case_is_not_found(
    page, platform, steps, faker, applicant_account, captcha
):
    other = platform.create_account(
        username=f"other{faker.random_int(100, 999)}", password="Other1234"
    )
    theirs = create_returned_case(platform, faker, account=other).number
    mine = create_returned_case(platform, faker, account=applicant_account).number
    log_in_to_gold_card(page, applicant_account, captcha).menu.choose("進度查詢", "補正(件)列表")
    supplements = SupplementList(page)
    with steps.step("NEG.T5.8.other-account", "他人的補正案件不可見", target=supplements.table):
        expect(supplements.view_button(mine)).to_be_visible()
        expect(supplements.view_button(theirs)).to_have_count(0)
        page.goto(f"/coa-frontend/gold-card/supplements/{theirs}/form")
        expect(page.get_by_text("找不到需要補正的案件")).to_be_visible()
    page.goto(f"/coa-frontend/gold-card/supplements/{mine}")
    expect(SupplementDetail(page).heading).to_be_visible()
