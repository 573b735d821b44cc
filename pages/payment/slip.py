"""The convenience-store slip (S.21): 繳費期限, the amount with the NT$8 fee, three barcodes."""

from __future__ import annotations

from playwright.sync_api import Page


class StoreSlip:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="超商繳費單")
        self.summary = page.get_by_role("main").locator("dl.slip-summary")  # a <dl>: no role
        self.deadline = page.locator("[data-deadline]")
        self.total = page.locator("[data-slip-total]")
        self.status = page.locator("[data-slip-status]")
        self.barcodes = page.get_by_role("img", name="段條碼")
        self.print_button = page.get_by_role("button", name="列印繳費單")
        self.store_link = page.get_by_role("link", name="前往模擬超商繳費")

    def go_to_store(self) -> None:
        self.store_link.click()
