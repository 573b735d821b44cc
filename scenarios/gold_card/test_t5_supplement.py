"""T5 補正(件)上傳教學: answering an officer's request for a supplement, the tutorial's 13
steps. The officer returned the case with 審核意見 on two tabs (基本資料, 文件上傳); the
applicant corrects the name, uploads the missing proof, replies and sends."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fixtures.sample_files import make_document_pdf
from pages.gold_card.role import SELF
from pages.gold_card.supplement_complete import SupplementComplete
from pages.gold_card.supplement_detail import SupplementDetail
from pages.gold_card.supplement_form import TABS, SupplementForm
from pages.gold_card.supplement_list import COLUMNS, SupplementList
from scenarios.gold_card.journeys import enter_gold_card
from scenarios.gold_card.supplements import COMMENTS, MENU, MENU_ITEM, create_returned_case

pytestmark = pytest.mark.tutorial("T5")

REPLY = "已依護照更正英文名字，並補附最近一年之薪資證明文件。"


def test_t5_supplement(page, platform, steps, faker, applicant_account, sample_dir, captcha):
    returned = create_returned_case(platform, faker, account=applicant_account)
    number, application = returned.number, returned.application
    corrected = f"{application.english_given_name} {faker['en_US'].first_name().upper()}"
    salary = make_document_pdf(
        sample_dir / "salary_certificate_2024.pdf",
        title="Certificate of salary 2024",
        lines=[f"Employee: {application.english_name}", "Annual salary: TWD 2,400,000"],
    )
    shell = enter_gold_card(
        page, steps, "T5", role=SELF, account=applicant_account, captcha=captcha
    )

    supplements = SupplementList(page)
    with steps.step("T5.7", target=shell.menu.item(MENU_ITEM, MENU)) as step:
        shell.menu.open(MENU)
        step.capture()
        shell.menu.item(MENU_ITEM, MENU).click()
        expect(supplements.heading).to_be_visible()
        expect(supplements.column_headers).to_have_text(list(COLUMNS))

    detail = SupplementDetail(page)
    with steps.step("T5.8", target=supplements.view_button(number)) as step:
        row = supplements.row(number)
        expect(row).to_contain_text(application.english_name)
        expect(row).to_contain_text("外國(特定)專業人才 - 就業金卡 (重新申請)")
        step.capture()
        supplements.view(number)
        expect(detail.heading).to_be_visible()

    form = SupplementForm(page)
    with steps.step("T5.9", target=detail.supplement_button) as step:
        expect(detail.basic).to_contain_text(application.english_name)
        expect(detail.basic).to_contain_text(application.uino)
        expect(detail.case_row).to_contain_text(number)
        expect(detail.case_row).to_contain_text("初審資料補正")
        expect(detail.deadline_notice).to_contain_text("前完成補正")
        step.capture()
        detail.supplement()
        expect(form.heading).to_be_visible()

    with steps.step("T5.10", target=form.comment("基本資料")) as step:
        for tab in TABS:
            form.open_tab(tab)
            expect(form.comment(tab)).to_be_visible()
            if tab in COMMENTS:
                expect(form.comment(tab)).to_contain_text(COMMENTS[tab])
            elif tab != "完成送出":
                expect(form.comment(tab)).to_contain_text("無")
        form.open_tab("基本資料")
        expect(form.field("英文名字")).to_have_value(application.english_given_name)
        expect(form.field("英文姓氏")).to_have_value(application.english_surname)
        step.capture()  # the tutorial's picture: 「基本資料」 with its 審核意見

    with steps.step("T5.11", target=form.qualification_proof.root) as step:
        form.correct("基本資料", "英文名字", corrected)
        form.open_tab("護照資料")
        expect(form.field("護照號碼")).to_have_value(application.passport_number)
        form.upload(form.qualification_proof, salary)
        expect(form.comment("文件上傳")).to_contain_text(COMMENTS["文件上傳"])
        expect(form.qualification_proof.row_status()).to_contain_text(salary.name)
        expect(form.document_rules).to_contain_text("請勿加密")
        expect(form.abroad_box).not_to_be_checked()
        step.capture()

    with steps.step("T5.12", target=form.reply) as step:
        form.write_reply(REPLY)
        expect(form.reply_hint).to_be_visible()
        expect(form.reply).to_have_attribute("placeholder", "請輸入給審核人員的意見")
        step.capture()

    complete = SupplementComplete(page)
    with steps.step("T5.13", target=form.submit_button) as step:
        step.capture()
        form.submit()
        expect(complete.heading).to_be_visible()
        expect(complete.notice).to_contain_text("提交後就不能再更改資料或補送文件")
        expect(complete.case_number).to_have_text(number)
        expect(complete.change_row("英文名字")).to_contain_text(corrected)
        expect(complete.files).to_contain_text(salary.name)

    [case] = [case for case in platform.cases() if case["number"] == number]
    assert case["status"] == "補正完成"
    assert [event["status"] for event in case["history"]].count("補正完成") == 1
    assert case["data"]["english_given_name"] == corrected
    assert case["review"]["supplement"]["before"] == {
        "english_given_name": application.english_given_name
    }
    assert case["review"]["supplement"]["after"] == {"english_given_name": corrected}
    assert case["review"]["reply"] == REPLY
    assert case["files"] == {"qualification_proof": salary.name}

    # Afterwards the case is listed read-only: 「檢視」, and no 「送出」 any more.
    complete.back_to_list()
    expect(supplements.row(number)).to_contain_text("補正完成")
    supplements.view(number)
    expect(detail.supplement_button).to_have_count(0)
    detail.view_button.click()
    expect(form.deadline_notice).to_contain_text("提交後就不能再更改資料或補送文件")
    expect(form.submit_button).to_have_count(0)
    expect(form.field("英文名字")).to_be_disabled()
