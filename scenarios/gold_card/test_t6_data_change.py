"""T6 資料異動教學: changing the data of a valid Gold Card, the tutorial's 12 steps.

The tutorial's walk is an address change, which needs a lease or a utility bill and is
free; the e-mail-only variant ticks 「僅電子信箱或手機號碼異動」, where nothing but
e-mail and mobile can be edited, and is free too.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fixtures.factories import create_address
from fixtures.formats import ymd
from fixtures.sample_files import make_document_pdf
from pages.components.tabbed_form import TABS
from pages.gold_card.change_complete import ChangeComplete
from pages.gold_card.change_form import ChangeForm
from pages.gold_card.change_query import CONTACT_ONLY, OPTIONS, ChangeQuery
from pages.gold_card.role import SELF
from scenarios.gold_card.journeys import enter_gold_card, log_in_to_gold_card

pytestmark = pytest.mark.tutorial("T6")

MENU = "線上申辦"
MENU_ITEM = "就業金卡資料異動"
# 「基本資料」 fields the tutorial's list does not name: shown, never editable.
LOCKED = ("出生日期(西元)", "國籍", "現職", "最高學歷", "婚姻狀況", "申請人母國地址")


def test_t6_address_change(
    page, platform, steps, faker, applicant_account, card_holder, sample_dir, captcha
):
    holder = card_holder(card_valid=True)
    card = holder.card
    assert card is not None
    new_address = create_address(faker=faker)
    while new_address == card.residence_address:  # a seed could draw the same home twice
        new_address = create_address(faker=faker)
    lease = make_document_pdf(
        sample_dir / "lease.pdf",
        title="Lease agreement",
        lines=["Tenant: " + holder.english_name, "Specimen lease for the address change"],
    )
    shell = enter_gold_card(
        page, steps, "T6", role=SELF, account=applicant_account, captcha=captcha
    )

    query = ChangeQuery(page)
    with steps.step("T6.7", target=shell.menu.item(MENU_ITEM, MENU)) as step:
        shell.menu.open(MENU)
        step.capture()
        shell.menu.item(MENU_ITEM, MENU).click()
        expect(query.consent.root).to_be_visible()
        expect(query.consent.clauses).to_have_count(13)
        expect(query.consent.clauses.nth(8)).to_contain_text("新臺幣二千六百元")

    with steps.step("T6.8", target=query.consent.agree_box) as step:
        expect(query.consent.confirm_button).to_be_disabled()
        query.consent.agree()
        step.capture()
        query.consent.confirm()
        expect(query.consent.root).to_be_hidden()
        expect(query.heading).to_be_visible()

    form = ChangeForm(page)
    with steps.step("T6.9", target=query.query_button) as step:
        for label in OPTIONS:
            expect(query.option(label)).not_to_be_checked()
        expect(query.address_note).to_be_visible()
        # An address change is not one of the boxes: they are left unticked.
        query.fill(uino=holder.uino, birth_date=ymd(holder.birth_date))
        step.capture()
        query.query()
        expect(form.tablist).to_be_visible()

    with steps.step("T6.10", target=form.residence_address.root):
        for name in TABS:
            expect(form.tab(name)).to_be_visible()
        expect(form.field("英文姓氏")).to_have_value(card.english_surname)
        expect(form.field("英文名字")).to_have_value(card.english_given_name)
        expect(form.field("電子郵件")).to_have_value(holder.email)
        expect(form.field("英文姓氏")).to_be_editable()
        for label in LOCKED:
            expect(form.field(label)).not_to_be_editable()
        form.next_tab()
        expect(form.field("護照號碼")).to_have_value(holder.passport_number)
        expect(form.field("護照號碼")).not_to_be_editable()  # 「護照資料異動」 was not ticked
        form.next_tab()
        expect(form.field("統一證號")).to_have_value(holder.uino)
        expect(form.field("領證地點")).to_have_value(card.collect_office)
        expect(form.residence_address.city).to_have_value(card.residence_address.city)
        form.change_address(new_address)
        assert form.residence_address.value() == new_address.model_dump()

    complete = ChangeComplete(page)
    with steps.step("T6.11", target=form.submit_button) as step:
        form.next_tab()
        form.next_tab()
        expect(form.panel("文件上傳")).to_be_visible()
        expect(form.residence_proof.root).to_be_visible()
        expect(form.fee_rule).to_contain_text("異動居留地址、護照號碼者免收規費")
        form.upload_residence_proof(lease)
        expect(form.residence_proof.row_status()).to_contain_text(lease.name)
        step.capture()
        form.submit()
        expect(complete.heading).to_be_visible()

    with steps.step("T6.12", target=complete.case_number):
        expect(complete.case_number).to_have_text(re.compile(r"^\d{12}$"))
        expect(complete.fee_notice).to_have_text("本次異動免繳規費。")
        expect(complete.pay_button).to_have_count(0)
        expect(complete.change_row("居留地址")).to_contain_text(new_address.street)

    number = complete.case_number.inner_text()
    filed = [case for case in platform.cases() if case["number"] == number]
    assert len(filed) == 1
    assert filed[0]["account"] == applicant_account["username"]
    assert filed[0]["kind"] == "gold_card_change"
    assert filed[0]["status"] == "已送件"
    assert filed[0]["data"]["uino"] == holder.uino
    assert filed[0]["data"]["items"] == ["residence_address"]
    assert set(filed[0]["files"]) == {"residence_proof"}


@pytest.mark.tutorial("T6", variant="email-only")
def test_t6_email_only_change(
    page, platform, steps, faker, applicant_account, card_holder, captcha
):
    holder = card_holder(card_valid=True)
    new_email = f"changed.{holder.email}"
    shell = log_in_to_gold_card(page, applicant_account, captcha)
    shell.menu.choose(MENU, MENU_ITEM)
    query = ChangeQuery(page)
    query.consent.accept()
    expect(query.consent.root).to_be_hidden()

    form = ChangeForm(page)
    with steps.step("T6.9", target=query.query_button) as step:
        query.fill(uino=holder.uino, birth_date=ymd(holder.birth_date), options=[CONTACT_ONLY])
        expect(query.option(CONTACT_ONLY)).to_be_checked()
        step.capture()
        query.query()
        expect(form.tablist).to_be_visible()

    with steps.step("T6.10", target=form.field("電子郵件")):
        # Only e-mail and mobile are open: names, gender and the address are locked.
        for label in ("英文姓氏", "英文名字", "中文姓名", "性別"):
            expect(form.field(label)).not_to_be_editable()
        form.change_contact(email=new_email)
        form.open_tab("居留申請")
        expect(form.field("在臺聯絡手機號碼")).to_be_editable()
        expect(form.field("領證地點")).not_to_be_editable()
        expect(form.field("居留地址")).not_to_be_editable()
        form.open_tab("基本資料")
        expect(form.field("電子郵件")).to_have_value(new_email)

    complete = ChangeComplete(page)
    with steps.step("T6.11", target=form.submit_button) as step:
        form.open_tab("文件上傳")
        expect(form.residence_proof.root).to_have_count(0)
        step.capture()
        form.submit()
        expect(complete.heading).to_be_visible()

    with steps.step("T6.12", target=complete.case_number):
        expect(complete.case_number).to_have_text(re.compile(r"^\d{12}$"))
        expect(complete.fee_notice).to_have_text("本次異動免繳規費。")
        expect(complete.change_row("電子郵件")).to_contain_text(new_email)

    number = complete.case_number.inner_text()
    filed = next(case for case in platform.cases() if case["number"] == number)
    assert filed["status"] == "已送件"
    assert filed["data"]["items"] == ["email"]
    assert filed["data"]["changes"] == [
        {"item": "email", "label": "電子郵件", "old": holder.email, "new": new_email}
    ]
