"""「就業金卡申請 - 資料填寫完成說明」 (T8.17): the 申請案號 and 「前往線上繳費」."""

from __future__ import annotations

from playwright.sync_api import Page


class ApplicationComplete:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="就業金卡申請 - 資料填寫完成說明")
        self.case_number = page.locator("[data-case-number]")  # the bold number in a sentence
        self.pay_button = page.get_by_role("link", name="前往線上繳費")

    def go_to_payment(self) -> None:
        self.pay_button.click()
