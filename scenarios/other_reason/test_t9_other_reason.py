"""T9 就業金卡換發其他事由居留證: the tutorial's 14 steps, from the platform home to a receipt."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fixtures.factories import create_applicant
from fixtures.formats import ymd
from pages.four_in_one.home import PlatformHome
from pages.four_in_one.login import LoginPage
from pages.other_reason.application_form import ApplicationForm
from pages.other_reason.home import OtherReasonHome
from pages.other_reason.intro import OtherReasonIntro
from pages.other_reason.login_method import LoginMethod
from pages.other_reason.query import ApplicationQuery

pytestmark = pytest.mark.tutorial("T9")


def test_t9_other_reason(
    page, platform, steps, faker, applicant_account, card_holder, documents, captcha
):
    holder = card_holder(card_valid=True)
    applicant = create_applicant(faker=faker, holder=holder)
    home = PlatformHome(page)

    with steps.step("T9.1", target=home.services):
        home.open()
        expect(home.heading).to_be_visible()
        for label in (
            "就業金卡",
            "就業PASS卡",
            "創業家簽證及外僑居留證",
            "依親親屬",
            "其他事由延期",
        ):
            expect(home.service(label)).to_be_visible()
        expect(home.bulletins.get_by_role("columnheader", name="公告日期")).to_be_visible()

    intro = OtherReasonIntro(page)
    with steps.step("T9.2", target=home.service("其他事由延期")) as step:
        step.capture()
        home.choose_service("其他事由延期")
        expect(intro.heading).to_be_visible()
        for section in intro.sections:
            expect(section).to_be_visible()

    method = LoginMethod(page)
    with steps.step("T9.3", target=intro.apply_button) as step:
        step.capture()
        intro.go_to_login()
        expect(method.heading).to_be_visible()

    login = LoginPage(page)
    shell = OtherReasonHome(page)
    with steps.step("T9.4", target=login.login_button) as step:
        method.choose_foreigner_login()
        expect(login.captcha_image).to_be_visible()
        login.fill(
            username=applicant_account["username"],
            password=applicant_account["password"],
            captcha=captcha(),
        )
        step.capture()
        login.submit()
        expect(shell.header.user_name).to_have_text(applicant_account["display_name"])

    with steps.step("T9.5", target=shell.header.countdown):
        expect(shell.header.countdown).to_have_text(re.compile(r"登出倒數：(30:00|2\d:\d\d)"))
        first = shell.header.seconds_left()
        assert first <= 30 * 60
        page.clock.run_for(8_000)  # the browser's clock is paused; move it 8 seconds
        assert shell.header.seconds_left() == first - 8

    query = ApplicationQuery(page)
    with steps.step("T9.6", target=shell.menu.item("其他事由居留證申請")) as step:
        shell.menu.open("線上申請")
        step.capture()
        shell.menu.item("其他事由居留證申請").click()
        expect(query.consent.root).to_be_visible()
        expect(query.consent.clauses).to_have_count(9)

    with steps.step("T9.7", target=query.consent.agree_box) as step:
        expect(query.consent.confirm_button).to_be_disabled()
        query.consent.agree()
        expect(query.consent.confirm_button).to_be_enabled()
        step.capture()
        query.consent.confirm()
        expect(query.consent.root).to_be_hidden()
        expect(query.heading).to_be_visible()

    form = ApplicationForm(page)
    with steps.step("T9.8", target=query.query_button) as step:
        query.uino.fill(holder.uino)
        query.birth_date.fill(ymd(holder.birth_date))
        step.capture()
        query.query_button.click()
        expect(form.tab).to_be_visible()
        expect(form.field("統一證號")).to_have_value(holder.uino)

    with steps.step("T9.9", target=form.photo.root):
        form.upload_photo(documents)
        expect(form.photo.row_status()).to_contain_text(documents.photo.name)
        expect(form.photo_preview).to_have_attribute("src", re.compile(r"/uploads/"))
        for rule in ("JPG|JPEG|PNG|BMP|PDF", "檔案請小於1024K", "中譯本", "原證件大小", "正、反面"):
            expect(form.document_rules).to_contain_text(rule)

    with steps.step("T9.10", target=form.passport.root):
        form.upload_documents(documents)
        expect(form.passport.row_status()).to_contain_text(documents.passport[0].name)
        expect(form.residence_permit.row_status()).to_contain_text(
            documents.residence_permit[0].name
        )
        form.other_documents.add_row()
        expect(form.other_documents.file_inputs).to_have_count(2)
        form.other_documents.choose(documents.photo, row=1)
        expect(form.other_documents.row_status(1)).to_contain_text(documents.photo.name)
        form.other_documents.clear(row=1)
        expect(form.other_documents.row_status(1)).to_have_text("未選擇任何檔案")

    with steps.step("T9.11", target=form.applicant):
        form.fill_applicant(applicant)
        expect(form.field("英文姓名")).to_have_value(applicant.english_name)
        expect(form.field("出生日期(西元)")).to_have_value(ymd(holder.birth_date))
        expect(form.mainland_mail_warning).to_be_visible()

    with steps.step("T9.12", target=form.residence_address.root):
        form.choose_collection(applicant)
        form.fill_work_address(applicant)
        form.copy_work_address()
        assert form.residence_address.value() == form.work_address.value()
        expect(form.address_example_link).to_be_visible()
        expect(form.stations_link).to_be_visible()

    with steps.step("T9.13", target=form.submit_button) as step:
        expect(form.resignation_date).to_have_value("")
        step.capture()
        form.submit()
        expect(shell.receipt_dialog).to_be_visible()

    with steps.step("T9.14", target=shell.receipt_ok) as step:
        expect(shell.receipt_number).to_have_text(re.compile(r"^\d{12}$"))
        number = shell.receipt_number.inner_text()
        step.capture()
        shell.close_receipt()
        expect(shell.receipt_dialog).to_be_hidden()
        expect(shell.case_row(number)).to_contain_text("其他事由居留證申請")

    submitted = [case for case in platform.cases() if case["number"] == number]
    assert len(submitted) == 1
    assert submitted[0]["account"] == applicant_account["username"]
    assert submitted[0]["data"]["uino"] == holder.uino
    assert set(submitted[0]["files"]) == {"photo", "passport", "residence_permit"}
