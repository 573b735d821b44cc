"""「線上繳費」 and 「收據下載」: the student tutorial's payment steps (S.19–S.22, S.24) walked
on the Gold Card system, whose payment screens are the same shared ones.

A T8-style case (NT$5,300, waiting for payment) is set up through the control API; it is
paid through the UI, once by international credit card and once at a convenience store,
and the result is cross-checked through the control API. A declined card is the negative.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pypdf
import pytest
from playwright.sync_api import expect

from harness.data import server_today
from pages.payment.gateway import APPROVED_CARD, DECLINED_CARD, PaymentGateway
from pages.payment.methods import CONVENIENCE_STORE, INTERNATIONAL_CARD, METHODS
from pages.payment.payment_list import PaymentList
from pages.payment.receipts import ReceiptList
from pages.payment.result import CANCELLED, DECLINED, PAID, PaymentResult
from pages.payment.slip import StoreSlip
from scenarios.gold_card.journeys import log_in_to_gold_card
from scenarios.payment.journeys import choose_and_confirm

FEE = 5300


def waiting_case(platform: Any, faker: Any, account: dict[str, Any]) -> tuple[str, str]:
    """A Gold Card re-application waiting for its NT$5,300, as T8.17 leaves it."""
    name = f"{faker['en_US'].last_name()} {faker['en_US'].first_name()}".upper()
    case = platform.create_case(username=account["username"], fee=FEE, data={"english_name": name})
    return case["number"], name


def case_of(platform: Any, number: str) -> dict[str, Any]:
    return next(case for case in platform.cases() if case["number"] == number)


@pytest.mark.tutorial("S", variant="gold-card-payment")
def test_pay_by_international_credit_card_and_download_the_receipt(
    page, platform, steps, faker, applicant_account, captcha
):
    number, name = waiting_case(platform, faker, applicant_account)
    log_in_to_gold_card(page, applicant_account, captcha)
    methods = choose_and_confirm(
        page, steps, number, name, select_all=True, fee=FEE, card="就業金卡"
    )

    gateway = PaymentGateway(page)
    with steps.step("S.21", target=methods.start_button) as step:
        expect(methods.choices).to_have_count(6)
        for label in METHODS:
            expect(methods.method(label)).to_be_visible()
        expect(methods.store_note).to_be_visible()
        methods.choose(INTERNATIONAL_CARD)
        step.capture()
        methods.start()
        expect(gateway.heading).to_have_text(INTERNATIONAL_CARD)
        expect(gateway.brand).to_be_visible()

    result = PaymentResult(page)
    with steps.step("S.22", target=gateway.pay_button) as step:
        expect(gateway.amount).to_have_text("NT$ 5,300")
        gateway.fill_card(APPROVED_CARD)
        step.capture()
        gateway.pay()
        expect(result.title).to_have_text(PAID)
        expect(result.message).to_contain_text("繳費成功後，將不退費")
        expect(result.row(number)).to_contain_text("已繳費")

    paid = case_of(platform, number)
    assert paid["status"] == "已繳費" and paid["paid_at"]
    assert (paid["history"][-1]["actor"], paid["history"][-1]["note"]) == (
        "payment", INTERNATIONAL_CARD,
    )  # fmt: skip
    mail = platform.mail(applicant_account["email"])[-1]
    assert mail["subject"].endswith("案件狀態：已繳費") and "不予退費" in mail["text"]

    receipts = ReceiptList(page)
    with steps.step("S.24", target=receipts.download_link(number)) as step:
        receipts.open_from_menu()
        expect(receipts.heading).to_be_visible()
        expect(receipts.row(number)).to_contain_text("NT$ 5,300")
        expect(receipts.row(number)).to_contain_text(INTERNATIONAL_CARD)
        step.capture()
        download = receipts.download(number)
        assert download.suggested_filename == f"receipt-{number}.pdf"
        pdf = pypdf.PdfReader(io.BytesIO(download.path().read_bytes()))
        text = pdf.pages[0].extract_text()
        for expected in ("規費收據", number, "5,300", name, INTERNATIONAL_CARD):
            assert expected in text, f"{expected!r} not in the receipt: {text}"


@pytest.mark.tutorial("S", variant="gold-card-store-payment")
def test_pay_at_a_convenience_store_with_a_printed_slip(
    page, platform, steps, faker, applicant_account, captcha
):
    number, name = waiting_case(platform, faker, applicant_account)
    log_in_to_gold_card(page, applicant_account, captcha)
    methods = choose_and_confirm(
        page, steps, number, name, select_all=False, fee=FEE, card="就業金卡"
    )

    slip = StoreSlip(page)
    with steps.step(
        "S.21",
        target=slip.print_button,
    ) as step:
        methods.choose(CONVENIENCE_STORE)
        expect(methods.method(CONVENIENCE_STORE)).to_be_checked()
        methods.start()
        expect(slip.heading).to_be_visible()
        deadline = server_today(platform) + timedelta(days=3)
        expect(slip.deadline).to_have_text(f"{deadline:%Y/%m/%d} 23:59")
        expect(slip.total).to_have_text("NT$ 5,308")  # 規費 plus the store's NT$8
        expect(slip.barcodes).to_have_count(3)
        expect(slip.status).to_have_text("待繳費")
        step.capture()
        # 「列印繳費單」 calls the browser's print; a stub counts the call instead of
        # opening a dialog, and print media shows the slip alone.
        page.evaluate(
            "() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }"
        )
        slip.print_button.click()
        assert page.evaluate("window.printed") == 1
        page.emulate_media(media="print")
        expect(page.get_by_role("banner")).to_be_hidden()
        expect(page.get_by_role("navigation", name="功能選單")).to_be_hidden()
        expect(slip.print_button).to_be_hidden()
        expect(slip.heading).to_be_visible()
        expect(slip.barcodes.first).to_be_visible()
        page.emulate_media(media="screen")
    assert case_of(platform, number)["status"] == "待繳費"  # until the store is paid

    gateway = PaymentGateway(page)
    result = PaymentResult(page)
    with steps.step("S.22", target=gateway.store_button) as step:
        slip.go_to_store()
        expect(gateway.heading).to_have_text(CONVENIENCE_STORE)
        expect(gateway.amount).to_have_text("NT$ 5,308")
        step.capture()
        gateway.confirm_store_payment()
        expect(result.title).to_have_text(PAID)
        expect(result.row(number)).to_contain_text("已繳費")

    paid = case_of(platform, number)
    assert paid["status"] == "已繳費" and paid["history"][-1]["note"] == CONVENIENCE_STORE
    payment = PaymentList(page)
    payment.open()
    expect(payment.row(number)).to_have_count(0)


@pytest.mark.tutorial("NEG")
def test_a_declined_card_leaves_the_case_waiting(
    page, platform, steps, faker, applicant_account, captcha
):
    number, name = waiting_case(platform, faker, applicant_account)
    log_in_to_gold_card(page, applicant_account, captcha)
    payment = PaymentList(page)
    payment.open()
    payment.tick(number)
    methods = payment.pay().confirm()
    methods.choose(INTERNATIONAL_CARD)
    methods.start()

    gateway = PaymentGateway(page)
    result = PaymentResult(page)
    gateway.fill_card(DECLINED_CARD)
    with steps.step("NEG.PAY.declined", "發卡銀行拒絕交易", target=result.retry_link):
        gateway.pay()
        expect(result.title).to_have_text(DECLINED)
        expect(result.message).to_contain_text("發卡銀行拒絕交易")
        expect(result.row(number)).to_contain_text("待繳費")

    declined = case_of(platform, number)
    assert declined["status"] == "待繳費" and declined["paid_at"] is None
    assert [event["status"] for event in declined["history"]] == ["待繳費"]
    result.retry_link.click()
    expect(payment.row(number)).to_contain_text("待繳費")
    expect(payment.row(number)).to_contain_text(name)


@pytest.mark.tutorial("NEG")
def test_nothing_ticked_and_a_mistyped_card_are_named(
    page, platform, steps, faker, applicant_account, captcha
):
    number, _ = waiting_case(platform, faker, applicant_account)
    log_in_to_gold_card(page, applicant_account, captcha)
    payment = PaymentList(page)
    payment.open()
    with steps.step("NEG.PAY.nothing-ticked", "未勾選案件", target=payment.problem):
        payment.pay()
        expect(payment.problem).to_contain_text("請勾選要繳費的案件")
        expect(payment.box(number)).not_to_be_checked()

    payment.tick(number)
    methods = payment.pay().confirm()
    methods.choose(INTERNATIONAL_CARD)
    methods.start()
    gateway = PaymentGateway(page)
    with steps.step("NEG.PAY.card-check", "卡號檢查碼不正確", target=gateway.errors.root):
        gateway.fill_card(re.sub(r"1$", "2", APPROVED_CARD), expiry="01/20", cvc="12")
        gateway.pay()
        expect(gateway.errors.items).to_have_text(
            [
                re.compile("^卡號：檢查碼不正確"),
                re.compile("^有效期限：此卡已過期"),
                re.compile("^安全碼：請填寫"),
            ]
        )
        expect(gateway.card_number).to_have_value("")  # a card number is never echoed back

    result = PaymentResult(page)
    gateway.cancel()
    expect(result.title).to_have_text(CANCELLED)
    assert case_of(platform, number)["status"] == "待繳費"
