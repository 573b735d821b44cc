"""「線上繳費 - 列表」: the account's cases waiting for payment."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class PaymentList:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="線上繳費 - 列表")
        self.table = page.get_by_role("table", name="待繳費案件")

    def row(self, number: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=number)
