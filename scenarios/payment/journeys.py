"""S.19 and S.20, walked the same way on every system: the payment screens are shared."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.steps import StepRecorder
from pages.payment.methods import PaymentMethods
from pages.payment.payment_list import PaymentList

# The catalog ids choose_and_confirm records (tests/test_catalog.py counts them per call).
PAYMENT_STEPS = ("S.19", "S.20")
HANDLING_FEE_NOTE = "依後續所選擇繳費方式，各繳費平台將收取若干之交易處理費或手續費。"
NOTES = (
    "繳費成功後，將不退費。",
    "繳費後本署僅開立規費收據，無法開立相關之交易處理費或手續費收據。",
    "審核單位有權駁回及拒絕核發給予相關申請許可證明，特此聲明。",
)


def choose_and_confirm(
    page: Page,
    steps: StepRecorder,
    number: str,
    name: str,
    *,
    select_all: bool,
    fee: int,
    card: str,
) -> PaymentMethods:
    """S.19 and S.20: tick the case on 「線上繳費 - 列表」, 「繳費」, then 「確認繳費」.

    ``fee`` is the case's NT$ 規費 and ``card`` its 核發證別 (就業金卡, 居留證)."""
    payment = PaymentList(page)
    target = payment.select_all_box if select_all else payment.box(number)
    with steps.step("S.19", target=target) as step:
        payment.open_from_menu()
        expect(payment.heading).to_be_visible()
        expect(payment.row(number)).to_contain_text("待繳費")
        expect(payment.row(number)).to_contain_text(name)
        expect(payment.row(number)).to_contain_text(card)
        if select_all:
            payment.select_all()
        else:
            payment.tick(number)
        expect(payment.box(number)).to_be_checked()
        step.capture()
        detail = payment.pay()
        expect(detail.heading).to_be_visible()

    with steps.step("S.20", target=detail.confirm_button) as step:
        expect(detail.fee_total).to_have_text(f"{fee:,}")
        expect(detail.handling_fee).to_have_text(HANDLING_FEE_NOTE)
        expect(detail.grand_total).to_have_text(f"NT {fee:,}")
        expect(detail.row(number)).to_contain_text(f"NT {fee:,}")
        expect(detail.notes).to_have_text(list(NOTES))
        step.capture()
        methods = detail.confirm()
        expect(methods.heading).to_be_visible()
    return methods
