"""T9 refusals: 統一證號 checks, holder lookup, upload rules, required fields, double submit."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from fixtures.factories import create_applicant
from fixtures.formats import ymd
from fixtures.sample_files import make_oversize_jpeg, make_text_renamed_pdf
from fixtures.uino import create_uino, with_bad_check_digit
from pages.other_reason.application_form import ApplicationForm
from pages.other_reason.home import OtherReasonHome
from scenarios.journeys import fill_application, open_application_form, open_query

pytestmark = pytest.mark.tutorial("NEG")


def test_uino_with_bad_check_digit_is_refused(
    page, platform, steps, applicant_account, card_holder, captcha
):
    holder = card_holder()
    query = open_query(page, applicant_account, captcha)
    with steps.step("NEG.T9.8.check-digit", "統一證號檢查碼錯誤", target=query.errors.root):
        query.look_up(uino=with_bad_check_digit(holder.uino), birth_date=ymd(holder.birth_date))
        expect(query.errors.root).to_contain_text("統一證號檢查碼錯誤")
        expect(query.heading).to_be_visible()


def test_valid_uino_of_no_holder_is_refused(
    page, platform, steps, faker, applicant_account, captcha
):
    stranger = create_uino(rng=random.Random(faker.random_int()))
    query = open_query(page, applicant_account, captcha)
    with steps.step("NEG.T9.8.no-holder", "查無持卡人資料", target=query.errors.root):
        query.look_up(uino=stranger, birth_date="1990/01/01")
        expect(query.errors.root).to_contain_text("查無符合的就業金卡持卡人資料")
        expect(ApplicationForm(page).tab).to_have_count(0)


def test_expired_card_holder_is_sent_to_re_application(
    page, platform, steps, applicant_account, card_holder, captcha
):
    holder = card_holder(card_valid=False)
    query = open_query(page, applicant_account, captcha)
    with steps.step("NEG.T9.8.expired", "就業金卡已過期", target=query.errors.root):
        query.look_up(uino=holder.uino, birth_date=ymd(holder.birth_date))
        expect(query.errors.root).to_contain_text("就業金卡申請或重新申請")


def test_oversize_upload_is_refused(
    page, platform, steps, applicant_account, card_holder, captcha, sample_dir
):
    form = open_application_form(page, applicant_account, captcha, card_holder())
    big = make_oversize_jpeg(sample_dir / "passport-scan.jpg")
    with steps.step("NEG.T9.10.oversize", "檔案超過 1024K", target=form.passport.root):
        form.passport.choose(big)
        expect(form.passport.error).to_contain_text("護照：")
        expect(form.passport.error).to_contain_text("檔案請小於 1024K")
        expect(form.passport.row_status()).to_have_text("未選擇任何檔案")


def test_text_renamed_pdf_is_refused(
    page, platform, steps, applicant_account, card_holder, captcha, sample_dir
):
    form = open_application_form(page, applicant_account, captcha, card_holder())
    fake = make_text_renamed_pdf(sample_dir / "residence-permit.pdf")
    with steps.step("NEG.T9.10.fake-pdf", "副檔名與內容不符", target=form.residence_permit.root):
        form.residence_permit.choose(fake)
        expect(form.residence_permit.error).to_contain_text("居留證：檔案內容不是有效的 PDF")
        expect(form.residence_permit.row_status()).to_have_text("未選擇任何檔案")


def test_missing_required_field_is_named(
    page, platform, steps, faker, applicant_account, card_holder, documents, captcha
):
    holder = card_holder()
    applicant = create_applicant(faker=faker, holder=holder)
    form = open_application_form(page, applicant_account, captcha, holder)
    fill_application(form, applicant, documents)
    form.field("現職").fill("")
    with steps.step("NEG.T9.13.required", "必填欄位未填", target=form.errors.root):
        form.submit()
        expect(form.errors.root).to_contain_text("現職：此欄位為必填")
        expect(form.field("現職")).to_have_attribute("aria-invalid", "true")
        expect(form.field("英文姓名")).to_have_value(applicant.english_name)
        expect(form.passport.row_status()).to_contain_text(documents.passport[0].name)
    assert platform.cases() == []


def test_double_submit_makes_one_case(
    page, platform, steps, faker, applicant_account, card_holder, documents, captcha
):
    holder = card_holder()
    applicant = create_applicant(faker=faker, holder=holder)
    form = open_application_form(page, applicant_account, captcha, holder)
    fill_application(form, applicant, documents)
    posted = []
    page.on(
        "request",
        lambda request: (
            posted.append(request)
            if request.method == "POST" and request.url.endswith("/submit")
            else None
        ),
    )
    shell = OtherReasonHome(page)
    with steps.step("NEG.T9.13.double-submit", "重複送出只成立一件", target=shell.receipt_dialog):
        form.submit_button.dblclick()
        expect(shell.receipt_number).to_have_text(re.compile(r"^\d{12}$"))
        number = shell.receipt_number.inner_text()
        # Back to the form and send it again, as an impatient user would: the same
        # form token must lead to the same case.
        replay = page.request.post(
            posted[0].url,
            data=posted[0].post_data,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert replay.ok
        assert f"receipt={number}" in replay.url
    numbers = [case["number"] for case in platform.cases()]
    assert numbers == [number]
