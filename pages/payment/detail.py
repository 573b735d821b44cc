"""「線上繳費 - 明細」 (S.20): 規費, the handling-fee note, 總繳費金額, the no-refund notes."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.payment.methods import PaymentMethods


class PaymentDetail:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="線上繳費 - 明細")
        self.totals = page.get_by_role("table", name="繳費金額")
        # The one data row of the totals table: 繳費規費金額 | 手續費 | 總繳費金額.
        cells = self.totals.get_by_role("row").nth(1).get_by_role("cell")
        self.fee_total = cells.nth(0)
        self.handling_fee = cells.nth(1)
        self.grand_total = cells.nth(2)
        self.cases = page.get_by_role("table", name="繳費明細")
        self.notes = page.get_by_role("list", name="繳費注意事項").get_by_role("listitem")
        self.confirm_button = page.get_by_role("button", name="確認繳費")

    def row(self, number: str) -> Locator:
        return self.cases.get_by_role("row").filter(has_text=number)

    def confirm(self) -> PaymentMethods:
        self.confirm_button.click()
        return PaymentMethods(self.page)
