"""A Gold Card case lives its whole life on the screens alone: filed (T8), paid online,
sent back by the officer, supplemented (T5), approved, its card made, its receipt fetched.

The control API only registers the people (an applicant, an expired card holder, an
officer) and, at the very end, cross-checks what the screens said. One browser plays the
applicant and the officer in turn.
"""

from __future__ import annotations

import io

import pypdf
from playwright.sync_api import Page, expect

from fixtures.factories import create_gold_card_application
from harness.data import server_today
from pages.components.progress import CaseProgress
from pages.gold_card.supplement_complete import SupplementComplete
from pages.payment.gateway import APPROVED_CARD, PaymentGateway
from pages.payment.methods import INTERNATIONAL_CARD
from pages.payment.payment_list import PaymentList
from pages.payment.receipts import ReceiptList
from pages.payment.result import PAID, PaymentResult
from scenarios.gold_card.journeys import file_reapplication, log_in_to_gold_card
from scenarios.gold_card.supplements import open_supplement_form
from scenarios.officer.journeys import review_as_officer

LIFE = ["待繳費", "已繳費", "審核中", "初審資料補正", "補正完成", "審核通過", "製證完成"]


def progress_says(page: Page, number: str, status: str) -> CaseProgress:
    progress = CaseProgress(page)
    progress.open("gold-card")
    expect(progress.status(number)).to_contain_text(status)
    return progress


def test_a_gold_card_case_lives_its_whole_life_on_screens(
    page, platform, faker, applicant_account, officer_account, card_holder,
    reapplication_documents, captcha,
):  # fmt: skip
    holder = card_holder(card_valid=False)
    application = create_gold_card_application(
        faker=faker, holder=holder, today=server_today(platform)
    )

    # The applicant files the re-application and pays it by international credit card.
    number = file_reapplication(
        page, applicant_account, captcha, application, reapplication_documents
    )
    payment = PaymentList(page)
    payment.open("gold-card")
    payment.tick(number)
    methods = payment.pay().confirm()
    methods.choose(INTERNATIONAL_CARD)
    methods.start()
    gateway = PaymentGateway(page)
    gateway.fill_card(APPROVED_CARD)
    gateway.pay()
    expect(PaymentResult(page).title).to_have_text(PAID)
    progress_says(page, number, "已繳費")

    # The officer sends it back with comments on two tabs.
    review = review_as_officer(page, officer_account, captcha, number)
    review.ask_for_supplement(
        {"基本資料": "請確認英文姓名拼法", "文件上傳": "資格證明文件請補上中譯本"}
    )
    expect(review.status).to_have_text("初審資料補正")

    # The applicant reads the comments and sends the supplement.
    form = open_supplement_form(page, applicant_account, captcha, number)
    expect(form.comment("基本資料")).to_contain_text("請確認英文姓名拼法")
    form.correct("基本資料", "現職", "首席研究員")
    form.write_reply("已確認英文姓名拼法無誤，並修正現職。")
    form.submit()
    expect(SupplementComplete(page).heading).to_be_visible()
    progress_says(page, number, "補正完成")

    # The officer approves and, the fee being paid, has the card made.
    review = review_as_officer(page, officer_account, captcha, number)
    review.approve()
    expect(review.status).to_have_text("審核通過")
    review.mark_card_ready()
    expect(review.status).to_have_text("製證完成")

    # The applicant sees every step of the history and fetches the receipt.
    log_in_to_gold_card(page, applicant_account, captcha)
    progress = progress_says(page, number, "製證完成")
    for status in LIFE:
        expect(progress.history_row(number, status)).to_have_count(1)
    receipts = ReceiptList(page)
    receipts.open_from_menu()
    pdf = pypdf.PdfReader(io.BytesIO(receipts.download(number).path().read_bytes()))
    text = "".join(page_.extract_text() for page_ in pdf.pages)
    assert number in text and "5,300" in text and "規費收據" in text

    filed = next(case for case in platform.cases() if case["number"] == number)
    assert [event["status"] for event in filed["history"]] == LIFE
    assert filed["data"]["occupation"] == "首席研究員"
