"""The mock payment gateway (S.22): a card form, a simulated transfer, or the store counter."""

from __future__ import annotations

from playwright.sync_api import Page

from pages.components.error_summary import ErrorSummary

APPROVED_CARD = "4111 1111 1111 1111"
DECLINED_CARD = "4000 0000 0000 0002"  # the gateway's documented "issuer declines" number


class PaymentGateway:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.brand = page.get_by_role("banner").get_by_text("模擬金流服務")
        self.heading = page.get_by_role("heading", level=1)
        self.card_number = page.get_by_label("卡號")
        self.expiry = page.get_by_label("有效期限")
        self.cvc = page.get_by_label("安全碼")
        self.pay_button = page.get_by_role("button", name="付款")
        self.cancel_button = page.get_by_role("button", name="取消")
        self.transfer_button = page.get_by_role("button", name="模擬轉帳成功")
        self.store_button = page.get_by_role("button", name="模擬超商完成繳費")
        self.amount = page.get_by_role("definition").filter(has_text="NT$")
        self.errors = ErrorSummary(page)

    def fill_card(self, number: str, *, expiry: str = "12/39", cvc: str = "123") -> None:
        self.card_number.fill(number)
        self.expiry.fill(expiry)
        self.cvc.fill(cvc)

    def pay(self) -> None:
        self.pay_button.click()

    def cancel(self) -> None:
        self.cancel_button.click()

    def confirm_store_payment(self) -> None:
        """「模擬超商完成繳費」: what the store's counter reports once the slip is paid."""
        self.store_button.click()
