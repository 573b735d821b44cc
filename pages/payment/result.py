"""The platform's payment result (S.22): 「繳費成功」, 「繳費失敗」 or 「已取消繳費」."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

PAID = "繳費成功"
DECLINED = "繳費失敗"
CANCELLED = "已取消繳費"


class PaymentResult:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_role("heading", level=1)
        main = page.get_by_role("main")
        # The outcome's sentence: a status for success or cancel, an alert for a refusal.
        self.message = main.get_by_role("status").or_(main.get_by_role("alert"))
        self.cases = page.get_by_role("table", name="繳費案件")
        self.receipts_link = main.get_by_role("link", name="收據下載")
        self.retry_link = main.get_by_role("link", name="重新繳費")

    def row(self, number: str) -> Locator:
        return self.cases.get_by_role("row").filter(has_text=number)
