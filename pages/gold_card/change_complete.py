"""「就業金卡資料異動申請 - 資料填寫完成說明」 (T6.12): 申請案號, the changes, the fee."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class ChangeComplete:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="就業金卡資料異動申請 - 資料填寫完成說明")
        self.case_number = page.locator("[data-case-number]")  # the bold number in a sentence
        self.changes = page.get_by_role("table", name="異動項目")
        self.fee_notice = page.get_by_role("status").filter(has_text="規費")
        self.pay_button = page.get_by_role("link", name="前往線上繳費")

    def change_row(self, label: str) -> Locator:
        return self.changes.get_by_role("row").filter(has_text=label)

    def go_to_payment(self) -> None:
        self.pay_button.click()
